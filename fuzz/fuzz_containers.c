// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_containers - the container parsers (user/lib/containers.c): a
 * process's /proc/PID/cgroup, an OCI config.json / runc state.json, crun's
 * status, docker's config.v2.json and conmon's command line -- bytes a
 * container's owner can shape.
 *
 * Input: the bytes, as an exact-size, unterminated heap copy (ASan sees
 * any read past it); every parser gets every input.
 *
 * Checked: every string out is NUL-terminated within its field and holds
 * only the characters copy_clean() lets through (no escape, no blank); a
 * recognised cgroup names a runtime and, but for a pod-only path, an id;
 * a bundle is an absolute path.
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz_common.h"
#include "containers.h"

static bool clean(const char *s, size_t size)
{
	size_t i;

	for (i = 0; i < size && s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("_.-:@+?", s[i])))
			return false;
	return i < size;
}

static void check_info(const struct ctr_info *c)
{
	CHECK(clean(c->runtime, sizeof(c->runtime)));
	CHECK(clean(c->id, sizeof(c->id)));
	CHECK(clean(c->name, sizeof(c->name)));
	CHECK(clean(c->pod_name, sizeof(c->pod_name)));
	CHECK(clean(c->pod_namespace, sizeof(c->pod_namespace)));
	CHECK(clean(c->pod_uid, sizeof(c->pod_uid)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1), bundle[256], id[CTR_ID_LEN], name[CTR_NAME_LEN];
	struct ctr_info c;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (!ctr_parse_cgroup(buf, size, &c)) {
		CHECK(c.runtime[0]);
		CHECK(c.id[0] || !strcmp(c.runtime, "kubernetes"));
	}
	check_info(&c);
	memset(&c, 0, sizeof(c));
	ctr_parse_oci_config(buf, size, &c);
	check_info(&c);
	if (!ctr_parse_state_bundle(buf, size, bundle, sizeof(bundle)))
		CHECK(bundle[0] == '/' && memchr(bundle, '\0', sizeof(bundle)));
	if (!ctr_parse_docker_name(buf, size, name, sizeof(name)))
		CHECK(name[0] && clean(name, sizeof(name)));
	if (!ctr_parse_conmon_cmdline(buf, size, id, sizeof(id), name, sizeof(name)))
		CHECK(clean(id, sizeof(id)) && clean(name, sizeof(name)));
	free(buf);
	return 0;
}
