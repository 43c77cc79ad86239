// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight exporter - one snapshot of every network namespace.
 *
 * Which namespaces: the module's /proc/net/netnsight_all when it is loaded
 * (every namespace on net_namespace_list, dying ones included, with their
 * state and the device a stuck teardown waits for); otherwise those /proc
 * shows us held by a task, an open nsfs file or a bind mount (holders.c,
 * as `netnsight ls` finds them).  For the first --max-namespaces of them,
 * by inode, we go inside (setns(), this thread only) and read what the
 * kernel keeps per namespace: sockstat, the device list, the conntrack
 * count.  Runs in the collector thread, never under the shared lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exporter.h"
#include "ctr_cache.h"
#include "holders.h"
#include "netns.h"
#include "procfs.h"
#include "show.h"
#include "trace.h"
#include "util.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71	/* Linux 5.14 */
#endif

/* --- device moves, counted from the tracer's events ------------------------ */
struct exp_move {
	uint64_t cookie;
	uint64_t in, out;
};

struct exp_moves {
	struct exp_move *v;
	size_t n, cap;
};

struct exp_moves *exp_moves_new(void)
{
	return calloc(1, sizeof(struct exp_moves));
}

void exp_moves_free(struct exp_moves *m)
{
	if (m)
		free(m->v);
	free(m);
}

static struct exp_move *move_find(const struct exp_moves *m, uint64_t cookie)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].cookie == cookie)
			return &m->v[i];
	return NULL;
}

static struct exp_move *move_get(struct exp_moves *m, uint64_t cookie)
{
	struct exp_move *v = move_find(m, cookie);

	if (v || !cookie)
		return v;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;

		v = realloc(m->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		m->v = v;
		m->cap = cap;
	}
	v = &m->v[m->n++];
	memset(v, 0, sizeof(*v));
	v->cookie = cookie;
	return v;
}

/* a move that __dev_change_net_namespace() completed: out of src, into dst */
void exp_moves_count(struct exp_moves *m, const struct nsi_event *e)
{
	struct exp_move *v;

	if (e->move.err)
		return;
	v = move_get(m, e->move.src.cookie);
	if (v)
		v->out++;
	v = move_get(m, e->move.dst.cookie);
	if (v)
		v->in++;
}

void exp_moves_forget(struct exp_moves *m, uint64_t cookie)
{
	struct exp_move *v = move_find(m, cookie);

	if (v)
		*v = m->v[--m->n];
}

/* --- what is read inside a namespace --------------------------------------- */
struct inside {
	struct exp_ns *ns;
	const char *net_dir;	/* this thread's /proc/.../net */
	bool conntrack;		/* nf_conntrack is loaded: its count to read */
};

static void read_sockstat(int dfd, const char *name, struct show_sockstat *st)
{
	size_t len;
	char *text = read_file_at(dfd, name, &len);

	if (!text)
		return;	/* sockstat6: no IPv6 */
	show_parse_sockstat(text, len, st);
	free(text);
}

/* /proc/net/dev: two header lines, then one per device (dev_seq_show()) */
static int count_devices(int dfd, unsigned int *n)
{
	size_t len, i, lines = 0;
	char *text = read_file_at(dfd, "dev", &len);

	if (!text)
		return -1;
	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	free(text);
	*n = lines >= 2 ? (unsigned int)(lines - 2) : 0;
	return 0;
}

static void read_conntrack(struct exp_ns *ns)
{
	char *text = read_file("/proc/sys/net/netfilter/nf_conntrack_count", NULL);

	if (text)
		text[strcspn(text, "\n")] = '\0';
	if (text && !parse_u64(text, &ns->conntrack))
		ns->has_conntrack = true;
	free(text);
}

/*
 * Runs inside the namespace.  /proc/thread-self/net is this thread's
 * namespace (proc_net's get_proc_task_net()) -- /proc/self/net too, a
 * shorter walk, in the main thread -- looked up once and its files opened
 * from it; /proc/sys/net is the one of the task that opens it
 * (net_ctl_header_lookup() uses current's nsproxy).  sockstat first: the
 * socket we open for the cookie would count in it.
 */
static int read_inside(void *arg)
{
	struct inside *in = arg;
	struct exp_ns *ns = in->ns;
	struct show_sockstat st;
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);
	unsigned int i;
	int sk, dfd;

	dfd = open(in->net_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	memset(&st, 0, sizeof(st));
	read_sockstat(dfd, "sockstat", &st);
	read_sockstat(dfd, "sockstat6", &st);
	for (i = 0; i < st.n && ns->nprotos < EXP_MAX_PROTOS; i++, ns->nprotos++) {
		copy_str(ns->proto[ns->nprotos].name, st.proto[i].name,
			 sizeof(ns->proto[0].name));
		ns->proto[ns->nprotos].inuse = st.proto[i].inuse;
	}
	if (!ns->has_devices && !count_devices(dfd, &ns->devices))
		ns->has_devices = true;
	close(dfd);
	/* the file exists only while nf_conntrack is loaded */
	if (in->conntrack)
		read_conntrack(ns);
	if (!ns->cookie) {
		sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (sk >= 0 && !getsockopt(sk, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len))
			ns->cookie = cookie;
		if (sk >= 0)
			close(sk);
	}
	return 0;
}

/* --- the namespace list ---------------------------------------------------- */
static int ns_cmp(const void *a, const void *b)
{
	const struct exp_ns *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static void from_row(struct exp_ns *ns, const struct nsi_proc_row *r)
{
	ns->ino = r->inode;
	ns->cookie = r->cookie;
	copy_str(ns->state, r->state, sizeof(ns->state));
	ns->has_age = true;
	ns->age_ms = r->age_ms;
	ns->has_devices = true;
	ns->devices = r->devs;
	ns->stuck = !strcmp(r->state, "stuck");
	ns->dying_ms = r->dying_ms;
	if (strcmp(r->wait_dev, "-"))
		copy_str(ns->wait_dev, r->wait_dev, sizeof(ns->wait_dev));
}

static size_t *state_count(struct exp_snap *s, const char *state);

/*
 * Every namespace we can know of, unsorted: the module's rows (@all read),
 * else those @scan found held.
 */
static int list_namespaces(struct exp_snap *s, const struct nsi_proc_all *all,
			   const struct ns_scan *scan)
{
	size_t i, n, *cnt;

	n = s->module_loaded ? all->n : scan->n;
	s->ns = calloc(n ? n : 1, sizeof(*s->ns));
	if (!s->ns)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (s->module_loaded) {
			from_row(&s->ns[i], &all->rows[i]);
		} else {
			s->ns[i].ino = scan->v[i].ino;
			copy_str(s->ns[i].state, "alive", sizeof(s->ns[i].state));
		}
		cnt = state_count(s, s->ns[i].state);
		if (cnt)
			(*cnt)++;
	}
	s->n = n;
	return 0;
}

/* The holders of every namespace, those the module lists taken as known. */
static int scan_holders(struct ns_scan *scan, const struct nsi_proc_all *all, bool module)
{
	uint32_t *known = NULL;
	size_t i, n = module ? all->n : 0;
	int err;

	if (n) {
		known = malloc(n * sizeof(*known));
		if (!known)
			return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		known[i] = all->rows[i].inode;
	err = holders_scan_known(scan, known, n);
	free(known);
	return err;
}

static void name_of(struct exp_ns *ns)
{
	char buf[1024];
	const char *last;

	netns_names_at(ns->ino, ns->cookie, buf, sizeof(buf), boottime_ns());
	/* a deleted (dying, stuck) namespace keeps the name it had for us */
	if (!buf[0] && ns->cookie && (last = netns_last_name(ns->cookie)))
		copy_str(buf, last, sizeof(buf));
	ns->name = strdup(buf);
}

/*
 * Its container, from its holders (docs/holders.md): judged once per
 * namespace and kept for its life in the collector's cache, while it waits
 * (a container starts after its namespace) at most CTR_CACHE_WAIT_NS.
 * @gen marks the namespaces of this collection; the others are forgotten.
 */
static struct ctr_cache containers;

static void container_of_ns(struct exp_ns *ns, const struct ns_holders *h, uint64_t gen,
			    uint64_t now)
{
	struct ctr_cache_entry *e;
	struct ctr_info c;

	if (!ctr_runtimes_present(now))
		return;
	e = ctr_cache_get(&containers, ns->cookie, ns->ino, now, NULL);
	if (!e)
		return;
	e->mark = gen;
	/* a new holder may be its container, started late */
	if (h && h->nprocs + h->nsocks != e->holders)
		ctr_cache_rewait(&containers, e, now);
	e->holders = h ? h->nprocs + h->nsocks : 0;
	if (e->state == CTR_WAITING && h && !ctr_of_holders(h, &c))
		ctr_cache_set(&containers, e, &c);
	else if (e->state == CTR_WAITING && now - e->first_seen > CTR_CACHE_WAIT_NS)
		ctr_cache_set(&containers, e, NULL);
	if (e->state == CTR_KNOWN) {
		ns->ctr = malloc(sizeof(*ns->ctr));
		if (ns->ctr)
			*ns->ctr = *e->info;
	}
}

/* What we know of @ns: inside it (coming back to @self), its name, moves. */
static void fill_one(struct exp_ns *ns, const struct ns_scan *scan, int self,
		     const struct inside *how, const struct exp_moves *moves, uint64_t gen)
{
	const struct ns_holders *h = holders_find(scan, ns->ino);
	struct inside in = *how;
	const struct exp_move *m;
	int fd = h && self >= 0 ? holders_open(h, NULL, 0) : -1;

	in.ns = ns;
	if (fd >= 0) {
		netns_run_in_from(self, fd, read_inside, &in);
		close(fd);
	}
	name_of(ns);
	container_of_ns(ns, h, gen, boottime_ns());
	m = ns->cookie ? move_find(moves, ns->cookie) : NULL;
	if (m) {
		ns->moved_in = m->in;
		ns->moved_out = m->out;
	}
	ns->labels = exp_ns_labels(ns);	/* NULL: rendered label by label */
}

/* Inside every namespace the cap keeps (this thread, coming back each time). */
static void fill_all(struct exp_snap *s, const struct ns_scan *scan,
		     const struct exp_moves *moves)
{
	struct inside how = {
		.net_dir = gettid() == getpid() ? "/proc/self/net" : "/proc/thread-self/net",
		/* nf_conntrack loaded: its sysctl is in every namespace, ours too */
		.conntrack = !access("/proc/sys/net/netfilter/nf_conntrack_count", F_OK),
	};
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	static uint64_t gen;
	size_t i;

	gen++;
	for (i = 0; i < s->n; i++)
		fill_one(&s->ns[i], scan, self, &how, moves, gen);
	ctr_cache_sweep(&containers, gen);	/* gone, or left out by the cap */
	if (self >= 0)
		close(self);
}

/* --- fib counters ------------------------------------------------------------ */
static void add_fib(void *ctx, const struct nsi_fib_key *k, uint64_t total)
{
	struct exp_snap *s = ctx;
	struct exp_fib_row *v;

	if (k->table == TRACE_FIB_OVERFLOW_TABLE) {
		s->fib_overflow_set = true;
		s->fib_overflow = total;
		return;
	}
	v = realloc(s->fib, (s->nfib + 1) * sizeof(*v));
	if (!v)
		return;
	s->fib = v;
	s->fib[s->nfib].key = *k;
	s->fib[s->nfib++].total = total;
}

struct exp_snap *exp_collect(struct trace_session *ts, const struct exp_opts *o,
			     const struct exp_moves *moves)
{
	uint64_t start = monotonic_ns();
	struct nsi_proc_all all;
	struct trace_totals t;
	struct ns_scan scan;
	struct exp_snap *s;
	int slots_fd, counts_fd;

	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	memset(&scan, 0, sizeof(scan));
	memset(&all, 0, sizeof(all));
	s->module_loaded = !nsi_proc_all_read(&all);
	if (scan_holders(&scan, &all, s->module_loaded) || list_namespaces(s, &all, &scan)) {
		nsi_proc_all_free(&all);
		holders_free(&scan);
		exp_snap_free(s);
		return NULL;
	}
	nsi_proc_all_free(&all);
	qsort(s->ns, s->n, sizeof(*s->ns), ns_cmp);
	if (s->n > o->max_ns) {
		s->left_out = s->n - o->max_ns;
		s->n = o->max_ns;
	}
	fill_all(s, &scan, moves);
	holders_free(&scan);
	trace_session_summary_maps(ts, &slots_fd, &counts_fd);
	trace_fib_counts(slots_fd, counts_fd, add_fib, s);
	trace_session_totals(ts, &t);
	s->lost_ringbuf = t.lost;
	s->lost_recursion = t.recursion_misses;
	s->collect_seconds = (double)(monotonic_ns() - start) / 1e9;
	return s;
}

void exp_snap_free(struct exp_snap *s)
{
	size_t i;

	if (!s)
		return;
	/* names of the left-out tail were never set: calloc()ed NULL */
	for (i = 0; i < s->n + s->left_out; i++) {
		free(s->ns[i].name);
		free(s->ns[i].labels);
		free(s->ns[i].ctr);
	}
	free(s->ns);
	free(s->fib);
	free(s);
}

static size_t *state_count(struct exp_snap *s, const char *state)
{
	return !strcmp(state, "alive") ? &s->n_alive : !strcmp(state, "dying") ? &s->n_dying :
	       !strcmp(state, "stuck") ? &s->n_stuck : !strcmp(state, "blocked") ? &s->n_blocked :
	       NULL;
}

/*
 * Its destroy event says the namespace is gone: its series go from the
 * next scrape, not after the next collection.  The cookie is known for
 * every namespace we filled (module rows, or SO_NETNS_COOKIE inside);
 * the left-out tail has module cookies only.
 */
void exp_snap_forget(struct exp_snap *s, uint64_t cookie)
{
	size_t i, total = s->n + s->left_out, *cnt;

	for (i = 0; i < total; i++) {
		if (s->ns[i].cookie != cookie)
			continue;
		cnt = state_count(s, s->ns[i].state);
		if (cnt && *cnt)
			(*cnt)--;
		free(s->ns[i].name);
		free(s->ns[i].labels);
		free(s->ns[i].ctr);
		memmove(&s->ns[i], &s->ns[i + 1], (total - i - 1) * sizeof(*s->ns));
		s->ns[total - 1].name = NULL;
		s->ns[total - 1].labels = NULL;
		s->ns[total - 1].ctr = NULL;
		if (i < s->n)
			s->n--;
		else
			s->left_out--;
		return;
	}
}
