// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight trace - stream network namespace lifecycle events.
 *
 * Like a libbpf-tools tool: parse options into the BPF program's read-only
 * config, load, attach, then consume the ring buffer until SIGINT/SIGTERM,
 * --count or --duration; report losses as they happen and at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "trace.h"
#include "util.h"

#define POLL_MS		50	/* the worst-case delivery delay, but for a held create */
#define LOST_CHECK_MS	1000

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct trace_run {
	const struct trace_config *cfg;
	struct trace_session *s;
	uint64_t delivered;
	uint64_t lost_reported;	/* ring-buffer losses already printed */
	uint64_t *per_cpu;	/* losses per CPU, trace_session_lost() */
	int slots_fd, counts_fd;	/* --fib-summary maps */
};

/* An event that need not wait (any more): print it, count it. */
static void print_event(void *ctx, const struct nsi_event *e)
{
	struct trace_run *r = ctx;

	if (r->cfg->count && r->delivered >= r->cfg->count)
		return;
	trace_print_event(stdout, e, r->cfg->json);
	if (++r->delivered == r->cfg->count)
		stop = 1;
}

/* From the ring buffer: a create may wait for its name (trace_hold.c). */
static void on_event(void *ctx, const struct nsi_event *e)
{
	(void)ctx;
	trace_hold_event(e);
}

static void check_lost(struct trace_run *r)
{
	int nr_cpus;
	uint64_t lost = trace_session_lost(r->s, r->per_cpu, &nr_cpus);

	if (lost > r->lost_reported) {
		trace_print_lost(stdout, r->cfg->json, lost - r->lost_reported, lost,
				 r->per_cpu, nr_cpus);
		r->lost_reported = lost;
	}
}

/* Until a signal, --count or --duration: 0, or EXIT_FAILURE if reading failed. */
static int trace_loop(struct trace_run *r)
{
	const struct trace_config *cfg = r->cfg;
	uint64_t start, now, next_lost, next_summary;
	int err, held;

	start = monotonic_ns();
	next_lost = start + LOST_CHECK_MS * 1000000ULL;
	next_summary = start + cfg->summary_interval_ms * 1000000ULL;
	while (!stop) {
		held = trace_hold_pump();
		err = trace_session_poll(r->s, held >= 0 && held < POLL_MS ? held : POLL_MS);
		trace_hold_pump();
		trace_ctr_pump();
		/* a batch at a time: a pipe's reader gets events within POLL_MS */
		trace_print_flush(stdout);
		if (err < 0 && err != -EINTR) {
			errmsg("reading the ring buffer: %s", strerror(-err));
			return EXIT_FAILURE;
		}
		now = monotonic_ns();
		if (now >= next_lost) {
			check_lost(r);
			next_lost = now + LOST_CHECK_MS * 1000000ULL;
		}
		if (cfg->fib_summary && now >= next_summary) {
			trace_print_fib_summary(stdout, cfg->json, r->slots_fd, r->counts_fd, false);
			next_summary += cfg->summary_interval_ms * 1000000ULL;
		}
		if (cfg->duration_ms && now - start >= cfg->duration_ms * 1000000ULL)
			break;
	}
	return 0;
}

/* What is still in the ring buffer or held, then the losses and totals. */
static void trace_finish(struct trace_run *r)
{
	struct trace_totals totals;
	int nr_cpus;

	trace_session_drain(r->s);
	trace_hold_flush();
	trace_print_flush(stdout);
	check_lost(r);
	if (r->cfg->fib_summary)
		trace_print_fib_summary(stdout, r->cfg->json, r->slots_fd, r->counts_fd, true);
	trace_session_lost(r->s, r->per_cpu, &nr_cpus);
	trace_session_totals(r->s, &totals);
	totals.delivered = r->delivered;
	trace_print_summary(stdout, r->cfg->json, &totals, r->per_cpu, nr_cpus);
}

int cmd_trace(int argc, char **argv)
{
	struct trace_config cfg;
	struct trace_run run = { .cfg = &cfg };
	struct sigaction sa = { .sa_handler = on_signal };
	int err;

	prog_name = "netnsight trace";
	err = trace_parse_args(argc, argv, &cfg);
	if (err)
		return err > 0 ? 0 : EXIT_USAGE;
	if (cfg.list_hooks) {
		trace_list_hooks(stdout, cfg.json);
		return 0;
	}

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* events are flushed a batch at a time (below): one write per batch */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	trace_hold_init(print_event, &run);
	if (trace_session_open(&run.s, &cfg, on_event, &run))
		return EXIT_FAILURE;
	trace_session_summary_maps(run.s, &run.slots_fd, &run.counts_fd);
	run.per_cpu = calloc((size_t)trace_session_nr_cpus(run.s), sizeof(*run.per_cpu));
	err = run.per_cpu ? 0 : EXIT_FAILURE;
	if (!err && cfg.ready_file && write_ready_file(cfg.ready_file))
		err = EXIT_FAILURE;
	if (!err) {
		if (!cfg.json && (cfg.events & ~NSI_EV_MASK(NSI_EV_FIB) || !cfg.fib_summary))
			trace_print_header(stdout);
		fflush(stdout);
		err = trace_loop(&run);
	}
	if (!err)
		trace_finish(&run);
	trace_hold_flush();	/* no-op unless the reading failed */
	trace_print_flush(stdout);
	free(run.per_cpu);
	trace_session_close(run.s);
	return err;
}
