/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - appending text to a fixed buffer, fast.
 *
 * The tracer formats every event it streams, up to hundreds of thousands a
 * second on the CPU that also runs the traced work; printf()'s format
 * interpretation cost more than everything else per event.  These helpers
 * write numbers and addresses directly, and the hot ones are inline.  They
 * never overrun: output that does not fit is cut, and the buffer stays
 * NUL-terminated.
 */
#ifndef NETNSIGHT_SBUF_H
#define NETNSIGHT_SBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sbuf {
	char *buf;
	size_t len;	/* bytes written, excluding the NUL */
	size_t cap;	/* size of buf, including room for the NUL */
};

static inline void sb_init(struct sbuf *s, char *buf, size_t cap)
{
	s->buf = buf;
	s->cap = cap;
	s->len = 0;
	if (cap)
		buf[0] = '\0';
}

/* the rare case: what does not fit is cut (sbuf.c) */
void sb_putn_cut(struct sbuf *s, const char *p, size_t n);

/*
 * The common case is that the text fits: then a string literal's constant
 * length lets the compiler copy it with a move or two instead of calling
 * memcpy() -- this runs a dozen times per traced event.
 */
static inline void sb_putn(struct sbuf *s, const char *p, size_t n)
{
	if (s->len + n < s->cap) {
		memcpy(s->buf + s->len, p, n);
		s->len += n;
		s->buf[s->len] = '\0';
		return;
	}
	sb_putn_cut(s, p, n);
}

static inline void sb_putc(struct sbuf *s, char c)
{
	if (s->len + 1 < s->cap) {
		s->buf[s->len++] = c;
		s->buf[s->len] = '\0';
	}
}

/* a string literal: its length is known at compile time */
#define SB_LIT(s, lit)	sb_putn((s), (lit), sizeof(lit) - 1)

static inline void sb_puts(struct sbuf *s, const char *p)
{
	sb_putn(s, p, strlen(p));
}

/* a string of at most @max bytes that need not be NUL-terminated */
static inline void sb_putsn(struct sbuf *s, const char *p, size_t max)
{
	sb_putn(s, p, strnlen(p, max));
}

/* the number of decimal digits of @v */
static inline size_t sb_digits(uint64_t v)
{
	size_t n = 1;

	while (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	if (v >= 100) {
		v /= 100;
		n += 2;
	}
	return n + (v >= 10);
}

/* "00".."99": two digits per division (sbuf.c) */
extern const char sb_pairs[200];

/* the digits of @v written backwards, ending just before @end: their start */
static inline char *sb_digits_back(char *end, uint64_t v)
{
	while (v >= 100) {
		end -= 2;
		memcpy(end, sb_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, sb_pairs + 2 * v, 2);
	} else {
		*--end = (char)('0' + v);
	}
	return end;
}

void sb_u64_cut(struct sbuf *s, uint64_t v);

/* digits straight into the buffer: no copy, no memcpy() of unknown size */
static inline void sb_u64(struct sbuf *s, uint64_t v)
{
	size_t n = sb_digits(v);
	char *d;

	if (s->len + n >= s->cap) {
		sb_u64_cut(s, v);
		return;
	}
	d = s->buf + s->len + n;
	*d = '\0';
	sb_digits_back(d, v);
	s->len += n;
}

static inline void sb_i64(struct sbuf *s, int64_t v)
{
	if (v < 0) {
		sb_putc(s, '-');
		sb_u64(s, (uint64_t)0 - (uint64_t)v);
	} else {
		sb_u64(s, (uint64_t)v);
	}
}

/* the rare case of sb_col(): padding near the end of the buffer (sbuf.c) */
void sb_col_cut(struct sbuf *s, size_t pad);

#define SB_COL_FAST	32	/* columns narrower than this pad without memset() */

/* pad with blanks until the text since @from is @width wide, then one blank */
static inline void sb_col(struct sbuf *s, size_t from, size_t width)
{
	size_t used = s->len - from, pad = used < width ? width - used : 0;

	if (pad < SB_COL_FAST && s->len + SB_COL_FAST < s->cap) {
		/* a fixed-size fill is a few stores; only pad + 1 of it counts */
		memset(s->buf + s->len, ' ', SB_COL_FAST);
		s->len += pad + 1;
		s->buf[s->len] = '\0';
		return;
	}
	sb_col_cut(s, pad);
}

/* an IPv4 address in network byte order, dotted */
void sb_ip4(struct sbuf *s, uint32_t be);
/* nanoseconds as seconds with 6 decimals: 8.037892 */
void sb_secs6(struct sbuf *s, uint64_t ns);
/* a duration in ns as 3.870ms or 1.25s */
void sb_duration(struct sbuf *s, uint64_t ns);

#endif
