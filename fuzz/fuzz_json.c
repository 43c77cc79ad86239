// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_json - the JSON writer (user/json.c).
 *
 * Input byte 0 picks what is fuzzed:
 *   even: json_write_string() and json_escape() over the rest of the input
 *         (any bytes, NULs included).  The output must be one valid JSON
 *         string, pure ASCII, decoding back to exactly the input bytes
 *         (\u00XX standing for byte XX); json_escape() into a buffer of
 *         any size (byte 1) returns the full length (at most 6n + 2),
 *         writes a NUL-terminated prefix of the full text, never more.
 *   odd:  the rest is a program of writer calls (objects, arrays, keys,
 *         strings short and up to several buffers long, numbers, ...),
 *         always a legal sequence of calls, containers nested at most
 *         JSON_MAX_DEPTH - 1 deep, keys and strings arbitrary bytes (keys
 *         include kernel text: show's sockstat protocol names).  The
 *         output must be byte for byte what a plain unbuffered writer in
 *         this file produces, and lines that are each one valid JSON value.
 * The validator below is a plain RFC 8259 recognizer.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz_common.h"
#include "json.h"

/* --- RFC 8259 recognizer ------------------------------------------------- */
struct rd {
	const char *p, *end;
	/* decoded bytes of the last string, if wanted */
	unsigned char *dec;
	size_t ndec, cap;
};

static void ws(struct rd *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\r'))
		r->p++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void emit(struct rd *r, unsigned int b)
{
	if (!r->dec || r->ndec == r->cap)
		return;
	r->dec[r->ndec++] = (unsigned char)b;
}

static bool jstring(struct rd *r)
{
	if (r->p >= r->end || *r->p != '"')
		return false;
	r->p++;
	while (r->p < r->end) {
		unsigned char c = (unsigned char)*r->p++;

		if (c == '"')
			return true;
		/* what json.c writes is ASCII; RFC 8259 allows raw UTF-8,
		 * but then a byte string could not round-trip */
		if (c < 0x20 || c >= 0x7f)
			return false;
		if (c != '\\') {
			emit(r, c);
			continue;
		}
		if (r->p >= r->end)
			return false;
		c = (unsigned char)*r->p++;
		switch (c) {
		case '"': case '\\': case '/':
			emit(r, c);
			break;
		case 'b': emit(r, '\b'); break;
		case 'f': emit(r, '\f'); break;
		case 'n': emit(r, '\n'); break;
		case 'r': emit(r, '\r'); break;
		case 't': emit(r, '\t'); break;
		case 'u': {
			unsigned int v = 0;
			int i, h;

			if (r->end - r->p < 4)
				return false;
			for (i = 0; i < 4; i++) {
				h = hexval(r->p[i]);
				if (h < 0)
					return false;
				v = v * 16 + (unsigned int)h;
			}
			r->p += 4;
			/* a lone surrogate is not a character */
			if (v >= 0xd800 && v <= 0xdfff)
				return false;
			emit(r, v);	/* json.c only writes \u00XX: one byte */
			break;
		}
		default:
			return false;
		}
	}
	return false;
}

static bool digits(struct rd *r)
{
	const char *s = r->p;

	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	return r->p > s;
}

static bool jnumber(struct rd *r)
{
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p < r->end && *r->p == '0')
		r->p++;
	else if (!(r->p < r->end && *r->p >= '1' && *r->p <= '9') || !digits(r))
		return false;
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (!digits(r))
			return false;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!digits(r))
			return false;
	}
	return true;
}

static bool lit(struct rd *r, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n))
		return false;
	r->p += n;
	return true;
}

static bool jvalue(struct rd *r);

static bool jcontainer(struct rd *r, char open, char close, bool keys)
{
	r->p++;		/* open */
	(void)open;
	ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return true;
	}
	for (;;) {
		ws(r);
		if (keys) {
			if (!jstring(r))
				return false;
			ws(r);
			if (r->p >= r->end || *r->p++ != ':')
				return false;
			ws(r);
		}
		if (!jvalue(r))
			return false;
		ws(r);
		if (r->p >= r->end)
			return false;
		if (*r->p == close) {
			r->p++;
			return true;
		}
		if (*r->p++ != ',')
			return false;
	}
}

static bool jvalue(struct rd *r)
{
	ws(r);
	if (r->p >= r->end)
		return false;
	switch (*r->p) {
	case '{':
		return jcontainer(r, '{', '}', true);
	case '[':
		return jcontainer(r, '[', ']', false);
	case '"':
		return jstring(r);
	case 't':
		return lit(r, "true");
	case 'f':
		return lit(r, "false");
	case 'n':
		return lit(r, "null");
	default:
		return jnumber(r);
	}
}

/* --- a plain reference: the escaping json.h documents ----------------- */
struct text {
	char *buf;
	size_t len, cap;
};

static void tput(struct text *t, const char *p, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->buf = realloc(t->buf, t->cap);
		CHECK(t->buf);
	}
	memcpy(t->buf + t->len, p, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

static void tputs(struct text *t, const char *s)
{
	tput(t, s, strlen(s));
}

static void ref_escape(struct text *t, const char *v, size_t n)
{
	size_t i;

	tput(t, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		char e[8];

		if (c == '"' || c == '\\') {
			e[0] = '\\';
			e[1] = (char)c;
			tput(t, e, 2);
		} else if (c == '\n') {
			tputs(t, "\\n");
		} else if (c == '\t') {
			tputs(t, "\\t");
		} else if (c == '\r') {
			tputs(t, "\\r");
		} else if (c < 0x20 || c >= 0x7f) {
			snprintf(e, sizeof(e), "\\u%04x", c);
			tput(t, e, 6);
		} else {
			tput(t, (const char *)&c, 1);
		}
	}
	tput(t, "\"", 1);
}

/* --- json_write_string(), json_escape() ------------------------------------ */
static void fuzz_string(const uint8_t *data, size_t size)
{
	char *in, *out = NULL, *esc;
	struct text want = { 0 };
	size_t outlen = 0, need, cut, sz;
	struct rd r;
	FILE *f;

	if (!size)
		return;
	cut = data[0];
	data++;
	size--;
	in = malloc(size ? size : 1);
	CHECK(in);
	memcpy(in, data, size);
	ref_escape(&want, in, size);

	f = open_memstream(&out, &outlen);
	CHECK(f);
	json_write_string(f, in, size);
	CHECK(!fclose(f));

	r.p = out;
	r.end = out + outlen;
	r.cap = size;
	r.ndec = 0;
	r.dec = malloc(size ? size : 1);
	CHECK(r.dec);
	CHECKF(jstring(&r), "not a JSON string: %.300s", out);
	CHECKF(r.p == r.end, "bytes after the string: %.300s", r.p);
	CHECKF(r.ndec == size && !memcmp(r.dec, in, size),
	       "decodes to %zu bytes, not the %zu written", r.ndec, size);
	CHECKF(outlen == want.len && !memcmp(out, want.buf, outlen),
	       "escaped as %.300s, not %.300s", out, want.buf);

	/* json_escape(): the full length whatever the room, a cut prefix */
	need = json_escape(NULL, 0, in, size);
	CHECK(need == want.len && need <= 6 * size + 2);
	for (sz = 0; sz < 3; sz++) {
		size_t room = sz == 0 ? cut % 8 : sz == 1 ? cut * 7 % (need + 2) : need + 1;

		esc = malloc(room ? room : 1);
		CHECK(esc);
		memset(esc, 'Z', room ? room : 1);
		CHECK(json_escape(room ? esc : NULL, room, in, size) == need);
		if (room) {
			size_t n = need < room ? need : room - 1;

			CHECK(esc[n] == '\0');
			CHECK(!memcmp(esc, want.buf, n));
		}
		free(esc);
	}
	free(want.buf);
	free(r.dec);
	free(out);
	free(in);
}

/* --- the writer, driven by a program ---------------------------------------- */
struct prog {
	const uint8_t *p, *end;
	int nlong;		/* long strings so far: a few are enough */
};

static unsigned int next_byte(struct prog *g)
{
	return g->p < g->end ? *g->p++ : 0;
}

/*
 * A length byte, then that many bytes, into a NUL-terminated copy; a
 * length byte from 0xf0 up makes a long string (350 to 5600 bytes, past
 * json.c's 4 KiB buffer) of the next 8 bytes repeated, four per program.
 */
static char *next_str(struct prog *g, size_t *len)
{
	size_t n = next_byte(g), i;
	char pat[8], *s;

	if (n >= 0xf0 && g->nlong++ < 4) {
		for (i = 0; i < sizeof(pat); i++)
			pat[i] = (char)next_byte(g);
		n = (n - 0xef) * 350;
		s = malloc(n + 1);
		CHECK(s);
		for (i = 0; i < n; i++)
			s[i] = pat[i % sizeof(pat)];
	} else {
		n %= 64;
		s = malloc(n + 1);
		CHECK(s);
		for (i = 0; i < n; i++)
			s[i] = (char)next_byte(g);
	}
	s[n] = '\0';
	*len = n;
	return s;
}

struct ref {
	struct text t;
	int depth;
	bool first[JSON_MAX_DEPTH];
};

static void ref_key(struct ref *w, const char *key)
{
	if (!w->first[w->depth])
		tput(&w->t, ",", 1);
	w->first[w->depth] = false;
	if (key) {
		ref_escape(&w->t, key, strlen(key));
		tput(&w->t, ":", 1);
	}
}

static void fuzz_writer(const uint8_t *data, size_t size)
{
	struct prog g = { data, data + size, 0 };
	bool is_obj[JSON_MAX_DEPTH];
	struct ref w = { .first = { true } };
	char *out = NULL, *key, *v, num[64];
	size_t outlen = 0, klen, vlen, n;
	struct json *j = malloc(sizeof(*j));
	struct in_addr a;
	struct rd r;
	FILE *f;
	uint64_t u;
	unsigned int op;
	int i;

	CHECK(j);
	f = open_memstream(&out, &outlen);
	CHECK(f);
	json_init(j, f);
	while (g.p < g.end) {
		op = next_byte(&g) % 11;
		/* at the top, only a container: one value per line */
		if (!w.depth && op > 1)
			op = op & 1;
		if ((op == 0 || op == 1) && w.depth == JSON_MAX_DEPTH - 1)
			op = 2;
		key = NULL;
		if (w.depth && is_obj[w.depth - 1] && op != 2)
			key = next_str(&g, &klen);
		if (op != 2)
			ref_key(&w, key);
		switch (op) {
		case 0:
		case 1:
			if (op == 0)
				json_obj_begin(j, key);
			else
				json_arr_begin(j, key);
			tput(&w.t, op == 0 ? "{" : "[", 1);
			is_obj[w.depth++] = op == 0;
			w.first[w.depth] = true;
			break;
		case 2:
			if (is_obj[--w.depth])
				json_obj_end(j);
			else
				json_arr_end(j);
			tput(&w.t, is_obj[w.depth] ? "}" : "]", 1);
			if (!w.depth) {
				tput(&w.t, "\n", 1);
				w.first[0] = true;
			}
			break;
		case 3:
			v = next_str(&g, &vlen);
			json_str(j, key, v);
			ref_escape(&w.t, v, strlen(v));
			free(v);
			break;
		case 4:
			v = next_str(&g, &vlen);
			/* json_strn() reads at most n bytes, terminated or not */
			n = next_byte(&g) % (vlen + 1);
			json_strn(j, key, v, n);
			ref_escape(&w.t, v, strnlen(v, n));
			free(v);
			break;
		case 5:
		case 6:
			u = 0;
			for (i = 0; i < 8; i++)
				u = u << 8 | next_byte(&g);
			if (op == 5) {
				json_u64(j, key, u);
				snprintf(num, sizeof(num), "%" PRIu64, u);
			} else {
				json_i64(j, key, (int64_t)u);
				snprintf(num, sizeof(num), "%" PRId64, (int64_t)u);
			}
			tputs(&w.t, num);
			break;
		case 7:
			u = next_byte(&g) & 1;
			json_bool(j, key, u);
			tputs(&w.t, u ? "true" : "false");
			break;
		case 8:
			json_null(j, key);
			tputs(&w.t, "null");
			break;
		case 9:
			u = 0;
			for (i = 0; i < 4; i++)
				u = u << 8 | next_byte(&g);
			json_ipv4(j, key, (uint32_t)u);
			a.s_addr = (uint32_t)u;
			CHECK(inet_ntop(AF_INET, &a, num, sizeof(num)));
			tput(&w.t, "\"", 1);
			tputs(&w.t, num);
			tput(&w.t, "\"", 1);
			break;
		case 10:
			json_str(j, key, "");
			tputs(&w.t, "\"\"");
			break;
		}
		free(key);
	}
	while (w.depth > 0) {
		if (is_obj[--w.depth])
			json_obj_end(j);
		else
			json_arr_end(j);
		tput(&w.t, is_obj[w.depth] ? "}" : "]", 1);
		if (!w.depth)
			tput(&w.t, "\n", 1);
	}
	CHECK(!fclose(f));

	CHECKF(outlen == w.t.len && (!outlen || !memcmp(out, w.t.buf, outlen)),
	       "wrote %zu bytes, the plain writer %zu:\n%.400s\n--- plain:\n%.400s",
	       outlen, w.t.len, out, w.t.buf ? w.t.buf : "");

	/* every line one value */
	r.p = out;
	r.end = out + outlen;
	r.dec = NULL;
	while (r.p < r.end) {
		const char *nl = memchr(r.p, '\n', (size_t)(r.end - r.p));
		const char *line = r.p;

		CHECKF(nl, "output does not end with a newline");
		r.end = nl;
		CHECKF(jvalue(&r) && r.p == nl, "not one JSON value: %.*s",
		       (int)(nl - line > 400 ? 400 : nl - line), line);
		r.p = nl + 1;
		r.end = out + outlen;
	}
	free(w.t.buf);
	free(out);
	free(j);
}

FUZZ_QUIET_INIT

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		fuzz_writer(data + 1, size - 1);
	else
		fuzz_string(data + 1, size - 1);
	return 0;
}
