// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight exporter --web-config FILE: TLS and basic auth, configured
 * with the keys of Prometheus' exporter-toolkit web configuration where
 * they apply:
 *
 *   tls_server_config:
 *     cert_file: /path/server.crt     # PEM
 *     key_file: /path/server.key      # PEM
 *   basic_auth_users:
 *     prometheus: $2b$10$...          # bcrypt, as htpasswd -B makes them
 *
 * YAML is parsed by libyaml (its event API), never by hand.  Keys we do not
 * implement (client_auth_type, client_ca_file, cipher_suites,
 * http_server_config, ...) are refused by name rather than ignored: a
 * setting that silently does nothing is worse than a start-up error.
 * exp_webcfg_parse() is a pure function over the text.
 */
#include <crypt.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "exporter.h"
#include "util.h"

struct wc_parser {
	yaml_parser_t p;
	yaml_event_t ev;
	bool have_ev;
	char *why;
	size_t whylen;
};

static int fail(struct wc_parser *wp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct wc_parser *wp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(wp->why, wp->whylen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The next event into wp->ev (the previous one is deleted). */
static int next(struct wc_parser *wp)
{
	if (wp->have_ev)
		yaml_event_delete(&wp->ev);
	wp->have_ev = false;
	if (!yaml_parser_parse(&wp->p, &wp->ev))
		return fail(wp, "line %zu: %s", wp->p.problem_mark.line + 1,
			    wp->p.problem ? wp->p.problem : "not YAML");
	wp->have_ev = true;
	return 0;
}

static const char *scalar(const struct wc_parser *wp)
{
	return (const char *)wp->ev.data.scalar.value;
}

/* a plain empty scalar or ~/null: "key:" with nothing after it */
static bool is_null(const struct wc_parser *wp)
{
	const char *v = scalar(wp);

	return wp->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*v || !strcmp(v, "~") || !strcmp(v, "null"));
}

static int set_str(struct wc_parser *wp, char **dst, const char *key, const char *v)
{
	if (*dst)
		return fail(wp, "%s given twice", key);
	if (!*v || strlen(v) > 4096)
		return fail(wp, "%s must be a path (1..4096 bytes)", key);
	*dst = strdup(v);
	return *dst ? 0 : -ENOMEM;
}

typedef int (*pair_fn)(struct wc_parser *wp, struct exp_webcfg *w, const char *key,
		       const char *value);

/* A mapping of scalar keys to scalar values, each handed to @fn. */
static int scalar_map(struct wc_parser *wp, struct exp_webcfg *w, const char *what,
		      pair_fn fn)
{
	char *key;
	int err;

	if (next(wp))
		return -EINVAL;
	if (wp->ev.type == YAML_SCALAR_EVENT && is_null(wp))
		return 0;
	if (wp->ev.type != YAML_MAPPING_START_EVENT)
		return fail(wp, "%s must be a mapping", what);
	for (;;) {
		if (next(wp))
			return -EINVAL;
		if (wp->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (wp->ev.type != YAML_SCALAR_EVENT)
			return fail(wp, "%s: keys must be plain words", what);
		key = strdup(scalar(wp));
		if (!key)
			return -ENOMEM;
		err = next(wp);
		if (!err && wp->ev.type != YAML_SCALAR_EVENT)
			err = fail(wp, "%s.%s must be a single value", what, key);
		if (!err)
			err = fn(wp, w, key, scalar(wp));
		free(key);
		if (err)
			return err;
	}
}

static int tls_pair(struct wc_parser *wp, struct exp_webcfg *w, const char *key,
		    const char *value)
{
	if (!strcmp(key, "cert_file"))
		return set_str(wp, &w->cert_file, "tls_server_config.cert_file", value);
	if (!strcmp(key, "key_file"))
		return set_str(wp, &w->key_file, "tls_server_config.key_file", value);
	return fail(wp, "tls_server_config.%.64s is not supported (cert_file and key_file are)",
		    key);
}

/* bcrypt: $2a$, $2b$ or $2y$, two-digit cost, 53 characters of salt and hash */
static bool is_bcrypt(const char *h)
{
	return strlen(h) == 60 && h[0] == '$' && h[1] == '2' && strchr("aby", h[2]) &&
	       h[3] == '$' && h[4] >= '0' && h[4] <= '3' && h[5] >= '0' && h[5] <= '9' &&
	       h[6] == '$';
}

static int user_pair(struct wc_parser *wp, struct exp_webcfg *w, const char *user,
		     const char *hash)
{
	size_t i;

	if (!*user || strlen(user) > 255 || strchr(user, ':'))
		return fail(wp, "basic_auth_users: a user name is 1..255 bytes, without ':'");
	for (i = 0; i < w->nusers; i++)
		if (!strcmp(w->users[i].name, user))
			return fail(wp, "basic_auth_users: %.64s given twice", user);
	if (w->nusers == EXP_MAX_USERS)
		return fail(wp, "basic_auth_users: more than %d users", EXP_MAX_USERS);
	if (!is_bcrypt(hash))
		return fail(wp, "basic_auth_users.%.64s: not a bcrypt hash ($2b$COST$...)", user);
	w->users[w->nusers].name = strdup(user);
	w->users[w->nusers].hash = strdup(hash);
	if (!w->users[w->nusers].name || !w->users[w->nusers].hash) {
		free(w->users[w->nusers].name);
		free(w->users[w->nusers].hash);
		return -ENOMEM;
	}
	w->nusers++;
	return 0;
}

static int top_key(struct wc_parser *wp, struct exp_webcfg *w, const char *key)
{
	if (!strcmp(key, "tls_server_config"))
		return scalar_map(wp, w, key, tls_pair);
	if (!strcmp(key, "basic_auth_users"))
		return scalar_map(wp, w, key, user_pair);
	return fail(wp, "%.64s is not supported (tls_server_config and basic_auth_users are)",
		    key);
}

/* stream, at most one document, one mapping (or nothing at all) */
static int parse_doc(struct wc_parser *wp, struct exp_webcfg *w)
{
	char *key;
	int err;

	if (next(wp) || next(wp))
		return -EINVAL;
	if (wp->ev.type == YAML_STREAM_END_EVENT)
		return 0;	/* an empty file: plain HTTP, no auth */
	if (next(wp))
		return -EINVAL;
	if (wp->ev.type == YAML_SCALAR_EVENT && is_null(wp)) {
		err = next(wp);		/* "---" and nothing */
	} else if (wp->ev.type != YAML_MAPPING_START_EVENT) {
		return fail(wp, "the file must be a mapping of settings");
	} else {
		for (err = 0; !err;) {
			if (next(wp))
				return -EINVAL;
			if (wp->ev.type == YAML_MAPPING_END_EVENT)
				break;
			if (wp->ev.type != YAML_SCALAR_EVENT)
				return fail(wp, "settings are named by plain words");
			key = strdup(scalar(wp));
			if (!key)
				return -ENOMEM;
			err = top_key(wp, w, key);
			free(key);
		}
		if (!err)
			err = next(wp);	/* document end */
	}
	if (err || next(wp))
		return -EINVAL;
	if (wp->ev.type != YAML_STREAM_END_EVENT)
		return fail(wp, "one YAML document only");
	return 0;
}

int exp_webcfg_parse(const char *text, size_t len, struct exp_webcfg *w, char *why,
		     size_t whylen)
{
	struct wc_parser wp = { .why = why, .whylen = whylen };
	int err;

	memset(w, 0, sizeof(*w));
	snprintf(why, whylen, "out of memory");
	if (!yaml_parser_initialize(&wp.p))
		return -ENOMEM;
	yaml_parser_set_input_string(&wp.p, (const unsigned char *)text, len);
	err = parse_doc(&wp, w);
	if (wp.have_ev)
		yaml_event_delete(&wp.ev);
	yaml_parser_delete(&wp.p);
	if (!err && !w->cert_file != !w->key_file) {
		snprintf(why, whylen, "tls_server_config needs both cert_file and key_file");
		err = -EINVAL;
	}
	if (err)
		exp_webcfg_free(w);
	return err;
}

void exp_webcfg_free(struct exp_webcfg *w)
{
	size_t i;

	free(w->cert_file);
	free(w->key_file);
	free(w->cert_pem);
	free(w->key_pem);
	for (i = 0; i < w->nusers; i++) {
		free(w->users[i].name);
		free(w->users[i].hash);
	}
	memset(w, 0, sizeof(*w));
}

int exp_webcfg_load(const char *path, struct exp_webcfg *w)
{
	char why[256];
	size_t len;
	char *text = read_file(path, &len);

	if (!text) {
		errmsg("cannot read --web-config %s: %s", path, strerror(errno));
		return -1;
	}
	if (exp_webcfg_parse(text, len, w, why, sizeof(why))) {
		free(text);
		errmsg("bad --web-config %s: %s", path, why);
		return -1;
	}
	free(text);
	if (!w->cert_file)
		return 0;
	/* libmicrohttpd takes the PEM text (MHD_OPTION_HTTPS_MEM_*): read both now */
	w->cert_pem = read_file(w->cert_file, NULL);
	if (!w->cert_pem)
		errmsg("cannot read tls_server_config.cert_file %s: %s", w->cert_file,
		       strerror(errno));
	w->key_pem = w->cert_pem ? read_file(w->key_file, NULL) : NULL;
	if (w->cert_pem && !w->key_pem)
		errmsg("cannot read tls_server_config.key_file %s: %s", w->key_file,
		       strerror(errno));
	if (!w->key_pem) {
		exp_webcfg_free(w);
		return -1;
	}
	return 0;
}

/*
 * crypt_rn() with the stored hash as the setting recomputes it for the
 * password given (libxcrypt's bcrypt, $2b$); equal -- compared in constant
 * time -- means the password is right.  An unknown user costs a hash too
 * (against the first user's, same cost), so the time taken does not tell
 * which users exist.
 */
bool exp_webcfg_auth(const struct exp_webcfg *w, const char *user, const char *pass)
{
	const char *hash, *out;
	struct crypt_data *cd;
	unsigned char diff = 0;
	bool known = false;
	size_t i;

	if (!w->nusers)
		return false;
	hash = w->users[0].hash;
	for (i = 0; user && i < w->nusers; i++) {
		if (!strcmp(w->users[i].name, user)) {
			hash = w->users[i].hash;
			known = true;
		}
	}
	cd = calloc(1, sizeof(*cd));
	if (!cd)
		return false;
	out = crypt_rn(pass ? pass : "", hash, cd, sizeof(*cd));
	if (!out || strlen(out) != strlen(hash)) {
		free(cd);
		return false;
	}
	for (i = 0; hash[i]; i++)
		diff |= (unsigned char)(out[i] ^ hash[i]);
	free(cd);
	return known && pass && !diff;
}
