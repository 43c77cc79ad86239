/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - the Prometheus exposition formats, written: text 0.0.4
 * (Prometheus' "text/plain; version=0.0.4") and OpenMetrics 1.0.0.
 *
 * A growing buffer with a ceiling: whatever a scrape asks for, the text of
 * one response never takes more than @max bytes (expo_init()); past it the
 * writer stops and says so (expo.overflow), and the caller answers 500
 * instead of a cut exposition.  Pure functions over memory: fuzzed as they
 * are by fuzz/fuzz_expo.c.
 */
#ifndef NETNSIGHT_EXPO_H
#define NETNSIGHT_EXPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXPO_CT_TEXT	"text/plain; version=0.0.4; charset=utf-8"
#define EXPO_CT_OM	"application/openmetrics-text; version=1.0.0; charset=utf-8"

struct expo {
	char *buf;		/* malloc()ed, NUL-terminated while len < cap */
	size_t len, cap;
	size_t max;		/* ceiling of len */
	bool overflow;		/* something did not fit under max (or no memory) */
	bool openmetrics;
};

struct expo_label {
	const char *name;	/* [a-zA-Z_][a-zA-Z0-9_]*: ours, never escaped */
	const char *value;	/* any bytes: escaped, invalid UTF-8 replaced */
};

void expo_init(struct expo *e, bool openmetrics, size_t max);
void expo_free(struct expo *e);
/* Hand the buffer over (caller free()s it); @e is empty afterwards. */
char *expo_take(struct expo *e, size_t *len);

/*
 * "# HELP" and "# TYPE" of a family.  @type: counter, gauge, histogram.
 * For a counter, @name ends in "_total"; OpenMetrics names the family
 * without it (its samples keep it), the text format with it.
 */
void expo_family(struct expo *e, const char *name, const char *type, const char *help);

/* One sample line: NAME{LABELS} VALUE.  @suffix (may be NULL) follows @name. */
void expo_sample(struct expo *e, const char *name, const char *suffix,
		 const struct expo_label *l, size_t nl, double v);
void expo_sample_u64(struct expo *e, const char *name, const char *suffix,
		     const struct expo_label *l, size_t nl, uint64_t v);

/*
 * The same with the labels in two parts: @pre, text that expo_labels_text()
 * made (escaped already: written as it is, first), then @l.  For labels
 * every sample of a namespace repeats, escaped once instead of per line.
 */
void expo_sample_pre(struct expo *e, const char *name, const char *pre,
		     const struct expo_label *l, size_t nl, double v);
void expo_sample_pre_u64(struct expo *e, const char *name, const char *pre,
			 const struct expo_label *l, size_t nl, uint64_t v);
/* ... whose value is @ms / 1000, written exactly as expo_value() would */
void expo_sample_pre_milli(struct expo *e, const char *name, const char *pre,
			   const struct expo_label *l, size_t nl, uint64_t ms);
/* `a="x",b="y"` for @l, escaped; malloc()ed, NULL without memory */
char *expo_labels_text(const struct expo_label *l, size_t nl);

/*
 * A histogram's samples: @counts[i] observations in bucket i (not
 * cumulative), @nb finite upper bounds in @bounds, ascending, and
 * @counts[nb] above the last; @sum of the observations.  Labels @l (up to
 * EXPO_MAX_LABELS - 1) come before "le".
 */
#define EXPO_MAX_LABELS	8
void expo_histogram(struct expo *e, const char *name, const struct expo_label *l, size_t nl,
		    const double *bounds, const uint64_t *counts, size_t nb, double sum);

/* OpenMetrics' "# EOF"; nothing in the text format. */
void expo_finish(struct expo *e);

/*
 * A label value, escaped as both formats want it: backslash, double quote
 * and line feed as \\ \" \n; valid UTF-8 passes through, each byte of an
 * invalid sequence becomes U+FFFD (Prometheus rejects a scrape with
 * invalid UTF-8 in it -- one odd namespace name must not cost every
 * metric).  Reads @n bytes of @s (NULs included: each becomes U+FFFD too,
 * as no format can carry it).
 */
void expo_label_value(struct expo *e, const char *s, size_t n);

/* The length of the valid UTF-8 sequence at @s (1..4), 0 if invalid. */
size_t expo_utf8_len(const unsigned char *s, size_t n);

/* A sample value as both formats write it: NaN, +Inf, -Inf, or %.17g-ish. */
void expo_value(struct expo *e, double v);
/* The value @ms / 1000, in the same text as expo_value((double)@ms / 1000). */
void expo_value_milli(struct expo *e, uint64_t ms);

#endif
