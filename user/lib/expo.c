// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - the Prometheus exposition formats (expo.h).
 *
 * The grammar is Prometheus' text format 0.0.4 (docs/instrumenting/
 * exposition_formats) and OpenMetrics 1.0.0: one "name{label="value",...}
 * value" line per sample, label values escaped, families announced by
 * "# HELP" / "# TYPE" before their samples, OpenMetrics ending in "# EOF".
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expo.h"

void expo_init(struct expo *e, bool openmetrics, size_t max)
{
	memset(e, 0, sizeof(*e));
	e->openmetrics = openmetrics;
	e->max = max;
}

void expo_free(struct expo *e)
{
	free(e->buf);
	e->buf = NULL;
	e->len = e->cap = 0;
}

char *expo_take(struct expo *e, size_t *len)
{
	char *b = e->buf;

	*len = e->len;
	e->buf = NULL;
	e->len = e->cap = 0;
	return b;
}

/* Room for @n more bytes and a NUL, growing by doubling up to max. */
static bool reserve(struct expo *e, size_t n)
{
	size_t want, cap;
	char *b;

	if (e->overflow)
		return false;
	if (n > e->max || e->len > e->max - n) {
		e->overflow = true;
		return false;
	}
	want = e->len + n + 1;
	if (want <= e->cap)
		return true;
	cap = e->cap ? e->cap : 4096;
	while (cap < want)
		cap *= 2;
	b = realloc(e->buf, cap);
	if (!b) {
		e->overflow = true;
		return false;
	}
	e->buf = b;
	e->cap = cap;
	return true;
}

static void put(struct expo *e, const char *p, size_t n)
{
	if (!reserve(e, n))
		return;
	memcpy(e->buf + e->len, p, n);
	e->len += n;
	e->buf[e->len] = '\0';
}

static void puts_(struct expo *e, const char *s)
{
	put(e, s, strlen(s));
}

size_t expo_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c >= 0x01 && c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;	/* NUL, a continuation byte, 0xc0/0xc1, 0xf5.. */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates, past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void expo_label_value(struct expo *e, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, k;

	/* runs of bytes that need nothing are copied at once */
	while (i < n) {
		k = p[i] == '\\' || p[i] == '"' || p[i] == '\n' ? 0 :
		    expo_utf8_len(p + i, n - i);
		if (k) {
			i += k;
			run += k;
			continue;
		}
		put(e, s + i - run, run);
		run = 0;
		if (p[i] == '\\')
			put(e, "\\\\", 2);
		else if (p[i] == '"')
			put(e, "\\\"", 2);
		else if (p[i] == '\n')
			put(e, "\\n", 2);
		else
			put(e, "\xef\xbf\xbd", 3);	/* U+FFFD REPLACEMENT CHARACTER */
		i++;
	}
	put(e, s + i - run, run);
}

/* HELP text: ours, but escaped as the formats say (OpenMetrics adds '"') */
static void help_text(struct expo *e, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			put(e, "\\\\", 2);
		else if (*s == '\n')
			put(e, "\\n", 2);
		else if (*s == '"' && e->openmetrics)
			put(e, "\\\"", 2);
		else
			put(e, s, 1);
	}
}

void expo_family(struct expo *e, const char *name, const char *type, const char *help)
{
	size_t len = strlen(name);

	/* OpenMetrics: a counter family's name has no _total, its samples do */
	if (e->openmetrics && !strcmp(type, "counter") && len > 6 &&
	    !strcmp(name + len - 6, "_total"))
		len -= 6;
	puts_(e, "# HELP ");
	put(e, name, len);
	put(e, " ", 1);
	help_text(e, help);
	puts_(e, "\n# TYPE ");
	put(e, name, len);
	put(e, " ", 1);
	puts_(e, type);
	put(e, "\n", 1);
}

/* @v in decimal, with @tail (0 or a byte) after it */
static void put_u64(struct expo *e, uint64_t v, char tail)
{
	char num[24];
	size_t i = sizeof(num);

	if (tail)
		num[--i] = tail;
	do {
		num[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(e, num + i, sizeof(num) - i);
}

/* {PRE,LABELS} -- @pre: label text already escaped (expo_labels_text()) */
static void sample_head(struct expo *e, const char *name, const char *suffix,
			const char *pre, const struct expo_label *l, size_t nl)
{
	size_t i;

	puts_(e, name);
	if (suffix)
		puts_(e, suffix);
	if (pre || nl) {
		put(e, "{", 1);
		if (pre)
			puts_(e, pre);
		for (i = 0; i < nl; i++) {
			if (i || pre)
				put(e, ",", 1);
			puts_(e, l[i].name);
			put(e, "=\"", 2);
			expo_label_value(e, l[i].value, strlen(l[i].value));
			put(e, "\"", 1);
		}
		put(e, "}", 1);
	}
	put(e, " ", 1);
}

char *expo_labels_text(const struct expo_label *l, size_t nl)
{
	struct expo e;
	size_t i, len;

	expo_init(&e, false, 1U << 20);
	for (i = 0; i < nl; i++) {
		if (i)
			put(&e, ",", 1);
		puts_(&e, l[i].name);
		put(&e, "=\"", 2);
		expo_label_value(&e, l[i].value, strlen(l[i].value));
		put(&e, "\"", 1);
	}
	if (!reserve(&e, 0)) {
		expo_free(&e);
		return NULL;
	}
	e.buf[e.len] = '\0';
	return expo_take(&e, &len);
}

/*
 * Below 2^53 a double that is a whole number is printed exactly by
 * "%.15g" when it has at most 15 digits: the same digits, written here
 * without snprintf() (most of our values are counts and gauges of whole
 * numbers).  -0 keeps its sign, through the general path.
 */
#define EXPO_EXACT_MAX	999999999999999.0	/* 15 digits */

void expo_value(struct expo *e, double v)
{
	char num[40];

	if (v >= 1 && v <= EXPO_EXACT_MAX && v == (double)(uint64_t)v) {
		put_u64(e, (uint64_t)v, 0);
		return;
	}
	if (isnan(v)) {
		puts_(e, "NaN");
		return;
	}
	if (isinf(v)) {
		puts_(e, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	/* the shortest of 15 or 17 digits that reads back as the same double */
	snprintf(num, sizeof(num), "%.15g", v);
	if (strtod(num, NULL) != v)
		snprintf(num, sizeof(num), "%.17g", v);
	puts_(e, num);
}

void expo_value_milli(struct expo *e, uint64_t ms)
{
	char frac[4];
	size_t n = 3;

	/* past 15 digits "%.15g" rounds: leave that to it */
	if (ms > (uint64_t)EXPO_EXACT_MAX) {
		expo_value(e, (double)ms / 1000);
		return;
	}
	if (!ms) {
		put(e, "0", 1);
		return;
	}
	if (ms >= 1000)
		put_u64(e, ms / 1000, 0);
	else
		put(e, "0", 1);
	frac[0] = (char)('0' + ms / 100 % 10);
	frac[1] = (char)('0' + ms / 10 % 10);
	frac[2] = (char)('0' + ms % 10);
	while (n && frac[n - 1] == '0')
		n--;
	if (n) {
		put(e, ".", 1);
		put(e, frac, n);
	}
}

void expo_sample(struct expo *e, const char *name, const char *suffix,
		 const struct expo_label *l, size_t nl, double v)
{
	sample_head(e, name, suffix, NULL, l, nl);
	expo_value(e, v);
	put(e, "\n", 1);
}

void expo_sample_u64(struct expo *e, const char *name, const char *suffix,
		     const struct expo_label *l, size_t nl, uint64_t v)
{
	sample_head(e, name, suffix, NULL, l, nl);
	put_u64(e, v, '\n');
}

void expo_sample_pre(struct expo *e, const char *name, const char *pre,
		     const struct expo_label *l, size_t nl, double v)
{
	sample_head(e, name, NULL, pre, l, nl);
	expo_value(e, v);
	put(e, "\n", 1);
}

void expo_sample_pre_u64(struct expo *e, const char *name, const char *pre,
			 const struct expo_label *l, size_t nl, uint64_t v)
{
	sample_head(e, name, NULL, pre, l, nl);
	put_u64(e, v, '\n');
}

void expo_sample_pre_milli(struct expo *e, const char *name, const char *pre,
			   const struct expo_label *l, size_t nl, uint64_t ms)
{
	sample_head(e, name, NULL, pre, l, nl);
	expo_value_milli(e, ms);
	put(e, "\n", 1);
}

void expo_histogram(struct expo *e, const char *name, const struct expo_label *l, size_t nl,
		    const double *bounds, const uint64_t *counts, size_t nb, double sum)
{
	struct expo_label ll[EXPO_MAX_LABELS];
	uint64_t cum = 0;
	char le[40];
	size_t i;

	if (nl >= EXPO_MAX_LABELS)
		nl = EXPO_MAX_LABELS - 1;
	if (nl)		/* l may be NULL when there are no labels */
		memcpy(ll, l, nl * sizeof(*l));
	ll[nl].name = "le";
	for (i = 0; i <= nb; i++) {
		cum += counts[i];
		if (i < nb)
			snprintf(le, sizeof(le), "%.15g", bounds[i]);
		ll[nl].value = i < nb ? le : "+Inf";
		expo_sample_u64(e, name, "_bucket", ll, nl + 1, cum);
	}
	expo_sample(e, name, "_sum", l, nl, sum);
	expo_sample_u64(e, name, "_count", l, nl, cum);
}

void expo_finish(struct expo *e)
{
	if (e->openmetrics)
		puts_(e, "# EOF\n");
}
