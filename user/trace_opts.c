// SPDX-License-Identifier: GPL-2.0
/* netnsight trace - command-line options. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
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

static const struct {
	const char *name;
	uint32_t id;
} table_names[] = {
	{ "default", 253 }, { "main", 254 }, { "local", 255 },
};

const char *trace_table_name(uint32_t id)
{
	/* include/uapi/linux/rtnetlink.h, enum rt_class_t */
	switch (id) {
	case 253:
		return "default";
	case 254:
		return "main";
	case 255:
		return "local";
	}
	return NULL;
}

int trace_parse_table(const char *s, uint32_t *id, const char **why)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(table_names); i++) {
		if (s && !strcmp(s, table_names[i].name)) {
			*id = table_names[i].id;
			return 0;
		}
	}
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
"  -h, --help\n");
}

enum {
	OPT_FIB_DST = 256, OPT_FIB_TABLE, OPT_FIB_ERRORS, OPT_FIB_SUMMARY,
	OPT_COUNT, OPT_READY, OPT_RINGBUF, OPT_PROBE, OPT_NO_PRIME,
};

static const struct option trace_options[] = {
	{ "events", required_argument, NULL, 'e' },
	{ "netns", required_argument, NULL, 'n' },
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

int trace_parse_args(int argc, char **argv, struct trace_config *cfg)
{
	const char *why = "";
	bool fib_opt = false;
	uint64_t v;
	int c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->events = TRACE_DEFAULT_EVENTS;
	cfg->ringbuf_size = TRACE_DEFAULT_RINGBUF;
	cfg->summary_interval_ms = 1000;
	/* 0, not 1: getopt's full reset, or a second call resumes inside
	 * the last call's argv (a cluster like "-fx" left half read) */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":e:n:p:c:jd:vh", trace_options, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (trace_parse_events(optarg, &cfg->events, &why))
				return bad("--events", optarg, why);
			cfg->events_set = true;
			break;
		case 'n':
			if (add_netns(cfg, optarg))
				return -1;
			break;
		case 'p':
			if (parse_u32(optarg, &cfg->tgid) || !cfg->tgid)
				return bad("--pid", optarg, "expected a process id");
			break;
		case 'c':
			if (!*optarg || strlen(optarg) >= NSI_COMM_LEN)
				return bad("--comm", optarg, "1 to 15 characters, as in /proc/PID/comm");
			strcpy(cfg->comm, optarg);
			cfg->comm_set = true;
			break;
		case OPT_FIB_DST:
			if (trace_parse_prefix(optarg, &cfg->fib_dst, &cfg->fib_mask, &why))
				return bad("--fib-dst", optarg, why);
			cfg->fib_dst_set = fib_opt = true;
			break;
		case OPT_FIB_TABLE:
			if (trace_parse_table(optarg, &cfg->fib_table, &why))
				return bad("--fib-table", optarg, why);
			cfg->fib_table_set = fib_opt = true;
			break;
		case OPT_FIB_ERRORS:
			cfg->fib_errors = fib_opt = true;
			break;
		case OPT_FIB_SUMMARY:
			if (optarg && (parse_duration_ms(optarg, &cfg->summary_interval_ms) ||
				       !cfg->summary_interval_ms))
				return bad("--fib-summary", optarg, "expected an interval like 1s or 500ms");
			cfg->fib_summary = fib_opt = true;
			break;
		case 'j':
			cfg->json = true;
			break;
		case OPT_COUNT:
			if (parse_u64(optarg, &cfg->count) || !cfg->count)
				return bad("--count", optarg, "expected a positive number");
			break;
		case 'd':
			if (parse_duration_ms(optarg, &cfg->duration_ms) || !cfg->duration_ms)
				return bad("--duration", optarg, "expected a time like 10, 500ms or 2m");
			break;
		case OPT_READY:
			cfg->ready_file = optarg;
			break;
		case OPT_RINGBUF:
			if (parse_size(optarg, &v) || v < (uint64_t)getpagesize() ||
			    v > (1ULL << 30) || (v & (v - 1)))
				return bad("--ringbuf-size", optarg,
					   "a power of two from the page size to 1G");
			cfg->ringbuf_size = v;
			break;
		case OPT_PROBE:
			if (trace_parse_probe_mode(optarg, &cfg->mode))
				return bad("--probe-mode", optarg, "expected auto, fentry or kprobe");
			break;
		case OPT_NO_PRIME:
			cfg->no_prime = true;
			break;
		case 'v':
			cfg->verbose++;
			break;
		case 'h':
			trace_usage(stdout);
			return 1;
		case ':':
			errmsg("option '%s' needs a value", argv[optind - 1]);
			return -1;
		default:
			errmsg("unknown option '%s' (see 'netnsight trace --help')",
			       argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		errmsg("unexpected argument '%s' (see 'netnsight trace --help')", argv[optind]);
		return -1;
	}
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
