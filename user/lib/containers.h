/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - which container (and Kubernetes pod) a process belongs to,
 * from what the runtimes leave readable: the process's cgroup path, the
 * OCI runtime's state directory (state -> bundle -> config.json
 * annotations), docker's config.v2.json, and podman's conmon command line.
 * No runtime CLI is run.  Sources and their limits: docs/holders.md.
 *
 * The parsers (ctr_parse_*) are pure functions over bytes that come from
 * files anyone who runs a container can shape: fuzzed as they are
 * (fuzz/fuzz_containers.c).
 */
#ifndef NETNSIGHT_CONTAINERS_H
#define NETNSIGHT_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CTR_ID_LEN	65	/* 64 hex digits */
#define CTR_NAME_LEN	128	/* k8s names are DNS labels: 63; podman's are free */
#define PATH_MAX_LEN	4096

struct ctr_info {
	char runtime[16];	/* "docker", "containerd", "crio", "podman", "nspawn",
				 * "lxc", "kubernetes" (pod cgroup, runtime unknown); ""
				 * when none */
	char id[CTR_ID_LEN];
	char name[CTR_NAME_LEN];
	char pod_name[CTR_NAME_LEN];
	char pod_namespace[CTR_NAME_LEN];
	char pod_uid[40];	/* 8-4-4-4-12 */
};

static inline bool ctr_known(const struct ctr_info *c)
{
	return c->runtime[0] != '\0';
}

/*
 * /proc/PID/cgroup text (v2 "0::/path" and v1 "N:ctrl:/path" lines) ->
 * runtime, id, pod uid.  0 if a container was recognised, -1 if not.
 */
int ctr_parse_cgroup(const char *text, size_t len, struct ctr_info *out);
/*
 * An OCI config.json (or runc state.json, whose config.labels carry the
 * annotations as "key=value"): the Kubernetes annotations containerd's CRI
 * plugin and CRI-O write.  Fills what it finds; 0, or -1 if not JSON.
 */
int ctr_parse_oci_config(const char *text, size_t len, struct ctr_info *out);
/* crun's status or runc's state.json -> the bundle directory; 0 or -1 */
int ctr_parse_state_bundle(const char *text, size_t len, char *bundle, size_t size);
/* docker's /var/lib/docker/containers/ID/config.v2.json -> "Name" sans '/' */
int ctr_parse_docker_name(const char *text, size_t len, char *name, size_t size);
/*
 * conmon's /proc/PID/cmdline (NUL-separated): podman passes "-c ID" and
 * "-n NAME" (libpod sharedConmonArgs()).  0 if both found.
 */
int ctr_parse_conmon_cmdline(const char *buf, size_t len, char *id, size_t id_size,
			     char *name, size_t name_size);

/*
 * Everything known about @pid's container (containers_id.c): 0 if it is
 * in one, -1 if not (or it cannot be told).  Costs one read of
 * /proc/PID/cgroup when the process is in no container.
 */
int ctr_identify(pid_t pid, struct ctr_info *out);

struct ns_holders;
/*
 * The container of a namespace, from its holders: its tasks first, then
 * the processes whose sockets live in it.  Never the host's namespace.
 */
int ctr_of_holders(const struct ns_holders *h, struct ctr_info *out);
/* @want is its name, a prefix of its id, its pod's name or NAMESPACE/NAME */
bool ctr_matches(const struct ctr_info *c, const char *want);

/*
 * The namespaces of container @want (as ctr_matches()), into @inos (room
 * for @max): 0 (*@n may be 0), -E2BIG if more, -1 if /proc is unreadable.
 */
int ctr_netns_of(const char *want, uint32_t *inos, size_t max, size_t *n);

struct json;
/* "container": null, or {runtime, id, name, pod: null | {name, namespace, uid}} */
void ctr_json(struct json *j, const struct ctr_info *c);

/* "ID12 NAME" for a column: the short id (12) and the name if known */
void ctr_short(const struct ctr_info *c, char *buf, size_t size);

#endif
