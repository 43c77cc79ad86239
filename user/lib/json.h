/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - a streaming JSON writer (one object per line for events,
 * whole documents for ls/show).  Keys are NULL inside arrays.
 *
 * Output collects in a buffer inside struct json and goes to the FILE when
 * the buffer fills or a top-level value ends (with a newline): one write per
 * event line, not one per token -- the tracer writes hundreds of thousands
 * of these a second.
 */
#ifndef NETNSIGHT_JSON_H
#define NETNSIGHT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];
	size_t len;
	char buf[4096];
};

void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *v);
void json_strn(struct json *j, const char *key, const char *v, size_t n);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
/* @v, or null when it is NULL or empty */
void json_str_or_null(struct json *j, const char *key, const char *v);
/* an IPv4 address (network byte order) as a dotted string */
void json_ipv4(struct json *j, const char *key, uint32_t addr);
/* write out what is buffered (done at the end of every top-level value) */
void json_flush(struct json *j);
/*
 * Escape @n bytes at @v as a JSON string, quotes included, into @out
 * (NUL-terminated, at most @size bytes); returns the length it needed,
 * which is at most 6 * n + 2.  Bytes that are not printable ASCII become
 * \u00XX: kernel strings (device names, comm) are bytes, not UTF-8.
 */
size_t json_escape(char *out, size_t size, const char *v, size_t n);
/* the same, written to @f */
void json_write_string(FILE *f, const char *v, size_t n);

#endif
