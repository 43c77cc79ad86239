// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * netnsight trace - fib lookup events (and --fib-summary counts).
 *
 * Hooks:
 *   fib_table_lookup()  net/ipv4/fib_trie.c   one table consulted: every
 *                       lookup ends here, also when rules pick the table;
 *                       fexit only -- the result is what we report
 *   __fib_lookup()      net/ipv4/fib_rules.c  a policy-routing lookup as a
 *                       whole (fib_lookup() is a static inline that calls
 *                       it only when net->ipv4.fib_has_custom_rules)
 * both as fexit, or kprobe + kretprobe with the arguments on a per-thread
 * stack.  The namespace of a lookup comes from the lookup's own objects,
 * never from current alone (fib_netns()).
 */
#include "common.bpf.h"
#include "fib_tables.bpf.h"
#include "fib_summary.bpf.h"

/*
 * In which namespace does this lookup happen?  Not necessarily current's:
 * the receive path (ip_route_input_slow()) runs in softirq on whatever task
 * was interrupted -- for a ping over a veth pair, the sender itself.  So the
 * answer comes from the lookup's own objects, most reliable first:
 *  1. the caller's struct net argument (__fib_lookup);
 *  2. on success, the matching route's fib_info->fib_net;
 *  3. the table: fib tables belong to one namespace, and we learn
 *     table -> namespace from fib_new_table(), from 2. and from 4.;
 *  4. current's namespace -- only if it owns the table
 *     (net->ipv4.fib_main / fib_default), which is then a fact, not a guess.
 */
static __always_inline __u8 fib_netns(bool direct, struct nsi_fib_cpu *last,
				      struct fib_table *tb, struct fib_result *res,
				      long ret, struct net *arg_net, __u32 table,
				      struct nsi_netns *ns)
{
	struct nsi_table_ns *known;
	__u64 key = (__u64)tb;
	struct fib_info *fi;
	struct net *net;

	if (arg_net) {
		netns_of_direct(direct, arg_net, ns);
		return NSI_NS_ARG;
	}
	if (!tb)
		last = NULL;
	if (!ret) {
		fi = LD(direct, res, fi);
		net = fi ? LD(direct, fi, fib_net) : NULL;
		if (net) {
			netns_of_direct(direct, net, ns);
			if (tb && !(cache_hit(last, key) && last->ns.ino == ns->ino)) {
				known = bpf_map_lookup_elem(&fib_tables, &key);
				if (!known || known->ino != ns->ino)
					learn_table(key, ns, table);
				cache_set(last, key, ns, table);
			}
			return NSI_NS_FIB_INFO;
		}
	}
	if (!tb)
		goto unknown;
	if (cache_hit(last, key)) {
		ns->ino = last->ns.ino;
		ns->cookie = last->ns.cookie;
		return NSI_NS_TABLE;
	}
	known = bpf_map_lookup_elem(&fib_tables, &key);
	if (known) {
		ns->ino = known->ino;
		ns->cookie = known->cookie;
		cache_set(last, key, ns, table);
		return NSI_NS_TABLE;
	}
	net = task_net((struct task_struct *)bpf_get_current_task());
	if (net && net_has_table(net, key, table)) {
		netns_of(net, ns);
		learn_table(key, ns, table);
		cache_set(last, key, ns, table);
		return NSI_NS_TASK_TABLE;
	}
unknown:
	ns->ino = 0;
	ns->cookie = 0;
	return NSI_NS_UNKNOWN;
}

/*
 * The flow's TOS: flowi4.flowic_tos up to 6.x; newer kernels keep the DSCP
 * in flowic_dscp, a dscp_t that holds the DS field already masked with
 * INET_DSCP_MASK (0xfc, include/net/inet_dscp.h: inet_dsfield_to_dscp()),
 * not shifted -- the TOS byte's own bit positions, reported as they are.
 */
struct flowi_common___dscp {
	__u8 flowic_dscp;
} __attribute__((preserve_access_index));

static __always_inline __u8 fib_tos(bool direct, const struct flowi4 *flp)
{
	const struct flowi_common *c = &flp->__fl_common;
	const struct flowi_common___dscp *d = (const void *)c;

	if (bpf_core_field_exists(c->flowic_tos))
		return LD(direct, c, flowic_tos);
	if (bpf_core_field_exists(d->flowic_dscp))
		return LD(direct, d, flowic_dscp);
	return 0;
}

static __always_inline void fib_fill(bool direct, struct nsi_event *e,
				     const struct flowi4 *flp, struct fib_result *res,
				     long ret)
{
	struct fib_nh_common *nhc;
	struct net_device *dev;

	e->fib.saddr = LD(direct, flp, saddr);
	e->fib.oif = LD(direct, flp, __fl_common.flowic_oif);
	e->fib.iif = LD(direct, flp, __fl_common.flowic_iif);
	e->fib.tos = fib_tos(direct, flp);
	e->fib.proto = LD(direct, flp, __fl_common.flowic_proto);
	e->fib.mark = LD(direct, flp, __fl_common.flowic_mark);
	e->fib.pad = 0;
	e->fib.gw = 0;
	e->fib.nh_ifindex = 0;
	e->fib.nh_ifname[0] = 0;
	e->fib.scope = 0;
	e->fib.prefixlen = 0;
	if (ret)
		return;
	e->fib.scope = LD(direct, res, scope);
	e->fib.prefixlen = LD(direct, res, prefixlen);
	nhc = LD(direct, res, nhc);
	if (!nhc)
		return;
	dev = LD(direct, nhc, nhc_dev);
	if (dev) {
		e->fib.nh_ifindex = LD(direct, dev, ifindex);
		bpf_probe_read_kernel_str(e->fib.nh_ifname, NSI_IFNAMSIZ, dev->name);
	}
	if (LD(direct, nhc, nhc_gw_family) == AF_INET)
		e->fib.gw = LD(direct, nhc, nhc_gw.ipv4);
}

static __always_inline int fib_done(bool direct, struct fib_table *tb,
				    const struct flowi4 *flp, struct fib_result *res,
				    long ret, struct net *arg_net, __u8 via)
{
	__u32 table = 0, daddr, cpu = bpf_get_smp_processor_id();
	struct nsi_fib_cpu *last;
	struct nsi_netns ns;
	struct nsi_event *e;
	__u8 src, type = 0;

	if (!want(NSI_EV_FIB))
		return 0;
	last = bpf_map_lookup_elem(&fib_cpu, &cpu);
	if (priming && (bpf_get_current_pid_tgid() >> 32) == cfg_self_tgid) {
		/* The tracer's own lookups only teach the table map. */
		if (tb)
			fib_netns(direct, last, tb, res, ret, arg_net,
				  LD(direct, tb, tb_id), &ns);
		return 0;
	}
	/* the tracer does no lookups of its own once primed */
	if ((cfg_tgid || cfg_comm_set) && !task_passes_id(bpf_get_current_pid_tgid()))
		return 0;
	if (cfg_fib_errors && !ret)
		return 0;
	daddr = LD(direct, flp, daddr);
	if (cfg_fib_dst_set && (daddr & cfg_fib_mask) != cfg_fib_dst)
		return 0;
	if (via == NSI_FIB_RULES) {
		if (!ret) {
			struct fib_table *mt = LD(direct, res, table);

			table = mt ? LD(direct, mt, tb_id) : 0;
		}
	} else {
		table = LD(direct, tb, tb_id);
	}
	if (cfg_fib_table_set && table != cfg_fib_table)
		return 0;
	src = fib_netns(direct, last, tb, res, ret, arg_net, table, &ns);
	if (src == NSI_NS_UNKNOWN)
		count(&fib_unattributed, 0);
	if (!netns_passes(ns.ino, 0))
		return 0;
	if (!ret)
		type = LD(direct, res, type);

	if (cfg_fib_summary) {
		struct nsi_fib_key key = {
			.netns_ino = ns.ino, .table = table, .err = ret,
			.type = type, .via = via,
		};

		fib_count(last, (__u64)tb, &key);
		return 0;
	}

	e = ev_reserve_on(NSI_EV_FIB, cpu);
	if (!e)
		return 0;
	e->hdr.netns = ns;
	e->fib.table = table;
	e->fib.daddr = daddr;
	e->fib.err = ret;
	e->fib.via = via;
	e->fib.ns_source = src;
	e->fib.type = type;
	fib_fill(direct, e, flp, res, ret);
	ev_submit(e);
	return 0;
}

/*
 * The return value is the argument after the last one: one load from ctx,
 * where bpf_get_func_ret() costs a call's worth of instructions on the
 * hottest path.  fib_table_lookup() has had these four arguments since 4.x.
 */
SEC("fexit/fib_table_lookup")
int BPF_PROG(fexit_fib_table_lookup, struct fib_table *tb, const struct flowi4 *flp,
	     struct fib_result *res, int fib_flags, int ret)
{
	if (fib_count_again(tb, res, ret))
		return 0;
	return fib_done(true, tb, flp, res, ret, NULL, NSI_FIB_TABLE);
}

SEC("fexit/__fib_lookup")
int BPF_PROG(fexit_fib_rules_lookup, struct net *net, struct flowi4 *flp,
	     struct fib_result *res)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return fib_done(true, NULL, flp, res, (int)ret, net, NSI_FIB_RULES);
}

/*
 * Whose stack: the thread's -- except that every CPU's idle task is thread
 * 0, and softirqs run lookups on idle CPUs as that "thread": there the CPU
 * tells them apart.  (A kprobed function may migrate with its task, which
 * is why a real thread is not keyed by CPU.)  Thread ids stay below 2^22,
 * so the two kinds of key cannot meet.
 */
static __always_inline __u64 fib_stack_key(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	return tid ? tid : (1ULL << 32) | bpf_get_smp_processor_id();
}

static __always_inline int fib_push(__u64 tb, __u64 flp, __u64 res, __u64 net)
{
	__u64 key = fib_stack_key();
	struct fib_stack *st, zero = {};
	__u32 d;

	if (!want(NSI_EV_FIB))
		return 0;
	st = bpf_map_lookup_elem(&fib_stack, &key);
	if (!st) {
		bpf_map_update_elem(&fib_stack, &key, &zero, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&fib_stack, &key);
		if (!st)
			return 0;
	}
	d = st->depth;
	if (d < FIB_STACK_DEPTH) {
		st->f[d].tb = tb;
		st->f[d].flp = flp;
		st->f[d].res = res;
		st->f[d].net = net;
	}
	st->depth = d + 1;
	return 0;
}

static __always_inline int fib_pop(long ret, __u8 via)
{
	__u64 key = fib_stack_key();
	struct fib_stack *st;
	struct fib_frame f;
	__u32 d;

	if (!want(NSI_EV_FIB))
		return 0;
	st = bpf_map_lookup_elem(&fib_stack, &key);
	if (!st || !st->depth)
		return 0;
	d = st->depth - 1;
	st->depth = d;
	if (d >= FIB_STACK_DEPTH)
		return 0;	/* nested deeper than we keep: not reported */
	f = st->f[d];
	return fib_done(false, (struct fib_table *)f.tb, (const struct flowi4 *)f.flp,
			(struct fib_result *)f.res, ret, (struct net *)f.net, via);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_fib_table_lookup, void *tb, void *flp, void *res)
{
	return fib_push((__u64)tb, (__u64)flp, (__u64)res, 0);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_fib_table_lookup, int ret)
{
	return fib_pop(ret, NSI_FIB_TABLE);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_fib_rules_lookup, void *net, void *flp, void *res)
{
	return fib_push(0, (__u64)flp, (__u64)res, (__u64)net);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_fib_rules_lookup, int ret)
{
	return fib_pop(ret, NSI_FIB_RULES);
}

