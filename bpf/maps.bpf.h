/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * netnsight trace - every map and global of the tracer, declared once:
 * defined by maps.bpf.c (NSI_DEFINE_MAPS; the globals' definitions, with
 * their initial values, are there), extern in every other file.
 * Included through common.bpf.h.
 */
#ifndef __NETNSIGHT_MAPS_BPF_H
#define __NETNSIGHT_MAPS_BPF_H

/* --- maps --------------------------------------------------------------- */
NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);	/* --ringbuf-size */
} events SEC(".maps");

/* Failed ring-buffer reservations, per CPU, per event kind. */
NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NSI_EV_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/* Generated events (delivered + lost), per CPU, per kind. */
NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NSI_EV_MAX);
	__type(key, __u32);
	__type(value, __u64);
} generated SEC(".maps");

NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);		/* netns inode */
	__type(value, __u8);
} netns_filter SEC(".maps");

/* fib table -> namespace, learned (see fib_netns()). */
NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);		/* struct fib_table * */
	__type(value, struct nsi_table_ns);
} fib_tables SEC(".maps");

/*
 * --fib-summary: counters in slots.  fib_slots gives each (namespace,
 * table, result) key a slot once; every CPU keeps its counters and its last
 * key and slot in its own entry of fib_cpu, so the common case -- the same
 * key again -- is an array index and an increment, no hashing.  Slot 0
 * counts what did not fit (NSI_FIB_SLOTS keys at most).
 */
NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NSI_FIB_SLOTS);
	__type(key, struct nsi_fib_key);
	__type(value, __u32);
} fib_slots SEC(".maps");

extern __u32 fib_next_slot;

/* set by user space while it primes the table map (trace_session.c) */
extern bool priming;

/* Namespaces created while tracing: struct net * -> boottime. */
NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u64);
} born SEC(".maps");

/*
 * cleanup_net() runs in flight: worker thread id -> boottime.  The entry
 * goes when cleanup_net() returns (netns_wq runs one at a time, so the map
 * holds one entry at most); LRU, so even a missed return cannot fill it.
 */
NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} cleanup_start SEC(".maps");

struct create_start {
	__u64 ts;
	__u64 old_net;
	__u64 user_ns;
};

NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);		/* thread id */
	__type(value, struct create_start);
} create_start SEC(".maps");

struct move_start {
	__u64 ts;
	__u64 dev;
	struct nsi_netns src;
	struct nsi_netns dst;
	__s32 ifindex;
	char ifname[NSI_IFNAMSIZ];
};

NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct move_start);
} move_start SEC(".maps");

/*
 * kprobe mode only: arguments of fib_new_table() and fib_unmerge() calls in
 * flight, per thread.  A stack, not one slot: fib_new_table(LOCAL) calls
 * fib_new_table(MAIN) for the table it aliases (net/ipv4/fib_trie.c,
 * fib_trie_table() via fib_new_table()), and the inner return must not
 * take the outer call's arguments.
 */
#define KP_TABLE_DEPTH 4
struct kp_table_stack {
	__u32 depth;
	__u32 pad;
	__u64 args[KP_TABLE_DEPTH][2];	/* net, table id */
};

/* LRU: a kretprobe that never fired (maxactive) must not fill it */
NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct kp_table_stack);
} kp_new_table SEC(".maps");

/*
 * kprobe mode, fib lookups: a softirq may run a lookup on top of the
 * interrupted task's own lookup, with the same thread id; they finish in
 * LIFO order, so a small per-thread stack pairs each return with its entry.
 */
#define FIB_STACK_DEPTH 4
struct fib_frame {
	__u64 tb;
	__u64 flp;
	__u64 res;
	__u64 net;
};

struct fib_stack {
	__u32 depth;
	__u32 pad;
	struct fib_frame f[FIB_STACK_DEPTH];
};

/* key: fib_stack_key() */
NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct fib_stack);
} fib_stack SEC(".maps");

/*
 * fib lookups whose namespace could not be derived (ns_source "unknown"),
 * per CPU: reported at the end of the trace, so a summary row or an event
 * of namespace 0 is never silent.
 */
NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} fib_unattributed SEC(".maps");

/*
 * The context of each CPU, from the irq tracepoints (irq_ctx.bpf.c), for
 * the build that cannot read preempt_count.  One entry per CPU, a plain
 * array like fib_cpu (below); defined in both builds, so their maps match.
 */
struct nsi_irq_ctx {
	__u32 softirq;
	__u32 hardirq;
};

NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);		/* user space: the possible CPUs */
	__type(key, __u32);
	__type(value, struct nsi_irq_ctx);
} irq_ctx SEC(".maps");

/* Threads inside ksys_unshare(), to tell unshare from setns. */
NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u8);
} in_unshare SEC(".maps");

/*
 * Table -> namespace resolutions are looked up in the fib_tables hash map;
 * consecutive lookups nearly always use the same table, so each CPU keeps
 * its last answer.  fib_new_table()/fib_free_table() bump table_gen, which
 * retires every CPU's cached answer (a freed table's address may be reused
 * by a new table in another namespace).
 */
extern __u64 table_gen;

/*
 * One entry per CPU, indexed by bpf_get_smp_processor_id() (programs run
 * with migration disabled).  A plain array rather than a per-CPU one: the
 * 6.1 verifier inlines lookups in plain arrays but calls a helper for
 * per-CPU ones (percpu_array_map_gen_lookup() came later).  User space sets
 * max_entries to the number of possible CPUs.
 */
NSI_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nsi_fib_cpu);
} fib_cpu SEC(".maps");

#endif /* __NETNSIGHT_MAPS_BPF_H */
