// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight trace - what did not arrive, and the end-of-trace summary:
 * ring-buffer losses as they are noticed, then delivered, lost, generated,
 * the program runs the kernel skipped, fib lookups of unknown namespace.
 */
#include <inttypes.h>
#include <stdio.h>

#include "json.h"
#include "sbuf.h"
#include "trace.h"
#include "util.h"

static void json_per_cpu(struct json *j, const char *key, const uint64_t *v, int n)
{
	int c;

	json_arr_begin(j, key);
	for (c = 0; c < n; c++)
		json_u64(j, NULL, v[c]);
	json_arr_end(j);
}

void trace_print_lost(FILE *f, bool json, uint64_t new_lost, uint64_t total,
		      const uint64_t *per_cpu, int nr_cpus)
{
	struct json j;

	if (!json) {
		fprintf(stderr, "netnsight: lost %" PRIu64 " events (%" PRIu64
			" in all): the ring buffer was full; try --ringbuf-size or filters\n",
			new_lost, total);
		return;
	}
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "event", "lost");
	json_u64(&j, "ts_ns", boottime_ns());
	json_u64(&j, "lost", new_lost);
	json_u64(&j, "total_lost", total);
	json_per_cpu(&j, "per_cpu", per_cpu, nr_cpus);
	json_obj_end(&j);
	fflush(f);
}

/*
 * What did not arrive, and why, beside what did.  The human line keeps its
 * "N events delivered, N lost" start; what is rare is named only when it
 * happened.
 */
static void print_summary_human(const struct trace_totals *t)
{
	fprintf(stderr, "netnsight: %" PRIu64 " events delivered, %" PRIu64 " lost",
		t->delivered, t->lost);
	if (t->recursion_misses)
		fprintf(stderr, ", %" PRIu64 " hook runs skipped by the kernel's recursion check",
			t->recursion_misses);
	if (t->unattributed)
		fprintf(stderr, ", %" PRIu64 " fib lookups of unknown namespace "
			"(a table never seen created and not owned by the task)",
			t->unattributed);
	if (t->bad_padding)
		fprintf(stderr, ", %" PRIu64 " records with non-zero padding", t->bad_padding);
	fputc('\n', stderr);
}

void trace_print_summary(FILE *f, bool json, const struct trace_totals *t,
			 const uint64_t *per_cpu, int nr_cpus)
{
	struct json j;

	if (!json) {
		print_summary_human(t);
		return;
	}
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "event", "summary");
	json_u64(&j, "ts_ns", boottime_ns());
	json_u64(&j, "delivered", t->delivered);
	json_u64(&j, "lost", t->lost);
	json_u64(&j, "generated", t->generated);
	json_per_cpu(&j, "lost_per_cpu", per_cpu, nr_cpus);
	json_u64(&j, "recursion_misses", t->recursion_misses);
	json_u64(&j, "fib_unattributed", t->unattributed);
	json_u64(&j, "bad_padding", t->bad_padding);
	json_obj_end(&j);
	fflush(f);
}

/* The events a hook serves, "create,destroy" */
static void event_words(uint32_t events, char *buf, size_t size)
{
	struct sbuf sb;
	uint32_t k;

	sb_init(&sb, buf, size);
	for (k = NSI_EV_CREATE; k < NSI_EV_MAX; k++) {
		if (!(events & NSI_EV_MASK(k)))
			continue;
		if (sb.len)
			sb_putc(&sb, ',');
		sb_puts(&sb, trace_event_name(k));
	}
}

static void list_hook_json(struct json *j, const struct trace_hook_info *h,
			   const char *events)
{
	size_t k;

	json_obj_begin(j, NULL);
	json_str(j, "hook", h->what);
	json_arr_begin(j, "functions");
	for (k = 0; k < TRACE_HOOK_FUNCS && h->funcs[k]; k++)
		json_str(j, NULL, h->funcs[k]);
	json_arr_end(j);
	json_str(j, "file", h->file);
	json_str(j, "events", events);
	json_str(j, "fentry_mode", h->fentry_mode);
	json_str(j, "kprobe_mode", h->kprobe_mode);
	json_str_or_null(j, "instead_of", h->instead_of);
	json_bool(j, "only_without_preempt_count", h->irq_tp);
	json_obj_end(j);
}

void trace_list_hooks(FILE *f, bool json)
{
	struct trace_hook_info h;
	char events[64], funcs[128];
	struct sbuf sb;
	struct json j;
	unsigned int i;
	size_t k;

	if (json) {
		json_init(&j, f);
		json_arr_begin(&j, NULL);
	} else {
		fprintf(f, "%-20s %-14s %-15s %-19s %-40s %s\n", "HOOK", "EVENTS",
			"FENTRY MODE", "KPROBE MODE", "FUNCTIONS (first found)", "FILE");
	}
	for (i = 0; !trace_hook_info(i, &h); i++) {
		event_words(h.events, events, sizeof(events));
		if (json) {
			list_hook_json(&j, &h, events);
			continue;
		}
		sb_init(&sb, funcs, sizeof(funcs));
		for (k = 0; k < TRACE_HOOK_FUNCS && h.funcs[k]; k++) {
			if (k)
				sb_putc(&sb, ',');
			sb_puts(&sb, h.funcs[k]);
		}
		fprintf(f, "%-20s %-14s %-15s %-19s %-40s %s\n", h.what, events,
			h.fentry_mode, h.kprobe_mode, funcs, h.file);
	}
	if (json) {
		json_arr_end(&j);
		json_flush(&j);
		fputc('\n', f);
	}
}
