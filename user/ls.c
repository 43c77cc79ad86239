// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight ls - every network namespace on the host, who holds it, and
 * which ones nothing visible holds.
 *
 * A namespace stays alive while something holds a reference on it
 * (net->ns.count, see get_net()/put_net() in include/net/net_namespace.h):
 * a task's nsproxy, an open nsfs file, a bind mount of one (ip netns add),
 * or a kernel object -- a socket (sk_net_refcnt), a device being torn down,
 * a timer.  /proc shows the first three (holders.c), and sockets are
 * traced to their namespace one by one (sockholders.c).  The module's
 * /proc/net/netnsight_all lists every namespace the kernel has; those it
 * lists and nothing names (no task, nsfs fd or mount) are the orphans, the
 * usual shape of a leak: HOLDERS then says which sockets pin it, or that
 * the kernel alone does, with the module's view of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>

#include "commands.h"
#include "containers.h"
#include "holders.h"
#include "ls.h"
#include "netns.h"
#include "nl.h"
#include "procfs.h"
#include "sbuf.h"
#include "show.h"
#include "util.h"

struct ls_opts {
	bool json;
	const char *container;		/* --container: name, id prefix or pod */
};

static void ls_usage(FILE *f)
{
	fprintf(f,
"Usage: netnsight ls [--json] [--container NAME|ID]\n"
"List every network namespace: names, nsid, container and pod, processes,\n"
"holders (sockets included), devices, age and teardown state.  With the\n"
"netnsight module loaded, namespaces that no process, fd or mount names are\n"
"listed too, flagged as orphans.\n"
"\n"
"      --container X  only the namespaces of container X: its name, a prefix\n"
"                     of its id, or its pod's NAME or NAMESPACE/NAME\n");
}

static int ls_parse(int argc, char **argv, struct ls_opts *o)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "container", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	memset(o, 0, sizeof(*o));
	GETOPT_RESET();
	while ((c = getopt_long(argc, argv, ":jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'C':
			if (!*optarg) {
				errmsg("--container needs a name or id");
				return -1;
			}
			o->container = optarg;
			break;
		case ':':
			errmsg("option '%s' needs an argument (see 'netnsight ls --help')",
			       argv[optind - 1]);
			return -1;
		case 'h':
			ls_usage(stdout);
			return 1;
		default:
			errmsg("unknown option '%s' (see 'netnsight ls --help')",
			       argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		errmsg("unexpected argument '%s' (see 'netnsight ls --help')", argv[optind]);
		return -1;
	}
	return 0;
}

/* Devices of the namespace we are in: lines of its /proc/net/dev. */
static int count_devices_here(void *arg)
{
	int *n = arg;
	char *text, *p;

	text = read_file("/proc/thread-self/net/dev", NULL);
	if (!text)
		return -errno;
	for (*n = -2, p = text; *p; p++)	/* two header lines */
		*n += *p == '\n';
	free(text);
	return 0;
}

/* Devices of a namespace, without the module. */
static int count_devices(int fd)
{
	int n = -1;

	return netns_run_in(fd, count_devices_here, &n) ? -1 : n;
}

static int by_seq_then_inode(const void *a, const void *b)
{
	const struct ls_entry *x = a, *y = b;
	uint64_t sx = x->row ? x->row->seq : UINT64_MAX;
	uint64_t sy = y->row ? y->row->seq : UINT64_MAX;

	if (sx != sy)
		return sx < sy ? -1 : 1;
	return x->h->ino < y->h->ino ? -1 : x->h->ino > y->h->ino;
}

static void fmt_age(char *buf, size_t size, uint64_t ms)
{
	uint64_t s = ms / 1000;

	if (s < 60)
		snprintf(buf, size, "%llu.%llus", (unsigned long long)s,
			 (unsigned long long)(ms % 1000) / 100);
	else if (s < 3600)
		snprintf(buf, size, "%llum%llus", (unsigned long long)s / 60,
			 (unsigned long long)s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%lluh%llum", (unsigned long long)s / 3600,
			 (unsigned long long)(s / 60) % 60);
	else
		snprintf(buf, size, "%llud%lluh", (unsigned long long)s / 86400,
			 (unsigned long long)(s / 3600) % 24);
}

static const char *entry_state(const struct ls_entry *e)
{
	if (!e->row)
		return "-";
	if (e->orphan)
		return "orphan";
	return e->row->state;
}

/* "sleep/123,ip/45+3" -- a few examples and how many more */
static void fmt_procs(char *buf, size_t size, const struct ns_holders *h)
{
	struct sbuf sb;
	unsigned int i;

	sb_init(&sb, buf, size);
	for (i = 0; i < h->nprocs && i < 2; i++) {
		if (i)
			sb_putc(&sb, ',');
		sb_puts(&sb, h->procs[i].comm);
		sb_putc(&sb, '/');
		sb_i64(&sb, h->procs[i].pid);
	}
	if (h->nprocs > 2) {
		sb_putc(&sb, '+');
		sb_u64(&sb, h->nprocs - 2);
	}
	if (!h->nprocs)
		sb_putc(&sb, '-');
}

/* "socket:COMM/PID fd N (PROTO)" and how many more */
static void fmt_sockets(struct sbuf *sb, const struct ns_holders *h)
{
	const struct ns_sock *k = &h->socks[0];

	SB_LIT(sb, "socket:");
	sb_puts(sb, k->comm);
	sb_putc(sb, '/');
	sb_i64(sb, k->pid);
	SB_LIT(sb, " fd ");
	sb_i64(sb, k->fd);
	SB_LIT(sb, " (");
	sb_puts(sb, k->proto);
	sb_putc(sb, ')');
	if (h->nsocks > 1) {
		SB_LIT(sb, " +");
		sb_u64(sb, h->nsocks - 1);
	}
}

/*
 * An orphan no socket holds: a kernel object does -- a device waiting to
 * be freed, a timer, a module's get_net().  What the module counts beside.
 */
static void fmt_kernel_only(struct sbuf *sb, const struct ls_entry *e,
			    const struct ns_scan *scan)
{
	SB_LIT(sb, "kernel only (devs ");
	sb_u64(sb, e->row->devs);
	SB_LIT(sb, ", refs ");
	sb_u64(sb, e->row->refs);
	if (scan->sock_unknown) {
		SB_LIT(sb, "; ");
		sb_u64(sb, scan->sock_unknown);
		SB_LIT(sb, " sockets unreadable");
	}
	sb_putc(sb, ')');
}

/* What keeps the namespace when no mount or fd names it. */
static void holder_guess(struct sbuf *sb, const struct ls_entry *e,
			 const struct ns_scan *scan)
{
	if (e->h->nprocs)
		SB_LIT(sb, "processes");
	else if (e->orphan && e->h->nsocks)
		fmt_sockets(sb, e->h);
	else if (e->orphan)
		fmt_kernel_only(sb, e, scan);
	else if (e->row && strcmp(e->row->state, "alive"))
		SB_LIT(sb, "teardown");
	else if (e->h->nsocks)
		fmt_sockets(sb, e->h);
	else
		sb_putc(sb, '-');
}

static void fmt_holders(char *buf, size_t size, const struct ls_entry *e,
			const struct ns_scan *scan)
{
	const struct ns_holders *h = e->h;
	struct sbuf sb;

	sb_init(&sb, buf, size);
	if (h->nmounts) {
		SB_LIT(&sb, "mount:");
		sb_puts(&sb, h->mounts[0].path);
		if (h->nmounts > 1)
			sb_putc(&sb, '+');
	}
	if (h->nfds) {
		if (sb.len)
			sb_putc(&sb, ' ');
		SB_LIT(&sb, "fd:");
		sb_i64(&sb, h->fds[0].pid);
		sb_putc(&sb, '/');
		sb_i64(&sb, h->fds[0].fd);
		if (h->nfds > 1)
			sb_putc(&sb, '+');
	}
	if (h->nmounts || h->nfds)
		return;
	if (e->row && e->row->blocked_by) {
		/* in the cleanup_net() batch of a stuck one: it ends when that does */
		SB_LIT(&sb, "waits behind net:[");
		sb_u64(&sb, e->row->blocked_by);
		sb_putc(&sb, ']');
	} else {
		holder_guess(&sb, e, scan);
	}
}

/* "NAMESPACE/NAME UID" of a Kubernetes pod, "-" if none */
static void fmt_pod(char *buf, size_t size, const struct ctr_info *c)
{
	if (!c->pod_name[0] && !c->pod_uid[0])
		copy_str(buf, "-", size);
	else
		snprintf(buf, size, "%s/%s %s", c->pod_namespace[0] ? c->pod_namespace : "?",
			 c->pod_name[0] ? c->pod_name : "?", c->pod_uid[0] ? c->pod_uid : "?");
}

/* CONTAINER and POD are as wide as their widest; POD only if a pod is seen */
static void container_widths(const struct ls_entry *v, size_t n, int *cw, int *pw)
{
	char buf[3 * CTR_NAME_LEN];
	size_t i;

	*cw = sizeof("CONTAINER") - 1;
	*pw = 0;
	for (i = 0; i < n; i++) {
		ctr_short(&v[i].ctr, buf, sizeof(buf));
		if ((int)strlen(buf) > *cw)
			*cw = (int)strlen(buf);
		fmt_pod(buf, sizeof(buf), &v[i].ctr);
		if (strcmp(buf, "-") && (int)strlen(buf) > *pw)
			*pw = (int)strlen(buf);
	}
}

static void print_row(const struct ls_entry *e, const struct ns_scan *scan, int cw, int pw,
		      FILE *f)
{
	char names[128], nsid[16], devs[16], age[32], procs[64], holders[300];
	char ctr[3 * CTR_NAME_LEN], pod[3 * CTR_NAME_LEN];

	netns_names(e->h->ino, names, sizeof(names));
	if (e->nsid >= 0)
		snprintf(nsid, sizeof(nsid), "%d", e->nsid);
	else
		snprintf(nsid, sizeof(nsid), "-");
	if (e->devices >= 0)
		snprintf(devs, sizeof(devs), "%d", e->devices);
	else
		snprintf(devs, sizeof(devs), "?");
	if (e->row)
		fmt_age(age, sizeof(age), e->row->age_ms);
	else
		snprintf(age, sizeof(age), "?");
	fmt_procs(procs, sizeof(procs), e->h);
	fmt_holders(holders, sizeof(holders), e, scan);
	ctr_short(&e->ctr, ctr, sizeof(ctr));
	fmt_pod(pod, sizeof(pod), &e->ctr);
	fprintf(f, "%-10u %-14s %-*s ", e->h->ino, names[0] ? names : "-", cw, ctr);
	if (pw)
		fprintf(f, "%-*s ", pw, pod);
	fprintf(f, "%-5s %-5u %-24s %-5s %-9s %-7s %s\n", nsid, e->h->nprocs, procs, devs,
		age, entry_state(e), holders);
}

static void print_human(struct ls_entry *v, size_t n, bool module,
			const struct ns_scan *scan, FILE *f)
{
	int cw, pw;
	size_t i;

	container_widths(v, n, &cw, &pw);
	fprintf(f, "%-10s %-14s %-*s ", "INODE", "NAME", cw, "CONTAINER");
	if (pw)
		fprintf(f, "%-*s ", pw, "POD");
	fprintf(f, "%-5s %-5s %-24s %-5s %-9s %-7s %s\n", "NSID", "PROCS", "PROCESSES",
		"DEVS", "AGE", "STATE", "HOLDERS");
	for (i = 0; i < n; i++)
		print_row(&v[i], scan, cw, pw, f);
	if (!module)
		fprintf(f, "(netnsight.ko is not loaded: namespaces held only by the kernel, "
			"ages and teardown states are not visible)\n");
}

/*
 * The container of each namespace; with --container, only its rows stay
 * (moved to the front, @n updated).  0, or -1 if none matches.
 */
static int identify_entries(struct ls_entry *v, size_t *n, const char *want)
{
	size_t i, kept = 0;
	struct ls_entry t;

	for (i = 0; i < *n; i++) {
		ctr_of_holders(v[i].h, &v[i].ctr);
		if (want && !ctr_matches(&v[i].ctr, want))
			continue;
		t = v[kept];
		v[kept++] = v[i];
		v[i] = t;
	}
	if (!want)
		return 0;
	*n = kept;
	return kept ? 0 : -1;
}

/* Facts that need the namespace itself: its nsid, and devices sans module. */
static void probe_entries(struct ls_entry *v, size_t n)
{
	struct nl_sock nl;
	bool have_nl = !nl_open(&nl, NETLINK_ROUTE, -1);
	int32_t nsid;
	size_t i;
	int fd;

	for (i = 0; i < n; i++) {
		v[i].nsid = -2;
		v[i].devices = v[i].row ? (int)v[i].row->devs : -1;
		if (!v[i].h->nprocs && !v[i].h->nfds && !v[i].h->nmounts &&
		    !v[i].h->nsocks)
			continue;
		fd = holders_open(v[i].h, NULL, 0);
		if (fd < 0)
			continue;
		if (have_nl && !nl_query_nsid(&nl, fd, &nsid))
			v[i].nsid = nsid;
		if (v[i].devices < 0)
			v[i].devices = count_devices(fd);
		close(fd);
	}
	if (have_nl)
		nl_close(&nl);
}

int cmd_ls(int argc, char **argv)
{
	struct nsi_proc_all all = {};
	struct ls_entry *v = NULL;
	struct ls_opts o;
	struct ns_scan scan;
	bool module;
	size_t i, n;
	int err;

	prog_name = "netnsight ls";
	err = ls_parse(argc, argv, &o);
	if (err)
		return err > 0 ? 0 : EXIT_USAGE;
	/* Other processes' namespaces and fds are visible only with these. */
	if (!cap_effective(CAP_SYS_PTRACE) || !cap_effective(CAP_SYS_ADMIN)) {
		errmsg("listing every namespace needs root (CAP_SYS_PTRACE and CAP_SYS_ADMIN)");
		return EXIT_FAILURE;
	}
	if (holders_scan(&scan)) {
		errmsg("cannot read /proc: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	err = nsi_proc_all_read(&all);
	module = !err;
	if (err && err != -ENOENT)
		warnmsg("cannot read %s: %s; listing from /proc alone", NSI_PROC_ALL_PATH,
			strerror(-err));
	/* The module's rows add the namespaces /proc cannot see. */
	for (i = 0; i < all.n; i++)
		if (!holders_add(&scan, all.rows[i].inode))
			break;
	v = calloc(scan.n ? scan.n : 1, sizeof(*v));
	if (!v) {
		err = EXIT_FAILURE;
		goto out;
	}
	for (i = 0; i < scan.n; i++)
		v[i].h = &scan.v[i];
	for (i = 0; i < all.n; i++) {
		struct ns_holders *h = holders_find(&scan, all.rows[i].inode);

		if (h)
			v[h - scan.v].row = &all.rows[i];
	}
	for (i = 0; i < scan.n; i++)
		v[i].orphan = v[i].row && !strcmp(v[i].row->state, "alive") &&
			      !v[i].h->nprocs && !v[i].h->nfds && !v[i].h->nmounts;
	n = scan.n;
	if (identify_entries(v, &n, o.container)) {
		errmsg("no namespace of container '%s' (a name, an id prefix, or a pod's "
		       "NAME or NAMESPACE/NAME)", o.container);
		err = EXIT_USAGE;
		goto out;
	}
	probe_entries(v, n);
	qsort(v, n, sizeof(*v), by_seq_then_inode);
	nsi_proc_all_warn_stuck(&all);
	if (o.json)
		ls_print_json(v, n, module, &scan, stdout);
	else
		print_human(v, n, module, &scan, stdout);
	err = 0;
out:
	free(v);
	nsi_proc_all_free(&all);
	holders_free(&scan);
	return err;
}
