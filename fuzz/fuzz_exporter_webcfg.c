// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_exporter_webcfg - --web-config's YAML (user/exporter_webcfg.c,
 * libyaml underneath) over arbitrary bytes.
 *
 * A refused file says why (a terminated, non-empty reason) and leaves the
 * struct empty (LeakSanitizer sees anything left allocated).  An accepted
 * one is consistent: TLS has both files or neither, paths are non-empty,
 * users are unique, at most EXP_MAX_USERS, named without ':', each with a
 * 60-character bcrypt hash -- and parsing the same bytes again gives the
 * same settings.
 */
#include "exporter.h"
#include "fuzz_common.h"

FUZZ_QUIET_INIT

static bool same(const struct exp_webcfg *a, const struct exp_webcfg *b)
{
	size_t i;

	if (!a->cert_file != !b->cert_file || a->nusers != b->nusers)
		return false;
	if (a->cert_file && (strcmp(a->cert_file, b->cert_file) ||
			     strcmp(a->key_file, b->key_file)))
		return false;
	for (i = 0; i < a->nusers; i++)
		if (strcmp(a->users[i].name, b->users[i].name) ||
		    strcmp(a->users[i].hash, b->users[i].hash))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct exp_webcfg empty;
	struct exp_webcfg w, again;
	char why[256], why2[256];
	size_t i, j;
	int err;

	err = exp_webcfg_parse((const char *)data, size, &w, why, sizeof(why));
	if (err) {
		CHECK(fuzz_terminated(why, sizeof(why)) && why[0]);
		CHECK(!memcmp(&w, &empty, sizeof(w)));
		return 0;
	}
	CHECK(!w.cert_file == !w.key_file);
	CHECK(!w.cert_file || (w.cert_file[0] && w.key_file[0]));
	CHECK(!w.cert_pem && !w.key_pem);	/* parse never reads files */
	CHECK(w.nusers <= EXP_MAX_USERS);
	for (i = 0; i < w.nusers; i++) {
		CHECK(w.users[i].name[0] && !strchr(w.users[i].name, ':'));
		CHECK(strlen(w.users[i].hash) == 60 && !strncmp(w.users[i].hash, "$2", 2));
		for (j = 0; j < i; j++)
			CHECK(strcmp(w.users[i].name, w.users[j].name));
	}
	CHECK(!exp_webcfg_parse((const char *)data, size, &again, why2, sizeof(why2)));
	CHECK(same(&w, &again));
	exp_webcfg_free(&w);
	exp_webcfg_free(&again);
	return 0;
}
