// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_show_text - the /proc text parsers of `netnsight show`
 * (user/show_parse.c): show_parse_xt_names() (/proc/net/ip_tables_names
 * and friends) and show_parse_sockstat() (/proc/net/sockstat,
 * sockstat6).  Input: the file's bytes, as an exact-size unterminated heap
 * copy.  Both parsers get every input.
 *
 * Checked: return values; counts within the arrays; every name
 * NUL-terminated, non-empty and without a newline (sockstat names without
 * a ':' or space either, and FRAG/FRAG6 never counted); sockstat appends:
 * parsing the text twice into one struct gives each row twice (up to the
 * array's size), and "sockets: used" the same.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz_common.h"
#include "show.h"

static void check_xt(const char *text, size_t len)
{
	struct show_xt_tables x;
	unsigned int i;
	int r;

	memset(&x, 0x5a, sizeof(x));
	r = show_parse_xt_names(text, len, &x);
	CHECK(r == 0 || r == -EINVAL);
	CHECK(x.n <= SHOW_MAX_XT_TABLES);
	for (i = 0; i < x.n; i++) {
		CHECK(TERMINATED(x.name[i]));
		CHECK(x.name[i][0] && !strchr(x.name[i], '\n'));
		/* a name is a whole line of the text */
		CHECK(memmem(text, len, x.name[i], strlen(x.name[i])));
	}
}

static void check_sock_rows(const struct show_sockstat *s)
{
	unsigned int i;

	CHECK(s->n <= SHOW_MAX_SOCK_PROTOS);
	for (i = 0; i < s->n; i++) {
		const char *nm = s->proto[i].name;

		CHECK(TERMINATED(s->proto[i].name));
		CHECK(nm[0] && !strpbrk(nm, "\n:"));
		CHECK(strncmp(nm, "FRAG", 4));
	}
}

static void check_sockstat(const char *text, size_t len)
{
	struct show_sockstat s, twice;
	unsigned int i;
	int r, r2;

	memset(&s, 0, sizeof(s));
	r = show_parse_sockstat(text, len, &s);
	CHECK(r == 0 || r == -EINVAL);
	check_sock_rows(&s);
	if (!s.has_used)
		CHECK(!s.used);
	if (r)
		return;

	memset(&twice, 0, sizeof(twice));
	CHECK(!show_parse_sockstat(text, len, &twice));
	r2 = show_parse_sockstat(text, len, &twice);
	CHECK(!r2);
	check_sock_rows(&twice);
	CHECK(twice.has_used == s.has_used && twice.used == s.used);
	CHECK(twice.n == (2 * s.n < SHOW_MAX_SOCK_PROTOS ? 2 * s.n : SHOW_MAX_SOCK_PROTOS));
	for (i = 0; i < twice.n; i++) {
		unsigned int k = i < s.n ? i : i - s.n;

		CHECK(!strcmp(twice.proto[i].name, s.proto[k].name));
		CHECK(twice.proto[i].inuse == s.proto[k].inuse);
	}
}

FUZZ_QUIET_INIT

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);

	CHECK(text);
	memcpy(text, data, size);
	check_xt(text, size);
	check_sockstat(text, size);
	free(text);
	return 0;
}
