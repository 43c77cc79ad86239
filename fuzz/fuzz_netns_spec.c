// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_netns_spec - netns_spec_parse() (user/netns.c): how users name a
 * namespace.  Input: the spec (a C string: it stops at a NUL).
 *
 * Checked against a model of netns.h's grammar: "name:N" or a name, a pid
 * or inode as digits, "pid:N", "ino:N", "net:[N]", anything with a '/' a
 * path; and the fields of a result (kind, number, NUL-terminated text).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz_common.h"
#include "netns.h"

static bool digits_u32(const char *s, size_t n, uint32_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(s[i] - '0');
		if (x > UINT32_MAX)
			return false;
	}
	*v = (uint32_t)x;
	return true;
}

struct model {
	bool ok;
	enum netns_spec_kind kind;
	uint32_t num;
	const char *text;
};

static bool good_name(const char *p)
{
	return *p && strcmp(p, ".") && strcmp(p, "..") && strlen(p) <= 255;
}

static struct model model(const char *s)
{
	struct model m = { .ok = false };
	size_t len = strlen(s);
	uint32_t n = 0;

	if (!len)
		return m;
	if (strchr(s, '/')) {
		m.ok = len < sizeof(((struct netns_spec *)0)->text);
		m.kind = NETNS_SPEC_PATH;
		m.text = s;
		return m;
	}
	if (!strncmp(s, "name:", 5)) {
		m.ok = good_name(s + 5);
		m.kind = NETNS_SPEC_NAME;
		m.text = s + 5;
		return m;
	}
	if (!strncmp(s, "net:[", 5)) {
		/* at most 15 digits between the brackets */
		m.ok = len >= 7 && len <= 5 + 16 && s[len - 1] == ']' &&
		       digits_u32(s + 5, len - 6, &n) && n;
		m.kind = NETNS_SPEC_INODE;
		m.num = n;
		return m;
	}
	if (!strncmp(s, "ino:", 4) || !strncmp(s, "pid:", 4)) {
		m.ok = digits_u32(s + 4, len - 4, &n) && n;
		m.kind = s[0] == 'i' ? NETNS_SPEC_INODE : NETNS_SPEC_PID;
		m.num = n;
		return m;
	}
	if (digits_u32(s, len, &n)) {
		m.ok = n != 0;
		m.kind = n >= NETNS_INO_MIN ? NETNS_SPEC_INODE : NETNS_SPEC_PID;
		m.num = n;
		return m;
	}
	/* anything else, digits too many for 32 bits included, is a name */
	m.ok = good_name(s);
	m.kind = NETNS_SPEC_NAME;
	m.text = s;
	return m;
}

FUZZ_QUIET_INIT

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct netns_spec spec;	/* 4 KiB: keep it off the stack */
	char *s = fuzz_strndup(data, size);
	const char *why = NULL;
	struct model m = model(s);
	int r;

	memset(&spec, 0xa5, sizeof(spec));
	r = netns_spec_parse(s, &spec, &why);
	CHECKF((r == 0) == m.ok, "netns_spec_parse(\"%.200s\") = %d, model says %s",
	       s, r, m.ok ? "valid" : "invalid");
	CHECK(TERMINATED(spec.text));
	if (r) {
		CHECK(r == -EINVAL && why && *why);
		free(s);
		return 0;
	}
	CHECKF(spec.kind == m.kind, "kind %d, model %d", spec.kind, m.kind);
	switch (spec.kind) {
	case NETNS_SPEC_INODE:
	case NETNS_SPEC_PID:
		CHECK(spec.num == m.num && spec.num != 0);
		if (spec.kind == NETNS_SPEC_PID && strncmp(s, "pid:", 4))
			CHECK(spec.num < NETNS_INO_MIN);
		break;
	case NETNS_SPEC_NAME:
		CHECK(!strcmp(spec.text, m.text));
		CHECK(!strchr(spec.text, '/') && strlen(spec.text) <= 255 &&
		      strcmp(spec.text, ".") && strcmp(spec.text, ".."));
		break;
	case NETNS_SPEC_PATH:
		CHECK(!strcmp(spec.text, s));
		break;
	default:
		CHECK(!"unknown kind");
	}
	free(s);
	return 0;
}
