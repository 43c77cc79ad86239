// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight exporter - per-namespace metrics for Prometheus, always on.
 *
 * Start-up order is chosen for the failures an operator meets: the port
 * is bound first (a second exporter fails in a millisecond, with one line,
 * before any BPF is loaded), then the tracer's session is opened in
 * lifecycle + --fib-summary mode (trace_session.c, the same code as
 * `netnsight trace`), then the first snapshot is taken and only then does
 * libmicrohttpd start serving it.  SIGTERM/SIGINT: stop serving, destroy
 * the skeleton (every BPF link goes with its fd), exit 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "commands.h"
#include "exporter.h"
#include "trace.h"
#include "util.h"

#define POLL_MS		50	/* ring buffer reads: at most this late */

static volatile sig_atomic_t stop, collect_now;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* SIGHUP: collect the namespaces now, whatever --refresh says */
static void on_hup(int sig)
{
	(void)sig;
	collect_now = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: netnsight exporter [OPTIONS]\n"
"Serve per-namespace metrics to Prometheus: /metrics (text 0.0.4, or\n"
"OpenMetrics 1.0.0 when Accept asks for it) and /healthz (docs/metrics.md).\n"
"\n"
"  -l, --listen ADDR:PORT    where to listen (default localhost:%d);\n"
"                            :PORT for every address, [IPV6]:PORT\n"
"      --max-namespaces N    per-namespace series for at most N namespaces, the\n"
"                            lowest inodes (default %d); the rest are counted in\n"
"                            netnsight_namespace_series_dropped_total\n"
"      --max-connections N   concurrent HTTP connections (default %d)\n"
"      --timeout SECONDS     close a connection idle this long (default %d)\n"
"      --refresh TIME        collect the namespaces every TIME (default 1s;\n"
"                            SIGHUP: collect now)\n"
"      --web-config FILE     TLS and basic auth: exporter-toolkit's YAML keys\n"
"                            tls_server_config.cert_file/key_file and\n"
"                            basic_auth_users (bcrypt hashes)\n"
"      --ready-file PATH     create PATH once serving (for scripts)\n"
"  -v, --verbose             say more: a line per collection (twice: libbpf too)\n"
"  -h, --help                this text\n",
		EXP_DEFAULT_PORT, EXP_DEFAULT_MAX_NS, EXP_DEFAULT_MAX_CONN, EXP_DEFAULT_TIMEOUT_S);
}

enum { OPT_MAX_NS = 256, OPT_MAX_CONN, OPT_TIMEOUT, OPT_REFRESH, OPT_READY, OPT_WEB };

static const struct option long_opts[] = {
	{ "listen", required_argument, NULL, 'l' },
	{ "max-namespaces", required_argument, NULL, OPT_MAX_NS },
	{ "max-connections", required_argument, NULL, OPT_MAX_CONN },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "refresh", required_argument, NULL, OPT_REFRESH },
	{ "ready-file", required_argument, NULL, OPT_READY },
	{ "web-config", required_argument, NULL, OPT_WEB },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int bad(const char *opt, const char *arg, const char *why)
{
	errmsg("bad %s '%s': %s", opt, arg, why);
	return -1;
}

static int parse_count(const char *opt, const char *arg, uint32_t max, uint32_t *out)
{
	if (parse_u32(arg, out) || !*out || *out > max) {
		char why[64];

		snprintf(why, sizeof(why), "expected a number 1..%u", max);
		return bad(opt, arg, why);
	}
	return 0;
}

/* 0, 1 for --help, -1 after a one-line error */
static int parse_args(int argc, char **argv, struct exp_opts *o)
{
	static char deflt[32];
	const char *why;
	int c;

	memset(o, 0, sizeof(*o));
	snprintf(deflt, sizeof(deflt), "localhost:%d", EXP_DEFAULT_PORT);
	o->listen_text = deflt;
	o->max_ns = EXP_DEFAULT_MAX_NS;
	o->max_conn = EXP_DEFAULT_MAX_CONN;
	o->timeout_s = EXP_DEFAULT_TIMEOUT_S;
	o->refresh_ms = EXP_DEFAULT_REFRESH_MS;
	optind = 1;
	opterr = 0;	/* our own one-line messages, below */
	while ((c = getopt_long(argc, argv, "+:l:vh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			o->listen_text = optarg;
			break;
		case OPT_MAX_NS:
			if (parse_count("--max-namespaces", optarg, 1000000, &o->max_ns))
				return -1;
			break;
		case OPT_MAX_CONN:
			if (parse_count("--max-connections", optarg, 100000, &o->max_conn))
				return -1;
			break;
		case OPT_TIMEOUT:
			if (parse_count("--timeout", optarg, 3600, &o->timeout_s))
				return -1;
			break;
		case OPT_REFRESH:
			if (parse_duration_ms(optarg, &o->refresh_ms) || o->refresh_ms < 10 ||
			    o->refresh_ms > 3600000)
				return bad("--refresh", optarg, "expected a time 10ms..1h like 1s");
			break;
		case OPT_READY:
			o->ready_file = optarg;
			break;
		case OPT_WEB:
			o->web_config = optarg;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			errmsg("%s needs an argument (see 'netnsight exporter --help')",
			       argv[optind - 1]);
			return -1;
		default:
			errmsg("unknown option '%s' (see 'netnsight exporter --help')",
			       argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		errmsg("unexpected argument '%s' (see 'netnsight exporter --help')", argv[optind]);
		return -1;
	}
	if (exporter_parse_listen(o->listen_text, &o->listen, &why))
		return bad("--listen", o->listen_text, why);
	if (o->web_config && exp_webcfg_load(o->web_config, &o->web))
		return -1;
	return 0;
}

struct exp_run {
	struct exp_shared *sh;
	struct exp_moves *moves;
};

/* From the ring buffer (this thread): counters under the lock, briefly. */
static void on_event(void *ctx, const struct nsi_event *e)
{
	struct exp_run *r = ctx;
	struct exp_counters *c = &r->sh->c;

	pthread_mutex_lock(&r->sh->lock);
	switch (e->hdr.kind) {
	case NSI_EV_CREATE:
		if (e->create.err) {
			c->create_failed++;
			break;
		}
		c->created++;
		c->create_sum += (double)e->create.latency_ns / 1e9;
		exp_observe(c->create_hist, exp_create_bounds, EXP_CREATE_BUCKETS,
			    (double)e->create.latency_ns / 1e9);
		break;
	case NSI_EV_DESTROY:
		c->destroyed++;
		/* 0: its cleanup_net() started before we attached */
		if (e->destroy.teardown_ns) {
			c->teardown_sum += (double)e->destroy.teardown_ns / 1e9;
			exp_observe(c->teardown_hist, exp_teardown_bounds, EXP_TEARDOWN_BUCKETS,
				    (double)e->destroy.teardown_ns / 1e9);
		}
		if (r->sh->snap)
			exp_snap_forget(r->sh->snap, e->hdr.netns.cookie);
		exp_moves_forget(r->moves, e->hdr.netns.cookie);
		break;
	case NSI_EV_MOVE:
		exp_moves_count(r->moves, e);
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&r->sh->lock);
}

/* A new snapshot, swapped in; the old one freed after the lock is dropped. */
static int refresh(struct trace_session *ts, struct exp_run *r)
{
	struct exp_snap *s = exp_collect(ts, r->sh->opts, r->moves), *old;

	if (!s)
		return -ENOMEM;
	if (r->sh->opts->verbose)
		fprintf(stderr, "netnsight exporter: collected %zu namespaces in %.3f ms\n",
			s->n + s->left_out, s->collect_seconds * 1e3);
	pthread_mutex_lock(&r->sh->lock);
	old = r->sh->snap;
	r->sh->snap = s;
	pthread_mutex_unlock(&r->sh->lock);
	exp_snap_free(old);
	return 0;
}

static void trace_cfg(struct trace_config *cfg, int verbose)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->events = NSI_EV_MASK(NSI_EV_CREATE) | NSI_EV_MASK(NSI_EV_DESTROY) |
		      NSI_EV_MASK(NSI_EV_MOVE) | NSI_EV_MASK(NSI_EV_FIB);
	cfg->events_set = true;
	cfg->fib_summary = true;	/* fib lookups counted in the kernel, no events */
	cfg->ringbuf_size = TRACE_DEFAULT_RINGBUF;
	cfg->mode = PROBE_AUTO;
	cfg->verbose = verbose;
}

/*
 * The collector: ring buffer every POLL_MS, namespaces every --refresh and
 * at SIGHUP (which interrupts the poll, or is seen within POLL_MS).
 */
static int collect_loop(struct trace_session *ts, struct exp_run *r)
{
	uint64_t next = monotonic_ns() + r->sh->opts->refresh_ms * 1000000ULL, now;
	int err;

	while (!stop) {
		err = trace_session_poll(ts, POLL_MS);
		if (err < 0 && err != -EINTR) {
			errmsg("reading the ring buffer: %s", strerror(-err));
			return -1;
		}
		now = monotonic_ns();
		if (now < next && !collect_now)
			continue;
		collect_now = 0;
		if (refresh(ts, r))
			warnmsg("collecting the namespaces failed: out of memory");
		next = now + r->sh->opts->refresh_ms * 1000000ULL;
	}
	return 0;
}

static int run(struct exp_shared *sh, int listen_fd)
{
	struct exp_run r = { .sh = sh, .moves = exp_moves_new() };
	struct trace_session *ts = NULL;
	struct MHD_Daemon *d = NULL;
	struct trace_config cfg;
	int ret = EXIT_FAILURE;

	trace_cfg(&cfg, sh->opts->verbose);
	if (!r.moves || trace_session_open(&ts, &cfg, on_event, &r)) {
		close(listen_fd);
		goto out;
	}
	if (refresh(ts, &r)) {
		close(listen_fd);
		goto out;
	}
	d = exp_http_start(listen_fd, sh);	/* owns listen_fd from here */
	if (!d)
		goto out;
	if (sh->opts->ready_file && write_ready_file(sh->opts->ready_file))
		goto out;
	if (sh->opts->verbose)
		fprintf(stderr, "netnsight exporter: serving http://%s/metrics\n",
			sh->opts->listen_text);
	if (!collect_loop(ts, &r))
		ret = 0;
out:
	exp_http_stop(d);
	trace_session_close(ts);	/* netnsight_bpf__destroy(): every link */
	exp_moves_free(r.moves);
	return ret;
}

int cmd_exporter(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal }, hup = { .sa_handler = on_hup };
	struct exp_shared sh;
	struct exp_opts o;
	struct utsname u;
	int err, fd;

	prog_name = "netnsight exporter";
	err = parse_args(argc, argv, &o);
	if (err)
		return err > 0 ? 0 : EXIT_USAGE;
	memset(&sh, 0, sizeof(sh));
	pthread_mutex_init(&sh.lock, NULL);
	sh.opts = &o;
	if (!uname(&u))
		copy_str(sh.kernel, u.release, sizeof(sh.kernel));
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &hup, NULL);
	signal(SIGPIPE, SIG_IGN);
	fd = exp_http_listen(&o.listen, o.listen_text);
	if (fd < 0) {
		exp_webcfg_free(&o.web);
		return EXIT_FAILURE;
	}
	err = run(&sh, fd);
	exp_webcfg_free(&o.web);
	exp_snap_free(sh.snap);
	pthread_mutex_destroy(&sh.lock);
	return err;
}
