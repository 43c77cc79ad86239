// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_trace_opts - `netnsight trace` option parsing (user/trace_opts.c)
 * and the number parsers it is built on (user/util.c).
 *
 * Input: one mode byte, then the text.
 *   'e' trace_parse_events()      'p' trace_parse_prefix()
 *   't' trace_parse_table()       'm' trace_parse_probe_mode()
 *   'a' trace_parse_args(): the text split at '\n' is argv[1..]
 *   'd' parse_duration_ms()       's' parse_size()
 *   'u' parse_u64() / parse_u32()
 * Any other first byte picks a mode by its value.  Text stops at a NUL
 * (they are C strings).
 *
 * Each single parser is checked against a small independent model of
 * what it promises: the accepted strings and the exact values they mean
 * (digits only, no wrap-around, prefixes with no host bits, ...).  For
 * the whole command line: the return value, a config whose fields are
 * consistent (events, fib filters imply the fib event, contiguous mask,
 * comm 1..15 bytes, ring buffer a power of two in range, ...), argv's
 * strings untouched, no file descriptor left open by --netns, and
 * --ready-file only remembered (a pointer into argv), never created.
 * Called again and again in one process, as a fuzzer does: that is how
 * getopt's leftover state was found (fuzz/README.md).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "rtnames.h"
#include "trace.h"
#include "util.h"

typedef unsigned __int128 u128;

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Decimal digits to a number, saturating at 2^100 (far above 2^64). */
static u128 digits_value(const char *s, size_t n)
{
	u128 v = 0, cap = (u128)1 << 100;
	size_t i;

	for (i = 0; i < n; i++) {
		v = v * 10 + (u128)(s[i] - '0');
		if (v > cap)
			v = cap;
	}
	return v;
}

/* --- model: a whole-string unsigned decimal --------------------------- */
static bool model_u64(const char *s, uint64_t *v)
{
	u128 x;

	if (!all_digits(s))
		return false;
	x = digits_value(s, strlen(s));
	if (x > UINT64_MAX)
		return false;
	*v = (uint64_t)x;
	return true;
}

static void check_numbers(const char *s)
{
	uint64_t v64 = 0xdead, m64 = 0;
	uint32_t v32 = 0xbeef;
	bool ok = model_u64(s, &m64);
	int r;

	r = parse_u64(s, &v64);
	CHECKF(r == 0 || r == -EINVAL, "parse_u64 returned %d", r);
	CHECKF((r == 0) == ok, "parse_u64(\"%s\") returned %d, model says %s",
	       s, r, ok ? "valid" : "invalid");
	if (!r)
		CHECKF(v64 == m64, "parse_u64(\"%s\") = %llu, not %llu", s,
		       (unsigned long long)v64, (unsigned long long)m64);
	else
		CHECK(v64 == 0xdead);	/* untouched on error */

	r = parse_u32(s, &v32);
	CHECK((r == 0) == (ok && m64 <= UINT32_MAX));
	if (!r)
		CHECK(v32 == m64);
	else
		CHECK(v32 == 0xbeef);
}

/*
 * --- model: NUMBER[.FRACTION][UNIT] ------------------------------------
 * The value is whole * unit + fraction * unit, the fraction cut to 9
 * digits and rounded down.  A parser may refuse a whole part so big that
 * its next digit would not fit (>= 18446744073709551610), but whatever
 * it accepts must mean exactly this, without wrapping.
 */
struct unit {
	const char *name;
	uint64_t scale;
};

static void check_scaled(const char *s, const char *what,
			 int (*parse)(const char *, uint64_t *),
			 const struct unit *units, size_t nunits, uint64_t dflt)
{
	const char *p = s, *w, *f = NULL;
	size_t nw, nf = 0, i;
	uint64_t v = 0x5a5a, mul = dflt;
	u128 whole, frac = 0, div = 1, exact;
	bool syntax = true;
	int r;

	r = parse(s, &v);
	CHECK(r == 0 || r == -EINVAL);

	w = p;
	while (*p >= '0' && *p <= '9')
		p++;
	nw = (size_t)(p - w);
	if (!nw)
		syntax = false;
	if (syntax && *p == '.') {
		f = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		nf = (size_t)(p - f);
		if (!nf)
			syntax = false;
	}
	if (syntax && *p) {
		for (i = 0; i < nunits; i++)
			if (!strcmp(p, units[i].name))
				break;
		if (i == nunits)
			syntax = false;
		else
			mul = units[i].scale;
	}
	if (!syntax) {
		CHECKF(r != 0, "%s(\"%s\") accepted bad syntax as %llu", what, s,
		       (unsigned long long)v);
		return;
	}
	whole = digits_value(w, nw);
	for (i = 0; i < nf && i < 9; i++) {
		frac = frac * 10 + (u128)(f[i] - '0');
		div *= 10;
	}
	exact = whole * mul + frac * mul / div;
	if (r == 0) {
		CHECKF(exact <= UINT64_MAX && v == (uint64_t)exact,
		       "%s(\"%s\") = %llu, exact value %s", what, s,
		       (unsigned long long)v,
		       exact > UINT64_MAX ? "does not fit 64 bits" : "differs");
	} else {
		CHECKF(exact > UINT64_MAX || whole >= 18446744073709551610ULL,
		       "%s(\"%s\") refused a valid value", what, s);
		CHECK(v == 0x5a5a);
	}
}

static void check_duration_size(const char *s)
{
	static const struct unit dur[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
	};
	static const struct unit size[] = {
		{ "k", 1ULL << 10 }, { "K", 1ULL << 10 }, { "m", 1ULL << 20 },
		{ "M", 1ULL << 20 }, { "g", 1ULL << 30 }, { "G", 1ULL << 30 },
	};

	check_scaled(s, "parse_duration_ms", parse_duration_ms, dur,
		     ARRAY_SIZE(dur), 1000);
	check_scaled(s, "parse_size", parse_size, size, ARRAY_SIZE(size), 1);
}

/* --- events -------------------------------------------------------------- */
static const char *const ev_names[] = {
	[NSI_EV_CREATE] = "create", [NSI_EV_DESTROY] = "destroy",
	[NSI_EV_MOVE] = "move", [NSI_EV_FIB] = "fib", [NSI_EV_SWITCH] = "switch",
};

static bool model_events(const char *s, uint32_t *mask)
{
	const char *p = s, *end;
	uint32_t m = 0, k;
	size_t len;

	if (!*s)
		return false;
	for (;;) {
		end = strchrnul(p, ',');
		len = (size_t)(end - p);
		if (len == 3 && !memcmp(p, "all", 3)) {
			m |= NSI_EV_ALL;
		} else {
			for (k = NSI_EV_CREATE; k < NSI_EV_MAX; k++)
				if (strlen(ev_names[k]) == len && !memcmp(p, ev_names[k], len))
					break;
			if (k == NSI_EV_MAX)
				return false;
			m |= NSI_EV_MASK(k);
		}
		if (!*end)
			break;
		p = end + 1;
	}
	*mask = m;
	return true;
}

static void check_events(const char *s)
{
	uint32_t mask = 0x1234, want = 0;
	const char *why = NULL;
	bool ok = model_events(s, &want);
	int r = trace_parse_events(s, &mask, &why);
	uint32_t k;

	CHECKF((r == 0) == ok, "trace_parse_events(\"%s\") = %d", s, r);
	if (r) {
		CHECK(r == -EINVAL && why && *why);
		CHECK(mask == 0x1234);
		return;
	}
	CHECK(mask == want);
	CHECK(mask && !(mask & ~(uint32_t)NSI_EV_ALL));
	for (k = 0; k < NSI_EV_MAX + 2; k++)
		CHECK(trace_event_name(k) != NULL);
}

/* --- prefix ---------------------------------------------------------------- */
static void check_prefix(const char *s)
{
	uint32_t addr = 1, mask = 2, want_mask;
	char host[64];
	const char *why = NULL, *slash;
	struct in_addr a;
	bool ok = true;
	u128 len = 32;
	int r;

	r = trace_parse_prefix(s, &addr, &mask, &why);
	/* model: ADDR[/LEN], LEN 0..32 in digits, the whole under 20 chars */
	slash = strchr(s, '/');
	if (!*s || strlen(s) >= INET_ADDRSTRLEN + 4 ||
	    (size_t)((slash ? slash : s + strlen(s)) - s) >= sizeof(host)) {
		ok = false;
	} else {
		memcpy(host, s, (size_t)((slash ? slash : s + strlen(s)) - s));
		host[(slash ? slash : s + strlen(s)) - s] = '\0';
		if (inet_pton(AF_INET, host, &a) != 1)
			ok = false;
		if (slash) {
			if (!all_digits(slash + 1))
				ok = false;
			else
				len = digits_value(slash + 1, strlen(slash + 1));
			if (len > 32)
				ok = false;
		}
	}
	CHECKF((r == 0) == ok, "trace_parse_prefix(\"%s\") = %d, model says %s",
	       s, r, ok ? "valid" : "invalid");
	if (r) {
		CHECK(r == -EINVAL && why && *why);
		return;
	}
	want_mask = len ? htonl(~0U << (32 - (unsigned int)len)) : 0;
	CHECK(mask == want_mask);
	CHECK((addr & ~mask) == 0);
	CHECK(addr == (a.s_addr & mask));
	/* contiguous: the host-order mask is ones then zeros */
	CHECK(((~ntohl(mask) + 1) & ~ntohl(mask)) == 0);
}

/* --- table ------------------------------------------------------------------ */
static void check_table(const char *s)
{
	static const struct { const char *name; uint32_t id; } names[] = {
		{ "default", 253 }, { "main", 254 }, { "local", 255 },
	};
	uint32_t id = 77;
	uint64_t want = 0;
	const char *why = NULL, *nm;
	bool ok = false;
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i].name)) {
			ok = true;
			want = names[i].id;
		}
	if (!ok && model_u64(s, &want) && want && want <= UINT32_MAX)
		ok = true;
	r = trace_parse_table(s, &id, &why);
	CHECKF((r == 0) == ok, "trace_parse_table(\"%s\") = %d", s, r);
	if (r) {
		CHECK(r == -EINVAL && why && *why);
		return;
	}
	CHECK(id == want && id != 0);
	nm = rt_table_name(id);
	if (nm) {
		uint32_t back = 0;

		CHECK(!trace_parse_table(nm, &back, &why) && back == id);
	}
}

static void check_probe_mode(const char *s)
{
	enum probe_mode m = (enum probe_mode)42;
	int r = trace_parse_probe_mode(s, &m);
	bool ok = !strcmp(s, "auto") || !strcmp(s, "fentry") || !strcmp(s, "kprobe");

	CHECK((r == 0) == ok);
	if (r)
		CHECK(r == -EINVAL && m == (enum probe_mode)42);
	else
		CHECK(m == (!strcmp(s, "auto") ? PROBE_AUTO :
			    !strcmp(s, "fentry") ? PROBE_FENTRY : PROBE_KPROBE));
}

/* --- the whole command line -------------------------------------------------- */
#define MAX_ARGS 200

static int lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

static void check_args(char *text, size_t n)
{
	static char arg0[] = "trace";
	char *argv[MAX_ARGS + 2], *copy[MAX_ARGS + 2];
	struct trace_config cfg;
	uint32_t m;
	int argc = 1, r, i, fd_mark;
	char *p = text;
	bool fib;

	argv[0] = arg0;
	for (;;) {
		char *nl = memchr(p, '\n', n - (size_t)(p - text));

		if (argc == MAX_ARGS + 1)
			break;
		argv[argc++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	argv[argc] = NULL;
	memcpy(copy, argv, sizeof(argv[0]) * (size_t)(argc + 1));

	memset(&cfg, 0xa5, sizeof(cfg));
	fd_mark = lowest_free_fd();
	r = trace_parse_args(argc, argv, &cfg);
	CHECKF(r == -1 || r == 0 || r == 1, "trace_parse_args returned %d", r);
	/* getopt_long() may permute argv, never change the strings */
	for (i = 1; i < argc; i++) {
		int j;

		for (j = 1; j < argc; j++)
			if (argv[j] == copy[i])
				break;
		CHECK(j < argc);
	}
	/* --netns resolved paths, names and pids: nothing left open */
	CHECK(lowest_free_fd() == fd_mark);
	if (r)
		return;

	CHECK(cfg.events && !(cfg.events & ~(uint32_t)NSI_EV_ALL));
	fib = cfg.fib_dst_set || cfg.fib_table_set || cfg.fib_errors || cfg.fib_summary;
	if (fib)
		CHECK(cfg.events & NSI_EV_MASK(NSI_EV_FIB));
	if (!cfg.events_set && !fib)
		CHECK(cfg.events == TRACE_DEFAULT_EVENTS);
	if (cfg.fib_dst_set) {
		m = ntohl(cfg.fib_mask);
		CHECK((cfg.fib_dst & ~cfg.fib_mask) == 0);
		CHECK(((~m + 1) & ~m) == 0);
	} else {
		CHECK(!cfg.fib_dst && !cfg.fib_mask);
	}
	CHECK(!cfg.fib_table_set ? cfg.fib_table == 0 : cfg.fib_table != 0);
	CHECK(TERMINATED(cfg.comm));
	if (cfg.comm_set)
		CHECK(strlen(cfg.comm) >= 1 && strlen(cfg.comm) < NSI_COMM_LEN);
	else
		CHECK(!cfg.comm[0]);
	CHECK(cfg.n_netns <= TRACE_MAX_NETNS);
	for (i = 0; i < (int)cfg.n_netns; i++)
		CHECK(cfg.netns[i] != 0);
	CHECK(cfg.ringbuf_size >= (uint64_t)getpagesize() &&
	      cfg.ringbuf_size <= (1ULL << 30) &&
	      !(cfg.ringbuf_size & (cfg.ringbuf_size - 1)));
	CHECK(cfg.summary_interval_ms > 0);
	CHECK(cfg.mode == PROBE_AUTO || cfg.mode == PROBE_FENTRY ||
	      cfg.mode == PROBE_KPROBE);
	CHECK(cfg.verbose >= 0 && cfg.verbose < MAX_ARGS * 8);
	/* --ready-file is only remembered: it must point into our argv */
	if (cfg.ready_file)
		CHECK(cfg.ready_file >= text && cfg.ready_file <= text + n);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	(void)argc;
	(void)argv;
	fuzz_quiet();
	/*
	 * --netns PATH opens PATH read-only (netns_resolve()): make
	 * "/dev/stdin" harmless, as a pipe without a writer would block.
	 */
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char modes[] = "eptmadsu";
	char mode, *s;
	size_t n;

	if (!size)
		return 0;
	mode = (char)data[0];
	if (!strchr(modes, mode) || !mode)
		mode = modes[data[0] % (sizeof(modes) - 1)];
	s = fuzz_strndup(data + 1, size - 1);
	n = strlen(s);
	switch (mode) {
	case 'e':
		check_events(s);
		break;
	case 'p':
		check_prefix(s);
		break;
	case 't':
		check_table(s);
		break;
	case 'm':
		check_probe_mode(s);
		break;
	case 'a':
		check_args(s, n);
		break;
	case 'd':
	case 's':
		check_duration_size(s);
		break;
	case 'u':
		check_numbers(s);
		break;
	}
	free(s);
	return 0;
}
