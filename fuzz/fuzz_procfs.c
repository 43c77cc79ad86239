// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_procfs - the parsers of the module's /proc files (user/procfs.c):
 * nsi_proc_net_parse() (/proc/net/netnsight, kmod/proc_net.c) and
 * nsi_proc_all_parse() (/proc/net/netnsight_all, kmod/proc_all.c).
 *
 * Input: the file's bytes, handed over as an exact-size, unterminated heap
 * copy (ASan sees any read past it).  Both parsers get every input.
 *
 * Checked: an error leaves nothing allocated and the struct zeroed; a
 * success has format 1, rows with ifindex > 0 / inode != 0, a known state
 * and NUL-terminated strings, n rows == the "total:" line; and a round
 * trip: the struct printed back in the module's own format (the
 * seq_printf() formats of kmod/) parses to the same struct, also with one
 * device row more than the "devices:" count (the module's count-then-list
 * race), and netnsight_all in both its formats: with the blocked_by column
 * and "blocked:" total, and without them (blocked_by 0, blocked 0).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz_common.h"
#include "procfs.h"

static bool zeroed(const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i])
			return false;
	return true;
}

static bool word(const char *s, size_t size)
{
	size_t i, n;

	if (!fuzz_terminated(s, size))
		return false;
	n = strlen(s);
	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))
			return false;
	return true;
}

/* A growing text buffer, printed into with the module's formats. */
struct out {
	char *buf;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3))) put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!o->buf) {
		o->cap = 4096;
		o->buf = malloc(o->cap);
		CHECK(o->buf);
	}
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
		CHECK(n >= 0);
		if (o->len + (size_t)n < o->cap)
			break;
		o->cap = (o->cap + (size_t)n) * 2;
		o->buf = realloc(o->buf, o->cap);
		CHECK(o->buf);
	}
	o->len += (size_t)n;
}

/* --- /proc/net/netnsight ------------------------------------------------ */

static void check_net_fields(const struct nsi_proc_net *p)
{
	unsigned int i;

	CHECK(p->format == 1);
	CHECK(TERMINATED(p->state));
	CHECK(!memchr(p->state, '\n', strlen(p->state)));
	CHECK(p->ndevs <= 65536);
	CHECK((p->devs != NULL) == (p->ndevs > 0));
	for (i = 0; i < p->ndevs; i++) {
		const struct nsi_proc_dev *d = &p->devs[i];

		CHECK(d->ifindex > 0);
		CHECK(word(d->name, sizeof(d->name)));
		CHECK(word(d->type, sizeof(d->type)));
		CHECK(word(d->kind, sizeof(d->kind)));
	}
}

static void print_net(struct out *o, const struct nsi_proc_net *p)
{
	unsigned int i;

	/* kmod/proc_net.c: nsi_proc_net_show(), nsi_show_devices() */
	put(o, "format: %u\n", p->format);
	put(o, "netns_inode: %u\n", p->netns_inode);
	put(o, "net_cookie: %llu\n", (unsigned long long)p->net_cookie);
	put(o, "userns_inode: %u\n", p->userns_inode);
	put(o, "seq: %llu\n", (unsigned long long)p->seq);
	put(o, "created_boottime_ns: %llu\n", (unsigned long long)p->created_boottime_ns);
	put(o, "seen_at_load: %s\n", p->seen_at_load ? "yes" : "no");
	put(o, "age_ms: %llu\n", (unsigned long long)p->age_ms);
	put(o, "ns_refcount: %u\n", p->ns_refcount);
	put(o, "passive_refcount: %u\n", p->passive_refcount);
	put(o, "state: %s\n", p->state);
	put(o, "dev_registered: %llu\n", (unsigned long long)p->dev_registered);
	put(o, "dev_unregistered: %llu\n", (unsigned long long)p->dev_unregistered);
	put(o, "dev_moved_in: %llu\n", (unsigned long long)p->dev_moved_in);
	put(o, "dev_moved_out: %llu\n", (unsigned long long)p->dev_moved_out);
	put(o, "devices: %u\n", p->ndevices);
	put(o, "ifindex name             state type      kind\n");
	for (i = 0; i < p->ndevs; i++) {
		const struct nsi_proc_dev *d = &p->devs[i];

		put(o, "%-7d %-16s %-5s %-9s %s\n", d->ifindex, d->name,
		    d->up ? "up" : "down", d->type, d->kind);
	}
}

static void same_net(const struct nsi_proc_net *a, const struct nsi_proc_net *b)
{
	unsigned int i;

	CHECK(a->format == b->format);
	CHECK(a->netns_inode == b->netns_inode);
	CHECK(a->net_cookie == b->net_cookie);
	CHECK(a->userns_inode == b->userns_inode);
	CHECK(a->seq == b->seq);
	CHECK(a->created_boottime_ns == b->created_boottime_ns);
	CHECK(a->seen_at_load == b->seen_at_load);
	CHECK(a->age_ms == b->age_ms);
	CHECK(a->ns_refcount == b->ns_refcount);
	CHECK(a->passive_refcount == b->passive_refcount);
	CHECK(!strcmp(a->state, b->state));
	CHECK(a->dev_registered == b->dev_registered);
	CHECK(a->dev_unregistered == b->dev_unregistered);
	CHECK(a->dev_moved_in == b->dev_moved_in);
	CHECK(a->dev_moved_out == b->dev_moved_out);
	CHECK(a->ndevices == b->ndevices);
	CHECK(a->ndevs == b->ndevs);
	for (i = 0; i < a->ndevs; i++) {
		CHECK(a->devs[i].ifindex == b->devs[i].ifindex);
		CHECK(a->devs[i].up == b->devs[i].up);
		CHECK(!strcmp(a->devs[i].name, b->devs[i].name));
		CHECK(!strcmp(a->devs[i].type, b->devs[i].type));
		CHECK(!strcmp(a->devs[i].kind, b->devs[i].kind));
	}
}

static void fuzz_net(const char *text, size_t len)
{
	struct nsi_proc_net p, q;
	struct out o = { 0 };
	int r;

	memset(&p, 0xa5, sizeof(p));
	r = nsi_proc_net_parse(text, len, &p);
	if (r) {
		CHECKF(r == -EINVAL, "nsi_proc_net_parse returned %d", r);
		CHECK(zeroed(&p, sizeof(p)));	/* nothing allocated */
		return;
	}
	check_net_fields(&p);
	print_net(&o, &p);
	memset(&q, 0xa5, sizeof(q));
	r = nsi_proc_net_parse(o.buf, o.len, &q);
	CHECKF(r == 0, "printed back, it does not parse:\n%.600s", o.buf);
	same_net(&p, &q);
	nsi_proc_net_free(&q);

	/*
	 * The module counts the devices, then lists them, in two RCU
	 * sections: a device registered in between gives one row more
	 * than "devices:" says (kmod/proc_net.c).  Same rows, still valid.
	 */
	if (p.ndevs) {
		struct nsi_proc_net racy = p;

		racy.ndevices = p.ndevs - 1;
		o.len = 0;
		print_net(&o, &racy);
		memset(&q, 0xa5, sizeof(q));
		r = nsi_proc_net_parse(o.buf, o.len, &q);
		CHECKF(r == 0, "one row more than \"devices:\" is refused:\n%.600s", o.buf);
		same_net(&racy, &q);
		nsi_proc_net_free(&q);
	}
	nsi_proc_net_free(&p);
	CHECK(zeroed(&p, sizeof(p)));
	free(o.buf);
}

/* --- /proc/net/netnsight_all ---------------------------------------------- */

/*
 * kmod/proc_all.c: nsi_all_show().  @blocked: the newer format, with the
 * blocked_by column and the "blocked:" total; else the older one, which
 * has neither.
 */
static void print_all(struct out *o, const struct nsi_proc_all *p, bool blocked)
{
	size_t i;

	put(o, "%-10s %-20s %-8s %-12s %-5s %-5s %-7s %-7s %-10s %-16s%s\n",
	    "inode", "cookie", "seq", "age_ms", "devs", "refs",
	    "passive", "state", "dying_ms", "wait_dev", blocked ? " blocked_by" : "");
	for (i = 0; i < p->n; i++) {
		const struct nsi_proc_row *r = &p->rows[i];

		put(o, "%-10u %-20llu %-8llu %-12llu %-5u %-5u %-7u %-7s %-10llu %-16s",
		    r->inode, (unsigned long long)r->cookie,
		    (unsigned long long)r->seq, (unsigned long long)r->age_ms,
		    r->devs, r->refs, r->passive, r->state,
		    (unsigned long long)r->dying_ms, r->wait_dev);
		if (blocked && r->blocked_by)
			put(o, " %u", r->blocked_by);
		else if (blocked)
			put(o, " -");
		put(o, "\n");
	}
	put(o, "total: %zu alive: %zu dying: %zu stuck: %zu", p->total, p->alive,
	    p->dying, p->stuck);
	if (blocked)
		put(o, " blocked: %zu", p->blocked);
	put(o, "\n");
}

static bool known_state(const char *s)
{
	return !strcmp(s, "alive") || !strcmp(s, "dying") || !strcmp(s, "stuck") ||
	       !strcmp(s, "blocked");
}

/*
 * @p printed back in the newer format parses to @p; in the older one to
 * @p without what the older format cannot say (blocked_by, "blocked:").
 */
static void round_trip_all(const struct nsi_proc_all *p, bool blocked)
{
	struct nsi_proc_all q;
	struct out o = { 0 };
	size_t i;
	int r;

	print_all(&o, p, blocked);
	memset(&q, 0xa5, sizeof(q));
	r = nsi_proc_all_parse(o.buf, o.len, &q);
	CHECKF(r == 0, "printed back, it does not parse:\n%.600s", o.buf);
	CHECK(q.n == p->n && q.total == p->total && q.alive == p->alive &&
	      q.dying == p->dying && q.stuck == p->stuck);
	CHECK(q.blocked == (blocked ? p->blocked : 0));
	for (i = 0; i < p->n; i++) {
		const struct nsi_proc_row *a = &p->rows[i], *b = &q.rows[i];

		CHECK(a->inode == b->inode && a->cookie == b->cookie &&
		      a->seq == b->seq && a->age_ms == b->age_ms &&
		      a->devs == b->devs && a->refs == b->refs &&
		      a->passive == b->passive && a->dying_ms == b->dying_ms);
		CHECK(!strcmp(a->state, b->state) && !strcmp(a->wait_dev, b->wait_dev));
		CHECK(b->blocked_by == (blocked ? a->blocked_by : 0));
	}
	nsi_proc_all_free(&q);
	free(o.buf);
}

static void fuzz_all(const char *text, size_t len)
{
	struct nsi_proc_all p;
	size_t i;
	int r;

	memset(&p, 0xa5, sizeof(p));
	r = nsi_proc_all_parse(text, len, &p);
	if (r) {
		CHECKF(r == -EINVAL, "nsi_proc_all_parse returned %d", r);
		CHECK(zeroed(&p, sizeof(p)));
		return;
	}
	CHECKF(p.n == p.total, "%zu rows, total: %zu", p.n, p.total);
	CHECK((p.rows != NULL) || p.n == 0);
	for (i = 0; i < p.n; i++) {
		const struct nsi_proc_row *r = &p.rows[i];

		CHECK(r->inode != 0);
		CHECK(TERMINATED(r->state) && known_state(r->state));
		CHECK(word(r->wait_dev, sizeof(r->wait_dev)));
	}
	round_trip_all(&p, true);
	round_trip_all(&p, false);
	nsi_proc_all_free(&p);
	CHECK(zeroed(&p, sizeof(p)));
}

FUZZ_QUIET_INIT

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);

	CHECK(text);
	memcpy(text, data, size);
	fuzz_net(text, size);
	fuzz_all(text, size);
	free(text);
	return 0;
}
