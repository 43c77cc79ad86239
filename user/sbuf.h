/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - appending text to a fixed buffer, fast.
 *
 * The tracer formats every event it streams, up to hundreds of thousands a
 * second on the CPU that also runs the traced work; printf()'s format
 * interpretation cost more than everything else per event.  These helpers
 * write numbers and addresses directly.  They never overrun: output that
 * does not fit is cut, and the buffer stays NUL-terminated.
 */
#ifndef NETNSIGHT_SBUF_H
#define NETNSIGHT_SBUF_H

#include <stddef.h>
#include <stdint.h>

struct sbuf {
	char *buf;
	size_t len;	/* bytes written, excluding the NUL */
	size_t cap;	/* size of buf, including room for the NUL */
};

void sb_init(struct sbuf *s, char *buf, size_t cap);
void sb_putc(struct sbuf *s, char c);
void sb_putn(struct sbuf *s, const char *p, size_t n);
void sb_puts(struct sbuf *s, const char *p);
/* a string of at most @max bytes that need not be NUL-terminated */
void sb_putsn(struct sbuf *s, const char *p, size_t max);
void sb_u64(struct sbuf *s, uint64_t v);
void sb_i64(struct sbuf *s, int64_t v);
/* pad with blanks until the text since @from is @width wide, then one blank */
void sb_col(struct sbuf *s, size_t from, size_t width);
/* an IPv4 address in network byte order, dotted */
void sb_ip4(struct sbuf *s, uint32_t be);
/* nanoseconds as seconds with 6 decimals: 8.037892 */
void sb_secs6(struct sbuf *s, uint64_t ns);
/* a duration in ns as 3.870ms or 1.25s */
void sb_duration(struct sbuf *s, uint64_t ns);

#endif
