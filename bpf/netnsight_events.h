/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * netnsight - the events the tracer's BPF programs send to user space, and
 * the keys of the maps user space reads.  Included by bpf/common.bpf.h
 * (with vmlinux.h) and by the user side (with <linux/types.h>), so both
 * agree on every byte.  docs/events.md documents the JSON made from these.
 */
#ifndef __NETNSIGHT_EVENTS_H
#define __NETNSIGHT_EVENTS_H

#define NSI_COMM_LEN	16
#define NSI_IFNAMSIZ	16

enum nsi_event_kind {
	NSI_EV_CREATE = 1,	/* copy_net_ns() with CLONE_NEWNET */
	NSI_EV_DESTROY,		/* cleanup_net() tore a namespace down */
	NSI_EV_MOVE,		/* __dev_change_net_namespace() */
	NSI_EV_FIB,		/* fib_table_lookup() / __fib_lookup() */
	NSI_EV_SWITCH,		/* a task changed namespace */
	NSI_EV_MAX,
};

#define NSI_EV_MASK(kind)	(1U << (kind))
#define NSI_EV_ALL	(NSI_EV_MASK(NSI_EV_CREATE) | NSI_EV_MASK(NSI_EV_DESTROY) | \
			 NSI_EV_MASK(NSI_EV_MOVE) | NSI_EV_MASK(NSI_EV_FIB) | \
			 NSI_EV_MASK(NSI_EV_SWITCH))

/* nsi_event_hdr.flags */
#define NSI_F_SOFTIRQ	0x1	/* ran in softirq: current is not the subject */
#define NSI_F_HARDIRQ	0x2

/* How the namespace of a fib lookup was found (nsi_fib.ns_source). */
enum nsi_ns_source {
	NSI_NS_UNKNOWN = 0,
	NSI_NS_FIB_INFO,	/* res->fi->fib_net of the matching route */
	NSI_NS_TABLE,		/* learned table -> namespace map */
	NSI_NS_TASK_TABLE,	/* current's net_ns owns the table (verified) */
	NSI_NS_ARG,		/* the function's own struct net argument */
};

/* Which function a fib event comes from (nsi_fib.via). */
enum nsi_fib_via {
	NSI_FIB_TABLE = 0,	/* fib_table_lookup(): one table consulted */
	NSI_FIB_RULES = 1,	/* __fib_lookup(): whole policy-routing lookup */
};

/* How a task changed namespace (nsi_switch.how). */
enum nsi_switch_how {
	NSI_SW_SETNS = 1,
	NSI_SW_UNSHARE,
	NSI_SW_CLONE,
};

struct nsi_netns {
	__u64 cookie;		/* net->net_cookie (0 where unknown) */
	__u32 ino;		/* net->ns.inum, as in /proc/PID/ns/net */
	__u32 pad;
};

struct nsi_event_hdr {
	__u64 ts_ns;		/* CLOCK_BOOTTIME */
	__u32 kind;		/* enum nsi_event_kind */
	__u32 cpu;
	__u32 pid;		/* thread id of current */
	__u32 tgid;		/* process id of current */
	__u32 flags;		/* NSI_F_* */
	__u32 pad;
	char comm[NSI_COMM_LEN];
	struct nsi_netns netns;	/* the namespace the event concerns */
};

struct nsi_create {
	struct nsi_netns parent;	/* old_net argument */
	__u64 latency_ns;		/* copy_net_ns() entry -> return */
	__u32 userns_ino;		/* owning user namespace */
	__s32 err;			/* 0, or the -errno it returned */
};

struct nsi_destroy {
	__u64 lived_ns;		/* create -> destroy, 0 if created before tracing */
	__u64 teardown_ns;	/* cleanup_net() start -> its last exit method */
};

struct nsi_move {
	struct nsi_netns src;
	struct nsi_netns dst;
	__u64 latency_ns;
	__s32 old_ifindex;
	__s32 new_ifindex;
	__s32 err;
	__u32 pad;
	char old_ifname[NSI_IFNAMSIZ];
	char new_ifname[NSI_IFNAMSIZ];
};

struct nsi_fib {
	__u32 table;		/* tb->tb_id (rules: the table that matched) */
	__u32 daddr;		/* network byte order */
	__u32 saddr;
	__s32 oif;
	__s32 iif;
	__s32 err;		/* 0 or -errno, as the function returned */
	__u32 gw;		/* nexthop gateway (IPv4), 0 if none */
	__s32 nh_ifindex;	/* nexthop device, 0 if none */
	__u8 type;		/* RTN_* of the matching route (err == 0) */
	__u8 scope;
	__u8 prefixlen;
	__u8 tos;
	__u8 proto;		/* flowi4_proto */
	__u8 via;		/* enum nsi_fib_via */
	__u8 ns_source;		/* enum nsi_ns_source */
	__u8 pad;
	__u32 mark;
	char nh_ifname[NSI_IFNAMSIZ];
};

struct nsi_switch {
	struct nsi_netns from;
	struct nsi_netns to;
	__u32 how;		/* enum nsi_switch_how */
	__u32 target_pid;	/* the task that switched (clone: the child) */
};

struct nsi_event {
	struct nsi_event_hdr hdr;
	union {
		struct nsi_create create;
		struct nsi_destroy destroy;
		struct nsi_move move;
		struct nsi_fib fib;
		struct nsi_switch sw;
	};
};

/*
 * --- fib summary mode: per-CPU counts keyed by (namespace, table, result)
 * fib_slots maps each key to a slot; each CPU's entry of fib_cpu holds its
 * counters; slot 0 is the overflow slot: it counts the lookups of every key
 * that came after the slots ran out (NSI_FIB_SLOTS - 1 keys), and is
 * reported as such, never merged into another key's count.
 */
#define NSI_FIB_SLOTS		2048

struct nsi_fib_key {
	__u32 netns_ino;	/* 0 if the namespace could not be derived */
	__u32 table;
	__s32 err;
	__u8 type;		/* RTN_* when err == 0 */
	__u8 via;
	__u8 pad[2];
};

/* --- learned map: fib table -> namespace (see nsi_fib_netns()) */
struct nsi_table_ns {
	__u64 cookie;
	__u32 ino;
	__u32 table;
};

/*
 * One CPU's entry of fib_cpu: its last table -> namespace answer (tb, gen,
 * ns), its last summary key and slot, and its summary counters.
 */
struct nsi_fib_cpu {
	__u64 tb;
	__u64 gen;
	struct nsi_table_ns ns;
	struct nsi_fib_key key;		/* the last key counted here... */
	__u64 key_tb;			/* ...for this table... */
	__u64 key_gen;			/* ...as of this table_gen */
	__u32 slot;			/* its slot (0: the overflow slot)... */
	__u32 slot_set;			/* ...valid for key: 1, else 0 */
	__u64 counts[NSI_FIB_SLOTS];
};

#endif /* __NETNSIGHT_EVENTS_H */
