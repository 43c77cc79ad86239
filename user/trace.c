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
	uint64_t delivered;
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

static void check_lost(struct trace_session *s, const struct trace_config *cfg,
		       uint64_t *reported, uint64_t *per_cpu)
{
	int nr_cpus;
	uint64_t lost = trace_session_lost(s, per_cpu, &nr_cpus);

	if (lost > *reported) {
		trace_print_lost(stdout, cfg->json, lost - *reported, lost, per_cpu, nr_cpus);
		*reported = lost;
	}
}

int cmd_trace(int argc, char **argv)
{
	uint64_t start, now, next_lost, next_summary, reported = 0;
	struct trace_totals totals;
	struct trace_config cfg;
	struct trace_run run = { .cfg = &cfg };
	struct trace_session *s = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t *per_cpu;
	int err, nr_cpus, slots_fd, counts_fd, held;

	prog_name = "netnsight trace";
	err = trace_parse_args(argc, argv, &cfg);
	if (err)
		return err > 0 ? 0 : EXIT_USAGE;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* events are flushed a batch at a time (below): one write per batch */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	trace_hold_init(print_event, &run);
	err = trace_session_open(&s, &cfg, on_event, &run);
	if (err)
		return EXIT_FAILURE;
	trace_session_summary_maps(s, &slots_fd, &counts_fd);
	per_cpu = calloc((size_t)trace_session_nr_cpus(s), sizeof(*per_cpu));
	if (!per_cpu) {
		trace_session_close(s);
		return EXIT_FAILURE;
	}
	if (cfg.ready_file && write_ready_file(cfg.ready_file)) {
		err = EXIT_FAILURE;
		goto out;
	}
	if (!cfg.json && (cfg.events & ~NSI_EV_MASK(NSI_EV_FIB) || !cfg.fib_summary))
		trace_print_header(stdout);
	fflush(stdout);

	start = monotonic_ns();
	next_lost = start + LOST_CHECK_MS * 1000000ULL;
	next_summary = start + cfg.summary_interval_ms * 1000000ULL;
	while (!stop) {
		held = trace_hold_pump();
		err = trace_session_poll(s, held >= 0 && held < POLL_MS ? held : POLL_MS);
		trace_hold_pump();
		/* a batch at a time: a pipe's reader gets events within POLL_MS */
		trace_print_flush(stdout);
		if (err < 0 && err != -EINTR) {
			errmsg("reading the ring buffer: %s", strerror(-err));
			err = EXIT_FAILURE;
			goto out;
		}
		now = monotonic_ns();
		if (now >= next_lost) {
			check_lost(s, &cfg, &reported, per_cpu);
			next_lost = now + LOST_CHECK_MS * 1000000ULL;
		}
		if (cfg.fib_summary && now >= next_summary) {
			trace_print_fib_summary(stdout, cfg.json, slots_fd, counts_fd, false);
			next_summary += cfg.summary_interval_ms * 1000000ULL;
		}
		if (cfg.duration_ms && now - start >= cfg.duration_ms * 1000000ULL)
			break;
	}
	trace_session_drain(s);
	trace_hold_flush();
	trace_print_flush(stdout);
	check_lost(s, &cfg, &reported, per_cpu);
	if (cfg.fib_summary)
		trace_print_fib_summary(stdout, cfg.json, slots_fd, counts_fd, true);
	trace_session_lost(s, per_cpu, &nr_cpus);
	trace_session_totals(s, &totals);
	totals.delivered = run.delivered;
	trace_print_summary(stdout, cfg.json, &totals, per_cpu, nr_cpus);
	err = 0;
out:
	trace_hold_flush();	/* no-op unless the reading failed */
	trace_print_flush(stdout);
	free(per_cpu);
	trace_session_close(s);
	return err;
}
