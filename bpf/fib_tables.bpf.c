// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * netnsight trace - the fib table -> namespace map: which namespace a
 * struct fib_table belongs to, for lookups that name nothing else.
 *
 * Hooks:
 *   fib_new_table()   net/ipv4/fib_frontend.c  a table is created (its
 *                     struct net argument says whose); fexit, or kprobe +
 *                     kretprobe with the arguments on a per-thread stack
 *                     (fib_new_table(LOCAL) nests fib_new_table(MAIN))
 *   fib_unmerge()     net/ipv4/fib_frontend.c  the first rule gives the
 *                     namespace a local table of its own, without
 *                     fib_new_table()
 *   fib_free_table()  net/ipv4/fib_trie.c      a table goes: forget it
 */
#include "common.bpf.h"
#include "fib_tables.bpf.h"

/* --- table -> namespace bookkeeping: fib_new_table(), fib_free_table() -- */

static __always_inline int new_table_exit(struct net *net, __u32 id, __u64 tb)
{
	struct nsi_netns ns;

	if (!want(NSI_EV_FIB) || !tb || !net)
		return 0;
	netns_of(net, &ns);
	learn_table(tb, &ns, id);
	return 0;
}

SEC("fexit/fib_new_table")
int BPF_PROG(fexit_fib_new_table, struct net *net, __u32 id)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return new_table_exit(net, id, ret);
}

/* kprobe mode: stash a table call's arguments (kp_table_stack) */
static __always_inline int kp_table_push(__u64 net, __u64 id)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct kp_table_stack *st, zero = {};
	__u32 d;

	if (!want(NSI_EV_FIB))
		return 0;
	st = lookup_or_init(&kp_new_table, &tid, &zero);
	if (!st)
		return 0;
	d = st->depth;
	if (d < KP_TABLE_DEPTH) {
		st->args[d][0] = net;
		st->args[d][1] = id;
	}
	st->depth = d + 1;
	return 0;
}

/* ... and take them back at the return: false if there were none */
static __always_inline bool kp_table_pop(__u64 *net, __u64 *id)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct kp_table_stack *st;
	__u32 d;

	st = bpf_map_lookup_elem(&kp_new_table, &tid);
	if (!st || !st->depth)
		return false;
	d = st->depth - 1;
	st->depth = d;
	if (d < KP_TABLE_DEPTH) {
		*net = st->args[d][0];
		*id = st->args[d][1];
	}
	if (!d)
		bpf_map_delete_elem(&kp_new_table, &tid);
	return d < KP_TABLE_DEPTH;	/* deeper than we keep: not learned */
}

SEC("kprobe")
int BPF_KPROBE(kprobe_fib_new_table, void *net, __u32 id)
{
	return kp_table_push((__u64)net, id);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_fib_new_table, void *ret)
{
	__u64 net, id;

	if (kp_table_pop(&net, &id))
		new_table_exit((struct net *)net, (__u32)id, (__u64)ret);
	return 0;
}

/*
 * The first policy rule makes fib_unmerge() give the namespace a local
 * table of its own (fib_trie_unmerge()), without fib_new_table(): learn it
 * from the table hash once that is done.
 */
static __always_inline int unmerge_exit(struct net *net)
{
	struct nsi_netns ns;
	__u64 local;

	if (!want(NSI_EV_FIB) || !net)
		return 0;
	local = fib_bucket_find(net, RT_TABLE_LOCAL, 0);
	if (local) {
		netns_of(net, &ns);
		learn_table(local, &ns, RT_TABLE_LOCAL);
	}
	return 0;
}

SEC("fexit/fib_unmerge")
int BPF_PROG(fexit_fib_unmerge, struct net *net)
{
	return unmerge_exit(net);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_fib_unmerge, struct net *net)
{
	return kp_table_push((__u64)net, 0);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_fib_unmerge)
{
	__u64 net, id;

	if (kp_table_pop(&net, &id))
		unmerge_exit((struct net *)net);
	return 0;
}

static __always_inline int free_table_enter(__u64 tb)
{
	bpf_map_delete_elem(&fib_tables, &tb);
	__sync_fetch_and_add(&table_gen, 1);
	return 0;
}

SEC("fentry/fib_free_table")
int BPF_PROG(fentry_fib_free_table, struct fib_table *tb)
{
	return free_table_enter((__u64)tb);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_fib_free_table, void *tb)
{
	return free_table_enter((__u64)tb);
}

