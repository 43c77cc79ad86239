/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - naming network namespaces the way users do: `ip netns` names
 * (bind mounts under /run/netns), inode numbers (readlink /proc/PID/ns/net
 * -> "net:[INODE]"), pids and paths.
 */
#ifndef NETNSIGHT_NETNS_H
#define NETNSIGHT_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Namespace inode numbers are allocated from PROC_DYNAMIC_FIRST (0xF0000000,
 * fs/proc/generic.c); pids never get that high (PID_MAX_LIMIT is 4M), so a
 * bare number is read as an inode from there on, as a pid below.
 */
#define NETNS_INO_MIN 0xF0000000U

enum netns_spec_kind {
	NETNS_SPEC_NAME,	/* "blue" or "name:blue" */
	NETNS_SPEC_INODE,	/* "4026532281", "ino:4026532281", "net:[4026532281]" */
	NETNS_SPEC_PID,		/* "1234" or "pid:1234" */
	NETNS_SPEC_PATH,	/* anything with a '/' */
};

struct netns_spec {
	enum netns_spec_kind kind;
	uint32_t num;		/* inode or pid */
	char text[4096];	/* name or path */
};

/*
 * "net:[4026531840]" -> 4026531840: the text of a /proc/PID/ns/net link,
 * and the root of an nsfs bind mount in mountinfo.  0; -EINVAL if @s does
 * not have that form; -ERANGE if the number is no inode (0, > 32 bits).
 */
int netns_parse_ns_link(const char *s, uint32_t *ino);

/* Pure parsing (no file system access); -EINVAL with a reason on error. */
int netns_spec_parse(const char *s, struct netns_spec *spec,
		     const char **why);

struct netns_handle {
	uint32_t ino;
	int fd;			/* O_RDONLY on an nsfs file, or -1 */
	char how[320];		/* "name blue", "pid 12", "fd /proc/3/fd/7" ... */
};

/*
 * Resolve a spec to an inode, and an fd through which setns() can enter it
 * when @need_fd.  Inodes are looked up among processes, fds and mounts.
 * Returns 0, or -1 after printing a one-line error.
 */
int netns_resolve(const char *s, bool need_fd, struct netns_handle *h);

/* Where `ip netns` keeps its names (bind mounts of nsfs files). */
#define NETNS_NDIRS 2
extern const char *const netns_dirs[NETNS_NDIRS];

/* --- names (netns_names.c) ------------------------------------------------ */

/*
 * Names under /run/netns and /var/run/netns of namespace @ino now, comma
 * separated into @buf ("" if none).  Cached; refreshed when a directory
 * changes.
 */
const char *netns_names(uint32_t ino, char *buf, size_t size);

/*
 * Inode numbers are reused as soon as a namespace is freed, cookies never
 * (in one boot): the tracer, naming the namespaces of events, asks by
 * (@ino, @cookie).  netns_names_by_cookie() makes every read of the names
 * learn each new name's cookie (by entering its namespace once); a name
 * whose cookie could not be learnt, and a @cookie of 0, go by inode.
 * @now is CLOCK_BOOTTIME ns: the tracer passes each event's timestamp
 * instead of reading the clock per event.  netns_names_version() changes
 * whenever the names were read again, so a caller may cache what it built
 * from them; netns_names_reload() reads them now, netns_names_refresh()
 * now if a name file or a mount has changed since.
 */
void netns_names_by_cookie(void);
const char *netns_names_at(uint32_t ino, uint64_t cookie, char *buf, size_t size,
			   uint64_t now);
uint64_t netns_names_version(uint64_t now);
void netns_names_reload(void);
void netns_names_refresh(void);

/*
 * The last name namespace @cookie had while we watched (NULL if none): a
 * deleted namespace has no name any more, but its destroy event should say
 * which one it was.  netns_forget() drops it once the namespace is gone.
 */
const char *netns_last_name(uint64_t cookie);
void netns_forget(uint64_t cookie);

/* Inode of an nsfs fd or path, 0 if it is not a network namespace. */
uint32_t netns_ino_of_fd(int fd);
uint32_t netns_ino_of_path(const char *path);

/* Our own namespace's inode. */
uint32_t netns_self(void);
/*
 * The host's: PID 1's (init_net has no fixed inode on these kernels).
 * Cached after the first success; 0 if it cannot be read.
 */
uint32_t netns_init(void);

/* Enter a namespace / come back; -1 with errno on failure. */
int netns_enter(int fd);

/*
 * Run @fn(@arg) inside the namespace behind @netns_fd (-1: where we are)
 * and come back.  Returns what @fn returned, or -errno if we could not go
 * there.  If we cannot come back, nothing later could be trusted: the
 * process exits with an error.  setns() moves the calling thread only.
 */
int netns_run_in(int netns_fd, int (*fn)(void *arg), void *arg);
/*
 * The same, coming back to @self (this thread's namespace, kept open by a
 * caller that goes to many: one open less each time).
 */
int netns_run_in_from(int self, int netns_fd, int (*fn)(void *arg), void *arg);

#endif
