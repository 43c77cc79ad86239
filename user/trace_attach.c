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

#define MAX_FUNCS 3

struct hook {
	const char *what;		/* for messages */
	const char *funcs[MAX_FUNCS];
	uint32_t events;		/* needed when any of these is traced */
	/* program offsets in the skeleton's progs struct (NULL-able) */
	struct bpf_program **entry_fentry, **exit_fentry;
	struct bpf_program **entry_kprobe, **exit_kprobe;
	struct bpf_program **tracepoint;	/* a tracepoint hook: both modes */
	const char *instead_of;	/* used only where this hook's function is missing */
	/* decided */
	const char *func;
	enum { HOOK_OFF, HOOK_FENTRY, HOOK_KPROBE, HOOK_TP } how;
};

struct trace_links {
	struct bpf_link *links[64];
	int n;
};

#define EV(k) NSI_EV_MASK(NSI_EV_##k)

static struct hook hooks[] = {
	{ "namespace creation", { "copy_net_ns" }, EV(CREATE) | EV(DESTROY) },
	{ "namespace cleanup", { "cleanup_net" }, EV(DESTROY) },
	{ "namespace exit", { "net_ns_net_exit" }, EV(DESTROY) },
	/* 6.18+: net_ns_net_exit() is gone; only then is this one needed */
	{ "namespace free", { "__ns_common_free" }, EV(DESTROY), .instead_of = "net_ns_net_exit" },
	{ "device move", { "netif_change_net_namespace", "__dev_change_net_namespace",
			   "dev_change_net_namespace" }, EV(MOVE) },
	{ "fib table lookup", { "fib_table_lookup" }, EV(FIB) },
	{ "fib rules lookup", { "__fib_lookup" }, EV(FIB) },
	{ "fib table creation", { "fib_new_table" }, EV(FIB) },
	{ "fib table release", { "fib_free_table" }, EV(FIB) },
	{ "fib table unmerge", { "fib_unmerge" }, EV(FIB) },
	{ "namespace switch", { "switch_task_namespaces" }, EV(SWITCH) },
	{ "unshare", { "ksys_unshare" }, EV(SWITCH) },
	{ "clone", { "sched_process_fork" }, EV(SWITCH) },
};

static void bind_programs(struct netnsight_bpf *skel)
{
	struct {
		struct bpf_program **ef, **xf, **ek, **xk, **tp;
	} p[] = {
		{ &skel->progs.fentry_copy_net_ns, &skel->progs.fexit_copy_net_ns,
		  &skel->progs.kprobe_copy_net_ns, &skel->progs.kretprobe_copy_net_ns },
		{ &skel->progs.fentry_cleanup_net, &skel->progs.fexit_cleanup_net,
		  &skel->progs.kprobe_cleanup_net, &skel->progs.kretprobe_cleanup_net },
		{ &skel->progs.fentry_netns_exit, NULL, &skel->progs.kprobe_netns_exit, NULL },
		{ &skel->progs.fentry_ns_free, NULL, &skel->progs.kprobe_ns_free, NULL },
		{ &skel->progs.fentry_dev_move, &skel->progs.fexit_dev_move,
		  &skel->progs.kprobe_dev_move, &skel->progs.kretprobe_dev_move },
		{ NULL, &skel->progs.fexit_fib_table_lookup,
		  &skel->progs.kprobe_fib_table_lookup, &skel->progs.kretprobe_fib_table_lookup },
		{ NULL, &skel->progs.fexit_fib_rules_lookup,
		  &skel->progs.kprobe_fib_rules_lookup, &skel->progs.kretprobe_fib_rules_lookup },
		{ NULL, &skel->progs.fexit_fib_new_table,
		  &skel->progs.kprobe_fib_new_table, &skel->progs.kretprobe_fib_new_table },
		{ &skel->progs.fentry_fib_free_table, NULL, &skel->progs.kprobe_fib_free_table, NULL },
		{ NULL, &skel->progs.fexit_fib_unmerge,
		  &skel->progs.kprobe_fib_unmerge, &skel->progs.kretprobe_fib_unmerge },
		{ &skel->progs.fentry_switch_ns, NULL, &skel->progs.kprobe_switch_ns, NULL },
		{ &skel->progs.fentry_unshare, &skel->progs.fexit_unshare,
		  &skel->progs.kprobe_unshare, &skel->progs.kretprobe_unshare },
		{ NULL, NULL, NULL, NULL, &skel->progs.tp_process_fork },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		hooks[i].entry_fentry = p[i].ef;
		hooks[i].exit_fentry = p[i].xf;
		hooks[i].entry_kprobe = p[i].ek;
		hooks[i].exit_kprobe = p[i].xk;
		hooks[i].tracepoint = p[i].tp;
		hooks[i].func = NULL;
		hooks[i].how = HOOK_OFF;
	}
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
	if (prog < 0)
		return false;
	close(prog);
	return true;
}

/* Functions a kprobe can attach to: named in /proc/kallsyms. */
static bool in_kallsyms(const char *text, const char *func)
{
	size_t len = strlen(func);
	const char *p = text;

	/* lines: "ADDR T name [module]" */
	while ((p = strstr(p, func))) {
		if (p > text + 2 && p[-1] == ' ' && (p[-2] == 't' || p[-2] == 'T') &&
		    (p[len] == '\n' || p[len] == '\0' || p[len] == '\t' || p[len] == ' '))
			return true;
		p += len;
	}
	return false;
}

static bool hook_is_on(const char *func)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hooks); i++)
		if (!strcmp(hooks[i].funcs[0], func))
			return hooks[i].how != HOOK_OFF;
	return false;
}

/* Will another hook stand in for @func if it is missing? */
static bool has_alternative(const char *func)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hooks); i++)
		if (hooks[i].instead_of && !strcmp(hooks[i].instead_of, func))
			return true;
	return false;
}

static void set_autoload(struct bpf_program **pp, bool on)
{
	if (pp && *pp)
		bpf_program__set_autoload(*pp, on);
}

static const char *hook_mode_name(int how)
{
	return how == HOOK_FENTRY ? "fentry/fexit" : how == HOOK_KPROBE ? "kprobe/kretprobe" :
	       how == HOOK_TP ? "raw tracepoint" : "off";
}

int trace_attach_plan(struct netnsight_bpf *skel, const struct trace_config *cfg)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	char *kallsyms = read_file("/proc/kallsyms", NULL);
	size_t i, j, active = 0;

	bind_programs(skel);
	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		struct hook *h = &hooks[i];
		bool want = cfg->events & h->events;

		/* an alternative, used only where the preferred hook is missing */
		if (h->instead_of && hook_is_on(h->instead_of))
			want = false;

		if (want && h->tracepoint) {
			/* a tracepoint is stable ABI: same in every mode */
			h->how = HOOK_TP;
			h->func = h->funcs[0];
		}
		for (j = 0; want && j < MAX_FUNCS && h->funcs[j] && h->how == HOOK_OFF; j++) {
			const char *f = h->funcs[j];

			if (cfg->mode != PROBE_KPROBE && vmlinux && fentry_works(vmlinux, f)) {
				h->how = HOOK_FENTRY;
				h->func = f;
			} else if (cfg->mode != PROBE_FENTRY && kallsyms && in_kallsyms(kallsyms, f)) {
				h->how = HOOK_KPROBE;
				h->func = f;
			}
		}
		if (want && h->how == HOOK_OFF && !has_alternative(h->funcs[0]))
			warnmsg("cannot trace %s: kernel function %s%s is not available%s; "
				"continuing without it", h->what, h->funcs[0],
				h->funcs[1] ? " (nor its other names)" : "",
				cfg->mode == PROBE_AUTO ? "" :
				cfg->mode == PROBE_FENTRY ? " to fentry" : " to kprobes");
		set_autoload(h->entry_fentry, h->how == HOOK_FENTRY);
		set_autoload(h->exit_fentry, h->how == HOOK_FENTRY);
		set_autoload(h->entry_kprobe, h->how == HOOK_KPROBE);
		set_autoload(h->exit_kprobe, h->how == HOOK_KPROBE);
		set_autoload(h->tracepoint, h->how == HOOK_TP);
		if (h->how == HOOK_FENTRY) {
			if (h->entry_fentry)
				bpf_program__set_attach_target(*h->entry_fentry, 0, h->func);
			if (h->exit_fentry)
				bpf_program__set_attach_target(*h->exit_fentry, 0, h->func);
		}
		if (h->how != HOOK_OFF)
			active++;
		if (cfg->verbose && want)
			fprintf(stderr, "netnsight: hook %-20s %-28s %s\n", h->what,
				h->func ? h->func : h->funcs[0], hook_mode_name(h->how));
	}
	btf__free(vmlinux);
	free(kallsyms);
	if (!active) {
		errmsg("none of the kernel functions to trace is available");
		return -ENOENT;
	}
	return 0;
}

static int add_link(struct trace_links *l, struct bpf_link *link)
{
	if (!link)
		return -errno;
	if (l->n == (int)ARRAY_SIZE(l->links)) {
		bpf_link__destroy(link);
		return -E2BIG;
	}
	l->links[l->n++] = link;
	return 0;
}

static int attach_one(struct trace_links *l, struct hook *h)
{
	int err = 0, before = l->n;

	if (h->how == HOOK_FENTRY) {
		if (h->entry_fentry)
			err = add_link(l, bpf_program__attach(*h->entry_fentry));
		if (!err && h->exit_fentry)
			err = add_link(l, bpf_program__attach(*h->exit_fentry));
	} else if (h->how == HOOK_TP) {
		err = add_link(l, bpf_program__attach(*h->tracepoint));
	} else if (h->how == HOOK_KPROBE) {
		if (h->entry_kprobe)
			err = add_link(l, bpf_program__attach_kprobe(*h->entry_kprobe,
								    false, h->func));
		if (!err && h->exit_kprobe)
			err = add_link(l, bpf_program__attach_kprobe(*h->exit_kprobe,
								    true, h->func));
	}
	/* never leave half a hook: an entry without its exit */
	while (err && l->n > before)
		bpf_link__destroy(l->links[--l->n]);
	return err;
}

int trace_attach(struct netnsight_bpf *skel, struct trace_links **lp,
		 const struct trace_config *cfg)
{
	struct trace_links *l = calloc(1, sizeof(*l));
	size_t i, attached = 0;
	int err;

	(void)skel;
	if (!l)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		if (hooks[i].how == HOOK_OFF)
			continue;
		err = attach_one(l, &hooks[i]);
		if (err) {
			warnmsg("cannot attach to %s (%s): %s; continuing without it",
				hooks[i].func, hook_mode_name(hooks[i].how), strerror(-err));
			continue;
		}
		attached++;
	}
	if (!attached) {
		trace_detach(l);
		errmsg("could not attach to any kernel function");
		return -ENOENT;
	}
	if (cfg->verbose)
		fprintf(stderr, "netnsight: %d programs attached\n", l->n);
	*lp = l;
	return 0;
}

void trace_detach(struct trace_links *l)
{
	int i;

	if (!l)
		return;
	for (i = l->n - 1; i >= 0; i--)
		bpf_link__destroy(l->links[i]);
	free(l);
}
