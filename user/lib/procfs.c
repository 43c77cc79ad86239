// SPDX-License-Identifier: GPL-2.0
/* netnsight - parsers for the module's /proc files (docs/procfs.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "procfs.h"
#include "util.h"

/* The next line of [*p, end) into buf (truncated lines are errors). */
static int next_line(const char **p, const char *end, char *buf, size_t size)
{
	const char *nl;
	size_t len;

	if (*p >= end)
		return 0;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	len = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	if (len >= size || memchr(*p, '\0', len))
		return -EINVAL;
	memcpy(buf, *p, len);
	buf[len] = '\0';
	*p = nl ? nl + 1 : end;
	return 1;
}

static int parse_kv(struct nsi_proc_net *o, const char *key, const char *v)
{
	uint32_t u;

	if (!strcmp(key, "format"))
		return parse_u32(v, &u) ? -EINVAL : (o->format = u, 0);
	if (!strcmp(key, "netns_inode"))
		return parse_u32(v, &o->netns_inode);
	if (!strcmp(key, "net_cookie"))
		return parse_u64(v, &o->net_cookie);
	if (!strcmp(key, "userns_inode"))
		return parse_u32(v, &o->userns_inode);
	if (!strcmp(key, "seq"))
		return parse_u64(v, &o->seq);
	if (!strcmp(key, "created_boottime_ns"))
		return parse_u64(v, &o->created_boottime_ns);
	if (!strcmp(key, "seen_at_load")) {
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return -EINVAL;
		o->seen_at_load = !strcmp(v, "yes");
		return 0;
	}
	if (!strcmp(key, "age_ms"))
		return parse_u64(v, &o->age_ms);
	if (!strcmp(key, "ns_refcount"))
		return parse_u32(v, &o->ns_refcount);
	if (!strcmp(key, "passive_refcount"))
		return parse_u32(v, &o->passive_refcount);
	if (!strcmp(key, "state"))
		return copy_str(o->state, v, sizeof(o->state)) ? 0 : -EINVAL;
	if (!strcmp(key, "dev_registered"))
		return parse_u64(v, &o->dev_registered);
	if (!strcmp(key, "dev_unregistered"))
		return parse_u64(v, &o->dev_unregistered);
	if (!strcmp(key, "dev_moved_in"))
		return parse_u64(v, &o->dev_moved_in);
	if (!strcmp(key, "dev_moved_out"))
		return parse_u64(v, &o->dev_moved_out);
	if (!strcmp(key, "devices"))
		return parse_u32(v, &o->ndevices);
	return 0;	/* unknown keys: newer module, same format number */
}

static int parse_dev(const char *line, struct nsi_proc_dev *d)
{
	char name[32], state[8], type[32], kind[64];
	int n;

	/* columns appended by a newer module are ignored (docs/procfs.md) */
	n = sscanf(line, "%d %31s %7s %31s %63s", &d->ifindex, name, state,
		   type, kind);
	if (n != 5 || d->ifindex <= 0)
		return -EINVAL;
	if (strcmp(state, "up") && strcmp(state, "down"))
		return -EINVAL;
	if (!copy_str(d->name, name, sizeof(d->name)) ||
	    !copy_str(d->type, type, sizeof(d->type)) ||
	    !copy_str(d->kind, kind, sizeof(d->kind)))
		return -EINVAL;
	d->up = !strcmp(state, "up");
	return 0;
}

int nsi_proc_net_parse(const char *text, size_t len, struct nsi_proc_net *o)
{
	const char *p = text, *end = text + len;
	bool table = false, have_ino = false;
	char line[512], *colon;
	size_t cap = 0;
	int r;

	memset(o, 0, sizeof(*o));
	while ((r = next_line(&p, end, line, sizeof(line))) > 0) {
		if (table) {
			struct nsi_proc_dev *d;

			if (!line[0])
				continue;
			/*
			 * Size by the rows, not by "devices:": the module
			 * counts and lists in two RCU sections, so a device
			 * registered in between makes one row more.
			 */
			if (o->ndevs >= 65536)
				goto bad;
			if (o->ndevs == cap) {
				cap = cap ? cap * 2 : 16;
				d = realloc(o->devs, cap * sizeof(*d));
				if (!d)
					goto bad;
				o->devs = d;
			}
			d = &o->devs[o->ndevs];
			memset(d, 0, sizeof(*d));
			if (parse_dev(line, d))
				goto bad;
			o->ndevs++;
			continue;
		}
		if (!strncmp(line, "ifindex ", 8)) {
			table = true;
			continue;
		}
		colon = strstr(line, ": ");
		if (!colon)
			goto bad;
		*colon = '\0';
		if (parse_kv(o, line, colon + 2))
			goto bad;
		if (!strcmp(line, "netns_inode"))
			have_ino = true;
	}
	if (r < 0 || o->format != 1 || !have_ino || !table)
		goto bad;
	return 0;
bad:
	nsi_proc_net_free(o);
	return -EINVAL;
}

void nsi_proc_net_free(struct nsi_proc_net *p)
{
	free(p->devs);
	memset(p, 0, sizeof(*p));
}

static bool known_state(const char *s)
{
	return !strcmp(s, "alive") || !strcmp(s, "dying") || !strcmp(s, "stuck") ||
	       !strcmp(s, "blocked");
}

/*
 * inode cookie seq age_ms devs refs passive state dying_ms wait_dev
 * [blocked_by]: the 11th column is newer ("-" or the inode of the stuck
 * namespace); columns after it are ignored (docs/procfs.md).
 */
static int parse_row(const char *line, struct nsi_proc_row *r)
{
	char state[16], wait[32], blocked[16];
	unsigned long long cookie, seq, age, dying;
	int n;

	n = sscanf(line, "%u %llu %llu %llu %u %u %u %15s %llu %31s %15s", &r->inode,
		   &cookie, &seq, &age, &r->devs, &r->refs, &r->passive, state,
		   &dying, wait, blocked);
	if (n < 10 || !r->inode || !known_state(state))
		return -EINVAL;
	r->blocked_by = 0;
	if (n == 11 && strcmp(blocked, "-") &&
	    (parse_u32(blocked, &r->blocked_by) || !r->blocked_by))
		return -EINVAL;
	r->cookie = cookie;
	r->seq = seq;
	r->age_ms = age;
	r->dying_ms = dying;
	strcpy(r->state, state);
	return copy_str(r->wait_dev, wait, sizeof(r->wait_dev)) ? 0 : -EINVAL;
}

/* "total: N alive: N dying: N stuck: N", then " blocked: N" if newer */
static int parse_totals(const char *line, struct nsi_proc_all *o)
{
	unsigned long long t, a, d, s, b = 0;
	int n;

	n = sscanf(line, "total: %llu alive: %llu dying: %llu stuck: %llu blocked: %llu",
		   &t, &a, &d, &s, &b);
	if (n != 4 && n != 5)
		return -EINVAL;
	o->total = t;
	o->alive = a;
	o->dying = d;
	o->stuck = s;
	o->blocked = b;
	return 0;
}

int nsi_proc_all_parse(const char *text, size_t len, struct nsi_proc_all *o)
{
	const char *p = text, *end = text + len;
	bool header = false, totals = false;
	size_t cap = 0;
	char line[512];
	int r;

	memset(o, 0, sizeof(*o));
	while ((r = next_line(&p, end, line, sizeof(line))) > 0) {
		if (!header) {
			if (strncmp(line, "inode ", 6))
				goto bad;
			header = true;
			continue;
		}
		if (totals)
			goto bad;	/* nothing after the totals */
		if (!strncmp(line, "total: ", 7)) {
			if (parse_totals(line, o))
				goto bad;
			totals = true;
			continue;
		}
		if (o->n == cap) {
			struct nsi_proc_row *nr;

			cap = cap ? cap * 2 : 64;
			nr = realloc(o->rows, cap * sizeof(*nr));
			if (!nr)
				goto bad;
			o->rows = nr;
		}
		if (parse_row(line, &o->rows[o->n]))
			goto bad;
		o->n++;
	}
	if (r < 0 || !totals || o->total != o->n)
		goto bad;
	return 0;
bad:
	nsi_proc_all_free(o);
	return -EINVAL;
}

void nsi_proc_all_free(struct nsi_proc_all *p)
{
	free(p->rows);
	memset(p, 0, sizeof(*p));
}

static int read_parse(const char *path, char **text, size_t *len)
{
	*text = read_file(path, len);
	if (!*text)
		return -errno;
	return 0;
}

struct read_args {
	char *text;
	size_t len;
};

static int read_net_file(void *arg)
{
	struct read_args *a = arg;

	return read_parse(NSI_PROC_NET_PATH, &a->text, &a->len);
}

int nsi_proc_net_read(int netns_fd, struct nsi_proc_net *out)
{
	struct read_args a = {};
	int err;

	err = netns_run_in(netns_fd, read_net_file, &a);
	if (err)
		return err;
	err = nsi_proc_net_parse(a.text, a.len, out);
	free(a.text);
	return err;
}

int nsi_proc_all_read(struct nsi_proc_all *out)
{
	size_t len;
	char *text;
	int err;

	err = read_parse(NSI_PROC_ALL_PATH, &text, &len);
	if (err)
		return err;
	err = nsi_proc_all_parse(text, len, out);
	free(text);
	return err;
}

size_t nsi_proc_all_warn_stuck(const struct nsi_proc_all *all)
{
	size_t i, stuck = 0, blocked = 0;

	for (i = 0; i < all->n; i++) {
		stuck += !strcmp(all->rows[i].state, "stuck");
		blocked += !strcmp(all->rows[i].state, "blocked");
	}
	/*
	 * cleanup_net() holds pernet_ops_rwsem for reading while it waits,
	 * and (un)registering pernet operations takes it for writing.
	 */
	if (stuck && blocked)
		warnmsg("%zu namespace%s stuck in teardown, %zu blocked behind %s: do not "
			"rmmod/insmod pernet modules (netnsight included) until it clears; "
			"see docs/procfs.md", stuck, stuck > 1 ? "s" : "", blocked,
			stuck > 1 ? "them" : "it");
	else if (stuck || blocked)
		warnmsg("%zu namespace%s %s in teardown: do not rmmod/insmod pernet modules "
			"(netnsight included) until it clears; see docs/procfs.md",
			stuck + blocked, stuck + blocked > 1 ? "s" : "",
			stuck ? "stuck" : "blocked");
	return stuck + blocked;
}
