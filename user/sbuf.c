// SPDX-License-Identifier: GPL-2.0
/* netnsight - appending text to a fixed buffer, fast (see sbuf.h). */
#include <string.h>

#include "sbuf.h"

void sb_init(struct sbuf *s, char *buf, size_t cap)
{
	s->buf = buf;
	s->cap = cap;
	s->len = 0;
	if (cap)
		buf[0] = '\0';
}

void sb_putn(struct sbuf *s, const char *p, size_t n)
{
	size_t room;

	if (!s->cap)
		return;
	room = s->cap - 1 - s->len;
	if (n > room)
		n = room;
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

void sb_putc(struct sbuf *s, char c)
{
	sb_putn(s, &c, 1);
}

void sb_puts(struct sbuf *s, const char *p)
{
	sb_putn(s, p, strlen(p));
}

void sb_putsn(struct sbuf *s, const char *p, size_t max)
{
	sb_putn(s, p, strnlen(p, max));
}

void sb_u64(struct sbuf *s, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sb_putn(s, tmp + i, sizeof(tmp) - i);
}

void sb_i64(struct sbuf *s, int64_t v)
{
	if (v < 0) {
		sb_putc(s, '-');
		sb_u64(s, (uint64_t)0 - (uint64_t)v);
	} else {
		sb_u64(s, (uint64_t)v);
	}
}

void sb_col(struct sbuf *s, size_t from, size_t width)
{
	static const char blanks[] = "                                ";
	size_t used = s->len - from;

	if (used < width)
		sb_putn(s, blanks, width - used < sizeof(blanks) - 1 ?
			width - used : sizeof(blanks) - 1);
	sb_putc(s, ' ');
}

void sb_ip4(struct sbuf *s, uint32_t be)
{
	const unsigned char *b = (const unsigned char *)&be;
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			sb_putc(s, '.');
		sb_u64(s, b[i]);
	}
}

static void sb_frac(struct sbuf *s, uint64_t v, unsigned int digits)
{
	char tmp[9];
	unsigned int i;

	for (i = digits; i > 0; i--) {
		tmp[i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	sb_putn(s, tmp, digits);
}

void sb_secs6(struct sbuf *s, uint64_t ns)
{
	sb_u64(s, ns / 1000000000ULL);
	sb_putc(s, '.');
	sb_frac(s, (ns % 1000000000ULL) / 1000, 6);
}

void sb_duration(struct sbuf *s, uint64_t ns)
{
	if (ns >= 1000000000ULL) {
		sb_u64(s, ns / 1000000000ULL);
		sb_putc(s, '.');
		sb_frac(s, (ns % 1000000000ULL) / 10000000, 2);
		sb_putc(s, 's');
	} else {
		sb_u64(s, ns / 1000000);
		sb_putc(s, '.');
		sb_frac(s, (ns % 1000000) / 1000, 3);
		sb_puts(s, "ms");
	}
}
