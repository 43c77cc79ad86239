// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - the ip-netns names of network namespaces: files under
 * /run/netns and /var/run/netns with an nsfs bind mount on them.
 *
 * Names follow inodes, and an inode number is reused as soon as its
 * namespace is freed (ns_free_inum() in net_ns_net_exit()).  ls and show
 * name what exists now, by inode.  The tracer names namespaces of events,
 * some already gone, so it goes by cookie (net_cookie, never reused in a
 * boot): each name's cookie is learnt when the name is first read, by
 * entering its namespace once (SO_NETNS_COOKIE of a socket made there).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netns.h"
#include "util.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71	/* Linux 5.14 */
#endif

struct name_entry {
	uint32_t ino;
	/*
	 * The nsfs inode's ctime: set when the inode is made, and the bind
	 * mount keeps it.  A namespace that reuses an inode number gets a
	 * new nsfs inode, so (name, ino, ctime) unchanged means the same
	 * namespace and its cookie need not be learnt again.
	 */
	struct timespec ctime;
	uint64_t cookie;	/* 0: not known */
	char name[256];
};

static struct name_entry *names;
static size_t nnames;
static bool by_cookie;
static struct timespec names_mtime[NETNS_NDIRS];
static bool names_loaded;
static uint64_t names_loaded_ns;
static uint64_t names_version;	/* bumped by every load */

/*
 * cookie -> the last name seen, so that a destroyed namespace keeps its
 * name.  Forgotten at its destroy event; a trace without destroy events
 * never says, so the oldest entries make room past HISTORY_MAX.
 */
#define HISTORY_MAX 4096

struct last_name {
	uint64_t cookie;
	char name[256];
};

static struct last_name *history;
static size_t nhistory, history_next;

static void remember(uint64_t cookie, const char *name)
{
	size_t i, slot = SIZE_MAX;

	if (!cookie)
		return;
	for (i = 0; i < nhistory && history[i].cookie != cookie; i++)
		if (!history[i].cookie && slot == SIZE_MAX)
			slot = i;	/* forgotten: free */
	if (i < nhistory) {
		slot = i;
	} else if (slot == SIZE_MAX && nhistory < HISTORY_MAX) {
		struct last_name *n = realloc(history, (nhistory + 1) * sizeof(*history));

		if (!n)
			return;
		history = n;
		slot = nhistory++;
	} else if (slot == SIZE_MAX) {
		slot = history_next;
		history_next = (history_next + 1) % HISTORY_MAX;
	}
	history[slot].cookie = cookie;
	copy_str(history[slot].name, name, sizeof(history[slot].name));
}

const char *netns_last_name(uint64_t cookie)
{
	size_t i;

	for (i = 0; cookie && i < nhistory; i++)
		if (history[i].cookie == cookie)
			return history[i].name;
	return NULL;
}

void netns_forget(uint64_t cookie)
{
	size_t i;

	for (i = 0; cookie && i < nhistory; i++) {
		if (history[i].cookie == cookie) {
			history[i].cookie = 0;	/* a free slot for remember() */
			return;
		}
	}
}

void netns_names_by_cookie(void)
{
	by_cookie = true;
	names_loaded = false;	/* learn the cookies of the names read so far */
}

static int cookie_here(void *arg)
{
	int sk = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	socklen_t len = sizeof(uint64_t);
	int err = 0;

	if (sk < 0)
		return -errno;
	/* sock_net(sk)->net_cookie: the namespace the socket was made in */
	if (getsockopt(sk, SOL_SOCKET, SO_NETNS_COOKIE, arg, &len))
		err = -errno;
	close(sk);
	return err;
}

/* The cookie of @e (open as @fd): kept from @old if it is the same one. */
static uint64_t learn_cookie(const struct name_entry *e, int fd,
			     const struct name_entry *old, size_t nold)
{
	uint64_t cookie = 0;
	size_t i;

	for (i = 0; i < nold; i++)
		if (old[i].ino == e->ino && old[i].cookie &&
		    old[i].ctime.tv_sec == e->ctime.tv_sec &&
		    old[i].ctime.tv_nsec == e->ctime.tv_nsec && !strcmp(old[i].name, e->name))
			return old[i].cookie;
	if (netns_run_in(fd, cookie_here, &cookie))
		return 0;
	remember(cookie, e->name);
	return cookie;
}

/* Add name @dir/@name if it is a namespace (a name whose namespace is gone
 * is a plain empty file) and not listed yet. */
static void add_name(const char *dir, const char *name,
		     const struct name_entry *old, size_t nold)
{
	struct name_entry e = { .cookie = 0 }, *n;
	char path[600];
	struct stat st;
	size_t j;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	e.ino = netns_ino_of_fd(fd);
	if (!e.ino || fstat(fd, &st))
		goto out;
	e.ctime = st.st_ctim;
	copy_str(e.name, name, sizeof(e.name));
	for (j = 0; j < nnames; j++)
		if (names[j].ino == e.ino && !strcmp(names[j].name, e.name))
			goto out;
	if (by_cookie)
		e.cookie = learn_cookie(&e, fd, old, nold);
	n = realloc(names, (nnames + 1) * sizeof(*names));
	if (!n)
		goto out;
	names = n;
	names[nnames++] = e;
out:
	close(fd);
}

/*
 * Has the mount table changed since we last asked?  `ip netns add` names a
 * namespace with a bind mount, which leaves the directory's mtime alone;
 * poll() on mountinfo says POLLPRI after each mount or umount in our mount
 * namespace (mounts_poll(), fs/proc_namespace.c).  True if it cannot tell.
 */
static bool mounts_changed(void)
{
	static int fd = -2;
	struct pollfd p;

	if (fd == -2)
		fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	p.fd = fd;
	p.events = POLLPRI;
	return poll(&p, 1, 0) != 0;
}

static void names_load(void)
{
	struct name_entry *old = names;
	size_t nold = nnames, i;
	char real[NETNS_NDIRS][PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;

	names = NULL;
	nnames = 0;
	mounts_changed();	/* what changes from now on is news */
	/* /var/run is usually a link to /run: read each directory once. */
	for (i = 0; i < NETNS_NDIRS; i++) {
		if (!realpath(netns_dirs[i], real[i]))
			real[i][0] = '\0';
		memset(&st, 0, sizeof(st));
		stat(netns_dirs[i], &st);
		names_mtime[i] = st.st_mtim;
	}
	for (i = 0; i < NETNS_NDIRS; i++) {
		if (!real[i][0] || (i && !strcmp(real[i], real[0])))
			continue;
		d = opendir(netns_dirs[i]);
		if (!d)
			continue;
		while ((de = readdir(d)))
			if (de->d_name[0] != '.')
				add_name(netns_dirs[i], de->d_name, old, nold);
		closedir(d);
	}
	free(old);
	names_loaded = true;
	names_loaded_ns = boottime_ns();
	names_version++;
}

void netns_names_reload(void)
{
	names_load();
}

/* A name added or removed since the names were read (its file). */
static bool dirs_changed(void)
{
	struct stat st;
	size_t i;

	for (i = 0; i < NETNS_NDIRS; i++) {
		memset(&st, 0, sizeof(st));
		stat(netns_dirs[i], &st);
		if (st.st_mtim.tv_sec != names_mtime[i].tv_sec ||
		    st.st_mtim.tv_nsec != names_mtime[i].tv_nsec)
			return true;
	}
	return false;
}

void netns_names_refresh(void)
{
	if (!names_loaded || dirs_changed() || mounts_changed())
		names_load();
}

static bool names_stale(uint64_t now)
{
	static uint64_t checked_ns;

	if (!names_loaded)
		return true;
	/* called per event by the tracer: look at the directories 10x a second */
	if (ns_since(now, checked_ns) < 100000000ULL)
		return false;
	checked_ns = now;
	return dirs_changed();
}

/* Does @e name namespace (@ino, @cookie)?  Unknown cookies go by inode. */
static bool names_ns(const struct name_entry *e, uint32_t ino, uint64_t cookie)
{
	return e->ino == ino && (!cookie || !e->cookie || e->cookie == cookie);
}

static bool names_has(uint32_t ino, uint64_t cookie)
{
	size_t i;

	for (i = 0; i < nnames; i++)
		if (names_ns(&names[i], ino, cookie))
			return true;
	return false;
}

uint64_t netns_names_version(uint64_t now)
{
	if (names_stale(now))
		names_load();
	return names_version;
}

const char *netns_names(uint32_t ino, char *buf, size_t size)
{
	return netns_names_at(ino, 0, buf, size, boottime_ns());
}

const char *netns_names_at(uint32_t ino, uint64_t cookie, char *buf, size_t size,
			   uint64_t now)
{
	size_t i, used = 0;

	/*
	 * `ip netns add` creates the file, then bind-mounts the namespace
	 * on it, which does not touch the directory's mtime: an unknown
	 * namespace may be a name we read before its mount, so look again
	 * (at most every 200 ms).
	 */
	if (names_stale(now) ||
	    (!names_has(ino, cookie) && ns_since(now, names_loaded_ns) > 200000000ULL))
		names_load();
	if (size)
		buf[0] = '\0';
	for (i = 0; i < nnames; i++) {
		if (!names_ns(&names[i], ino, cookie))
			continue;
		used += (size_t)snprintf(buf + used, used < size ? size - used : 0,
					 "%s%s", used ? "," : "", names[i].name);
		if (used >= size)
			break;
	}
	return buf;
}
