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
/*
 * One lookup as the hooked function saw it: fib_table_lookup(tb, flp, res)
 * or __fib_lookup(net, flp, res), its return value, and the table it is
 * reported under (the table consulted, or the one the rules matched).
 */
struct fib_call {
	struct fib_table *tb;		/* NULL for __fib_lookup() */
	const struct flowi4 *flp;
	struct fib_result *res;
	struct net *arg_net;		/* __fib_lookup()'s net, else NULL */
	long ret;
	__u32 table;
	__u8 via;			/* enum nsi_fib_via */
};

static __always_inline __u8 fib_netns(bool direct, struct nsi_fib_cpu *last,
				      const struct fib_call *c, struct nsi_netns *ns)
{
	struct fib_table *tb = c->tb;
	struct nsi_table_ns *known;
	__u64 key = (__u64)tb;
	__u32 table = c->table;
	struct fib_info *fi;
	struct net *net;

	ns->pad = 0;	/* every answer below fills ino and cookie */
	if (c->arg_net) {
		netns_of_direct(direct, c->arg_net, ns);
		return NSI_NS_ARG;
	}
	if (!tb)
		last = NULL;
	if (!c->ret) {
		fi = LD(direct, c->res, fi);
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

/* Stream the lookup as an event. */
static __always_inline void fib_emit(bool direct, const struct fib_call *c, __u32 cpu,
				     const struct nsi_netns *ns, __u8 src, __u8 type)
{
	struct nsi_event *e;

	e = ev_reserve_on(NSI_EV_FIB, cpu);
	if (!e)
		return;
	e->hdr.netns = *ns;
	e->fib.table = c->table;
	e->fib.daddr = LD(direct, c->flp, daddr);
	e->fib.err = c->ret;
	e->fib.via = c->via;
	e->fib.ns_source = src;
	e->fib.type = type;
	fib_fill(direct, e, c->flp, c->res, c->ret);
	ev_submit(e);
}

/* The table a lookup is reported under: consulted, or matched by the rules. */
static __always_inline __u32 fib_table_of(bool direct, const struct fib_call *c)
{
	struct fib_table *mt;

	if (c->via != NSI_FIB_RULES)
		return LD(direct, c->tb, tb_id);
	if (c->ret)
		return 0;
	mt = LD(direct, c->res, table);
	return mt ? LD(direct, mt, tb_id) : 0;
}

/* Every lookup program ends here: filter, find the namespace, count or stream. */
static __always_inline int fib_done(bool direct, struct fib_call *c)
{
	__u32 daddr, cpu = bpf_get_smp_processor_id();
	struct nsi_fib_cpu *last;
	struct nsi_netns ns;
	__u8 src, type = 0;

	if (!want(NSI_EV_FIB))
		return 0;
	last = bpf_map_lookup_elem(&fib_cpu, &cpu);
	if (priming && (bpf_get_current_pid_tgid() >> 32) == cfg_self_tgid) {
		/* The tracer's own lookups only teach the table map. */
		if (c->tb) {
			c->table = LD(direct, c->tb, tb_id);
			fib_netns(direct, last, c, &ns);
		}
		return 0;
	}
	/* the tracer does no lookups of its own once primed */
	if ((cfg_tgid || cfg_comm_set) && !task_passes_id(bpf_get_current_pid_tgid()))
		return 0;
	if (cfg_fib_errors && !c->ret)
		return 0;
	daddr = LD(direct, c->flp, daddr);
	if (cfg_fib_dst_set && (daddr & cfg_fib_mask) != cfg_fib_dst)
		return 0;
	c->table = fib_table_of(direct, c);
	if (cfg_fib_table_set && c->table != cfg_fib_table)
		return 0;
	src = fib_netns(direct, last, c, &ns);
	if (src == NSI_NS_UNKNOWN)
		count(&fib_unattributed, 0);
	if (!netns_passes(ns.ino, 0))
		return 0;
	if (!c->ret)
		type = LD(direct, c->res, type);
	if (cfg_fib_summary) {
		struct nsi_fib_key key = {
			.netns_ino = ns.ino, .table = c->table, .err = c->ret,
			.type = type, .via = c->via,
		};

		fib_count(last, (__u64)c->tb, &key);
		return 0;
	}
	fib_emit(direct, c, cpu, &ns, src, type);
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
	if (fib_count_underived(tb, res, ret))
		return 0;
	struct fib_call c = { .tb = tb, .flp = flp, .res = res, .ret = ret,
			      .via = NSI_FIB_TABLE };

	return fib_done(true, &c);
}

SEC("fexit/__fib_lookup")
int BPF_PROG(fexit_fib_rules_lookup, struct net *net, struct flowi4 *flp,
	     struct fib_result *res)
{
	struct fib_call c = { .flp = flp, .res = res, .arg_net = net, .via = NSI_FIB_RULES };
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	c.ret = (int)ret;
	return fib_done(true, &c);
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
	st = lookup_or_init(&fib_stack, &key, &zero);
	if (!st)
		return 0;
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
	struct fib_call c = {};
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
	c.tb = (struct fib_table *)f.tb;
	c.flp = (const struct flowi4 *)f.flp;
	c.res = (struct fib_result *)f.res;
	c.arg_net = (struct net *)f.net;
	c.ret = ret;
	c.via = via;
	return fib_done(false, &c);
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

