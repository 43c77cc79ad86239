// SPDX-License-Identifier: GPL-2.0
/* netnsight - appending text to a fixed buffer, fast (see sbuf.h). */
#include <stdbool.h>

#include "sbuf.h"

void sb_putn_cut(struct sbuf *s, const char *p, size_t n)
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

void sb_col_cut(struct sbuf *s, size_t pad)
{
	size_t n = pad + 1;

	if (s->len + 1 >= s->cap)	/* full (or no buffer): nothing fits */
		return;
	if (n > s->cap - 1 - s->len)
		n = s->cap - 1 - s->len;
	memset(s->buf + s->len, ' ', n);
	s->len += n;
	s->buf[s->len] = '\0';
}

#define P10(a)	#a "0" #a "1" #a "2" #a "3" #a "4" #a "5" #a "6" #a "7" #a "8" #a "9"
const char sb_pairs[200] = P10(0) P10(1) P10(2) P10(3) P10(4)
			   P10(5) P10(6) P10(7) P10(8) P10(9);
#undef P10

/* "0".."255", NUL-padded to four bytes: dotted quads without a division */
static const char octets[256][4] = {
#define O1(n) #n
#define O10(a) O1(a##0), O1(a##1), O1(a##2), O1(a##3), O1(a##4), \
	       O1(a##5), O1(a##6), O1(a##7), O1(a##8), O1(a##9)
	"0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
	O10(1), O10(2), O10(3), O10(4), O10(5), O10(6), O10(7), O10(8), O10(9),
	O10(10), O10(11), O10(12), O10(13), O10(14), O10(15), O10(16), O10(17),
	O10(18), O10(19), O10(20), O10(21), O10(22), O10(23), O10(24),
	"250", "251", "252", "253", "254", "255",
#undef O10
#undef O1
};

void sb_u64_cut(struct sbuf *s, uint64_t v)
{
	char tmp[20], *p = sb_digits_back(tmp + sizeof(tmp), v);

	sb_putn_cut(s, p, (size_t)(tmp + sizeof(tmp) - p));
}

/*
 * The longest address and its NUL.  The last octet starts at offset 12 at
 * most, so its 4-byte copy ends within this too.
 */
#define IP4_MAX	sizeof("255.255.255.255")

/*
 * One octet: a fixed 4-byte copy (the NULs after a short one are
 * overwritten by what follows), advanced by its length -- no branch on the
 * number of digits.
 */
static inline char *put_octet(char *d, unsigned char b)
{
	const char *o = octets[b];

	memcpy(d, o, 4);
	return d + 1 + (o[1] != 0) + (o[2] != 0);
}

void sb_ip4(struct sbuf *s, uint32_t be)
{
	const unsigned char *b = (const unsigned char *)&be;
	/* room for the longest address: write in place, else cut a copy */
	bool direct = s->len + IP4_MAX <= s->cap;
	char tmp[IP4_MAX], *d = direct ? s->buf + s->len : tmp;

	d = put_octet(d, b[0]);
	*d++ = '.';
	d = put_octet(d, b[1]);
	*d++ = '.';
	d = put_octet(d, b[2]);
	*d++ = '.';
	d = put_octet(d, b[3]);
	*d = '\0';
	if (direct)
		s->len = (size_t)(d - s->buf);
	else
		sb_putn_cut(s, tmp, (size_t)(d - tmp));
}

/* @v as exactly @digits (at most 8) digits, zero-padded (@v < 10^@digits) */
static void sb_frac(struct sbuf *s, uint64_t v, unsigned int digits)
{
	char tmp[8];

	memset(tmp, '0', sizeof(tmp));
	sb_digits_back(tmp + digits, v);
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
