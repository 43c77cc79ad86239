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

static inline void sb_putn(struct sbuf *s, const char *p, size_t n)
{
	size_t room;
	char *d;

	if (!s->cap)
		return;
	room = s->cap - 1 - s->len;
	if (n > room)
		n = room;
	d = s->buf + s->len;
	memcpy(d, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
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

static inline void sb_u64(struct sbuf *s, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sb_putn(s, tmp + i, sizeof(tmp) - i);
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

/* pad with blanks until the text since @from is @width wide, then one blank */
static inline void sb_col(struct sbuf *s, size_t from, size_t width)
{
	size_t used = s->len - from, pad = used < width ? width - used : 0;

	if (s->len + pad + 1 >= s->cap)
		pad = s->cap > s->len + 1 ? s->cap - s->len - 2 : 0;
	memset(s->buf + s->len, ' ', pad + 1);
	s->len += pad + 1;
	s->buf[s->len] = '\0';
}

/* an IPv4 address in network byte order, dotted */
void sb_ip4(struct sbuf *s, uint32_t be);
/* nanoseconds as seconds with 6 decimals: 8.037892 */
void sb_secs6(struct sbuf *s, uint64_t ns);
/* a duration in ns as 3.870ms or 1.25s */
void sb_duration(struct sbuf *s, uint64_t ns);

#endif
