// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_expo - the exporter's exposition writer (user/lib/expo.c).
 *
 * Byte 0 picks the test; the rest is a label value (a namespace name can
 * be any bytes but NUL) or a sample value.  Label values are checked
 * against glibc's own UTF-8 decoder (mbrtowc() in C.UTF-8, limited to
 * U+10FFFF as Unicode is) as the model: the escaped text is valid UTF-8,
 * has no raw line feed or double quote, and unescapes to the input with
 * each byte that starts no valid character replaced by U+FFFD.  Sample
 * values read back (strtod()) as the same double, in the text of the
 * model (snprintf() "%.15g", or "%.17g" if that does not read back) the
 * writer's own digits must match; a value in ms is written as ms / 1000.
 * Labels escaped ahead (expo_labels_text()) give the same line as labels
 * escaped in it.  Under a ceiling the writer never goes past it, and says
 * so exactly when it would have.
 */
#include <locale.h>
#include <math.h>
#include <wchar.h>

#include "expo.h"
#include "fuzz_common.h"

FUZZ_QUIET_INIT

/* the length of the valid character at @s by glibc, 0 if none */
static size_t model_char(const char *s, size_t n)
{
	mbstate_t st;
	wchar_t w;
	size_t r;

	memset(&st, 0, sizeof(st));
	r = mbrtowc(&w, s, n, &st);
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0 || (uint32_t)w > 0x10ffff)
		return 0;
	return r;
}

/* what the input should read as once unescaped */
static size_t model_value(const char *in, size_t n, char *out)
{
	size_t i = 0, o = 0, k;

	while (i < n) {
		k = model_char(in + i, n - i);
		if (k) {
			memcpy(out + o, in + i, k);
			o += k;
			i += k;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	return o;
}

static bool valid_utf8(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		k = model_char(s + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

/* \\ \" \n only, nothing raw that would end the value or the line */
static size_t unescape(const char *s, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		CHECKF(s[i] != '"' && s[i] != '\n', "raw %#x at %zu", s[i], i);
		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		CHECK(i + 1 < n);
		i++;
		CHECKF(s[i] == '\\' || s[i] == '"' || s[i] == 'n', "escape \\%c", s[i]);
		out[o++] = s[i] == 'n' ? '\n' : s[i];
	}
	return o;
}

static void fuzz_label(const char *in, size_t n)
{
	char *want = malloc(3 * n + 1), *got = malloc(3 * n + 1);
	size_t wn, gn;
	struct expo e;

	expo_init(&e, false, SIZE_MAX / 2);
	expo_label_value(&e, in, n);
	CHECK(!e.overflow);
	CHECK(valid_utf8(e.buf ? e.buf : "", e.len));
	gn = unescape(e.buf ? e.buf : "", e.len, got);
	wn = model_value(in, n, want);
	CHECKF(gn == wn && !memcmp(got, want, gn), "unescaped %zu bytes, model %zu", gn, wn);
	expo_free(&e);
	free(want);
	free(got);
}

/* a whole sample line, under a ceiling of 0..255 bytes */
static void fuzz_line(const char *in, size_t n, size_t max)
{
	struct expo_label l = { "name", in };	/* up to the first NUL, as a C string */
	struct expo full, cut;

	expo_init(&full, false, SIZE_MAX / 2);
	expo_init(&cut, true, max);
	expo_sample_u64(&full, "netnsight_x", NULL, &l, 1, n);
	expo_sample_u64(&cut, "netnsight_x", NULL, &l, 1, n);
	CHECK(full.len > 0 && full.buf[full.len - 1] == '\n');
	CHECK(memchr(full.buf, '\n', full.len) == full.buf + full.len - 1);
	CHECK(!strncmp(full.buf, "netnsight_x{name=\"", 18));
	CHECK(cut.len <= max);
	CHECKF(cut.overflow == (full.len > max), "len %zu max %zu", full.len, max);
	if (!cut.overflow)
		CHECK(cut.len == full.len && !memcmp(cut.buf, full.buf, full.len));
	expo_free(&full);
	expo_free(&cut);
}

/* what expo_value() writes for a finite @v */
static void model_number(double v, char *num, size_t size)
{
	snprintf(num, size, "%.15g", v);
	if (strtod(num, NULL) != v)
		snprintf(num, size, "%.17g", v);
}

static void check_value(double v)
{
	char model[40];
	struct expo e;

	expo_init(&e, false, 4096);
	expo_value(&e, v);
	CHECK(!e.overflow && e.len);
	if (isnan(v)) {
		CHECK(!strcmp(e.buf, "NaN"));
	} else {
		CHECKF(strtod(e.buf, NULL) == v, "%s", e.buf);
		if (!isinf(v)) {
			model_number(v, model, sizeof(model));
			CHECKF(!strcmp(e.buf, model), "%s, model %s", e.buf, model);
		}
	}
	expo_free(&e);
}

static void fuzz_value(const uint8_t *d, size_t n)
{
	uint64_t u;
	double v;

	if (n < sizeof(v))
		return;
	memcpy(&v, d, sizeof(v));
	check_value(v);
	/* whole numbers: the writer's own digits */
	memcpy(&u, d, sizeof(u));
	check_value((double)(u >> (u & 63)));
}

/* expo_value_milli(ms) writes what expo_value(ms / 1000.0) does */
static void fuzz_milli(const uint8_t *d, size_t n)
{
	struct expo a, b;
	uint64_t ms;

	if (n < sizeof(ms))
		return;
	memcpy(&ms, d, sizeof(ms));
	ms >>= ms & 63;		/* every magnitude */
	expo_init(&a, false, 4096);
	expo_init(&b, false, 4096);
	expo_value_milli(&a, ms);
	expo_value(&b, (double)ms / 1000);
	CHECK(!a.overflow && !b.overflow);
	CHECKF(a.len == b.len && !memcmp(a.buf, b.buf, a.len), "%llu ms: %s, model %s",
	       (unsigned long long)ms, a.buf, b.buf);
	expo_free(&a);
	expo_free(&b);
}

/* labels escaped ahead, then one more: the line labels escaped in it give */
static void fuzz_pre(const char *in, size_t n)
{
	struct expo_label l[3] = { { "netns", "4026531840" }, { "name", in }, { "proto", in } };
	struct expo a, b;
	char *pre;
	size_t k;

	for (k = 0; k <= 2; k++) {
		pre = expo_labels_text(l, k);
		CHECK(pre);
		expo_init(&a, false, SIZE_MAX / 2);
		expo_init(&b, false, SIZE_MAX / 2);
		if (k) {
			expo_sample_pre_u64(&a, "netnsight_x", pre, l + k, 3 - k, n);
			expo_sample_pre(&a, "netnsight_x", pre, l + k, 3 - k, 0.5);
			expo_sample_pre_milli(&a, "netnsight_x", pre, l + k, 3 - k, n);
		} else {	/* no text ahead: NULL */
			expo_sample_pre_u64(&a, "netnsight_x", NULL, l, 3, n);
			expo_sample_pre(&a, "netnsight_x", NULL, l, 3, 0.5);
			expo_sample_pre_milli(&a, "netnsight_x", NULL, l, 3, n);
		}
		expo_sample_u64(&b, "netnsight_x", NULL, l, 3, n);
		expo_sample(&b, "netnsight_x", NULL, l, 3, 0.5);
		expo_sample(&b, "netnsight_x", NULL, l, 3, (double)n / 1000);
		CHECKF(a.len == b.len && !memcmp(a.buf, b.buf, a.len), "%zu labels ahead", k);
		expo_free(&a);
		expo_free(&b);
		free(pre);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in;

	if (!size)
		return 0;
	setlocale(LC_CTYPE, "C.UTF-8");
	in = fuzz_strndup(data + 1, size - 1);
	switch (data[0] % 5) {
	case 0:
		fuzz_label(in, size - 1);
		break;
	case 1:
		fuzz_line(in, size - 1, data[0]);
		break;
	case 2:
		fuzz_value(data + 1, size - 1);
		break;
	case 3:
		fuzz_milli(data + 1, size - 1);
		break;
	default:
		fuzz_pre(in, size - 1);
		break;
	}
	free(in);
	return 0;
}
