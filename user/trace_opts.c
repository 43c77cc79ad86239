// SPDX-License-Identifier: GPL-2.0
/* netnsight trace - command-line options. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containers.h"
#include "netns.h"
#include "rtnames.h"
#include "trace.h"
#include "util.h"

static const char *const event_names[NSI_EV_MAX] = {
	[NSI_EV_CREATE] = "create",
	[NSI_EV_DESTROY] = "destroy",
	[NSI_EV_MOVE] = "move",
	[NSI_EV_FIB] = "fib",
	[NSI_EV_SWITCH] = "switch",
};

const char *trace_event_name(uint32_t kind)
{
	return kind < NSI_EV_MAX && event_names[kind] ? event_names[kind] : "?";
}

int trace_parse_events(const char *s, uint32_t *mask, const char **why)
{
	const char *p = s, *end;
	uint32_t m = 0, k;
	size_t len;

	if (!s || !*s) {
		*why = "empty event list";
		return -EINVAL;
	}
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 3 && !strncmp(p, "all", 3)) {
			m |= NSI_EV_ALL;
		} else {
			for (k = 1; k < NSI_EV_MAX; k++)
				if (strlen(event_names[k]) == len &&
				    !strncmp(p, event_names[k], len))
					break;
			if (k == NSI_EV_MAX) {
				*why = "unknown event kind (use create,destroy,move,fib,switch or all)";
				return -EINVAL;
			}
			m |= NSI_EV_MASK(k);
		}
		if (!end)
			break;
		p = end + 1;
	}
	*mask = m;
	return 0;
}

int trace_parse_prefix(const char *s, uint32_t *addr, uint32_t *mask,
		       const char **why)
{
	char buf[INET_ADDRSTRLEN + 4];
	struct in_addr a;
	uint32_t len = 32;
	char *slash;

	if (!s || !*s || strlen(s) >= sizeof(buf)) {
		*why = "expected an IPv4 prefix like 10.0.0.0/24";
		return -EINVAL;
	}
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (parse_u32(slash + 1, &len) || len > 32) {
			*why = "prefix length must be 0..32";
			return -EINVAL;
		}
	}
	if (inet_pton(AF_INET, buf, &a) != 1) {
		*why = "expected an IPv4 prefix like 10.0.0.0/24";
		return -EINVAL;
	}
	*mask = len ? htonl(~0U << (32 - len)) : 0;
	*addr = a.s_addr & *mask;
	return 0;
}

int trace_parse_table(const char *s, uint32_t *id, const char **why)
{
	*id = rt_table_id(s);
	if (*id)
		return 0;
	if (parse_u32(s, id) || !*id) {
		*why = "expected a table id 1..4294967295, local, main or default";
		return -EINVAL;
	}
	return 0;
}

int trace_parse_probe_mode(const char *s, enum probe_mode *mode)
{
	if (!strcmp(s, "auto"))
		*mode = PROBE_AUTO;
	else if (!strcmp(s, "fentry"))
		*mode = PROBE_FENTRY;
	else if (!strcmp(s, "kprobe"))
		*mode = PROBE_KPROBE;
	else
		return -EINVAL;
	return 0;
}

static void trace_usage(FILE *f)
{
	fprintf(f,
"Usage: netnsight trace [OPTIONS]\n"
"Trace network namespace lifecycle events as they happen.\n"
"\n"
"Events (default: create,destroy,move,switch; any --fib-* option adds fib):\n"
"  -e, --events LIST       create,destroy,move,fib,switch or all\n"
"Filters (applied in the kernel):\n"
"  -n, --netns NS          only events concerning NS: an ip-netns name, an inode,\n"
"                          a pid or a path like /proc/PID/ns/net (repeatable)\n"
"      --container X       only events concerning the namespaces of container X\n"
"                          (name, id prefix, pod NAME or NAMESPACE/NAME; resolved\n"
"                          once, at start; repeatable)\n"
"  -p, --pid PID           only events of process PID\n"
"  -c, --comm COMM         only events of tasks named COMM\n"
"                          (destroy events come from a kernel worker: only\n"
"                          --netns filters them)\n"
"      --fib-dst PREFIX    fib: destinations in PREFIX (e.g. 10.0.0.0/24)\n"
"      --fib-table ID      fib: lookups in table ID (number, local, main, default)\n"
"      --fib-errors        fib: failed lookups only\n"
"      --fib-summary[=INT] count fib lookups per (namespace, table, result) in the\n"
"                          kernel and print a table every INT (default 1s)\n"
"Output and control:\n"
"  -j, --json              one JSON object per line (docs/events.md)\n"
"      --count N           stop after N events\n"
"  -d, --duration TIME     stop after TIME (e.g. 10, 500ms, 2m)\n"
"      --ready-file PATH   create PATH once attached (for scripts)\n"
"      --ringbuf-size SIZE ring buffer size, a power of two (default 1M)\n"
"      --probe-mode MODE   auto (default), fentry or kprobe\n"
"      --no-prime          don't pre-learn existing fib tables' namespaces\n"
"  -v, --verbose           say which hooks were attached and how\n"
"      --list-hooks        print the kernel functions each hook may use and exit\n"
"  -h, --help\n");
}

/* the --fib-* options first and together: trace_parse_args() tests the range */
enum {
	OPT_FIB_DST = 256, OPT_FIB_TABLE, OPT_FIB_ERRORS, OPT_FIB_SUMMARY,
	OPT_COUNT, OPT_READY, OPT_RINGBUF, OPT_PROBE, OPT_NO_PRIME, OPT_LIST_HOOKS,
	OPT_CONTAINER,
};

static const struct option trace_options[] = {
	{ "events", required_argument, NULL, 'e' },
	{ "netns", required_argument, NULL, 'n' },
	{ "container", required_argument, NULL, OPT_CONTAINER },
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, 'c' },
	{ "fib-dst", required_argument, NULL, OPT_FIB_DST },
	{ "fib-table", required_argument, NULL, OPT_FIB_TABLE },
	{ "fib-errors", no_argument, NULL, OPT_FIB_ERRORS },
	{ "fib-summary", optional_argument, NULL, OPT_FIB_SUMMARY },
	{ "json", no_argument, NULL, 'j' },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "duration", required_argument, NULL, 'd' },
	{ "ready-file", required_argument, NULL, OPT_READY },
	{ "ringbuf-size", required_argument, NULL, OPT_RINGBUF },
	{ "probe-mode", required_argument, NULL, OPT_PROBE },
	{ "no-prime", no_argument, NULL, OPT_NO_PRIME },
	{ "list-hooks", no_argument, NULL, OPT_LIST_HOOKS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{}
};

static int bad(const char *opt, const char *arg, const char *why)
{
	errmsg("bad %s '%s': %s", opt, arg, why);
	return -1;
}

static int add_netns(struct trace_config *cfg, const char *arg)
{
	struct netns_handle h;

	if (cfg->n_netns == TRACE_MAX_NETNS) {
		errmsg("too many --netns (at most %d)", TRACE_MAX_NETNS);
		return -1;
	}
	if (netns_resolve(arg, false, &h))
		return -1;
	cfg->netns[cfg->n_netns++] = h.ino;
	return 0;
}

/* --container: its namespaces now, filtered in the kernel like --netns */
static int add_container(struct trace_config *cfg, const char *arg)
{
	size_t n, i, k;
	uint32_t inos[TRACE_MAX_NETNS];
	int err;

	if (!*arg)
		return bad("--container", arg, "expected a name or id");
	err = ctr_netns_of(arg, inos, ARRAY_SIZE(inos), &n);
	if (err == -1) {
		errmsg("cannot read /proc to find container '%s'", arg);
		return -1;
	}
	if (!err && !n)
		return bad("--container", arg, "no namespace of such a container");
	for (i = 0; i < n && !err; i++) {
		for (k = 0; k < cfg->n_netns && cfg->netns[k] != inos[i]; k++)
			;
		if (k < cfg->n_netns)
			continue;
		if (cfg->n_netns == TRACE_MAX_NETNS)
			err = -E2BIG;
		else
			cfg->netns[cfg->n_netns++] = inos[i];
	}
	if (err) {
		errmsg("too many namespaces (at most %d)", TRACE_MAX_NETNS);
		return -1;
	}
	return 0;
}

void trace_config_init(struct trace_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->events = TRACE_DEFAULT_EVENTS;
	cfg->ringbuf_size = TRACE_DEFAULT_RINGBUF;
	cfg->summary_interval_ms = 1000;
}

/* What getopt_long() returned for an option this group does not know. */
#define NOT_MINE	1

/* Which events, and which of them: the kernel-side filters.  0, -1 or NOT_MINE. */
static int parse_filter_opt(struct trace_config *cfg, int c, const char *arg)
{
	const char *why = "";

	switch (c) {
	case 'e':
		if (trace_parse_events(arg, &cfg->events, &why))
			return bad("--events", arg, why);
		cfg->events_set = true;
		return 0;
	case 'n':
		return add_netns(cfg, arg);
	case OPT_CONTAINER:
		return add_container(cfg, arg);
	case 'p':
		if (parse_u32(arg, &cfg->tgid) || !cfg->tgid)
			return bad("--pid", arg, "expected a process id");
		return 0;
	case 'c':
		if (!*arg || strlen(arg) >= NSI_COMM_LEN)
			return bad("--comm", arg, "1 to 15 characters, as in /proc/PID/comm");
		strcpy(cfg->comm, arg);
		cfg->comm_set = true;
		return 0;
	case OPT_FIB_DST:
		if (trace_parse_prefix(arg, &cfg->fib_dst, &cfg->fib_mask, &why))
			return bad("--fib-dst", arg, why);
		cfg->fib_dst_set = true;
		return 0;
	case OPT_FIB_TABLE:
		if (trace_parse_table(arg, &cfg->fib_table, &why))
			return bad("--fib-table", arg, why);
		cfg->fib_table_set = true;
		return 0;
	case OPT_FIB_ERRORS:
		cfg->fib_errors = true;
		return 0;
	case OPT_FIB_SUMMARY:
		if (arg && (parse_duration_ms(arg, &cfg->summary_interval_ms) ||
			    !cfg->summary_interval_ms))
			return bad("--fib-summary", arg, "expected an interval like 1s or 500ms");
		cfg->fib_summary = true;
		return 0;
	}
	return NOT_MINE;
}

/* How the session runs and prints.  0, -1 or NOT_MINE. */
static int parse_run_opt(struct trace_config *cfg, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case 'j':
		cfg->json = true;
		return 0;
	case OPT_COUNT:
		if (parse_u64(arg, &cfg->count) || !cfg->count)
			return bad("--count", arg, "expected a positive number");
		return 0;
	case 'd':
		if (parse_duration_ms(arg, &cfg->duration_ms) || !cfg->duration_ms)
			return bad("--duration", arg, "expected a time like 10, 500ms or 2m");
		return 0;
	case OPT_READY:
		cfg->ready_file = arg;
		return 0;
	case OPT_RINGBUF:
		if (parse_size(arg, &v) || v < (uint64_t)getpagesize() ||
		    v > (1ULL << 30) || (v & (v - 1)))
			return bad("--ringbuf-size", arg, "a power of two from the page size to 1G");
		cfg->ringbuf_size = v;
		return 0;
	case OPT_PROBE:
		if (trace_parse_probe_mode(arg, &cfg->mode))
			return bad("--probe-mode", arg, "expected auto, fentry or kprobe");
		return 0;
	case OPT_NO_PRIME:
		cfg->no_prime = true;
		return 0;
	case OPT_LIST_HOOKS:
		cfg->list_hooks = true;
		return 0;
	case 'v':
		cfg->verbose++;
		return 0;
	}
	return NOT_MINE;
}

/* A --fib-* option turns the fib event on, and --fib-summary alone means only it. */
static int fib_implies(struct trace_config *cfg, bool fib_opt)
{
	if (fib_opt) {
		if (cfg->events_set && !(cfg->events & NSI_EV_MASK(NSI_EV_FIB))) {
			errmsg("--fib-* options need the fib event (--events ...,fib)");
			return -1;
		}
		cfg->events |= NSI_EV_MASK(NSI_EV_FIB);
	}
	if (cfg->fib_summary && !cfg->events_set)
		cfg->events = NSI_EV_MASK(NSI_EV_FIB);
	return 0;
}

int trace_parse_args(int argc, char **argv, struct trace_config *cfg)
{
	bool fib_opt = false;
	int c, r;

	trace_config_init(cfg);
	GETOPT_RESET();
	while ((c = getopt_long(argc, argv, ":e:n:p:c:jd:vh", trace_options, NULL)) != -1) {
		if (c == 'h') {
			trace_usage(stdout);
			return 1;
		}
		if (c == ':') {
			errmsg("option '%s' needs a value", argv[optind - 1]);
			return -1;
		}
		fib_opt |= c >= OPT_FIB_DST && c <= OPT_FIB_SUMMARY;
		r = parse_filter_opt(cfg, c, optarg);
		if (r == NOT_MINE)
			r = parse_run_opt(cfg, c, optarg);
		if (r == NOT_MINE) {
			errmsg("unknown option '%s' (see 'netnsight trace --help')",
			       argv[optind - 1]);
			return -1;
		}
		if (r)
			return -1;
	}
	if (optind < argc) {
		errmsg("unexpected argument '%s' (see 'netnsight trace --help')", argv[optind]);
		return -1;
	}
	return fib_implies(cfg, fib_opt);
}
