// SPDX-License-Identifier: GPL-2.0
/* netnsight - a streaming JSON writer. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

void json_write_string(FILE *f, const char *v, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			/* Control bytes and non-ASCII: kernel strings (device
			 * names, comm) are arbitrary bytes, not UTF-8. */
			if (c < 0x20 || c >= 0x7f)
				fprintf(f, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

static void json_key(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (key) {
		json_write_string(j->f, key, strlen(key));
		fputc(':', j->f);
	}
}

static void json_open(struct json *j, const char *key, char c)
{
	json_key(j, key);
	fputc(c, j->f);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void json_close(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0) {
		/* a finished top-level value: one per line */
		fputc('\n', j->f);
		j->first[0] = true;
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
	json_write_string(j->f, v, strnlen(v, n));
}

void json_str(struct json *j, const char *key, const char *v)
{
	json_key(j, key);
	json_write_string(j->f, v, strlen(v));
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	fprintf(j->f, "%" PRId64, v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	json_key(j, key);
	fputs("null", j->f);
}

void json_ipv4(struct json *j, const char *key, uint32_t addr)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr a = { .s_addr = addr };

	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	json_str(j, key, buf);
}
