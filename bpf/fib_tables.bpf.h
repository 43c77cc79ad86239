/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * netnsight trace - the fib table -> namespace map, shared by the lookup
 * programs (fib.bpf.c: learn from answers, cache per CPU) and the table
 * bookkeeping (fib_tables.bpf.c: learn at creation, forget at release).
 */
#ifndef __NETNSIGHT_FIB_TABLES_BPF_H
#define __NETNSIGHT_FIB_TABLES_BPF_H

#include "common.bpf.h"

/*
 * A new answer retires every CPU's cached one (table_gen): a CPU that was
 * counting this table's lookups as "namespace unknown" must look again.
 */
static __always_inline void learn_table(__u64 tb, struct nsi_netns *ns, __u32 id)
{
	struct nsi_table_ns v = { .cookie = ns->cookie, .ino = ns->ino, .table = id };

	/* a failed update (nested programs: -EBUSY) taught nothing */
	if (!bpf_map_update_elem(&fib_tables, &tb, &v, BPF_ANY))
		__sync_fetch_and_add(&table_gen, 1);
}

/*
 * Is @tb one of @net's tables?  fib_get_table() (net/ipv4/fib_frontend.c)
 * finds table @id in bucket id & (FIB_TABLE_HASHSZ - 1) of
 * net->ipv4.fib_table_hash; main and default also hang off netns_ipv4.
 * Only called when the cheaper answers failed, so a short walk is fine.
 */
#define NSI_FIB_TABLE_HASHSZ	256
#define NSI_FIB_BUCKET_WALK	8

/*
 * The table of @net's hash bucket for @id that is @tb (@tb != 0), or whose
 * tb_id is @id (@tb == 0); 0 if none within NSI_FIB_BUCKET_WALK entries.
 * The one walk of fib_table_hash: net_has_table() and fib_unmerge()'s
 * learning both use it.
 */
static __always_inline __u64 fib_bucket_find(struct net *net, __u32 id, __u64 tb)
{
	struct hlist_head *buckets;
	struct hlist_node *node;
	int i;

	buckets = BPF_CORE_READ(net, ipv4.fib_table_hash);
	if (!buckets)
		return 0;
	node = BPF_CORE_READ(buckets + (id & (NSI_FIB_TABLE_HASHSZ - 1)), first);
	for (i = 0; i < NSI_FIB_BUCKET_WALK && node; i++) {
		/* tb_hlist is the first member of struct fib_table */
		if (tb ? (__u64)node == tb :
			 BPF_CORE_READ((struct fib_table *)node, tb_id) == id)
			return (__u64)node;
		node = BPF_CORE_READ(node, next);
	}
	return 0;
}

static __always_inline bool net_has_table(struct net *net, __u64 tb, __u32 id)
{
	if ((__u64)BPF_CORE_READ(net, ipv4.fib_main) == tb ||
	    (__u64)BPF_CORE_READ(net, ipv4.fib_default) == tb)
		return true;
	return fib_bucket_find(net, id, tb) != 0;
}

static __always_inline bool cache_hit(struct nsi_fib_cpu *last, __u64 tb)
{
	return last && last->tb == tb && last->gen == table_gen;
}

static __always_inline void cache_set(struct nsi_fib_cpu *last, __u64 tb,
				      struct nsi_netns *ns, __u32 table)
{
	if (!last)
		return;
	last->tb = tb;
	last->gen = table_gen;
	last->ns.ino = ns->ino;
	last->ns.cookie = ns->cookie;
	last->ns.table = table;
}

#endif /* __NETNSIGHT_FIB_TABLES_BPF_H */
