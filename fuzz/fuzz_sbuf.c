// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_sbuf - the tracer's text formatting (user/sbuf.[ch]).
 *
 * The hand-written number and address writers replace printf() on the
 * tracer's hot path, so they are checked against printf() and inet_ntop().
 * Input byte 0 is the buffer's size (0..255, an exact-size heap block, so
 * ASan sees any write past it); the rest is a program of appends: one op
 * byte, then its operand bytes.  After every op the buffer must hold
 * exactly the first cap - 1 bytes (or all) of what the same appends give
 * with printf(), NUL-terminated, and len must say how many.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "fuzz_common.h"
#include "sbuf.h"

FUZZ_QUIET_INIT

/* the model: everything appended, uncut */
static char model[1 << 16];
static size_t model_len;

static void model_put(const char *p, size_t n)
{
	if (model_len + n > sizeof(model))
		n = sizeof(model) - model_len;
	memcpy(model + model_len, p, n);
	model_len += n;
}

static void model_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void model_printf(const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	CHECK(n >= 0 && (size_t)n < sizeof(tmp));
	model_put(tmp, (size_t)n);
}

/* up to 8 operand bytes, little-endian; missing bytes are 0 */
static uint64_t take(const uint8_t **p, const uint8_t *end, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n && *p < end; i++, (*p)++)
		v |= (uint64_t)**p << (8 * i);
	return v;
}

/* a value of any magnitude: byte 0 picks how many bytes follow */
static uint64_t take_value(const uint8_t **p, const uint8_t *end)
{
	return take(p, end, (unsigned int)(take(p, end, 1) % 9));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	size_t cap, mark = 0, want;
	struct sbuf sb;
	char *buf;

	if (size < 1)
		return 0;
	cap = *p++;
	buf = malloc(cap ? cap : 1);
	CHECK(buf);
	sb_init(&sb, buf, cap);
	model_len = 0;

	while (p < end && model_len < sizeof(model) / 2) {
		uint8_t op = *p++;
		uint64_t v;

		switch (op % 9) {
		case 0:
			v = take_value(&p, end);
			sb_u64(&sb, v);
			model_printf("%" PRIu64, v);
			break;
		case 1:
			v = take_value(&p, end);
			sb_i64(&sb, (int64_t)v);
			model_printf("%" PRId64, (int64_t)v);
			break;
		case 2: {
			uint32_t be = (uint32_t)take(&p, end, 4);
			char a[INET_ADDRSTRLEN];

			sb_ip4(&sb, be);
			CHECK(inet_ntop(AF_INET, &be, a, sizeof(a)));
			model_put(a, strlen(a));
			break;
		}
		case 3:
			v = take_value(&p, end);
			sb_secs6(&sb, v);
			model_printf("%" PRIu64 ".%06" PRIu64, v / 1000000000, v % 1000000000 / 1000);
			break;
		case 4:
			v = take_value(&p, end);
			sb_duration(&sb, v);
			if (v >= 1000000000)
				model_printf("%" PRIu64 ".%02" PRIu64 "s", v / 1000000000,
					     v % 1000000000 / 10000000);
			else
				model_printf("%" PRIu64 ".%03" PRIu64 "ms", v / 1000000,
					     v % 1000000 / 1000);
			break;
		case 5:
			mark = sb.len;	/* where the next column starts */
			break;
		case 6: {
			/* pad the column since the mark to a width, then one blank */
			size_t width = (size_t)take(&p, end, 1) % 64, used, pad;

			used = model_len - mark;
			pad = used < width ? width - used : 0;
			sb_col(&sb, mark, width);
			while (pad-- + 1 > 0)
				model_put(" ", 1);
			break;
		}
		case 7: {
			/* raw bytes, NULs included: sb_putn() */
			size_t n = (size_t)take(&p, end, 1) % 48;

			if (n > (size_t)(end - p))
				n = (size_t)(end - p);
			sb_putn(&sb, (const char *)p, n);
			model_put((const char *)p, n);
			p += n;
			break;
		}
		case 8: {
			char c = (char)take(&p, end, 1);

			sb_putc(&sb, c);
			model_put(&c, 1);
			break;
		}
		}
		if (!cap) {
			CHECK(sb.len == 0);
			continue;
		}
		want = model_len < cap - 1 ? model_len : cap - 1;
		CHECKF(sb.len == want, "op %u: len %zu, want %zu (cap %zu)", op % 9, sb.len,
		       want, cap);
		CHECKF(!memcmp(buf, model, want), "op %u: text differs from printf()'s", op % 9);
		CHECK(buf[sb.len] == '\0');
	}
	free(buf);
	return 0;
}
