// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight exporter - the snapshot and the event counters as one
 * exposition.  Every family and label is in docs/metrics.md, with where
 * in the kernel its value comes from.  Called with the shared lock held:
 * only memory is read here, nothing waits on the kernel.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "containers.h"
#include "expo.h"
#include "exporter.h"
#include "rtnames.h"
#include "trace.h"
#include "util.h"

#ifndef NETNSIGHT_VERSION
#define NETNSIGHT_VERSION "dev"
#endif

/* copy_net_ns(): setup_net() runs every pernet init, microseconds to ms */
const double exp_create_bounds[EXP_CREATE_BUCKETS] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5,
};

/* cleanup_net(): RCU grace periods, device unregistration; seconds when stuck */
const double exp_teardown_bounds[EXP_TEARDOWN_BUCKETS] = {
	0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60, 300,
};

void exp_observe(uint64_t *hist, const double *bounds, size_t nb, double v)
{
	size_t i = 0;

	while (i < nb && v > bounds[i])
		i++;
	hist[i]++;
}

/* the labels every per-namespace series carries, then @extra more */
#define NS_LABELS	3
struct ns_labels {
	char ino[16], cookie[24];
	struct expo_label l[NS_LABELS + 6];	/* + a container's labels, at most */
};

static void ns_labels(struct ns_labels *nl, const struct exp_ns *ns)
{
	snprintf(nl->ino, sizeof(nl->ino), "%" PRIu32, ns->ino);
	snprintf(nl->cookie, sizeof(nl->cookie), "%" PRIu64, ns->cookie);
	nl->l[0] = (struct expo_label){ "netns", nl->ino };
	nl->l[1] = (struct expo_label){ "cookie", ns->cookie ? nl->cookie : "" };
	nl->l[2] = (struct expo_label){ "name", ns->name ? ns->name : "" };
}

char *exp_ns_labels(const struct exp_ns *ns)
{
	struct ns_labels nl;

	ns_labels(&nl, ns);
	return expo_labels_text(nl.l, NS_LABELS);
}

/* One sample of namespace @ns: its labels, then @nx @extra ones. */
static void ns_sample(struct expo *e, const char *name, const struct exp_ns *ns,
		      const struct expo_label *extra, size_t nx, double v)
{
	struct ns_labels nl;

	if (ns->labels) {
		expo_sample_pre(e, name, ns->labels, extra, nx, v);
		return;
	}
	ns_labels(&nl, ns);	/* no memory for its text: labels one by one */
	if (nx)			/* @extra may be NULL then */
		memcpy(nl.l + NS_LABELS, extra, nx * sizeof(*extra));
	expo_sample(e, name, NULL, nl.l, NS_LABELS + nx, v);
}

static void ns_sample_u64(struct expo *e, const char *name, const struct exp_ns *ns,
			  const struct expo_label *extra, size_t nx, uint64_t v)
{
	struct ns_labels nl;

	if (ns->labels) {
		expo_sample_pre_u64(e, name, ns->labels, extra, nx, v);
		return;
	}
	ns_labels(&nl, ns);
	if (nx)
		memcpy(nl.l + NS_LABELS, extra, nx * sizeof(*extra));
	expo_sample_u64(e, name, NULL, nl.l, NS_LABELS + nx, v);
}

static void gauge(struct expo *e, const char *name, const char *help, double v)
{
	expo_family(e, name, "gauge", help);
	expo_sample(e, name, NULL, NULL, 0, v);
}

static void counter(struct expo *e, const char *name, const char *help, uint64_t v)
{
	expo_family(e, name, "counter", help);
	expo_sample_u64(e, name, NULL, NULL, 0, v);
}

static void render_global(struct exp_shared *sh, struct expo *e)
{
	const struct exp_snap *s = sh->snap;
	const struct exp_counters *c = &sh->c;
	static const char *const states[] = { "alive", "dying", "stuck", "blocked" };
	const size_t counts[] = { s->n_alive, s->n_dying, s->n_stuck, s->n_blocked };
	struct expo_label l[2];
	size_t i;

	expo_family(e, "netnsight_build_info", "gauge",
		    "netnsight's version and the running kernel's release; always 1");
	l[0] = (struct expo_label){ "version", NETNSIGHT_VERSION };
	l[1] = (struct expo_label){ "kernel", sh->kernel };
	expo_sample(e, "netnsight_build_info", NULL, l, 2, 1);
	gauge(e, "netnsight_module_loaded",
	      "1 if netnsight.ko is loaded (namespaces from /proc/net/netnsight_all), "
	      "0 if only what /proc shows is seen", s->module_loaded);
	expo_family(e, "netnsight_namespaces", "gauge",
		    "Network namespaces by state (without the module: alive only, those "
		    "held by a task, an nsfs fd or a mount)");
	for (i = 0; i < ARRAY_SIZE(states); i++) {
		if (!s->module_loaded && i)
			break;
		l[0] = (struct expo_label){ "state", states[i] };
		expo_sample_u64(e, "netnsight_namespaces", NULL, l, 1, counts[i]);
	}
	counter(e, "netnsight_namespaces_created_total",
		"Namespaces copy_net_ns() created since the exporter started", c->created);
	counter(e, "netnsight_namespaces_destroyed_total",
		"Namespaces cleanup_net() finished tearing down since the exporter started",
		c->destroyed);
	expo_family(e, "netnsight_namespace_create_seconds", "histogram",
		    "Time copy_net_ns() took, entry to return, for each namespace it created");
	expo_histogram(e, "netnsight_namespace_create_seconds", NULL, 0, exp_create_bounds,
		       c->create_hist, EXP_CREATE_BUCKETS, c->create_sum);
	expo_family(e, "netnsight_namespace_teardown_seconds", "histogram",
		    "Time cleanup_net() spent on each namespace, from its start to the "
		    "namespace's last pernet exit");
	expo_histogram(e, "netnsight_namespace_teardown_seconds", NULL, 0, exp_teardown_bounds,
		       c->teardown_hist, EXP_TEARDOWN_BUCKETS, c->teardown_sum);
	expo_family(e, "netnsight_events_lost_total", "counter",
		    "Tracer events lost: ring buffer full (ringbuf), or a program run the "
		    "kernel skipped (recursion: bpf_prog_info.recursion_misses)");
	l[0] = (struct expo_label){ "reason", "ringbuf" };
	expo_sample_u64(e, "netnsight_events_lost_total", NULL, l, 1, s->lost_ringbuf);
	l[0] = (struct expo_label){ "reason", "recursion" };
	expo_sample_u64(e, "netnsight_events_lost_total", NULL, l, 1, s->lost_recursion);
	counter(e, "netnsight_namespace_series_dropped_total",
		"Namespaces whose per-namespace series --max-namespaces left out, summed "
		"over scrapes", c->series_dropped);
	gauge(e, "netnsight_collect_duration_seconds",
	      "How long the last collection of the namespaces took", s->collect_seconds);
}

/* One family, one sample per namespace of @pick's value (skipped if false). */
typedef bool (*ns_value_fn)(const struct exp_ns *ns, double *v);

static void per_ns(struct expo *e, const struct exp_snap *s, const char *name,
		   const char *type, const char *help, ns_value_fn pick)
{
	bool announced = false;
	size_t i;
	double v;

	for (i = 0; i < s->n; i++) {
		if (!pick(&s->ns[i], &v))
			continue;
		if (!announced)
			expo_family(e, name, type, help);
		announced = true;
		ns_sample(e, name, &s->ns[i], NULL, 0, v);
	}
}

/*
 * The info series carries the descriptive labels: a container's, where the
 * namespace is one's (join on netns with group_left; docs/metrics.md).
 */
static void add_label(struct expo_label *x, size_t *n, const char *label, const char *v)
{
	if (v[0])
		x[(*n)++] = (struct expo_label){ label, v };
}

static size_t ctr_labels(const struct ctr_info *c, struct expo_label *x)
{
	size_t n = 0;

	if (!c)
		return 0;
	add_label(x, &n, "container_runtime", c->runtime);
	add_label(x, &n, "container_id", c->id);
	add_label(x, &n, "container", c->name);
	add_label(x, &n, "pod", c->pod_name);
	add_label(x, &n, "pod_namespace", c->pod_namespace);
	add_label(x, &n, "pod_uid", c->pod_uid);
	return n;
}

static void render_info(struct expo *e, const struct exp_snap *s)
{
	const char *name = "netnsight_namespace_info";
	struct expo_label x[6];
	size_t i, nx;

	if (!s->n)
		return;
	expo_family(e, name, "gauge",
		    "One per namespace, 1: its inode (netns), net_cookie (cookie), `ip netns` "
		    "names (name) and, for a container's, container_runtime, container_id, "
		    "container, pod, pod_namespace, pod_uid");
	for (i = 0; i < s->n; i++) {
		nx = ctr_labels(s->ns[i].ctr, x);
		ns_sample(e, name, &s->ns[i], nx ? x : NULL, nx, 1);
	}
}

/* ages in ms, written as seconds without a double on the way */
static void render_age(struct expo *e, const struct exp_snap *s)
{
	const char *name = "netnsight_namespace_age_seconds";
	struct ns_labels nl;
	bool announced = false;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct exp_ns *ns = &s->ns[i];

		if (!ns->has_age)
			continue;
		if (!announced)
			expo_family(e, name, "gauge",
				    "Time since the namespace was created (the module's age_ms)");
		announced = true;
		if (ns->labels) {
			expo_sample_pre_milli(e, name, ns->labels, NULL, 0, ns->age_ms);
			continue;
		}
		ns_labels(&nl, ns);
		expo_sample(e, name, NULL, nl.l, NS_LABELS, (double)ns->age_ms / 1000);
	}
}

static bool pick_devices(const struct exp_ns *ns, double *v)
{
	*v = ns->devices;
	return ns->has_devices;
}

static bool pick_conntrack(const struct exp_ns *ns, double *v)
{
	*v = (double)ns->conntrack;
	return ns->has_conntrack;
}

static void render_sockets(struct expo *e, const struct exp_snap *s)
{
	struct expo_label l;
	size_t i, j;

	expo_family(e, "netnsight_namespace_sockets", "gauge",
		    "Sockets in use in the namespace by protocol, from its own "
		    "/proc/net/sockstat and sockstat6 (sock_prot_inuse_get())");
	for (i = 0; i < s->n; i++) {
		for (j = 0; j < s->ns[i].nprotos; j++) {
			l = (struct expo_label){ "proto", s->ns[i].proto[j].name };
			ns_sample_u64(e, "netnsight_namespace_sockets", &s->ns[i], &l, 1,
				      s->ns[i].proto[j].inuse);
		}
	}
}

static void render_stuck_moves(struct expo *e, const struct exp_snap *s)
{
	struct expo_label l;
	size_t i;

	expo_family(e, "netnsight_namespace_stuck_seconds", "gauge",
		    "How long a stuck namespace has been dying (the module's dying_ms), "
		    "with the device whose references its teardown waits for");
	for (i = 0; i < s->n; i++) {
		if (!s->ns[i].stuck)
			continue;
		l = (struct expo_label){ "wait_dev", s->ns[i].wait_dev };
		ns_sample(e, "netnsight_namespace_stuck_seconds", &s->ns[i], &l, 1,
			  (double)s->ns[i].dying_ms / 1000);
	}
	expo_family(e, "netnsight_device_moves_total", "counter",
		    "Devices __dev_change_net_namespace() moved into or out of the "
		    "namespace since the exporter started");
	for (i = 0; i < s->n; i++) {
		l = (struct expo_label){ "direction", "in" };
		ns_sample_u64(e, "netnsight_device_moves_total", &s->ns[i], &l, 1,
			      s->ns[i].moved_in);
		l = (struct expo_label){ "direction", "out" };
		ns_sample_u64(e, "netnsight_device_moves_total", &s->ns[i], &l, 1,
			      s->ns[i].moved_out);
	}
}

static const struct exp_ns *find_ns(const struct exp_snap *s, uint32_t ino)
{
	size_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (s->ns[mid].ino == ino)
			return &s->ns[mid];
		if (s->ns[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* fib counters of the namespaces we export, by (table, result, via) */
static void render_fib(struct expo *e, const struct exp_snap *s)
{
	const char *name = "netnsight_fib_lookups_total";
	char tb[16], res[32];
	struct expo_label l[3];
	size_t i;

	expo_family(e, name, "counter",
		    "IPv4 route lookups counted in the kernel per namespace, table and result: "
		    "fib_table_lookup() (via=table) and __fib_lookup() (via=rules)");
	for (i = 0; i < s->nfib; i++) {
		const struct nsi_fib_key *k = &s->fib[i].key;
		const struct exp_ns *ns = find_ns(s, k->netns_ino);

		/* a destroyed namespace's counters stay in the map: not its series */
		if (!ns)
			continue;
		if (rt_table_name(k->table))
			copy_str(tb, rt_table_name(k->table), sizeof(tb));
		else
			snprintf(tb, sizeof(tb), "%" PRIu32, k->table);
		trace_fib_result(k, res, sizeof(res));
		l[0] = (struct expo_label){ "table", tb };
		l[1] = (struct expo_label){ "result", res };
		l[2] = (struct expo_label){ "via", k->via == NSI_FIB_RULES ? "rules" : "table" };
		ns_sample_u64(e, name, ns, l, 3, s->fib[i].total);
	}
	counter(e, "netnsight_fib_lookups_overflow_total",
		"Lookups of (namespace, table, result) keys past the kernel's 2047 counter "
		"slots: counted together, keys not told apart", s->fib_overflow);
}

void exp_render(struct exp_shared *sh, struct expo *e, uint64_t start_ns)
{
	const struct exp_snap *s = sh->snap;

	sh->c.scrapes++;
	sh->c.series_dropped += s->left_out;
	render_global(sh, e);
	render_info(e, s);
	render_age(e, s);
	per_ns(e, s, "netnsight_namespace_devices", "gauge",
	       "Network devices in the namespace", pick_devices);
	render_sockets(e, s);
	per_ns(e, s, "netnsight_namespace_conntrack_entries", "gauge",
	       "Connections tracked in the namespace (its nf_conntrack_count; only while "
	       "nf_conntrack is loaded)", pick_conntrack);
	render_stuck_moves(e, s);
	render_fib(e, s);
	gauge(e, "netnsight_scrape_duration_seconds",
	      "Time this scrape took to render, up to this line",
	      (double)(monotonic_ns() - start_ns) / 1e9);
	expo_finish(e);
}
