// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * netnsight trace - BPF side.  CO-RE: compiled once against build/vmlinux.h,
 * relocated by libbpf against the running kernel's BTF.
 *
 * Every hook has two flavours: fentry/fexit (BPF trampoline: cheapest, args
 * and return value in one program) and kprobe/kretprobe (works where the
 * trampoline does not; needs the entry arguments stashed per thread).  User
 * space probes which one each hook can use and loads only that one
 * (user/trace_attach.c).
 *
 * Hooks (kernel functions a learner can read):
 *   copy_net_ns()                 net/core/net_namespace.c  -> create
 *   cleanup_net(), net_ns_net_exit()  net/core/net_namespace.c -> destroy
 *   __dev_change_net_namespace()  net/core/dev.c            -> move
 *   fib_table_lookup()            net/ipv4/fib_trie.c       -> fib
 *   __fib_lookup()                net/ipv4/fib_rules.c      -> fib (rules)
 *   fib_new_table(), fib_free_table()   learn table -> namespace
 *   switch_task_namespaces(), ksys_unshare()   kernel/nsproxy.c -> switch
 *   tracepoint sched_process_fork              kernel/fork.c    -> switch (clone)
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "netnsight_events.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define CLONE_NEWNET	0x40000000
#define RT_TABLE_LOCAL	255
#define AF_INET		2
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

/* preempt_count bits, include/linux/preempt.h (no BIT() in BPF headers) */
#define NSI_SOFTIRQ_OFFSET	0x00000100U
#define NSI_HARDIRQ_MASK	0x000f0000U
#define NSI_NMI_MASK		0x00f00000U

/* --- configuration, written by user space before load ------------------- */
const volatile __u32 cfg_events = NSI_EV_ALL;
const volatile __u32 cfg_self_tgid;	/* never report the tracer itself */
const volatile __u32 cfg_tgid;		/* --pid */
const volatile bool cfg_comm_set;	/* --comm */
const volatile char cfg_comm[NSI_COMM_LEN];
const volatile bool cfg_netns_set;	/* --netns: keys of netns_filter */
const volatile bool cfg_fib_dst_set;	/* --fib-dst PREFIX */
const volatile __u32 cfg_fib_dst;	/* network byte order, masked */
const volatile __u32 cfg_fib_mask;
const volatile bool cfg_fib_table_set;	/* --fib-table ID */
const volatile __u32 cfg_fib_table;
const volatile bool cfg_fib_errors;	/* --fib-errors */
const volatile bool cfg_fib_summary;	/* --fib-summary: count, don't stream */
/*
 * --fib-summary and no filter at all: fib_count_again() may count a lookup
 * from the per-CPU cache alone.  One flag, not seven: every rodata test
 * stays in the program as a load and a branch, on the hottest path.
 */
const volatile bool cfg_fib_count_fast;
/*
 * Events wake the reader only once this much data is waiting (0: the ring
 * buffer's default, a wake-up whenever the reader caught up).  The reader
 * also drains on a 50 ms timer, so nothing waits longer than that.
 */
const volatile __u64 cfg_wakeup_bytes;
/*
 * Keys the summary may give a slot of its own: NSI_FIB_SLOTS - 1 (slot 0
 * is the overflow slot).  User space lowers it only for the selftest that
 * shows the overflow (NETNSIGHT_TEST_FIB_SLOTS).
 */
const volatile __u32 cfg_fib_slots = NSI_FIB_SLOTS;

/* --- maps --------------------------------------------------------------- */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);	/* --ringbuf-size */
} events SEC(".maps");

/* Failed ring-buffer reservations, per CPU, per event kind. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NSI_EV_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/* Generated events (delivered + lost), per CPU, per kind. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NSI_EV_MAX);
	__type(key, __u32);
	__type(value, __u64);
} generated SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);		/* netns inode */
	__type(value, __u8);
} netns_filter SEC(".maps");

/* fib table -> namespace, learned (see fib_netns()). */
struct {
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
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NSI_FIB_SLOTS);
	__type(key, struct nsi_fib_key);
	__type(value, __u32);
} fib_slots SEC(".maps");

__u32 fib_next_slot = 1;

/* set by user space while it primes the table map (trace_session.c) */
bool priming;

/* Namespaces created while tracing: struct net * -> boottime. */
struct {
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
struct {
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

struct {
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

struct {
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

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
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
struct {
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
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} fib_unattributed SEC(".maps");

/* Threads inside ksys_unshare(), to tell unshare from setns. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u8);
} in_unshare SEC(".maps");

/* --- context ------------------------------------------------------------ */

/*
 * preempt_count: a per-CPU variable __preempt_count up to 6.1, a member of
 * the per-CPU struct pcpu_hot from 6.2 (arch/x86/include/asm/preempt.h).
 */
extern int __preempt_count __ksym __weak;
struct pcpu_hot___nsi {
	int preempt_count;
} __attribute__((preserve_access_index));
extern struct pcpu_hot___nsi pcpu_hot __ksym __weak;

static __always_inline __u32 irq_flags(void)
{
	__u32 pc;

	if (bpf_core_type_exists(struct pcpu_hot___nsi))
		pc = ((struct pcpu_hot___nsi *)bpf_this_cpu_ptr(&pcpu_hot))->preempt_count;
	else
		pc = *(int *)bpf_this_cpu_ptr(&__preempt_count);
	if (pc & (NSI_HARDIRQ_MASK | NSI_NMI_MASK))
		return NSI_F_HARDIRQ;
	if (pc & NSI_SOFTIRQ_OFFSET)
		return NSI_F_SOFTIRQ;
	return 0;
}

static __always_inline bool want(__u32 kind)
{
	return cfg_events & NSI_EV_MASK(kind);
}

static __always_inline bool task_passes_id(__u64 id)
{
	__u32 tgid = id >> 32;
	char comm[NSI_COMM_LEN];
	int i;

	if (cfg_self_tgid && tgid == cfg_self_tgid)
		return false;
	if (cfg_tgid && tgid != cfg_tgid)
		return false;
	if (cfg_comm_set) {
		bpf_get_current_comm(comm, sizeof(comm));
		for (i = 0; i < NSI_COMM_LEN; i++) {
			if (comm[i] != cfg_comm[i])
				return false;
			if (!comm[i])
				break;
		}
	}
	return true;
}

static __always_inline bool task_passes(void)
{
	return task_passes_id(bpf_get_current_pid_tgid());
}

static __always_inline bool netns_passes(__u32 a, __u32 b)
{
	if (!cfg_netns_set)
		return true;
	if (a && bpf_map_lookup_elem(&netns_filter, &a))
		return true;
	if (b && bpf_map_lookup_elem(&netns_filter, &b))
		return true;
	return false;
}

static __always_inline void netns_of(struct net *net, struct nsi_netns *out)
{
	out->ino = 0;
	out->cookie = 0;
	out->pad = 0;	/* records reach user space: no stack bytes */
	if (!net)
		return;
	out->ino = BPF_CORE_READ(net, ns.inum);
	if (bpf_core_field_exists(net->net_cookie))
		out->cookie = BPF_CORE_READ(net, net_cookie);
}

static __always_inline struct net *task_net(struct task_struct *task)
{
	return BPF_CORE_READ(task, nsproxy, net_ns);
}

static __always_inline void count(void *map, __u32 kind)
{
	__u64 *c = bpf_map_lookup_elem(map, &kind);

	if (c)
		(*c)++;
}

/*
 * On one CPU, a reader woken for every event costs far more than the event
 * (a context switch, epoll, a read, a write); batching the wake-ups is what
 * makes streaming cheap (docs/performance.md).  Only the event that takes
 * the waiting data across cfg_wakeup_bytes wakes the reader: forcing a
 * wake-up for every event above the mark would raise an irq_work each time
 * while the reader is still on its way.
 */
static __always_inline void ev_submit(struct nsi_event *e)
{
	__u64 flags = 0, avail;

	if (cfg_wakeup_bytes) {
		avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
		flags = avail >= cfg_wakeup_bytes &&
			avail < cfg_wakeup_bytes + 2 * sizeof(*e) + 16 ?
			BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	}
	bpf_ringbuf_submit(e, flags);
}

/* @cpu: bpf_get_smp_processor_id(), which the fib path already has */
static __always_inline struct nsi_event *ev_reserve_on(__u32 kind, __u32 cpu)
{
	struct task_struct *task;
	struct nsi_event *e;
	__u64 id;

	count(&generated, kind);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(&lost, kind);
		return NULL;
	}
	id = bpf_get_current_pid_tgid();
	e->hdr.ts_ns = bpf_ktime_get_boot_ns();
	e->hdr.kind = kind;
	e->hdr.cpu = cpu;
	e->hdr.pid = (__u32)id;
	e->hdr.tgid = id >> 32;
	e->hdr.flags = irq_flags();
	e->hdr.pad = 0;
	/*
	 * current->comm read in place: two loads through the trusted task
	 * pointer instead of bpf_get_current_comm()'s string copy, which cost
	 * a quarter of a streamed fib event (docs/performance.md).
	 */
	task = bpf_get_current_task_btf();
	__builtin_memcpy(e->hdr.comm, task->comm, sizeof(e->hdr.comm));
	return e;
}

static __always_inline struct nsi_event *ev_reserve(__u32 kind)
{
	return ev_reserve_on(kind, bpf_get_smp_processor_id());
}

/* --- create: copy_net_ns() ---------------------------------------------- */

static __always_inline int create_enter(unsigned long flags, void *user_ns,
					void *old_net)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct create_start s = {};

	if (!(flags & CLONE_NEWNET))
		return 0;	/* just a new reference on old_net */
	if (!want(NSI_EV_CREATE) && !want(NSI_EV_DESTROY))
		return 0;
	s.ts = bpf_ktime_get_boot_ns();
	s.old_net = (__u64)old_net;
	s.user_ns = (__u64)user_ns;
	bpf_map_update_elem(&create_start, &tid, &s, BPF_ANY);
	return 0;
}

static __always_inline int create_exit(__u64 ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct create_start *sp, s;
	struct user_namespace *uns;
	struct nsi_netns parent;
	struct nsi_event *e;
	__u64 now;
	long err;

	sp = bpf_map_lookup_elem(&create_start, &tid);
	if (!sp)
		return 0;
	s = *sp;
	bpf_map_delete_elem(&create_start, &tid);
	now = bpf_ktime_get_boot_ns();
	err = IS_ERR_VALUE(ret) ? (long)ret : 0;
	if (!err)
		bpf_map_update_elem(&born, &ret, &now, BPF_ANY);

	if (!want(NSI_EV_CREATE) || !task_passes())
		return 0;
	netns_of((struct net *)s.old_net, &parent);
	e = NULL;
	if (err) {
		if (!netns_passes(parent.ino, 0))
			return 0;
		e = ev_reserve(NSI_EV_CREATE);
		if (!e)
			return 0;
		e->hdr.netns.ino = 0;
		e->hdr.netns.cookie = 0;
		e->hdr.netns.pad = 0;
	} else {
		struct nsi_netns child;

		netns_of((struct net *)ret, &child);
		if (!netns_passes(child.ino, parent.ino))
			return 0;
		e = ev_reserve(NSI_EV_CREATE);
		if (!e)
			return 0;
		e->hdr.netns = child;
	}
	e->create.parent = parent;
	e->create.latency_ns = now - s.ts;
	uns = (struct user_namespace *)s.user_ns;
	e->create.userns_ino = BPF_CORE_READ(uns, ns.inum);
	e->create.err = err;
	ev_submit(e);
	return 0;
}

SEC("fentry/copy_net_ns")
int BPF_PROG(fentry_copy_net_ns, unsigned long flags, struct user_namespace *user_ns,
	     struct net *old_net)
{
	return create_enter(flags, user_ns, old_net);
}

SEC("fexit/copy_net_ns")
int BPF_PROG(fexit_copy_net_ns)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return create_exit(ret);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_copy_net_ns, unsigned long flags, void *user_ns, void *old_net)
{
	return create_enter(flags, user_ns, old_net);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_copy_net_ns, void *ret)
{
	return create_exit((__u64)ret);
}

/* --- destroy: cleanup_net() ... net_ns_net_exit() ----------------------- */

/*
 * When a namespace's last reference goes, __put_net() queues it for
 * cleanup_net() (a work item on netns_wq), which tears down every queued
 * namespace in one batch: ->pre_exit methods, device unregistration, then
 * ->exit methods in reverse registration order.  net_ns_net_exit() is the
 * ->exit of the first pernet subsystem ever registered (net_ns_init()), so
 * it runs last: when it is called for a namespace, that namespace's
 * teardown is done.  It is only ever called through ops->exit, so it is
 * never inlined (unlike __put_net(), which net_namespace.c's own callers
 * may inline).
 */
static __always_inline int cleanup_enter(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 now;

	if (!want(NSI_EV_DESTROY))
		return 0;
	now = bpf_ktime_get_boot_ns();
	bpf_map_update_elem(&cleanup_start, &tid, &now, BPF_ANY);
	return 0;
}

static __always_inline int netns_exit(struct net *net)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 key = (__u64)net, *born_ts, *start, now;
	struct nsi_event *e;
	struct nsi_netns ns;

	if (!want(NSI_EV_DESTROY))
		return 0;
	now = bpf_ktime_get_boot_ns();
	netns_of(net, &ns);
	born_ts = bpf_map_lookup_elem(&born, &key);
	/* none when a failed setup_net() unwinds: no cleanup_net() then */
	start = bpf_map_lookup_elem(&cleanup_start, &tid);
	if (netns_passes(ns.ino, 0)) {
		e = ev_reserve(NSI_EV_DESTROY);
		if (e) {
			e->hdr.netns = ns;
			e->destroy.lived_ns = born_ts ? now - *born_ts : 0;
			e->destroy.teardown_ns = start ? now - *start : 0;
			ev_submit(e);
		}
	}
	if (born_ts)
		bpf_map_delete_elem(&born, &key);
	return 0;
}

SEC("fentry/cleanup_net")
int BPF_PROG(fentry_cleanup_net)
{
	return cleanup_enter();
}

/* the batch is done: its worker's entry must not outlive it */
static __always_inline int cleanup_exit(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (want(NSI_EV_DESTROY))
		bpf_map_delete_elem(&cleanup_start, &tid);
	return 0;
}

SEC("fexit/cleanup_net")
int BPF_PROG(fexit_cleanup_net)
{
	return cleanup_exit();
}

SEC("fentry/net_ns_net_exit")
int BPF_PROG(fentry_netns_exit, struct net *net)
{
	return netns_exit(net);
}

/*
 * Since the namespace rework of 6.18, net_ns_ops has no ->exit: the last
 * thing cleanup_net() does for each namespace is ns_common_free(net) ->
 * __ns_common_free(&net->ns) (kernel/nscommon.c), shared by every kind of
 * namespace -- ns_common.ns_type tells them apart.
 */
struct ns_common___v618 {
	__u32 ns_type;
} __attribute__((preserve_access_index));

static __always_inline int ns_free_enter(struct ns_common *ns)
{
	struct ns_common___v618 *n = (void *)ns;

	if (!bpf_core_field_exists(n->ns_type) ||
	    BPF_CORE_READ(n, ns_type) != CLONE_NEWNET)
		return 0;
	return netns_exit((struct net *)((void *)ns - bpf_core_field_offset(struct net, ns)));
}

SEC("fentry")
int BPF_PROG(fentry_ns_free, struct ns_common *ns)
{
	return ns_free_enter(ns);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_ns_free, struct ns_common *ns)
{
	return ns_free_enter(ns);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_cleanup_net)
{
	return cleanup_enter();
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_cleanup_net)
{
	return cleanup_exit();
}

SEC("kprobe")
int BPF_KPROBE(kprobe_netns_exit, struct net *net)
{
	return netns_exit(net);
}

/* --- move: __dev_change_net_namespace() and its other names ------------- */

static __always_inline int move_enter(struct net_device *dev, struct net *dst)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct move_start s = {};

	if (!want(NSI_EV_MOVE) || !task_passes())
		return 0;
	s.ts = bpf_ktime_get_boot_ns();
	s.dev = (__u64)dev;
	netns_of(BPF_CORE_READ(dev, nd_net.net), &s.src);
	netns_of(dst, &s.dst);
	if (!netns_passes(s.src.ino, s.dst.ino))
		return 0;
	s.ifindex = BPF_CORE_READ(dev, ifindex);
	bpf_probe_read_kernel_str(s.ifname, sizeof(s.ifname), dev->name);
	bpf_map_update_elem(&move_start, &tid, &s, BPF_ANY);
	return 0;
}

static __always_inline int move_exit(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct net_device *dev;
	struct move_start *s;
	struct nsi_event *e;

	s = bpf_map_lookup_elem(&move_start, &tid);
	if (!s)
		return 0;
	/* moving a device to where it is: the kernel returns 0 at once */
	if (!ret && s->src.ino == s->dst.ino) {
		bpf_map_delete_elem(&move_start, &tid);
		return 0;
	}
	e = ev_reserve(NSI_EV_MOVE);
	if (e) {
		dev = (struct net_device *)s->dev;
		/* The namespace a move concerns is where the device went. */
		e->hdr.netns = s->dst;
		e->move.src = s->src;
		e->move.dst = s->dst;
		e->move.latency_ns = bpf_ktime_get_boot_ns() - s->ts;
		e->move.old_ifindex = s->ifindex;
		e->move.new_ifindex = BPF_CORE_READ(dev, ifindex);
		e->move.err = (int)ret;
		e->move.pad = 0;
		__builtin_memcpy(e->move.old_ifname, s->ifname, NSI_IFNAMSIZ);
		bpf_probe_read_kernel_str(e->move.new_ifname, NSI_IFNAMSIZ, dev->name);
		ev_submit(e);
	}
	bpf_map_delete_elem(&move_start, &tid);
	return 0;
}

/* attach target set at load time: the name this kernel has */
SEC("fentry")
int BPF_PROG(fentry_dev_move, struct net_device *dev, struct net *net)
{
	return move_enter(dev, net);
}

SEC("fexit")
int BPF_PROG(fexit_dev_move)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return move_exit((long)ret);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_dev_move, struct net_device *dev, struct net *net)
{
	return move_enter(dev, net);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_dev_move, long ret)
{
	return move_exit(ret);
}

/* --- fib: fib_table_lookup(), __fib_lookup() ---------------------------- */

/*
 * A fib lookup can run hundreds of thousands of times a second, so this
 * path is written for cost.  fentry/fexit programs get their arguments as
 * BTF-typed pointers and may load through them directly (the verifier
 * turns those loads into exception-safe PROBE_MEM loads: one instruction
 * each); kprobe programs get plain integers and must go through
 * bpf_probe_read_kernel().  LD() picks one or the other; @direct is a
 * compile-time constant of each inlined copy, so each program carries only
 * its own kind of load.
 */
#define LD(direct, p, f)	((direct) ? (p)->f : BPF_CORE_READ(p, f))

/*
 * Table -> namespace resolutions are looked up in the fib_tables hash map;
 * consecutive lookups nearly always use the same table, so each CPU keeps
 * its last answer.  fib_new_table()/fib_free_table() bump table_gen, which
 * retires every CPU's cached answer (a freed table's address may be reused
 * by a new table in another namespace).
 */
__u64 table_gen;

/*
 * One entry per CPU, indexed by bpf_get_smp_processor_id() (programs run
 * with migration disabled).  A plain array rather than a per-CPU one: the
 * 6.1 verifier inlines lookups in plain arrays but calls a helper for
 * per-CPU ones (percpu_array_map_gen_lookup() came later).  User space sets
 * max_entries to the number of possible CPUs.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nsi_fib_cpu);
} fib_cpu SEC(".maps");

/*
 * A new answer retires every CPU's cached one (table_gen): a CPU that was
 * counting this table's lookups as "namespace unknown" must look again.
 */
static __always_inline void learn_table(__u64 tb, struct nsi_netns *ns, __u32 id)
{
	struct nsi_table_ns v = { .cookie = ns->cookie, .ino = ns->ino, .table = id };

	bpf_map_update_elem(&fib_tables, &tb, &v, BPF_ANY);
	__sync_fetch_and_add(&table_gen, 1);
}

static __always_inline void netns_of_direct(bool direct, struct net *net,
					    struct nsi_netns *out)
{
	if (!direct) {
		netns_of(net, out);
		return;
	}
	out->ino = net->ns.inum;
	out->cookie = bpf_core_field_exists(net->net_cookie) ? net->net_cookie : 0;
	out->pad = 0;
}

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
 * Is @tb one of @net's tables?  fib_get_table() (net/ipv4/fib_frontend.c)
 * finds table @id in bucket id & (FIB_TABLE_HASHSZ - 1) of
 * net->ipv4.fib_table_hash; main and default also hang off netns_ipv4.
 * Only called when the cheaper answers failed, so a short walk is fine.
 */
#define NSI_FIB_TABLE_HASHSZ	256
#define NSI_FIB_BUCKET_WALK	8

static __always_inline bool net_has_table(struct net *net, __u64 tb, __u32 id)
{
	struct hlist_head *buckets;
	struct hlist_node *node;
	int i;

	if ((__u64)BPF_CORE_READ(net, ipv4.fib_main) == tb ||
	    (__u64)BPF_CORE_READ(net, ipv4.fib_default) == tb)
		return true;
	buckets = BPF_CORE_READ(net, ipv4.fib_table_hash);
	if (!buckets)
		return false;
	node = BPF_CORE_READ(buckets + (id & (NSI_FIB_TABLE_HASHSZ - 1)), first);
	for (i = 0; i < NSI_FIB_BUCKET_WALK && node; i++) {
		/* tb_hlist is the first member of struct fib_table */
		if ((__u64)node == tb)
			return true;
		node = BPF_CORE_READ(node, next);
	}
	return false;
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

static __always_inline __u8 fib_netns(bool direct, struct nsi_fib_cpu *last,
				      struct fib_table *tb, struct fib_result *res,
				      long ret, struct net *arg_net, __u32 table,
				      struct nsi_netns *ns)
{
	struct nsi_table_ns *known;
	__u64 key = (__u64)tb;
	struct fib_info *fi;
	struct net *net;

	ns->pad = 0;	/* every answer below fills ino and cookie */
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
		return 0;
	new = __sync_fetch_and_add(&fib_next_slot, 1);
	if (new >= cfg_fib_slots)
		return 0;
	if (bpf_map_update_elem(&fib_slots, key, &new, BPF_NOEXIST)) {
		/* another CPU added the key first: use its slot */
		slot = bpf_map_lookup_elem(&fib_slots, key);
		return slot ? *slot : 0;
	}
	return new;
}

/*
 * The CPU's last key and its slot -- the overflow slot 0 too -- are kept,
 * so the same key again costs no hash lookup.  key_tb/key_gen let
 * fib_count_again() count the next lookup of this table without deriving
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
 * --fib-summary without filters, steady state: the same table and result
 * as this CPU's last lookup is just one more count in the same slot.
 * Everything else (first sight, another key, any filter) takes fib_done().
 */
static __always_inline bool fib_count_again(struct fib_table *tb,
					    struct fib_result *res, int ret)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct nsi_fib_cpu *c;

	if (!cfg_fib_count_fast || priming)
		return false;
	c = bpf_map_lookup_elem(&fib_cpu, &cpu);
	if (!c || c->key_tb != (__u64)tb || c->key_gen != table_gen || !c->slot_set ||
	    c->key.err != ret || c->key.via != NSI_FIB_TABLE ||
	    (!ret && c->key.type != res->type) || c->slot >= NSI_FIB_SLOTS)
		return false;
	c->counts[c->slot]++;
	return true;
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
	st = bpf_map_lookup_elem(&kp_new_table, &tid);
	if (!st) {
		bpf_map_update_elem(&kp_new_table, &tid, &zero, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&kp_new_table, &tid);
		if (!st)
			return 0;
	}
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
	struct hlist_head *buckets;
	struct hlist_node *node;
	struct nsi_netns ns;
	int i;

	if (!want(NSI_EV_FIB) || !net)
		return 0;
	buckets = BPF_CORE_READ(net, ipv4.fib_table_hash);
	if (!buckets)
		return 0;
	node = BPF_CORE_READ(buckets + (RT_TABLE_LOCAL & (NSI_FIB_TABLE_HASHSZ - 1)), first);
	for (i = 0; i < NSI_FIB_BUCKET_WALK && node; i++) {
		if (BPF_CORE_READ((struct fib_table *)node, tb_id) == RT_TABLE_LOCAL) {
			netns_of(net, &ns);
			learn_table((__u64)node, &ns, RT_TABLE_LOCAL);
			break;
		}
		node = BPF_CORE_READ(node, next);
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

/* --- switch: setns(), unshare(), clone() -------------------------------- */

static __always_inline int switch_emit(struct task_struct *task, struct net *from,
				       struct net *to, __u32 how)
{
	struct nsi_netns f, t;
	struct nsi_event *e;

	netns_of(from, &f);
	netns_of(to, &t);
	if (f.ino == t.ino || !netns_passes(f.ino, t.ino))
		return 0;
	e = ev_reserve(NSI_EV_SWITCH);
	if (!e)
		return 0;
	e->hdr.netns = t;
	e->sw.from = f;
	e->sw.to = t;
	e->sw.how = how;
	e->sw.target_pid = BPF_CORE_READ(task, pid);
	ev_submit(e);
	return 0;
}

/*
 * switch_task_namespaces() (kernel/nsproxy.c) installs a task's new
 * nsproxy for setns() and unshare(); exit passes NULL (not reported).
 */
static __always_inline int switch_enter(struct task_struct *p, struct nsproxy *new)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 how = NSI_SW_SETNS;

	if (!want(NSI_EV_SWITCH) || !new || !task_passes())
		return 0;
	if (bpf_map_lookup_elem(&in_unshare, &tid))
		how = NSI_SW_UNSHARE;
	return switch_emit(p, task_net(p), BPF_CORE_READ(new, net_ns), how);
}

SEC("fentry/switch_task_namespaces")
int BPF_PROG(fentry_switch_ns, struct task_struct *p, struct nsproxy *new)
{
	return switch_enter(p, new);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_switch_ns, struct task_struct *p, struct nsproxy *new)
{
	return switch_enter(p, new);
}

static __always_inline int unshare_mark(bool enter)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u8 one = 1;

	if (!want(NSI_EV_SWITCH))
		return 0;
	if (enter)
		bpf_map_update_elem(&in_unshare, &tid, &one, BPF_ANY);
	else
		bpf_map_delete_elem(&in_unshare, &tid);
	return 0;
}

SEC("fentry/ksys_unshare")
int BPF_PROG(fentry_unshare)
{
	return unshare_mark(true);
}

SEC("fexit/ksys_unshare")
int BPF_PROG(fexit_unshare)
{
	return unshare_mark(false);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_unshare)
{
	return unshare_mark(true);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_unshare)
{
	return unshare_mark(false);
}

/*
 * clone(CLONE_NEWNET): copy_namespaces() (kernel/nsproxy.c) gives the child
 * its own nsproxy inside copy_process(), before the child even has a pid;
 * the sched_process_fork tracepoint fires once it does.  A child whose
 * namespace differs from its parent's was born into a new one.
 */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(tp_process_fork, struct task_struct *parent, struct task_struct *child)
{
	struct net *from, *to;

	if (!want(NSI_EV_SWITCH))
		return 0;
	from = task_net(parent);
	to = task_net(child);
	if (from == to || !task_passes())
		return 0;
	return switch_emit(child, from, to, NSI_SW_CLONE);
}
