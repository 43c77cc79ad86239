/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * netnsight trace - --fib-summary: lookups counted in the kernel, per
 * (namespace, table, result) key, in per-CPU slots (fib_slots, fib_cpu).
 * Inline helpers of fib.bpf.c's lookup programs: counting happens on the
 * hottest path there is, where a BPF-to-BPF call would cost as much as the
 * count.
 */
#ifndef __NETNSIGHT_FIB_SUMMARY_BPF_H
#define __NETNSIGHT_FIB_SUMMARY_BPF_H

#include "common.bpf.h"

static __always_inline bool key_eq(const struct nsi_fib_key *a,
				   const struct nsi_fib_key *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	return x[0] == y[0] && x[1] == y[1];
}

static __always_inline __u32 fib_slot_of(struct nsi_fib_key *key)
{
	__u32 *slot, new;

	slot = bpf_map_lookup_elem(&fib_slots, key);
	if (slot)
		return *slot;
	/*
	 * Full: the overflow slot.  Checked before the atomic add, so once
	 * the slots are gone no lookup touches the shared counter again, and
	 * it can pass the limit by at most one add per CPU: it never wraps
	 * around to hand out a slot another key owns.
	 */
	if (*(volatile __u32 *)&fib_next_slot >= cfg_fib_slots)
		goto full;
	new = __sync_fetch_and_add(&fib_next_slot, 1);
	if (new >= cfg_fib_slots)
		goto full;
	if (bpf_map_update_elem(&fib_slots, key, &new, BPF_NOEXIST)) {
		/* another CPU added the key first: use its slot */
		slot = bpf_map_lookup_elem(&fib_slots, key);
		return slot ? *slot : 0;
	}
	return new;
full:
	/* another CPU may have given this very key the last slot meanwhile */
	slot = bpf_map_lookup_elem(&fib_slots, key);
	return slot ? *slot : 0;
}

/*
 * The CPU's last key and its slot -- the overflow slot 0 too -- are kept,
 * so the same key again costs no hash lookup.  key_tb/key_gen let
 * fib_count_underived() count the next lookup of this table without deriving
 * the namespace at all: never for a key whose namespace is unknown, which
 * must be derived again until the table is learned.
 */
static __always_inline void fib_count(struct nsi_fib_cpu *last, __u64 tb,
				      struct nsi_fib_key *key)
{
	__u32 slot;

	if (!last)
		return;		/* no entry for this CPU: cannot happen */
	if (last->slot_set && key_eq(&last->key, key)) {
		slot = last->slot;
	} else {
		slot = fib_slot_of(key);
		last->key = *key;
		last->slot = slot;
		last->slot_set = 1;
	}
	last->key_tb = key->netns_ino ? tb : 0;
	last->key_gen = table_gen;
	if (slot < NSI_FIB_SLOTS)
		last->counts[slot]++;
}

/*
 * --fib-summary without filters, steady state: the same table and result
 * as this CPU's last lookup is just one more count in the same slot -- what
 * it saves is deriving the namespace (fib_netns()) and the slot's hash
 * lookup.  It stays for bench row (c) in docs/performance.md (summary cost
 * 1.92x the do-nothing fentry, against a goal of 2x).  Everything else
 * (first sight, another key, any filter) takes fib_done().  key_tb is set
 * only once fib_count() has stored a slot for the key (slot_set).
 */
static __always_inline bool fib_count_underived(struct fib_table *tb,
						struct fib_result *res, int ret)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct nsi_fib_cpu *c;

	if (!cfg_fib_count_fast || priming)
		return false;
	c = bpf_map_lookup_elem(&fib_cpu, &cpu);
	if (!c || c->key_tb != (__u64)tb || c->key_gen != table_gen ||
	    c->key.err != ret || c->key.via != NSI_FIB_TABLE ||
	    (!ret && c->key.type != res->type) || c->slot >= NSI_FIB_SLOTS)
		return false;
	c->counts[c->slot]++;
	return true;
}

#endif /* __NETNSIGHT_FIB_SUMMARY_BPF_H */
