// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight trace - a tracing session: open the skeleton, configure it,
 * load, attach, and stream the ring buffer to a callback.
 *
 * Teardown is fd-owned: every program is attached through a BPF link held
 * by a file descriptor of this process, nothing is pinned, so even a
 * SIGKILL leaves nothing attached.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "holders.h"
#include "netns.h"
#include "netnsight.skel.h"
#include "netnsight_tp.skel.h"	/* only its bytes: skel_open() */
#include "trace.h"
#include "util.h"

struct trace_session {
	struct netnsight_bpf *skel;
	struct trace_plan plan;
	struct ring_buffer *rb;
	trace_event_fn fn;
	void *ctx;
	int nr_cpus;
	bool check_padding;	/* NETNSIGHT_CHECK_PADDING=1 (selftests) */
	uint64_t bad_padding;
};

static int libbpf_verbosity;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (libbpf_verbosity >= 2 || (libbpf_verbosity && level == LIBBPF_WARN))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* CAP_SYS_ADMIN, or CAP_BPF + CAP_PERFMON (5.8+), in the effective set. */
static bool may_trace(void)
{
	return cap_effective(CAP_SYS_ADMIN) ||
	       (cap_effective(38 /* CAP_PERFMON */) && cap_effective(39 /* CAP_BPF */));
}

/*
 * Every padding field of a record must be zero: a field the BPF side
 * forgot to write carries bytes of the kernel stack to user space.  Checked
 * only on request -- the selftests ask -- as it costs on the hot path.
 */
static bool netns_padded(const struct nsi_netns *ns)
{
	return ns->pad == 0;
}

static bool event_padding_clean(const struct nsi_event *e)
{
	if (e->hdr.pad || !netns_padded(&e->hdr.netns))
		return false;
	switch (e->hdr.kind) {
	case NSI_EV_CREATE:
		return netns_padded(&e->create.parent);
	case NSI_EV_MOVE:
		return !e->move.pad && netns_padded(&e->move.src) &&
		       netns_padded(&e->move.dst);
	case NSI_EV_FIB:
		return !e->fib.pad;
	case NSI_EV_SWITCH:
		return netns_padded(&e->sw.from) && netns_padded(&e->sw.to);
	default:
		return true;
	}
}

static int on_sample(void *ctx, void *data, size_t len)
{
	struct trace_session *s = ctx;

	if (len < sizeof(struct nsi_event))
		return 0;
	if (s->check_padding && !event_padding_clean(data))
		s->bad_padding++;
	s->fn(s->ctx, data);
	return 0;
}

/*
 * The summary's slot limit, lowered only by the selftest that shows the
 * overflow slot at work (NETNSIGHT_TEST_FIB_SLOTS=N, 2 <= N): 2 047 keys
 * are too many to make in a test.
 */
static uint32_t test_fib_slots(void)
{
	const char *v = getenv("NETNSIGHT_TEST_FIB_SLOTS");
	uint64_t n;

	if (!v || parse_u64(v, &n) || n < 2 || n > NSI_FIB_SLOTS)
		return NSI_FIB_SLOTS;
	return (uint32_t)n;
}

static void configure(struct netnsight_bpf *skel, const struct trace_config *cfg)
{
	struct netnsight_bpf__rodata *ro = skel->rodata;

	ro->cfg_events = cfg->events;
	ro->cfg_self_tgid = (uint32_t)getpid();
	ro->cfg_tgid = cfg->tgid;
	ro->cfg_comm_set = cfg->comm_set;
	memcpy((void *)ro->cfg_comm, cfg->comm, sizeof(cfg->comm));
	ro->cfg_netns_set = cfg->n_netns > 0;
	ro->cfg_fib_dst_set = cfg->fib_dst_set;
	ro->cfg_fib_dst = cfg->fib_dst;
	ro->cfg_fib_mask = cfg->fib_mask;
	ro->cfg_fib_table_set = cfg->fib_table_set;
	ro->cfg_fib_table = cfg->fib_table;
	ro->cfg_fib_errors = cfg->fib_errors;
	ro->cfg_fib_summary = cfg->fib_summary;
	ro->cfg_fib_count_fast = cfg->fib_summary && !cfg->fib_dst_set && !cfg->fib_table_set &&
				 !cfg->fib_errors && !cfg->n_netns && !cfg->tgid && !cfg->comm_set;
	/*
	 * Events can come by the hundred thousand per second (fib), and
	 * waking the reader for each costs far more than the event itself.
	 * Wake it when a quarter of the buffer is used; the reader's 50 ms
	 * timer picks up the rest (trace_session_poll()).
	 */
	ro->cfg_wakeup_bytes = cfg->ringbuf_size / 4;
	bpf_map__set_max_entries(skel->maps.events, (uint32_t)cfg->ringbuf_size);
	/* one fib_cpu entry per CPU (bpf/maps.bpf.h says why not per-CPU) */
	bpf_map__set_max_entries(skel->maps.fib_cpu, (uint32_t)libbpf_num_possible_cpus());
	bpf_map__set_max_entries(skel->maps.irq_ctx, (uint32_t)libbpf_num_possible_cpus());
	ro->cfg_fib_slots = test_fib_slots();
}

/*
 * Route lookups in the namespace we are in, one per table a lookup can
 * start from: connect() of a UDP socket routes through fib_lookup() (the
 * main table, or the rules), and bind() to 127.0.0.1 asks
 * inet_addr_type_table() -- a lookup in the local table, which is a
 * struct fib_table of its own even while it shares main's trie
 * (fib_trie_table()'s alias).  The receive path's ARP handling looks up in
 * that local table in softirq, where nothing else could place it.
 */
static int lookup_here(void *arg)
{
	struct sockaddr_in lo = { .sin_family = AF_INET, .sin_port = htons(9),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	(void)arg;
	if (sk < 0)
		return -errno;
	connect(sk, (struct sockaddr *)&lo, sizeof(lo));
	close(sk);
	sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return -errno;
	lo.sin_port = 0;
	bind(sk, (struct sockaddr *)&lo, sizeof(lo));
	close(sk);
	return 0;
}

/*
 * fib events name the namespace of each lookup from the lookup's own
 * objects; a failed lookup in a table we have never seen can only be placed
 * through the table -> namespace map.  Fill it for every namespace we can
 * enter: a UDP connect() to 127.0.0.1 makes one route lookup there, in our
 * own task, which the BPF side verifies against current's namespace
 * (fib_netns()).  Our own events are never reported.
 */
static void prime_fib_tables(int verbose)
{
	struct ns_scan scan;
	size_t i, primed = 0;
	int fd;

	if (holders_scan(&scan))
		return;
	for (i = 0; i < scan.n; i++) {
		fd = holders_open(&scan.v[i], NULL, 0);
		if (fd < 0)
			continue;
		primed += !netns_run_in(fd, lookup_here, NULL);
		close(fd);
	}
	if (verbose)
		fprintf(stderr, "netnsight: primed fib tables of %zu of %zu namespaces\n",
			primed, scan.n);
	holders_free(&scan);
}

/*
 * netnsight_bpf__open(), but on the bytes of either build of the tracer
 * (Makefile): netnsight_tp.bpf.o when @irq_tp.  One skeleton serves both
 * because tools/skel-variants checks at build time that the two have the
 * same maps, programs and globals, in the same order.
 */
static struct netnsight_bpf *skel_open(bool irq_tp)
{
	struct netnsight_bpf *obj = calloc(1, sizeof(*obj));
	int err;

	if (!obj) {
		errno = ENOMEM;
		return NULL;
	}
	err = netnsight_bpf__create_skeleton(obj);
	if (!err && irq_tp)
		obj->skeleton->data = (void *)netnsight_tp_bpf__elf_bytes(&obj->skeleton->data_sz);
	if (!err)
		err = bpf_object__open_skeleton(obj->skeleton, NULL);
	if (err) {
		netnsight_bpf__destroy(obj);
		errno = -err;
		return NULL;
	}
	return obj;
}

int trace_session_open(struct trace_session **sp, const struct trace_config *cfg,
		       trace_event_fn fn, void *ctx)
{
	struct trace_session *s;
	unsigned int i;
	uint8_t one = 1;
	bool irq_tp;
	int err;

	libbpf_verbosity = cfg->verbose;
	libbpf_set_print(libbpf_print);
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		errmsg("this kernel has no BTF (/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF): "
		       "the tracer needs it");
		return -ENOTSUP;
	}
	if (!may_trace()) {
		errmsg("tracing needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)");
		return -EPERM;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fn = fn;
	s->ctx = ctx;
	s->nr_cpus = libbpf_num_possible_cpus();
	s->check_padding = getenv("NETNSIGHT_CHECK_PADDING") != NULL;

	irq_tp = trace_irq_from_tracepoints(cfg->verbose);
	s->skel = skel_open(irq_tp);
	if (!s->skel) {
		err = -errno;
		errmsg("cannot open the BPF object: %s", strerror(-err));
		goto fail;
	}
	configure(s->skel, cfg);
	err = trace_attach_plan(s->skel, cfg, irq_tp, &s->plan);
	if (err)
		goto fail;
	err = netnsight_bpf__load(s->skel);
	if (err) {
		errmsg("cannot load the BPF programs: %s%s", strerror(-err),
		       err == -EPERM ? " (are you root? is kernel.unprivileged_bpf_disabled or lockdown in the way?)" :
		       cfg->verbose ? "" : " (run with -vv for the verifier log)");
		goto fail;
	}
	for (i = 0; i < cfg->n_netns; i++)
		bpf_map_update_elem(bpf_map__fd(s->skel->maps.netns_filter),
				    &cfg->netns[i], &one, BPF_ANY);
	err = trace_attach(s->skel, &s->plan, cfg);
	if (err)
		goto fail;
	if ((cfg->events & NSI_EV_MASK(NSI_EV_FIB)) && !cfg->no_prime) {
		/* our own lookups count only while this flag is up */
		s->skel->bss->priming = true;
		prime_fib_tables(cfg->verbose);
		s->skel->bss->priming = false;
	}
	/*
	 * Events name namespaces by cookie (netns_names.c): learn those of
	 * the names there are now, before the first event needs one.
	 */
	netns_names_by_cookie();
	netns_names_reload();
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), on_sample, s, NULL);
	if (!s->rb) {
		err = -errno;
		errmsg("cannot open the ring buffer: %s", strerror(-err));
		goto fail;
	}
	*sp = s;
	return 0;
fail:
	trace_session_close(s);
	return err;
}

int trace_session_add_netns(struct trace_session *s, uint32_t ino)
{
	uint8_t one = 1;

	return bpf_map_update_elem(bpf_map__fd(s->skel->maps.netns_filter), &ino,
				   &one, BPF_ANY) ? -errno : 0;
}

int trace_session_poll(struct trace_session *s, int timeout_ms)
{
	int n = ring_buffer__poll(s->rb, timeout_ms);

	if (n < 0 && n != -EINTR)
		return n;
	/* records submitted with BPF_RB_NO_WAKEUP never wake epoll */
	return ring_buffer__consume(s->rb);
}

int trace_session_drain(struct trace_session *s)
{
	return ring_buffer__consume(s->rb);
}

static uint64_t sum_percpu(struct trace_session *s, struct bpf_map *map,
			   uint64_t *per_cpu, int *nr_cpus)
{
	uint64_t total = 0, *vals;
	uint32_t k;
	int c;

	vals = calloc((size_t)s->nr_cpus, sizeof(*vals));
	if (!vals)
		return 0;
	if (per_cpu)
		memset(per_cpu, 0, (size_t)s->nr_cpus * sizeof(*per_cpu));
	for (k = 0; k < NSI_EV_MAX; k++) {
		if (bpf_map_lookup_elem(bpf_map__fd(map), &k, vals))
			continue;
		for (c = 0; c < s->nr_cpus; c++) {
			total += vals[c];
			if (per_cpu)
				per_cpu[c] += vals[c];
		}
	}
	free(vals);
	if (nr_cpus)
		*nr_cpus = s->nr_cpus;
	return total;
}

uint64_t trace_session_lost(struct trace_session *s, uint64_t *per_cpu, int *nr_cpus)
{
	return sum_percpu(s, s->skel->maps.lost, per_cpu, nr_cpus);
}

uint64_t trace_session_generated(struct trace_session *s)
{
	return sum_percpu(s, s->skel->maps.generated, NULL, NULL);
}

/* bpf_prog_info.recursion_misses of every loaded program (5.12+) */
static uint64_t recursion_misses(struct trace_session *s)
{
	struct bpf_program *prog;
	uint64_t total = 0;

	bpf_object__for_each_program(prog, s->skel->obj) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);
		int fd = bpf_program__fd(prog);

		memset(&info, 0, sizeof(info));
		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
			total += info.recursion_misses;
	}
	return total;
}

void trace_session_totals(struct trace_session *s, struct trace_totals *t)
{
	uint32_t zero = 0;
	uint64_t *vals = calloc((size_t)s->nr_cpus, sizeof(*vals));
	int c;

	t->lost = trace_session_lost(s, NULL, NULL);
	t->generated = trace_session_generated(s);
	t->recursion_misses = recursion_misses(s);
	t->bad_padding = s->bad_padding;
	t->unattributed = 0;
	if (vals && !bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.fib_unattributed),
					 &zero, vals))
		for (c = 0; c < s->nr_cpus; c++)
			t->unattributed += vals[c];
	free(vals);
}

void trace_session_summary_maps(struct trace_session *s, int *slots_fd, int *counts_fd)
{
	*slots_fd = bpf_map__fd(s->skel->maps.fib_slots);
	*counts_fd = bpf_map__fd(s->skel->maps.fib_cpu);
}

int trace_session_nr_cpus(struct trace_session *s)
{
	return s->nr_cpus;
}

const struct trace_plan *trace_session_plan(const struct trace_session *s)
{
	return &s->plan;
}

void trace_session_close(struct trace_session *s)
{
	if (!s)
		return;
	ring_buffer__free(s->rb);
	netnsight_bpf__destroy(s->skel);
	free(s);
}
