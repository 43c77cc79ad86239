/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - who holds each network namespace, seen from /proc:
 * tasks in it (/proc/PID/task/TID/ns/net), open nsfs descriptors
 * (/proc/PID/fd/N -> "net:[INODE]") and nsfs bind mounts (mountinfo, in
 * every mount namespace).  What holds a namespace beyond these -- sockets,
 * devices, timers -- is invisible here; netnsight_all (the module) lists
 * those namespaces too, which is how `ls` finds orphans.
 */
#ifndef NETNSIGHT_HOLDERS_H
#define NETNSIGHT_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define HOLDERS_KEEP 4	/* examples kept per kind */

struct ns_proc {
	pid_t pid;
	char comm[16];
};

struct ns_fd {
	pid_t pid;
	int fd;
};

struct ns_holders {
	uint32_t ino;
	unsigned int nprocs;		/* processes with a task in it */
	unsigned int ntasks;
	struct ns_proc procs[HOLDERS_KEEP];
	unsigned int nfds;
	struct ns_fd fds[HOLDERS_KEEP];
	unsigned int nmounts;
	char mounts[HOLDERS_KEEP][256];	/* as seen from our mount ns if possible */
	pid_t mount_pid;		/* a pid in the mount ns of mounts[0] */
};

struct ns_scan {
	struct ns_holders *v;
	size_t n, cap;
	uint32_t *slots;		/* open addressing: index + 1, 0 = empty */
	size_t nslots;
	unsigned int unreadable;	/* processes we could not inspect */
};

int holders_scan(struct ns_scan *s);
void holders_free(struct ns_scan *s);
struct ns_holders *holders_find(const struct ns_scan *s, uint32_t ino);
/* Add (or find) a namespace known from elsewhere (the module). */
struct ns_holders *holders_add(struct ns_scan *s, uint32_t ino);
/* An fd to setns() into it, -1 if nothing we can open holds it. */
int holders_open(const struct ns_holders *h);

/* One-shot: scan, then open one inode. */
int holders_open_netns(uint32_t ino);

#endif
