/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - a streaming JSON writer (one object per line for events,
 * whole documents for ls/show).  Keys are NULL inside arrays.
 */
#ifndef NETNSIGHT_JSON_H
#define NETNSIGHT_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];
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
/* an IPv4 address (network byte order) as a dotted string */
void json_ipv4(struct json *j, const char *key, uint32_t addr);
/* escape @v (n bytes) into @f as a JSON string, quotes included */
void json_write_string(FILE *f, const char *v, size_t n);

#endif
