// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight trace - the container each event's namespace belongs to, for
 * its human line and its JSON (docs/holders.md, "trace").
 *
 * A namespace's container is known from a process inside it
 * (ctr_identify(): its cgroup, then the runtime's state).  When an event
 * names a namespace we have not judged yet, its own task is asked first (a
 * setns or unshare puts it inside); otherwise the namespace waits, and
 * trace_ctr_pump() -- called from the trace loop -- walks /proc at most
 * once a second while some namespace waits, for up to CTR_WAIT_NS after it
 * was first seen.  That is how the namespace podman (or a CNI plugin)
 * makes before the container starts gets its container a moment later,
 * and why its destroy event, when no process is left to ask, still names
 * it.  An event is labelled with what is known when it is printed: the
 * create event of a container's namespace comes before its container.
 *
 * With no container runtime's state on the machine (CTR_RUNTIME_DIRS),
 * nothing is tracked and nothing walked.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "containers.h"
#include "netns.h"
#include "sbuf.h"
#include "trace.h"
#include "util.h"

#define CTR_BUCKETS	1024
#define CTR_MAX		65536			/* namespaces tracked at most */
#define CTR_WALK_NS	1000000000ULL		/* one /proc walk a second */
#define CTR_WAIT_NS	30000000000ULL		/* judged "none" after 30 s */
#define CTR_RECHECK_NS	10000000000ULL		/* runtimes looked for again */

enum ctr_state { CE_WAITING, CE_KNOWN, CE_NONE };

struct ctr_entry {
	struct ctr_entry *next;
	uint64_t key;			/* the cookie, or the inode without one */
	uint32_t ino;
	enum ctr_state state;
	uint64_t first_seen;		/* boottime ns */
	struct ctr_info *info;		/* CE_KNOWN only */
};

static struct {
	struct ctr_entry *bucket[CTR_BUCKETS];
	unsigned int n, waiting;
	uint64_t last_walk;
	uint64_t runtimes_checked;
	bool runtimes;
	uint32_t host_ino;
} ct;

/*
 * Where the runtimes keep their state, rootful: one of them existing says
 * containers may run here (containers_id.c reads inside these).
 */
static const char *const runtime_dirs[] = {
	"/run/crun", "/run/runc", "/run/containerd", "/run/docker", "/run/libpod",
	"/run/containers", "/var/lib/docker/containers", "/run/lxc",
	"/sys/fs/cgroup/kubepods.slice", "/sys/fs/cgroup/kubepods",
	"/sys/fs/cgroup/machine.slice",
};

static bool runtimes_present(uint64_t now)
{
	struct stat st;
	size_t i;

	if (ct.runtimes_checked && now - ct.runtimes_checked < CTR_RECHECK_NS)
		return ct.runtimes;
	ct.runtimes_checked = now;
	ct.runtimes = false;
	for (i = 0; i < ARRAY_SIZE(runtime_dirs) && !ct.runtimes; i++)
		ct.runtimes = !stat(runtime_dirs[i], &st);
	return ct.runtimes;
}

static uint64_t key_of(const struct nsi_netns *ns)
{
	return ns->cookie ? ns->cookie : ns->ino;
}

static struct ctr_entry **slot_of(uint64_t key)
{
	struct ctr_entry **p = &ct.bucket[(key * 0x9e3779b97f4a7c15ULL) >> 54];

	while (*p && (*p)->key != key)
		p = &(*p)->next;
	return p;
}

static void set_known(struct ctr_entry *e, const struct ctr_info *c)
{
	e->info = malloc(sizeof(*e->info));
	if (!e->info) {
		e->state = CE_NONE;
	} else {
		*e->info = *c;
		e->state = CE_KNOWN;
	}
	ct.waiting--;
}

/* @pid's container, if @pid is inside namespace @ino now */
static bool ask_task(uint32_t ino, pid_t pid, struct ctr_info *c)
{
	char path[48];

	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	return netns_ino_of_path(path) == ino && !ctr_identify(pid, c);
}

static struct ctr_entry *track(const struct nsi_netns *ns, uint64_t now)
{
	struct ctr_entry **p = slot_of(key_of(ns)), *e;

	if (*p || ct.n >= CTR_MAX)
		return *p;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->key = key_of(ns);
	e->ino = ns->ino;
	e->state = CE_WAITING;
	e->first_seen = now;
	*p = e;
	ct.n++;
	ct.waiting++;
	return e;
}

/*
 * Asking a task costs a stat and a cgroup read: only the first event of a
 * namespace (its own task may be inside) and each switch into it (setns,
 * unshare, clone: the task that moved is) -- never every fib lookup.
 */
const struct ctr_info *trace_ctr_of(const struct nsi_event *ev)
{
	const struct nsi_netns *ns = &ev->hdr.netns;
	struct ctr_entry *e;
	struct ctr_info c;
	bool first;
	pid_t pid;

	if (!ns->ino || !runtimes_present(ev->hdr.ts_ns))
		return NULL;
	if (!ct.host_ino)
		ct.host_ino = netns_ino_of_path("/proc/1/ns/net");
	if (ns->ino == ct.host_ino)	/* the host's processes are in none */
		return NULL;
	first = !*slot_of(key_of(ns));
	e = track(ns, ev->hdr.ts_ns);
	if (!e)
		return NULL;
	if (e->state == CE_WAITING) {
		pid = ev->hdr.kind == NSI_EV_SWITCH ? (pid_t)ev->sw.target_pid :
		      first ? (pid_t)ev->hdr.tgid : 0;
		if (ask_task(ns->ino, pid, &c))
			set_known(e, &c);
	}
	return e->state == CE_KNOWN ? e->info : NULL;
}

/* Each waiting entry whose inode is @ino gets @pid's container, if any. */
static void judge(uint32_t ino, pid_t pid)
{
	struct ctr_info c;
	struct ctr_entry *e;
	bool asked = false, found = false;
	size_t b;

	for (b = 0; b < CTR_BUCKETS; b++)
		for (e = ct.bucket[b]; e; e = e->next) {
			if (e->state != CE_WAITING || e->ino != ino)
				continue;
			if (!asked) {
				found = !ctr_identify(pid, &c);
				asked = true;
			}
			if (found)
				set_known(e, &c);
		}
}

/* The inodes of the waiting namespaces, sorted, for the walk to look up. */
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t *waiting_inodes(size_t *n, uint64_t now)
{
	uint32_t *v = malloc(ct.waiting * sizeof(*v));
	struct ctr_entry *e;
	size_t b;

	*n = 0;
	if (!v)
		return NULL;
	for (b = 0; b < CTR_BUCKETS; b++)
		for (e = ct.bucket[b]; e; e = e->next) {
			if (e->state != CE_WAITING)
				continue;
			if (now - e->first_seen > CTR_WAIT_NS) {
				e->state = CE_NONE;	/* nothing came: stop asking */
				ct.waiting--;
				continue;
			}
			v[(*n)++] = e->ino;
		}
	qsort(v, *n, sizeof(*v), cmp_u32);
	return v;
}

/* One pass over /proc: the processes inside a waiting namespace. */
static void walk_proc(const uint32_t *inos, size_t n)
{
	char path[300];
	struct dirent *d;
	uint32_t ino;
	DIR *dir = opendir("/proc");
	pid_t pid;

	if (!dir)
		return;
	while (ct.waiting && (d = readdir(dir))) {
		pid = (pid_t)atoi(d->d_name);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
		ino = netns_ino_of_path(path);
		if (ino && bsearch(&ino, inos, n, sizeof(*inos), cmp_u32))
			judge(ino, pid);
	}
	closedir(dir);
}

void trace_ctr_pump(void)
{
	uint64_t now;
	uint32_t *inos;
	size_t n;

	if (!ct.waiting)
		return;
	now = boottime_ns();
	if (now - ct.last_walk < CTR_WALK_NS)
		return;
	ct.last_walk = now;
	inos = waiting_inodes(&n, now);
	if (inos && n)
		walk_proc(inos, n);
	free(inos);
}

void trace_ctr_forget(const struct nsi_netns *ns)
{
	struct ctr_entry **p = slot_of(key_of(ns)), *e = *p;

	if (!e)
		return;
	*p = e->next;
	if (e->state == CE_WAITING)
		ct.waiting--;
	free(e->info);
	free(e);
	ct.n--;
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
