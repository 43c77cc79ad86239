// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - which container a process is in: its cgroup first (one
 * small read; a process in no container costs nothing more), then, for
 * the id found there, the runtime's own state for what the cgroup cannot
 * say -- names, pods.  Every path read is fixed, built from a validated
 * hex id, or (the bundle) taken from the root-owned runtime state of that
 * id: a process inside a container cannot point us at files of its choosing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "containers.h"
#include "holders.h"
#include "netns.h"
#include "util.h"

/*
 * OCI runtime state roots, rootful defaults: crun's and runc's own, and
 * the ones containerd (runc shim: /run/containerd/runc/NAMESPACE), docker
 * (moby) and CRI-O pass with --root.  STATE: crun's "status", runc's
 * "state.json".
 */
static const char *const state_roots[] = {
	"/run/crun", "/run/runc", "/run/containerd/runc/k8s.io",
	"/run/containerd/runc/default", "/run/containerd/runc/moby",
	"/run/docker/runtime-runc/moby",
};

/* Up to 1 MiB of a file (a config.json is a few KiB), NUL-terminated */
static char *read_small(const char *path, size_t *len)
{
	char *text = read_file(path, len);

	if (text && *len > (1 << 20)) {
		free(text);
		return NULL;
	}
	return text;
}

/* @c->id's bundle/config.json annotations, via the runtime's state */
static void from_oci_state(struct ctr_info *c)
{
	char path[PATH_MAX_LEN], bundle[PATH_MAX_LEN - 16];
	static const char *const files[] = { "status", "state.json" };
	size_t i, k, len;
	char *text;

	for (i = 0; i < ARRAY_SIZE(state_roots); i++) {
		for (k = 0; k < ARRAY_SIZE(files); k++) {
			snprintf(path, sizeof(path), "%s/%s/%s", state_roots[i], c->id,
				 files[k]);
			text = read_small(path, &len);
			if (!text)
				continue;
			/* runc's state.json carries the annotations as labels */
			ctr_parse_oci_config(text, len, c);
			if (!ctr_parse_state_bundle(text, len, bundle, sizeof(bundle))) {
				free(text);
				snprintf(path, sizeof(path), "%s/config.json", bundle);
				text = read_small(path, &len);
				if (text)
					ctr_parse_oci_config(text, len, c);
			}
			free(text);
			return;
		}
	}
}

static void from_docker(struct ctr_info *c)
{
	char path[PATH_MAX_LEN];
	size_t len;
	char *text;

	snprintf(path, sizeof(path), "/var/lib/docker/containers/%s/config.v2.json", c->id);
	text = read_small(path, &len);
	if (text)
		ctr_parse_docker_name(text, len, c->name, sizeof(c->name));
	free(text);
}

/* The parent of @pid, 0 if unknown: /proc/PID/stat "PID (COMM) S PPID" */
static pid_t parent_of(pid_t pid)
{
	char path[64], *text, *p;
	int ppid = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	text = read_file(path, NULL);
	p = text ? strrchr(text, ')') : NULL;	/* COMM may hold ") " */
	if (p && sscanf(p + 1, " %*c %d", &ppid) != 1)
		ppid = 0;
	free(text);
	return ppid;
}

static bool comm_is(pid_t pid, const char *want)
{
	char path[64], *text;
	bool yes;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	text = read_file(path, NULL);
	yes = text && !strncmp(text, want, strlen(want)) && text[strlen(want)] == '\n';
	free(text);
	return yes;
}

/*
 * podman keeps names in its own database (bolt, under --root), but hands
 * each container's to its conmon: "conmon ... -c ID ... -n NAME".  conmon
 * is the container's subreaper, so it is an ancestor of every process in
 * it; a few levels up is enough (a shell, its child, ...).
 */
static void from_conmon(pid_t pid, struct ctr_info *c)
{
	char path[64], id[CTR_ID_LEN], name[CTR_NAME_LEN], *text;
	size_t len;
	int depth;

	for (depth = 0; depth < 8 && pid > 1; depth++) {
		pid = parent_of(pid);
		if (pid <= 1 || !comm_is(pid, "conmon"))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
		text = read_small(path, &len);
		if (text && !ctr_parse_conmon_cmdline(text, len, id, sizeof(id), name,
						      sizeof(name)) &&
		    !strcmp(id, c->id))
			copy_str(c->name, name, sizeof(c->name));
		free(text);
		return;
	}
}

int ctr_identify(pid_t pid, struct ctr_info *c)
{
	char path[64], *text;
	size_t len;
	int err;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	text = read_small(path, &len);
	if (!text)
		return -1;
	err = ctr_parse_cgroup(text, len, c);
	free(text);
	if (err)
		return -1;
	if (c->id[0] && strcmp(c->runtime, "nspawn") && strcmp(c->runtime, "lxc"))
		from_oci_state(c);
	if (!strcmp(c->runtime, "docker") && !c->name[0])
		from_docker(c);
	if (!strcmp(c->runtime, "podman") && !c->name[0])
		from_conmon(pid, c);
	return 0;
}

int ctr_of_holders(const struct ns_holders *h, struct ctr_info *out)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	/*
	 * the host's processes are in no container; one with host networking
	 * would name the host's namespace after itself
	 */
	if (h->ino == netns_init())
		return -1;
	for (i = 0; i < h->nprocs && i < HOLDERS_KEEP; i++)
		if (!ctr_identify(h->procs[i].pid, out))
			return 0;
	for (i = 0; i < h->nsocks && i < HOLDERS_KEEP; i++)
		if (!ctr_identify(h->socks[i].pid, out))
			return 0;
	memset(out, 0, sizeof(*out));
	return -1;
}

bool ctr_matches(const struct ctr_info *c, const char *want)
{
	size_t n = strlen(want);
	char pod[2 * CTR_NAME_LEN + 1];

	if (!ctr_known(c) || !n)
		return false;
	snprintf(pod, sizeof(pod), "%s/%s", c->pod_namespace, c->pod_name);
	return !strcmp(c->name, want) || (c->id[0] && !strncmp(c->id, want, n)) ||
	       (c->pod_name[0] && (!strcmp(c->pod_name, want) || !strcmp(pod, want)));
}

int ctr_netns_of(const char *want, uint32_t *inos, size_t max, size_t *n)
{
	struct ctr_info c;
	struct ns_scan s;
	size_t i;

	*n = 0;
	if (holders_scan(&s))
		return -1;
	for (i = 0; i < s.n; i++) {
		if (ctr_of_holders(&s.v[i], &c) || !ctr_matches(&c, want))
			continue;
		if (*n == max) {
			holders_free(&s);
			return -E2BIG;
		}
		inos[(*n)++] = s.v[i].ino;
	}
	holders_free(&s);
	return 0;
}
