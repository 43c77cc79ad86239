// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * netnsight trace - which context an event ran in, on kernels whose
 * preempt_count cannot be read.
 *
 * Hooks (raw tracepoints, stable ABI, the same in every probe mode):
 *   softirq_entry / softirq_exit       kernel/softirq.c handle_softirqs()
 *   irq_handler_entry / irq_handler_exit  kernel/irq/handle.c
 *                                      __handle_irq_event_percpu()
 *
 * irq_flags() (common.bpf.h) normally reads the CPU's preempt_count, a
 * per-CPU variable the programs name as a __ksym.  The verifier resolves a
 * __ksym's address through kallsyms, which lists variables only with
 * CONFIG_KALLSYMS_ALL: without it the whole object is refused at load.  So
 * the tracer is built twice (Makefile: netnsight.bpf.o and
 * netnsight_tp.bpf.o, the same maps, globals and programs), and the second
 * build (NSI_IRQ_FROM_TRACEPOINTS) learns the context from these
 * tracepoints instead: user space picks the build at load time
 * (trace_session.c) and attaches these programs only for it.
 *
 * What they see: every softirq, in any thread -- also PREEMPT_RT's, which
 * run in ksoftirqd and keep their count outside preempt_count -- and the
 * handlers of device interrupts.  Not NMIs, nor the local APIC's own
 * interrupts (timer, IPIs), none of which runs the functions we trace.
 */
#include "common.bpf.h"

static __always_inline int irq_ctx_set(bool softirq, __u32 on)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct nsi_irq_ctx *c = bpf_map_lookup_elem(&irq_ctx, &cpu);

	if (!c)
		return 0;
	/* neither nests on one CPU: a flag, so an exit seen first cannot skew it */
	if (softirq)
		c->softirq = on;
	else
		c->hardirq = on;
	return 0;
}

SEC("raw_tp/softirq_entry")
int BPF_PROG(tp_softirq_entry, unsigned int vec_nr)
{
	return irq_ctx_set(true, 1);
}

SEC("raw_tp/softirq_exit")
int BPF_PROG(tp_softirq_exit, unsigned int vec_nr)
{
	return irq_ctx_set(true, 0);
}

SEC("raw_tp/irq_handler_entry")
int BPF_PROG(tp_irq_entry, int irq, struct irqaction *action)
{
	return irq_ctx_set(false, 1);
}

SEC("raw_tp/irq_handler_exit")
int BPF_PROG(tp_irq_exit, int irq, struct irqaction *action, int ret)
{
	return irq_ctx_set(false, 0);
}
