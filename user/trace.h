/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight trace - configuration, session (skeleton, ring buffer, links)
 * and output.  The lab drives the same session.
 */
#ifndef NETNSIGHT_TRACE_H
#define NETNSIGHT_TRACE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/types.h>

#include "../bpf/netnsight_events.h"

#define TRACE_MAX_NETNS		64
#define TRACE_DEFAULT_RINGBUF	(1U << 20)
#define TRACE_DEFAULT_EVENTS	(NSI_EV_MASK(NSI_EV_CREATE) | NSI_EV_MASK(NSI_EV_DESTROY) | \
				 NSI_EV_MASK(NSI_EV_MOVE) | NSI_EV_MASK(NSI_EV_SWITCH))

enum probe_mode { PROBE_AUTO, PROBE_FENTRY, PROBE_KPROBE };

struct trace_config {
	uint32_t events;		/* NSI_EV_MASK() bits */
	bool events_set;
	uint32_t tgid;
	bool comm_set;
	char comm[NSI_COMM_LEN];
	uint32_t netns[TRACE_MAX_NETNS];
	unsigned int n_netns;
	bool fib_dst_set;
	uint32_t fib_dst, fib_mask;	/* network byte order */
	bool fib_table_set;
	uint32_t fib_table;
	bool fib_errors;
	bool fib_summary;
	uint64_t summary_interval_ms;
	uint64_t ringbuf_size;
	enum probe_mode mode;
	int verbose;
	bool json;
	uint64_t count;			/* 0: unlimited */
	uint64_t duration_ms;		/* 0: until a signal */
	const char *ready_file;
	bool no_prime;			/* skip learning existing fib tables */
	bool list_hooks;		/* print the hook table, trace nothing */
};

/* --- parsing (pure; fuzzed by fuzz/fuzz_trace_opts.c) ------------------ */
int trace_parse_events(const char *s, uint32_t *mask, const char **why);
int trace_parse_prefix(const char *s, uint32_t *addr, uint32_t *mask,
		       const char **why);
int trace_parse_table(const char *s, uint32_t *id, const char **why);
int trace_parse_probe_mode(const char *s, enum probe_mode *mode);
const char *trace_event_name(uint32_t kind);

/* @cfg with every default (what `trace` with no option runs). */
void trace_config_init(struct trace_config *cfg);
/* Parse argv into @cfg; returns 0, 1 for --help, or -1 after an error. */
int trace_parse_args(int argc, char **argv, struct trace_config *cfg);

/* --- session ------------------------------------------------------------ */
struct trace_session;
typedef void (*trace_event_fn)(void *ctx, const struct nsi_event *e);

int trace_session_open(struct trace_session **sp, const struct trace_config *cfg,
		       trace_event_fn fn, void *ctx);
/* Widen a --netns filter while running (the lab adds namespaces it makes). */
int trace_session_add_netns(struct trace_session *s, uint32_t ino);
/* Wait up to @timeout_ms for events and hand them to fn; <0 on error. */
int trace_session_poll(struct trace_session *s, int timeout_ms);
/* Drain what is in the ring buffer now. */
int trace_session_drain(struct trace_session *s);
/* Totals over all CPUs; per_cpu (nr_cpus entries, may be NULL). */
uint64_t trace_session_lost(struct trace_session *s, uint64_t *per_cpu, int *nr_cpus);
uint64_t trace_session_generated(struct trace_session *s);

/* What the end-of-trace summary reports beside the events delivered. */
struct trace_totals {
	uint64_t delivered;
	uint64_t lost;			/* ring buffer full */
	uint64_t generated;		/* delivered + lost */
	/*
	 * Program runs the kernel skipped (bpf_prog_info.recursion_misses):
	 * a trampoline or kprobe program interrupted on its CPU by a softirq
	 * that hits the same hook -- events never generated, so in neither
	 * count above.
	 */
	uint64_t recursion_misses;
	uint64_t unattributed;		/* fib lookups of unknown namespace */
	uint64_t bad_padding;		/* records with non-zero padding (checked on request) */
};

/* Fill everything but delivered (which the reader counts). */
void trace_session_totals(struct trace_session *s, struct trace_totals *t);
/* --fib-summary's maps: key -> slot, and each CPU's entry with its counters */
void trace_session_summary_maps(struct trace_session *s, int *slots_fd, int *counts_fd);
int trace_session_nr_cpus(struct trace_session *s);
void trace_session_close(struct trace_session *s);

/* --- attachment (trace_attach.c) ---------------------------------------- */
struct netnsight_bpf;

/* The hooks of trace_attach.c's table, in its order. */
#define NSI_NR_HOOKS 17

enum trace_hook_how { HOOK_OFF, HOOK_FENTRY, HOOK_KPROBE, HOOK_TP };

/* What one session decided for each hook of the table. */
struct trace_plan {
	const char *func[NSI_NR_HOOKS];		/* the kernel function, NULL if off */
	enum trace_hook_how how[NSI_NR_HOOKS];
	bool irq_tp;	/* the build reading context from the irq tracepoints */
};

/*
 * Which build of the tracer this kernel can load (Makefile): false for the
 * one that reads preempt_count through a __ksym, true for the one that
 * needs no kernel variable (the kernel lacks CONFIG_KALLSYMS_ALL, or the
 * test knob NETNSIGHT_TEST_IRQ_TRACEPOINTS is set).  -v says which and why.
 */
bool trace_irq_from_tracepoints(int verbose);

/*
 * Decide per hook (fentry/fexit where the kernel takes a trampoline, else a
 * kprobe, else off) and set the skeleton's programs to match, before load.
 */
int trace_attach_plan(struct netnsight_bpf *skel, const struct trace_config *cfg,
		      bool irq_tp, struct trace_plan *plan);
/* Attach what @plan says; the links live in skel->links. */
int trace_attach(struct netnsight_bpf *skel, const struct trace_plan *plan,
		 const struct trace_config *cfg);
const char *trace_hook_mode_name(int how);	/* "fentry/fexit", "kprobe/kretprobe", ... */

/* One row of the table, for whoever explains it (--list-hooks, the lab). */
#define TRACE_HOOK_FUNCS 3
struct trace_hook_info {
	const char *what;			/* "device move" */
	const char *funcs[TRACE_HOOK_FUNCS];	/* candidates, first found wins */
	const char *file;			/* the functions' source file */
	uint32_t events;			/* NSI_EV_MASK() bits that need it */
	const char *fentry_mode, *kprobe_mode;	/* "fentry + fexit", "kprobe", ... */
	const char *instead_of;	/* only where this function is missing */
	bool irq_tp;		/* only where preempt_count is out of reach */
};
/* Row @i of the table into @out: 0, or -1 past its end. */
int trace_hook_info(unsigned int i, struct trace_hook_info *out);
/* The table, for a reader (--list-hooks), text or JSON (trace_report.c). */
void trace_list_hooks(FILE *f, bool json);
/* The session's decision per hook, for the lab (trace_session.c). */
const struct trace_plan *trace_session_plan(const struct trace_session *s);

/* --- holding create events for their name (trace_hold.c) ---------------- */
/*
 * A create event waits (TRACE_HOLD_MS at most) for its namespace's name,
 * which `ip netns add` mounts a moment after creating it; events after it
 * wait behind it, in order.  trace_hold_event() passes @e on to @out now,
 * or holds it; trace_hold_pump() passes on what need not wait any more
 * and returns the ms until it should be called again (-1: nothing held);
 * trace_hold_flush() passes on everything (at exit).
 */
#define TRACE_HOLD_MS	200
typedef void (*trace_out_fn)(void *ctx, const struct nsi_event *e);
void trace_hold_init(trace_out_fn out, void *ctx);
void trace_hold_event(const struct nsi_event *e);
int trace_hold_pump(void);
void trace_hold_flush(void);

/* --- the container of an event's namespace (trace_ctr.c) ---------------- */
struct ctr_info;
struct sbuf;
/* What is known now of @e's namespace's container; NULL if none (yet). */
const struct ctr_info *trace_ctr_of(const struct nsi_event *e);
/* From the trace loop: look for the waiting namespaces' (1 /proc walk a second). */
void trace_ctr_pump(void);
/* After a namespace's destroy event is printed. */
void trace_ctr_forget(const struct nsi_netns *ns);
/* " container=NAME pod=NS/NAME", for the human line */
void trace_ctr_label(struct sbuf *sb, const struct ctr_info *c);

/* --- output (trace_print.c) --------------------------------------------- */
void trace_print_header(FILE *f);
void trace_print_event(FILE *f, const struct nsi_event *e, bool json);
/* write the batched human lines out, then fflush(@f) */
void trace_print_flush(FILE *f);
void trace_print_lost(FILE *f, bool json, uint64_t new_lost, uint64_t total,
		      const uint64_t *per_cpu, int nr_cpus);
void trace_print_summary(FILE *f, bool json, const struct trace_totals *t,
			 const uint64_t *per_cpu, int nr_cpus);
int trace_print_fib_summary(FILE *f, bool json, int slots_fd, int counts_fd, bool final);
/*
 * The summary's counters summed over the CPUs, one call of @fn per key
 * (the exporter reads them too); the lookups past NSI_FIB_SLOTS keys come
 * as one key with table TRACE_FIB_OVERFLOW_TABLE.
 */
#define TRACE_FIB_OVERFLOW_TABLE	UINT32_MAX
typedef void (*trace_fib_count_fn)(void *ctx, const struct nsi_fib_key *k, uint64_t total);
int trace_fib_counts(int slots_fd, int counts_fd, trace_fib_count_fn fn, void *ctx);
/* "unicast", "ENETUNREACH", "(overflow)": a key's result, as the summary prints it */
void trace_fib_result(const struct nsi_fib_key *k, char *buf, size_t size);

/* formatting helpers shared with the lab */
/* the NETNS label of (@ino, @cookie); cookie 0: by inode alone */
const char *trace_netns_label(uint32_t ino, uint64_t cookie, char *buf, size_t size);
const char *trace_rtn_name(unsigned int type);
void trace_format_details(const struct nsi_event *e, char *buf, size_t size);

#endif
