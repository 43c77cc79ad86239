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

/* "0".."255", for dotted quads without a division per digit */
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

#define IP4_MAX	sizeof("255.255.255.255")

void sb_ip4(struct sbuf *s, uint32_t be)
{
	const unsigned char *b = (const unsigned char *)&be;
	/* room for the longest address: write in place, else cut a copy */
	bool direct = s->len + IP4_MAX <= s->cap;
	char tmp[IP4_MAX], *d = direct ? s->buf + s->len : tmp;
	int i;

	for (i = 0; i < 4; i++) {
		const char *o = octets[b[i]];

		if (i)
			*d++ = '.';
		*d++ = o[0];
		if (o[1]) {
			*d++ = o[1];
			if (o[2])
				*d++ = o[2];
		}
	}
	*d = '\0';
	if (direct)
		s->len = (size_t)(d - s->buf);
	else
		sb_putn_cut(s, tmp, (size_t)(d - tmp));
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
