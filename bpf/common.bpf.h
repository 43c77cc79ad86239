/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * netnsight trace - what every BPF file of the tracer shares: the kernel
 * headers, the configuration user space writes before load, the filters,
 * the namespace identity of a struct net, and reserving and submitting
 * ring-buffer records.  Everything here is __always_inline: each program
 * gets its own copy, and the hot paths no function call.
 *
 * The tracer is several objects, one per feature, linked into one by
 * `bpftool gen object` (Makefile), which is what the skeleton is made from
 * (user/trace_session.c): maps and globals are defined once, in maps.bpf.c,
 * and declared extern everywhere else (the pattern of the kernel's
 * selftests progs/linked_maps*.c and linked_vars*.c).  A map's declaration
 * and definition must be the same text: maps.bpf.h is both, by
 * NSI_DEFINE_MAPS.
 */
#ifndef __NETNSIGHT_COMMON_BPF_H
#define __NETNSIGHT_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "netnsight_events.h"

/* every object of the link says the same; the linker checks it */
char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* maps.bpf.h: extern everywhere but in maps.bpf.c, which defines them */
#ifdef NSI_DEFINE_MAPS
#define NSI_EXTERN
#else
#define NSI_EXTERN extern
#endif

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
extern const volatile __u32 cfg_events;
extern const volatile __u32 cfg_self_tgid;	/* never report the tracer itself */
extern const volatile __u32 cfg_tgid;		/* --pid */
extern const volatile bool cfg_comm_set;	/* --comm */
extern const volatile char cfg_comm[NSI_COMM_LEN];
extern const volatile bool cfg_netns_set;	/* --netns: keys of netns_filter */
extern const volatile bool cfg_fib_dst_set;	/* --fib-dst PREFIX */
extern const volatile __u32 cfg_fib_dst;	/* network byte order, masked */
extern const volatile __u32 cfg_fib_mask;
extern const volatile bool cfg_fib_table_set;	/* --fib-table ID */
extern const volatile __u32 cfg_fib_table;
extern const volatile bool cfg_fib_errors;	/* --fib-errors */
extern const volatile bool cfg_fib_summary;	/* --fib-summary: count, don't stream */
/*
 * --fib-summary and no filter at all: fib_count_underived() may count a lookup
 * from the per-CPU cache alone.  One flag, not seven: every rodata test
 * stays in the program as a load and a branch, on the hottest path.
 */
extern const volatile bool cfg_fib_count_fast;
/*
 * Events wake the reader only once this much data is waiting (0: the ring
 * buffer's default, a wake-up whenever the reader caught up).  The reader
 * also drains on a 50 ms timer, so nothing waits longer than that.
 */
extern const volatile __u64 cfg_wakeup_bytes;
/*
 * Keys the summary may give a slot of its own: NSI_FIB_SLOTS - 1 (slot 0
 * is the overflow slot).  User space lowers it only for the selftest that
 * shows the overflow (NETNSIGHT_TEST_FIB_SLOTS).
 */
extern const volatile __u32 cfg_fib_slots;

#include "maps.bpf.h"

/* --- context ------------------------------------------------------------ */

#ifndef NSI_IRQ_FROM_TRACEPOINTS
/*
 * preempt_count: a per-CPU variable __preempt_count up to 6.1 and again
 * from 6.15, a member of the per-CPU struct pcpu_hot from 6.2 to 6.14
 * (arch/x86/include/asm/preempt.h).  Both are __ksym variables: their
 * addresses come from kallsyms, so this build needs CONFIG_KALLSYMS_ALL
 * (irq_ctx.bpf.c is the other build).
 */
extern int __preempt_count __ksym __weak;
struct pcpu_hot___nsi {
	int preempt_count;
} __attribute__((preserve_access_index));
extern struct pcpu_hot___nsi pcpu_hot __ksym __weak;

static __always_inline __u32 irq_flags(__u32 cpu)
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
#else
/* The context the irq tracepoints recorded for @cpu, ours (irq_ctx.bpf.c). */
static __always_inline __u32 irq_flags(__u32 cpu)
{
	struct nsi_irq_ctx *c = bpf_map_lookup_elem(&irq_ctx, &cpu);

	if (!c)
		return 0;
	if (c->hardirq)
		return NSI_F_HARDIRQ;
	if (c->softirq)
		return NSI_F_SOFTIRQ;
	return 0;
}
#endif

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

/* The entry of @key in hash @map, made from @zero if there was none. */
static __always_inline void *lookup_or_init(void *map, const void *key, const void *zero)
{
	void *v = bpf_map_lookup_elem(map, key);

	if (v)
		return v;
	bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(map, key);
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
	e->hdr.flags = irq_flags(cpu);
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
#define LD(direct, p, f) ({						\
	typeof(p) __ld_p = (p);	/* not inside the CO-RE access: @p may be */ \
				/* a member of our own struct (fib_call) */	\
	(direct) ? __ld_p->f : BPF_CORE_READ(__ld_p, f);		\
})

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

#endif /* __NETNSIGHT_COMMON_BPF_H */
