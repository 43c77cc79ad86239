// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight trace - which kernel function each hook uses, and how.
 *
 * Per hook, at start: fentry/fexit if the kernel accepts a BPF trampoline
 * program for the function (we load a do-nothing fentry program against its
 * BTF id, as libbpf-tools' fentry_can_attach() does: the verifier checks
 * the function exists, is not inlined away and has a usable prototype),
 * else kprobe/kretprobe if the symbol is in /proc/kallsyms, else the hook
 * is missing: a warning names it and the rest runs.  --probe-mode forces
 * one kind.  Loading, not attaching, keeps start-up fast: each trampoline
 * attach or detach waits for an RCU-tasks grace period.
 *
 * Function names differ between kernels; each hook lists its candidates,
 * first match wins (one only, so a wrapper and its callee are never both
 * counted):
 *   move: netif_change_net_namespace (newer trees), __dev_change_net_namespace
 *         (6.1 .. 6.x, where dev_change_net_namespace is a static inline),
 *         dev_change_net_namespace (older kernels)
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "netnsight.skel.h"
#include "trace.h"
#include "util.h"

/*
 * A program of the skeleton, by its offset in struct netnsight_bpf: its
 * bpf_program in progs, its bpf_link in links (same name, so
 * netnsight_bpf__destroy() is the only teardown).  0: none.
 */
struct hook_prog {
	size_t prog;
	size_t link;
};

#define PROG(name) { offsetof(struct netnsight_bpf, progs.name), \
		     offsetof(struct netnsight_bpf, links.name) }
#define NO_PROG { 0, 0 }

/*
 * One row per hook: what it traces, the kernel functions it may attach to
 * (first that works wins), the events that need it, and its programs for
 * each mechanism.  The attach code, `trace -v` and the lab read this table
 * and nothing else; what was decided for one session is a struct
 * trace_plan (trace.h).
 */
struct hook {
	const char *what;		/* for messages */
	const char *funcs[TRACE_HOOK_FUNCS];
	const char *file;		/* where the functions are, in 6.1 .. 7.x */
	uint32_t events;		/* needed when any of these is traced */
	struct hook_prog entry_fentry, exit_fentry;
	struct hook_prog entry_kprobe, exit_kprobe;
	struct hook_prog tracepoint;	/* a tracepoint hook: both modes */
	const char *instead_of;	/* used only where this hook's function is missing */
	bool irq_tp;		/* used only by the build without preempt_count */
};

#define EV(k) NSI_EV_MASK(NSI_EV_##k)

static const struct hook hooks[] = {
	{ "namespace creation", { "copy_net_ns" }, "net/core/net_namespace.c",
	  EV(CREATE) | EV(DESTROY),
	  PROG(fentry_copy_net_ns), PROG(fexit_copy_net_ns),
	  PROG(kprobe_copy_net_ns), PROG(kretprobe_copy_net_ns) },
	{ "namespace cleanup", { "cleanup_net" }, "net/core/net_namespace.c", EV(DESTROY),
	  PROG(fentry_cleanup_net), PROG(fexit_cleanup_net),
	  PROG(kprobe_cleanup_net), PROG(kretprobe_cleanup_net) },
	{ "namespace exit", { "net_ns_net_exit" }, "net/core/net_namespace.c", EV(DESTROY),
	  PROG(fentry_netns_exit), NO_PROG, PROG(kprobe_netns_exit), NO_PROG },
	/* 6.18+: net_ns_net_exit() is gone; only then is this one needed */
	{ "namespace free", { "__ns_common_free" }, "kernel/nscommon.c", EV(DESTROY),
	  PROG(fentry_ns_free), NO_PROG, PROG(kprobe_ns_free), NO_PROG,
	  .instead_of = "net_ns_net_exit" },
	{ "device move", { "netif_change_net_namespace", "__dev_change_net_namespace",
			   "dev_change_net_namespace" }, "net/core/dev.c", EV(MOVE),
	  PROG(fentry_dev_move), PROG(fexit_dev_move),
	  PROG(kprobe_dev_move), PROG(kretprobe_dev_move) },
	{ "fib table lookup", { "fib_table_lookup" }, "net/ipv4/fib_trie.c", EV(FIB),
	  NO_PROG, PROG(fexit_fib_table_lookup),
	  PROG(kprobe_fib_table_lookup), PROG(kretprobe_fib_table_lookup) },
	{ "fib rules lookup", { "__fib_lookup" }, "net/ipv4/fib_rules.c", EV(FIB),
	  NO_PROG, PROG(fexit_fib_rules_lookup),
	  PROG(kprobe_fib_rules_lookup), PROG(kretprobe_fib_rules_lookup) },
	{ "fib table creation", { "fib_new_table" }, "net/ipv4/fib_frontend.c", EV(FIB),
	  NO_PROG, PROG(fexit_fib_new_table),
	  PROG(kprobe_fib_new_table), PROG(kretprobe_fib_new_table) },
	{ "fib table release", { "fib_free_table" }, "net/ipv4/fib_trie.c", EV(FIB),
	  PROG(fentry_fib_free_table), NO_PROG, PROG(kprobe_fib_free_table), NO_PROG },
	{ "fib table unmerge", { "fib_unmerge" }, "net/ipv4/fib_frontend.c", EV(FIB),
	  NO_PROG, PROG(fexit_fib_unmerge),
	  PROG(kprobe_fib_unmerge), PROG(kretprobe_fib_unmerge) },
	{ "namespace switch", { "switch_task_namespaces" }, "kernel/nsproxy.c", EV(SWITCH),
	  PROG(fentry_switch_ns), NO_PROG, PROG(kprobe_switch_ns), NO_PROG },
	{ "unshare", { "ksys_unshare" }, "kernel/fork.c", EV(SWITCH),
	  PROG(fentry_unshare), PROG(fexit_unshare),
	  PROG(kprobe_unshare), PROG(kretprobe_unshare) },
	{ "clone", { "sched_process_fork" }, "kernel/fork.c", EV(SWITCH),
	  NO_PROG, NO_PROG, NO_PROG, NO_PROG, PROG(tp_process_fork) },
	/* every event's context, where preempt_count is out of reach (irq_ctx.bpf.c) */
	{ "softirq entry", { "softirq_entry" }, "kernel/softirq.c", NSI_EV_ALL,
	  NO_PROG, NO_PROG, NO_PROG, NO_PROG, PROG(tp_softirq_entry), .irq_tp = true },
	{ "softirq exit", { "softirq_exit" }, "kernel/softirq.c", NSI_EV_ALL,
	  NO_PROG, NO_PROG, NO_PROG, NO_PROG, PROG(tp_softirq_exit), .irq_tp = true },
	{ "irq handler entry", { "irq_handler_entry" }, "kernel/irq/handle.c", NSI_EV_ALL,
	  NO_PROG, NO_PROG, NO_PROG, NO_PROG, PROG(tp_irq_entry), .irq_tp = true },
	{ "irq handler exit", { "irq_handler_exit" }, "kernel/irq/handle.c", NSI_EV_ALL,
	  NO_PROG, NO_PROG, NO_PROG, NO_PROG, PROG(tp_irq_exit), .irq_tp = true },
};

/* struct trace_plan is sized by NSI_NR_HOOKS: keep the two in step */
_Static_assert(ARRAY_SIZE(hooks) == NSI_NR_HOOKS, "NSI_NR_HOOKS is not the number of hooks");

static struct bpf_program *hook_prog(struct netnsight_bpf *skel, struct hook_prog p)
{
	return p.prog ? *(struct bpf_program **)((char *)skel + p.prog) : NULL;
}

static struct bpf_link **hook_link(struct netnsight_bpf *skel, struct hook_prog p)
{
	return (struct bpf_link **)((char *)skel + p.link);
}

/* "fentry + fexit", "fexit", ...: the programs a row has for one mechanism */
static const char *mode_words(struct hook_prog entry, struct hook_prog exit,
			      const char *both, const char *e, const char *x)
{
	if (entry.prog && exit.prog)
		return both;
	return entry.prog ? e : exit.prog ? x : "-";
}

int trace_hook_info(unsigned int i, struct trace_hook_info *out)
{
	const struct hook *h;

	if (i >= NSI_NR_HOOKS)
		return -1;
	h = &hooks[i];
	memset(out, 0, sizeof(*out));
	out->what = h->what;
	memcpy(out->funcs, h->funcs, sizeof(out->funcs));
	out->file = h->file;
	out->events = h->events;
	out->instead_of = h->instead_of;
	out->irq_tp = h->irq_tp;
	if (h->tracepoint.prog) {
		out->fentry_mode = out->kprobe_mode = "raw tracepoint";
		return 0;
	}
	out->fentry_mode = mode_words(h->entry_fentry, h->exit_fentry, "fentry + fexit",
				      "fentry", "fexit");
	out->kprobe_mode = mode_words(h->entry_kprobe, h->exit_kprobe, "kprobe + kretprobe",
				      "kprobe", "kretprobe");
	return 0;
}

/* errno of the last do-nothing fentry program the kernel refused, else 0 */
static int fentry_refused;

/*
 * Can libbpf make kprobes here at all: the kprobe PMU (4.17+), or the
 * legacy tracefs kprobe_events file (CONFIG_KPROBES, CONFIG_KPROBE_EVENTS)?
 */
static bool kprobes_exist(void)
{
	return !access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
	       !access("/sys/kernel/tracing/kprobe_events", F_OK) ||
	       !access("/sys/kernel/debug/tracing/kprobe_events", F_OK);
}

/* Does the kernel load a do-nothing fentry program for @func? */
static bool fentry_works(const struct btf *vmlinux, const char *func)
{
	const struct bpf_insn insns[] = {
		{ .code = 0xb7, .dst_reg = 0, .imm = 0 },	/* r0 = 0 */
		{ .code = 0x95 },				/* exit */
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = BPF_TRACE_FENTRY);
	int id, prog;

	id = btf__find_by_name_kind(vmlinux, func, BTF_KIND_FUNC);
	if (id <= 0)
		return false;
	opts.attach_btf_id = (uint32_t)id;
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "nsi_probe", "GPL", insns,
			     ARRAY_SIZE(insns), &opts);
	if (prog < 0) {
		fentry_refused = -prog;	/* for the message if nothing else works */
		return false;
	}
	close(prog);
	return true;
}

/* Is @name in /proc/kallsyms with one of the @types ("tT": a function)? */
static bool kallsyms_has(const char *text, const char *name, const char *types)
{
	size_t len = strlen(name);
	const char *p = text;

	/* lines: "ADDR T name [module]" */
	while ((p = strstr(p, name))) {
		if (p > text + 2 && p[-1] == ' ' && p[-3] == ' ' && strchr(types, p[-2]) &&
		    (p[len] == '\n' || p[len] == '\0' || p[len] == '\t' || p[len] == ' '))
			return true;
		p += len;
	}
	return false;
}

/* Functions a kprobe can attach to: named in /proc/kallsyms. */
static bool in_kallsyms(const char *text, const char *func)
{
	return kallsyms_has(text, func, "tT");
}

/*
 * Can the verifier resolve the preempt_count __ksym of bpf/common.bpf.h?
 * check_pseudo_btf_id() looks the variable up with kallsyms_lookup_name(),
 * which knows variables only with CONFIG_KALLSYMS_ALL.  The variable is
 * whichever of pcpu_hot (6.2 .. 6.14) and __preempt_count the kernel's BTF
 * has -- the one the program's bpf_core_type_exists() test picks.
 */
static const char *preempt_count_ksym(const char **var)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	char *kallsyms = read_file("/proc/kallsyms", NULL);
	const char *why = NULL;

	*var = vmlinux && btf__find_by_name_kind(vmlinux, "pcpu_hot", BTF_KIND_VAR) > 0 ?
	       "pcpu_hot" : "__preempt_count";
	if (!vmlinux)
		why = "no kernel BTF";
	else if (!kallsyms)
		why = "cannot read /proc/kallsyms";
	else if (!kallsyms_has(kallsyms, *var, "dDbBaA"))
		why = "not in /proc/kallsyms (no CONFIG_KALLSYMS_ALL)";
	btf__free(vmlinux);
	free(kallsyms);
	return why;
}

bool trace_irq_from_tracepoints(int verbose)
{
	const char *var, *why = preempt_count_ksym(&var);

	if (getenv("NETNSIGHT_TEST_IRQ_TRACEPOINTS"))
		why = "NETNSIGHT_TEST_IRQ_TRACEPOINTS is set";
	if (verbose && why)
		fprintf(stderr, "netnsight: context from the irq tracepoints: %s %s\n", var, why);
	else if (verbose)
		fprintf(stderr, "netnsight: context from preempt_count (%s)\n", var);
	return why != NULL;
}

static bool hook_is_on(const struct trace_plan *plan, const char *func)
{
	size_t i;

	for (i = 0; i < NSI_NR_HOOKS; i++)
		if (!strcmp(hooks[i].funcs[0], func))
			return plan->how[i] != HOOK_OFF;
	return false;
}

/* Will another hook stand in for @func if it is missing? */
static bool has_alternative(const char *func)
{
	size_t i;

	for (i = 0; i < NSI_NR_HOOKS; i++)
		if (hooks[i].instead_of && !strcmp(hooks[i].instead_of, func))
			return true;
	return false;
}

static void set_autoload(struct netnsight_bpf *skel, struct hook_prog p, bool on)
{
	struct bpf_program *prog = hook_prog(skel, p);

	if (prog)
		bpf_program__set_autoload(prog, on);
}

const char *trace_hook_mode_name(int how)
{
	return how == HOOK_FENTRY ? "fentry/fexit" : how == HOOK_KPROBE ? "kprobe/kretprobe" :
	       how == HOOK_TP ? "raw tracepoint" : "off";
}

/* Which function and mechanism hook @i uses on this kernel, if any. */
static void decide(const struct hook *h, const struct trace_config *cfg,
		   const struct btf *vmlinux, const char *kallsyms,
		   const char **func, enum trace_hook_how *how)
{
	size_t j;

	if (h->tracepoint.prog) {
		/* a tracepoint is stable ABI: same in every mode */
		*how = HOOK_TP;
		*func = h->funcs[0];
		return;
	}
	for (j = 0; j < TRACE_HOOK_FUNCS && h->funcs[j]; j++) {
		const char *f = h->funcs[j];

		if (cfg->mode != PROBE_KPROBE && vmlinux && fentry_works(vmlinux, f)) {
			*how = HOOK_FENTRY;
			*func = f;
			return;
		}
		if (cfg->mode != PROBE_FENTRY && kallsyms && in_kallsyms(kallsyms, f)) {
			*how = HOOK_KPROBE;
			*func = f;
			return;
		}
	}
}

/* Load only the programs of the mechanism chosen, aimed at the function chosen. */
static void configure_programs(struct netnsight_bpf *skel, const struct hook *h,
			       const char *func, enum trace_hook_how how)
{
	struct bpf_program *p;

	set_autoload(skel, h->entry_fentry, how == HOOK_FENTRY);
	set_autoload(skel, h->exit_fentry, how == HOOK_FENTRY);
	set_autoload(skel, h->entry_kprobe, how == HOOK_KPROBE);
	set_autoload(skel, h->exit_kprobe, how == HOOK_KPROBE);
	set_autoload(skel, h->tracepoint, how == HOOK_TP);
	if (how != HOOK_FENTRY)
		return;
	p = hook_prog(skel, h->entry_fentry);
	if (p)
		bpf_program__set_attach_target(p, 0, func);
	p = hook_prog(skel, h->exit_fentry);
	if (p)
		bpf_program__set_attach_target(p, 0, func);
}

/*
 * No function hook at all, though some were wanted: the kernel refuses both
 * mechanisms.  One line that says why, instead of a warning per hook.
 */
static int no_mechanism(const struct trace_config *cfg, bool kprobes, const char *kallsyms)
{
	char fentry[96];

	if (cfg->mode == PROBE_KPROBE)
		snprintf(fentry, sizeof(fentry), "fentry was not tried (--probe-mode kprobe)");
	else if (fentry_refused)
		snprintf(fentry, sizeof(fentry), "the kernel refuses BPF trampoline programs "
			 "(fentry: %s)", strerror(fentry_refused));
	else
		snprintf(fentry, sizeof(fentry), "no traced function is in the kernel's BTF");
	errmsg("the kernel lets the tracer hook none of its functions: %s, and %s", fentry,
	       cfg->mode == PROBE_FENTRY ? "kprobes were not tried (--probe-mode fentry)" :
	       !kprobes ? "it has no kprobes (no /sys/bus/event_source/devices/kprobe: "
			  "CONFIG_KPROBES)" :
	       !kallsyms ? "/proc/kallsyms cannot be read" :
	       "none of the functions is in /proc/kallsyms");
	return -ENOTSUP;
}

/* After the decisions: a warning per wanted hook left off, and -v's list. */
static void report_plan(const struct trace_config *cfg, const struct trace_plan *plan,
			const bool *want)
{
	size_t i;

	for (i = 0; i < NSI_NR_HOOKS; i++) {
		const struct hook *h = &hooks[i];

		if (want[i] && plan->how[i] == HOOK_OFF && !has_alternative(h->funcs[0]))
			warnmsg("cannot trace %s: kernel function %s%s is not available%s; "
				"continuing without it", h->what, h->funcs[0],
				h->funcs[1] ? " (nor its other names)" : "",
				cfg->mode == PROBE_AUTO ? "" :
				cfg->mode == PROBE_FENTRY ? " to fentry" : " to kprobes");
		if (cfg->verbose && want[i])
			fprintf(stderr, "netnsight: hook %-20s %-28s %s\n", h->what,
				plan->func[i] ? plan->func[i] : h->funcs[0],
				trace_hook_mode_name(plan->how[i]));
	}
}

int trace_attach_plan(struct netnsight_bpf *skel, const struct trace_config *cfg,
		      bool irq_tp, struct trace_plan *plan)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	char *kallsyms = read_file("/proc/kallsyms", NULL);
	bool kprobes = kprobes_exist(), want[NSI_NR_HOOKS];
	size_t i, funcs_wanted = 0, funcs_on = 0;
	int err = 0;

	memset(plan, 0, sizeof(*plan));
	plan->irq_tp = irq_tp;
	for (i = 0; i < NSI_NR_HOOKS; i++) {
		const struct hook *h = &hooks[i];

		want[i] = cfg->events & h->events && (!h->irq_tp || irq_tp);
		/* an alternative, used only where the preferred hook is missing */
		if (h->instead_of && hook_is_on(plan, h->instead_of))
			want[i] = false;
		if (want[i])
			decide(h, cfg, vmlinux, kprobes ? kallsyms : NULL,
			       &plan->func[i], &plan->how[i]);
		configure_programs(skel, h, plan->func[i], plan->how[i]);
		if (want[i] && !h->tracepoint.prog) {
			funcs_wanted++;
			funcs_on += plan->how[i] != HOOK_OFF;
		}
	}
	if (funcs_wanted && !funcs_on)
		err = no_mechanism(cfg, kprobes, kallsyms);
	else
		report_plan(cfg, plan, want);
	btf__free(vmlinux);
	free(kallsyms);
	return err;
}

static int attach_prog(struct netnsight_bpf *skel, struct hook_prog p,
		       const char *kfunc, bool retprobe)
{
	struct bpf_program *prog = hook_prog(skel, p);
	struct bpf_link *link;

	if (!prog)
		return 0;
	link = kfunc ? bpf_program__attach_kprobe(prog, retprobe, kfunc) :
		       bpf_program__attach(prog);
	if (!link)
		return -errno;
	*hook_link(skel, p) = link;
	return 1;
}

static void detach_prog(struct netnsight_bpf *skel, struct hook_prog p)
{
	struct bpf_link **l;

	if (!p.prog)
		return;
	l = hook_link(skel, p);
	bpf_link__destroy(*l);
	*l = NULL;
}

/* 0 or -errno; never leaves half a hook (an entry without its exit). */
static int attach_one(struct netnsight_bpf *skel, const struct hook *h,
		      const char *func, enum trace_hook_how how, int *nlinks)
{
	struct hook_prog entry = how == HOOK_FENTRY ? h->entry_fentry :
				 how == HOOK_KPROBE ? h->entry_kprobe : h->tracepoint;
	struct hook_prog exit = how == HOOK_FENTRY ? h->exit_fentry :
				how == HOOK_KPROBE ? h->exit_kprobe : (struct hook_prog)NO_PROG;
	const char *kfunc = how == HOOK_KPROBE ? func : NULL;
	int a, b = 0;

	a = attach_prog(skel, entry, kfunc, false);
	if (a >= 0)
		b = attach_prog(skel, exit, kfunc, true);
	if (a < 0 || b < 0) {
		detach_prog(skel, entry);
		return a < 0 ? a : b;
	}
	*nlinks += a + b;
	return 0;
}

int trace_attach(struct netnsight_bpf *skel, const struct trace_plan *plan,
		 const struct trace_config *cfg)
{
	size_t i, attached = 0;
	int err, nlinks = 0;

	for (i = 0; i < NSI_NR_HOOKS; i++) {
		if (plan->how[i] == HOOK_OFF)
			continue;
		err = attach_one(skel, &hooks[i], plan->func[i], plan->how[i], &nlinks);
		if (err) {
			warnmsg("cannot attach to %s (%s): %s; continuing without it",
				plan->func[i], trace_hook_mode_name(plan->how[i]),
				strerror(-err));
			continue;
		}
		attached++;
	}
	if (!attached) {
		errmsg("could not attach to any kernel function");
		return -ENOENT;
	}
	if (cfg->verbose)
		fprintf(stderr, "netnsight: %d programs attached\n", nlinks);
	return 0;
}
