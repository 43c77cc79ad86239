// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight trace - the container each event's namespace belongs to, for
 * its human line and its JSON (docs/holders.md, "Trace").
 *
 * A namespace's container is known from a process inside it
 * (ctr_identify(): its cgroup, then the runtime's state).  When an event
 * names a namespace we have not judged yet, its own task is asked first (a
 * setns or unshare puts it inside); otherwise the namespace waits
 * (lib/ctr_cache.c), and trace_ctr_pump() -- called from the trace loop --
 * walks /proc at most once a second while some namespace waits.  That is
 * how the namespace podman (or a CNI plugin) makes before the container
 * starts gets its container a moment later, and why its destroy event,
 * when no process is left to ask, still names it.  An event is labelled
 * with what is known when it is printed: the create event of a container's
 * namespace comes before its container.
 *
 * With no container runtime's state on the machine, nothing is tracked
 * and nothing walked.
 */
#include <dirent.h>
#include <stdlib.h>

#include "ctr_cache.h"
#include "netns.h"
#include "sbuf.h"
#include "trace.h"
#include "util.h"

#define CTR_WALK_NS	1000000000ULL		/* one /proc walk a second */

static struct ctr_cache cache;
static uint64_t last_walk;

/* @pid's container, if @pid is inside namespace @ino now */
static bool ask_task(uint32_t ino, pid_t pid, struct ctr_info *c)
{
	char path[48];

	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	return netns_ino_of_path(path) == ino && !ctr_identify(pid, c);
}

/*
 * Asking a task costs a stat and a cgroup read: only the first event of a
 * namespace (its own task may be inside) and each switch into it (setns,
 * unshare, clone: the task that moved is) -- never every fib lookup.
 */
const struct ctr_info *trace_ctr_of(const struct nsi_event *ev)
{
	const struct nsi_netns *ns = &ev->hdr.netns;
	struct ctr_cache_entry *e;
	struct ctr_info c;
	bool first;
	pid_t pid;

	if (!ns->ino || !ctr_runtimes_present(ev->hdr.ts_ns))
		return NULL;
	if (ns->ino == netns_init())	/* the host's processes are in none */
		return NULL;
	e = ctr_cache_get(&cache, ns->cookie, ns->ino, ev->hdr.ts_ns, &first);
	if (!e)
		return NULL;
	/* a container may start long after its namespace: podman pulls, kubelet waits */
	if (ev->hdr.kind == NSI_EV_SWITCH)
		ctr_cache_rewait(&cache, e, ev->hdr.ts_ns);
	if (e->state == CTR_WAITING) {
		pid = ev->hdr.kind == NSI_EV_SWITCH ? (pid_t)ev->sw.target_pid :
		      first ? (pid_t)ev->hdr.tgid : 0;
		if (ask_task(ns->ino, pid, &c))
			ctr_cache_set(&cache, e, &c);
	}
	return e->state == CTR_KNOWN ? e->info : NULL;
}

/* One pass over /proc: the processes inside a waiting namespace. */
static void walk_proc(const uint32_t *inos, size_t n)
{
	struct ctr_info c;
	char path[300];
	struct dirent *d;
	uint32_t ino;
	DIR *dir = opendir("/proc");
	pid_t pid;

	if (!dir)
		return;
	while (cache.waiting && (d = readdir(dir))) {
		pid = (pid_t)atoi(d->d_name);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
		ino = netns_ino_of_path(path);
		if (ino && bsearch(&ino, inos, n, sizeof(*inos), cmp_u32_key) &&
		    !ctr_identify(pid, &c))
			ctr_cache_judge(&cache, ino, &c);
	}
	closedir(dir);
}

void trace_ctr_pump(void)
{
	uint32_t *inos;
	uint64_t now;
	size_t n;

	if (!cache.waiting)
		return;
	now = boottime_ns();
	if (now - last_walk < CTR_WALK_NS)
		return;
	last_walk = now;
	inos = ctr_cache_waiting(&cache, now, &n);
	if (inos)
		walk_proc(inos, n);
	free(inos);
}

void trace_ctr_forget(const struct nsi_netns *ns)
{
	ctr_cache_forget(&cache, ns->cookie, ns->ino);
}

void trace_ctr_label(struct sbuf *sb, const struct ctr_info *c)
{
	char id[13];

	SB_LIT(sb, " container=");
	if (c->name[0]) {
		sb_puts(sb, c->name);
	} else {
		snprintf(id, sizeof(id), "%.12s", c->id[0] ? c->id : c->runtime);
		sb_puts(sb, id);
	}
	if (c->pod_name[0]) {
		SB_LIT(sb, " pod=");
		if (c->pod_namespace[0]) {
			sb_puts(sb, c->pod_namespace);
			sb_putc(sb, '/');
		}
		sb_puts(sb, c->pod_name);
	}
}
