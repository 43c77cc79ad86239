/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - who holds each network namespace, seen from /proc:
 * tasks in it (/proc/PID/task/TID/ns/net), open nsfs descriptors
 * (/proc/PID/fd/N: "net:[INODE]" when opened through /proc/PID/ns/net, but
 * the path when opened through a bind mount, so they are told by stat())
 * and nsfs bind mounts (mountinfo, in every mount namespace); and the
 * sockets that pin one, whichever process holds them (sockholders.h).
 * What holds a namespace beyond these -- devices, timers, kernel modules --
 * is invisible here; netnsight_all (the module) lists those namespaces
 * too, which is how `ls` finds orphans.
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
	pid_t tid;			/* its first task in the namespace */
	char comm[16];
};

struct ns_fd {
	pid_t pid;
	int fd;
};

/* A socket fd whose socket lives in the namespace (sock_net(sk)). */
struct ns_sock {
	pid_t pid;
	int fd;
	char comm[16];
	char proto[24];			/* sock_proto_name() */
};

struct ns_mount {
	pid_t pid;			/* a process in the mount namespace that has it */
	char path[256];			/* as mountinfo has it: a blank is \040 */
};

struct ns_holders {
	uint32_t ino;
	unsigned int nprocs;		/* processes with a task in it */
	unsigned int ntasks;
	struct ns_proc procs[HOLDERS_KEEP];
	unsigned int nfds;
	struct ns_fd fds[HOLDERS_KEEP];
	unsigned int nmounts;
	struct ns_mount mounts[HOLDERS_KEEP];	/* ours first if we see it */
	unsigned int nsocks;		/* socket fds, all processes */
	struct ns_sock socks[HOLDERS_KEEP];
};

struct ns_scan {
	struct ns_holders *v;
	size_t n, cap;
	uint32_t *slots;		/* open addressing: index + 1, 0 = empty */
	size_t nslots;
	unsigned int unreadable;	/* processes we could not inspect */
	dev_t nsfs_dev;			/* st_dev of nsfs files */
	dev_t sockfs_dev;		/* st_dev of sockets */
	unsigned int sock_unknown;	/* socket fds whose namespace we could not tell */
	int sock_err;			/* errno of the first such failure, 0 none */
};

int holders_scan(struct ns_scan *s);
/*
 * The same, with @known network namespace inodes (the module's list) added
 * first: an nsfs fd of one of them is taken for a holder without opening
 * it to ask its type (all namespace types share one inode space).
 */
int holders_scan_known(struct ns_scan *s, const uint32_t *known, size_t nknown);
void holders_free(struct ns_scan *s);
struct ns_holders *holders_find(const struct ns_scan *s, uint32_t ino);
/* Add (or find) a namespace known from elsewhere (the module). */
struct ns_holders *holders_add(struct ns_scan *s, uint32_t ino);
/*
 * An fd to setns() into it, -1 if nothing we can open holds it.  Tries the
 * mounts, the processes, the fds, then the sockets; @how (if not NULL) says
 * which one opened: "mount PATH", "process PID", "process PID (thread TID)",
 * "fd /proc/PID/fd/N", "socket fd N of process PID".
 */
int holders_open(const struct ns_holders *h, char *how, size_t size);

struct json;
/* "processes", "fds", "mounts", "sockets" of @h into the open object (holders_json.c) */
void holders_json(struct json *j, const struct ns_holders *h);

/* One-shot: scan, then open one inode. */
int holders_open_netns(uint32_t ino, char *how, size_t size);

#endif
