// SPDX-License-Identifier: GPL-2.0
/* netnsight - a streaming JSON writer (see json.h). */
#include <arpa/inet.h>
#include <string.h>

#include "json.h"
#include "sbuf.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
	j->len = 0;
}

void json_flush(struct json *j)
{
	if (j->len)
		fwrite_unlocked(j->buf, 1, j->len, j->f);
	j->len = 0;
}

static void put(struct json *j, const char *p, size_t n)
{
	if (j->len + n > sizeof(j->buf)) {
		json_flush(j);
		if (n > sizeof(j->buf)) {
			fwrite_unlocked(p, 1, n, j->f);
			return;
		}
	}
	memcpy(j->buf + j->len, p, n);
	j->len += n;
}

static void putch(struct json *j, char c)
{
	put(j, &c, 1);
}

size_t json_escape(char *out, size_t size, const char *v, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;
	char e[6];
	size_t k, el;

#define EMIT(c) do { if (o + 1 < size) out[o] = (c); o++; } while (0)
	EMIT('"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			EMIT((char)c);
			continue;
		}
		el = 2;
		e[0] = '\\';
		switch (c) {
		case '"':
		case '\\':
			e[1] = (char)c;
			break;
		case '\n':
			e[1] = 'n';
			break;
		case '\t':
			e[1] = 't';
			break;
		case '\r':
			e[1] = 'r';
			break;
		default:
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			el = 6;
		}
		for (k = 0; k < el; k++)
			EMIT(e[k]);
	}
	EMIT('"');
#undef EMIT
	if (size)
		out[o < size ? o : size - 1] = '\0';
	return o;
}

static void put_string(struct json *j, const char *v, size_t n)
{
	char small[256];
	size_t need, i;

	/* the usual case, nothing to escape: copy it as it is */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			break;
	}
	if (i == n) {
		putch(j, '"');
		put(j, v, n);
		putch(j, '"');
		return;
	}

	need = json_escape(small, sizeof(small), v, n);
	if (need < sizeof(small)) {
		put(j, small, need);
		return;
	}
	/* long strings (show's free text): escape in pieces */
	putch(j, '"');
	while (n) {
		size_t chunk = n < 40 ? n : 40;

		need = json_escape(small, sizeof(small), v, chunk);
		put(j, small + 1, need - 2);	/* without its quotes */
		v += chunk;
		n -= chunk;
	}
	putch(j, '"');
}

static void json_key(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		putch(j, ',');
	j->first[j->depth] = false;
	if (key) {
		/* mostly our own identifiers (copied as they are), but show's
		 * sockstat protocol names are the kernel's text */
		put_string(j, key, strlen(key));
		putch(j, ':');
	}
}

static void json_open(struct json *j, const char *key, char c)
{
	json_key(j, key);
	putch(j, c);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void json_close(struct json *j, char c)
{
	putch(j, c);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0) {
		/* a finished top-level value: one per line */
		putch(j, '\n');
		j->first[0] = true;
		json_flush(j);
	}
}

void json_obj_begin(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void json_obj_end(struct json *j)
{
	json_close(j, '}');
}

void json_arr_begin(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void json_arr_end(struct json *j)
{
	json_close(j, ']');
}

void json_strn(struct json *j, const char *key, const char *v, size_t n)
{
	json_key(j, key);
	put_string(j, v, strnlen(v, n));
}

void json_str(struct json *j, const char *key, const char *v)
{
	json_key(j, key);
	put_string(j, v, strlen(v));
}

static void put_sbuf_num(struct json *j, uint64_t u, int64_t s, bool is_signed)
{
	char buf[24];
	struct sbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	if (is_signed)
		sb_i64(&sb, s);
	else
		sb_u64(&sb, u);
	put(j, buf, sb.len);
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	put_sbuf_num(j, v, 0, false);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	put_sbuf_num(j, 0, v, true);
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	put(j, v ? "true" : "false", v ? 4 : 5);
}

void json_null(struct json *j, const char *key)
{
	json_key(j, key);
	put(j, "null", 4);
}

void json_str_or_null(struct json *j, const char *key, const char *v)
{
	if (v && *v)
		json_str(j, key, v);
	else
		json_null(j, key);
}

void json_ipv4(struct json *j, const char *key, uint32_t addr)
{
	char buf[INET_ADDRSTRLEN];
	struct sbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	sb_ip4(&sb, addr);
	json_key(j, key);
	putch(j, '"');
	put(j, buf, sb.len);
	putch(j, '"');
}

void json_write_string(FILE *f, const char *v, size_t n)
{
	struct json j;

	json_init(&j, f);
	put_string(&j, v, n);
	json_flush(&j);
}
