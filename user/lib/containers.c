// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - parsers for the container runtimes' traces (containers.h):
 * cgroup paths, OCI config.json annotations, runtime state files, docker's
 * config.v2.json, conmon's command line.  Pure: bytes in, struct out.
 */
#include <jansson.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "containers.h"
#include "util.h"

/*
 * Names come from files a container's owner shapes: keep the characters
 * runtimes allow in names and ids (podman: [a-zA-Z0-9][a-zA-Z0-9_.-]*,
 * Kubernetes: DNS labels and subdomains) and make the rest '?', so a name
 * cannot carry a terminal escape or break a column.
 */
static void copy_clean(char *dst, size_t size, const char *src, size_t n)
{
	size_t i;

	if (!size)
		return;
	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || (c && strchr("_.-:@+", c)) ? (char)c : '?';
	}
	dst[n] = '\0';
}

static bool is_hex_id(const char *s, size_t n)
{
	size_t i;

	if (n < 12 || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* @c (length @n) is PREFIX<hex id>SUFFIX: the id into @out */
static bool id_between(const char *c, size_t n, const char *prefix, const char *suffix,
		       struct ctr_info *out, const char *runtime)
{
	size_t p = strlen(prefix), s = strlen(suffix);

	if (n < p + s || memcmp(c, prefix, p) || memcmp(c + n - s, suffix, s) ||
	    !is_hex_id(c + p, n - p - s))
		return false;
	copy_clean(out->id, sizeof(out->id), c + p, n - p - s);
	copy_str(out->runtime, runtime, sizeof(out->runtime));
	return true;
}

/*
 * The pod UID in "kubepods-besteffort-pod<uid>.slice" (systemd driver:
 * '-' of the UID escaped to '_') or "pod<uid>" (cgroupfs driver): kubelet's
 * pod cgroup name (pkg/kubelet/cm/pod_container_manager_linux.go).
 */
static void pod_uid_of(const char *c, size_t n, struct ctr_info *out)
{
	const char *p = NULL;
	size_t i, k;

	for (i = 0; i + 3 <= n; i++)
		if (!memcmp(c + i, "pod", 3) && (i == 0 || c[i - 1] == '-'))
			p = c + i + 3;
	if (!p)
		return;
	k = n - (size_t)(p - c);
	if (k >= 6 && !memcmp(p + k - 6, ".slice", 6))
		k -= 6;
	if (k != 36)
		return;
	for (i = 0; i < k; i++) {
		char ch = p[i] == '_' ? '-' : p[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || ch == '-'))
			return;
		out->pod_uid[i] = ch;
	}
	out->pod_uid[k] = '\0';
}

/* systemd unit-name escaping: "\x2d" is '-' (machine-foo\x2dbar.scope) */
static void unescape_unit(char *dst, size_t size, const char *src, size_t n)
{
	char tmp[CTR_NAME_LEN];
	size_t i, j = 0;

	for (i = 0; i < n && j + 1 < sizeof(tmp); i++) {
		if (src[i] == '\\' && i + 3 < n && src[i + 1] == 'x' &&
		    !memcmp(src + i + 2, "2d", 2)) {
			tmp[j++] = '-';
			i += 3;
		} else {
			tmp[j++] = src[i];
		}
	}
	copy_clean(dst, size, tmp, j);
}

/* One path component, @prev the one before it ("" at the root). */
static bool match_component(const char *c, size_t n, const char *prev, size_t pn,
			    struct ctr_info *out)
{
	if (id_between(c, n, "docker-", ".scope", out, "docker") ||
	    id_between(c, n, "cri-containerd-", ".scope", out, "containerd") ||
	    id_between(c, n, "crio-", ".scope", out, "crio") ||
	    id_between(c, n, "libpod-", ".scope", out, "podman") ||
	    id_between(c, n, "libpod-", "", out, "podman"))	/* cgroupfs */
		return true;
	if (pn == 6 && !memcmp(prev, "docker", 6) && id_between(c, n, "", "", out, "docker"))
		return true;
	/* kubelet's cgroupfs driver: .../pod<uid>/<container id> */
	if (pn > 3 && !memcmp(prev, "pod", 3) && id_between(c, n, "", "", out, "kubernetes"))
		return true;
	if (n > 14 && !memcmp(c, "machine-", 8) && !memcmp(c + n - 6, ".scope", 6)) {
		unescape_unit(out->name, sizeof(out->name), c + 8, n - 14);
		copy_str(out->id, out->name, sizeof(out->id));
		copy_str(out->runtime, "nspawn", sizeof(out->runtime));
		return true;
	}
	if ((pn == 3 && !memcmp(prev, "lxc", 3)) || (n > 12 && !memcmp(c, "lxc.payload.", 12))) {
		size_t skip = pn == 3 && !memcmp(prev, "lxc", 3) ? 0 : 12;

		copy_clean(out->name, sizeof(out->name), c + skip, n - skip);
		copy_str(out->id, out->name, sizeof(out->id));
		copy_str(out->runtime, "lxc", sizeof(out->runtime));
		return true;
	}
	return false;
}

/* A cgroup path: the innermost component that names a container wins. */
static bool match_path(const char *path, size_t len, struct ctr_info *out)
{
	const char *c = path, *end = path + len, *prev = "", *slash;
	struct ctr_info found = { 0 }, cur;
	size_t pn = 0;
	bool any = false;

	while (c < end) {
		slash = memchr(c, '/', (size_t)(end - c));
		if (!slash)
			slash = end;
		if (slash > c) {
			pod_uid_of(c, (size_t)(slash - c), &found);
			memcpy(&cur, &found, sizeof(cur));
			if (match_component(c, (size_t)(slash - c), prev, pn, &cur)) {
				memcpy(&found, &cur, sizeof(found));
				any = true;
			}
			prev = c;
			pn = (size_t)(slash - c);
		}
		c = slash + 1;
	}
	if (!any && found.pod_uid[0])
		copy_str(found.runtime, "kubernetes", sizeof(found.runtime));
	if (any || found.pod_uid[0])
		*out = found;
	return any || found.pod_uid[0];
}

int ctr_parse_cgroup(const char *text, size_t len, struct ctr_info *out)
{
	const char *line = text, *end = text + len, *nl, *path;

	memset(out, 0, sizeof(*out));
	for (; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		/* "HIERARCHY:CONTROLLERS:PATH"; the path may hold ':' itself */
		path = memchr(line, ':', (size_t)(nl - line));
		if (path)
			path = memchr(path + 1, ':', (size_t)(nl - path - 1));
		if (path && match_path(path + 1, (size_t)(nl - path - 1), out))
			return 0;
	}
	return -1;
}

/* The Kubernetes keys of containerd's CRI plugin and of CRI-O. */
static void annotation(const char *key, const char *v, size_t n, struct ctr_info *out)
{
	static const struct {
		const char *key;
		size_t off, size;
	} keys[] = {
#define K(k, f) { k, offsetof(struct ctr_info, f), sizeof(((struct ctr_info *)0)->f) }
		K("io.kubernetes.cri.sandbox-name", pod_name),
		K("io.kubernetes.cri.sandbox-namespace", pod_namespace),
		K("io.kubernetes.cri.sandbox-uid", pod_uid),
		K("io.kubernetes.cri.container-name", name),
		K("io.kubernetes.pod.name", pod_name),
		K("io.kubernetes.pod.namespace", pod_namespace),
		K("io.kubernetes.pod.uid", pod_uid),
		K("io.kubernetes.container.name", name),
#undef K
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcmp(key, keys[i].key))
			copy_clean((char *)out + keys[i].off, keys[i].size, v, n);
}

/* runc's state.json: config.labels ["key=value", ...] */
static void labels(json_t *arr, struct ctr_info *out)
{
	char key[128];
	const char *s, *eq;
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) {
		s = json_string_value(v);
		eq = s ? strchr(s, '=') : NULL;
		if (!eq || (size_t)(eq - s) >= sizeof(key))
			continue;
		memcpy(key, s, (size_t)(eq - s));
		key[eq - s] = '\0';
		annotation(key, eq + 1, strlen(eq + 1), out);
	}
}

int ctr_parse_oci_config(const char *text, size_t len, struct ctr_info *out)
{
	json_t *root = json_loadb(text, len, 0, NULL), *ann, *v;
	const char *key;

	if (!json_is_object(root)) {
		json_decref(root);
		return -1;
	}
	ann = json_object_get(root, "annotations");
	json_object_foreach(ann, key, v)
		if (json_is_string(v))
			annotation(key, json_string_value(v), json_string_length(v), out);
	labels(json_object_get(json_object_get(root, "config"), "labels"), out);
	json_decref(root);
	return 0;
}

/* @key's string value in a JSON object text: 0, or -1 if none */
static int json_string_of(const char *text, size_t len, const char *key, char *dst,
			  size_t size, bool clean)
{
	json_t *root = json_loadb(text, len, 0, NULL), *v;
	int ret = -1;

	v = json_object_get(root, key);
	if (json_is_string(v) && json_string_length(v) < size &&
	    !memchr(json_string_value(v), '\0', json_string_length(v))) {
		if (clean)
			copy_clean(dst, size, json_string_value(v), json_string_length(v));
		else
			copy_str(dst, json_string_value(v), size);
		ret = 0;
	}
	json_decref(root);
	return ret;
}

int ctr_parse_state_bundle(const char *text, size_t len, char *bundle, size_t size)
{
	json_t *root, *lab, *v;
	const char *s;
	size_t i;
	int ret = -1;

	if (!json_string_of(text, len, "bundle", bundle, size, false))	/* crun */
		return bundle[0] == '/' ? 0 : -1;
	root = json_loadb(text, len, 0, NULL);	/* runc: config.labels "bundle=" */
	lab = json_object_get(json_object_get(root, "config"), "labels");
	json_array_foreach(lab, i, v) {
		s = json_string_value(v);
		if (s && !strncmp(s, "bundle=/", 8) && strlen(s + 7) < size) {
			copy_str(bundle, s + 7, size);
			ret = 0;
			break;
		}
	}
	json_decref(root);
	return ret;
}

int ctr_parse_docker_name(const char *text, size_t len, char *name, size_t size)
{
	char tmp[CTR_NAME_LEN];
	const char *n = tmp;

	if (json_string_of(text, len, "Name", tmp, sizeof(tmp), false))
		return -1;
	if (*n == '/')	/* docker keeps "/NAME" */
		n++;
	copy_clean(name, size, n, strlen(n));
	return name[0] ? 0 : -1;
}

int ctr_parse_conmon_cmdline(const char *buf, size_t len, char *id, size_t id_size,
			     char *name, size_t name_size)
{
	const char *a = buf, *end = buf + len, *z, *next;
	bool have_id = false, have_name = false;

	for (; a < end; a = z + 1) {
		z = memchr(a, '\0', (size_t)(end - a));
		if (!z)
			break;
		next = z + 1;
		if (next >= end || !memchr(next, '\0', (size_t)(end - next)))
			break;
		if ((!strcmp(a, "-c") || !strcmp(a, "--cid")) && is_hex_id(next, strlen(next))) {
			copy_clean(id, id_size, next, strlen(next));
			have_id = true;
		} else if (!strcmp(a, "-n") || !strcmp(a, "--name")) {
			copy_clean(name, name_size, next, strlen(next));
			have_name = true;
		}
	}
	return have_id && have_name ? 0 : -1;
}

void ctr_short(const struct ctr_info *c, char *buf, size_t size)
{
	if (!ctr_known(c))
		copy_str(buf, "-", size);
	else if (c->name[0] && strcmp(c->name, c->id))
		snprintf(buf, size, "%.12s %s", c->id[0] ? c->id : "?", c->name);
	else
		snprintf(buf, size, "%.12s", c->id[0] ? c->id : c->runtime);
}
