// SPDX-License-Identifier: GPL-2.0
/* netnsight - who holds each network namespace, seen from /proc. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/nsfs.h>

#include "holders.h"
#include "netns.h"
#include "sockholders.h"
#include "util.h"


static size_t slot_of(uint32_t ino, size_t nslots)
{
	return (size_t)(ino * 2654435761U) & (nslots - 1);
}

static int grow(struct ns_scan *s)
{
	size_t nslots = s->nslots ? s->nslots * 2 : 1024, i, j;
	uint32_t *slots;

	slots = calloc(nslots, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < s->n; i++) {
		j = slot_of(s->v[i].ino, nslots);
		while (slots[j])
			j = (j + 1) & (nslots - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(s->slots);
	s->slots = slots;
	s->nslots = nslots;
	return 0;
}

struct ns_holders *holders_find(const struct ns_scan *s, uint32_t ino)
{
	size_t j;

	if (!s->nslots)
		return NULL;
	for (j = slot_of(ino, s->nslots); s->slots[j]; j = (j + 1) & (s->nslots - 1))
		if (s->v[s->slots[j] - 1].ino == ino)
			return &s->v[s->slots[j] - 1];
	return NULL;
}

struct ns_holders *holders_add(struct ns_scan *s, uint32_t ino)
{
	struct ns_holders *h = holders_find(s, ino), *v;
	size_t j;

	if (h)
		return h;
	if ((s->n + 1) * 2 > s->nslots && grow(s))
		return NULL;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;

		v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		s->v = v;
		s->cap = cap;
	}
	h = &s->v[s->n];
	memset(h, 0, sizeof(*h));
	h->ino = ino;
	j = slot_of(ino, s->nslots);
	while (s->slots[j])
		j = (j + 1) & (s->nslots - 1);
	s->slots[j] = (uint32_t)++s->n;
	return h;
}

/* st_dev of nsfs, the one file system of every namespace file; 0 if unknown */
static dev_t nsfs_dev(void)
{
	static dev_t dev;
	struct stat st;

	if (!dev && !stat("/proc/self/ns/net", &st))
		dev = st.st_dev;
	return dev;
}

/*
 * Open @path (relative to @dfd) for setns() if it is network namespace
 * @ino, else -1.  O_PATH first, and the inode checked, before it is opened
 * for reading: an fd number or a path may name another file by now, and
 * opening that could block (a FIFO) or act (a tape device).  Then only an
 * fd can tell the namespace's type (NS_GET_NSTYPE).
 */
static int open_netns_at(int dfd, const char *path, uint32_t ino)
{
	char self[32];
	struct stat st;
	int p, fd = -1;

	p = openat(dfd, path, O_PATH | O_CLOEXEC);
	if (p < 0)
		return -1;
	if (!fstat(p, &st) && st.st_dev == nsfs_dev() && st.st_ino == ino) {
		snprintf(self, sizeof(self), "/proc/self/fd/%d", p);
		fd = open(self, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && netns_ino_of_fd(fd) != ino) {
			close(fd);
			fd = -1;
		}
	}
	close(p);
	return fd;
}

/* The "net:[INODE]" link @name under @dfd -> INODE, else 0 */
static uint32_t read_ns_link(int dfd, const char *name)
{
	char buf[64];
	ssize_t n = readlinkat(dfd, name, buf, sizeof(buf) - 1);
	uint32_t ino;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return netns_parse_ns_link(buf, &ino) ? 0 : ino;
}

static void read_comm(pid_t pid, char *comm, size_t size)
{
	char path[64];
	char *s;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	s = read_file(path, NULL);
	copy_str(comm, s ? s : "?", size);
	free(s);
	comm[strcspn(comm, "\n")] = '\0';
}

static bool is_pid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/*
 * @fn(@s, @pid, dirfd, E, @ctx) for each numeric entry E of /proc/PID/DIR;
 * @fn returns false to stop.  Returns -1 if DIR cannot be read (process
 * gone, or not ours to look at).
 */
typedef bool (*entry_fn)(struct ns_scan *s, pid_t pid, int dfd, const char *entry,
			 void *ctx);

static int walk_entries(struct ns_scan *s, pid_t pid, const char *dir, entry_fn fn,
			void *ctx)
{
	char path[64];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, dir);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (is_pid(de->d_name) && !fn(s, pid, dirfd(d), de->d_name, ctx))
			break;
	closedir(d);
	return 0;
}

/* namespaces already counted for this process (a few, usually one) */
struct task_seen {
	uint32_t ino[8];
	size_t n;
};

static bool add_task(struct ns_scan *s, pid_t pid, int dfd, const char *tid, void *ctx)
{
	struct task_seen *seen = ctx;
	struct ns_holders *h;
	char link[32];
	uint32_t ino;
	size_t k;

	snprintf(link, sizeof(link), "%s/ns/net", tid);
	ino = read_ns_link(dfd, link);
	if (!ino)
		return true;
	h = holders_add(s, ino);
	if (!h)
		return false;
	h->ntasks++;
	for (k = 0; k < seen->n; k++)
		if (seen->ino[k] == ino)
			return true;
	if (seen->n < ARRAY_SIZE(seen->ino))
		seen->ino[seen->n++] = ino;
	if (h->nprocs < HOLDERS_KEEP) {
		h->procs[h->nprocs].pid = pid;
		h->procs[h->nprocs].tid = atoi(tid);
		read_comm(pid, h->procs[h->nprocs].comm, sizeof(h->procs[0].comm));
	}
	h->nprocs++;
	return true;
}

/* Every task of @pid: a thread may have setns()'d on its own. */
static void scan_tasks(struct ns_scan *s, pid_t pid)
{
	struct task_seen seen = { .n = 0 };

	if (walk_entries(s, pid, "task", add_task, &seen))
		s->unreadable++;
}

/*
 * The network namespace open fd @fd (under /proc/PID/fd, @dfd) is, else 0.
 * Told by what the file is, not by its link: an nsfs file opened through
 * /proc/PID/ns/net reads "net:[INODE]", but one opened through a bind
 * mount reads the path ("/run/netns/X", or "/" once `ip netns del` has
 * unmounted it).  stat() says nsfs and the inode; an inode already seen as
 * a network namespace needs nothing more (namespaces of all types share
 * one inode space), another is opened to ask its type.
 *
 * One statx() per fd and no readlink(): sockets, pipes and anon inodes have
 * file systems of their own, so it tells them apart as well as their link
 * would, and costs less than building the link text.  ls over 40,000 fds
 * (half /dev/null, half sockets) in the TCG guest, CPU time of 4 runs:
 * 1.7-2.0 s, where reading every link (before) took 2.8-3.5 s, and reading
 * it, then stat() unless socket:/pipe:/anon_inode:, 2.6-3.3 s.
 */
static uint32_t fd_netns(int dfd, const char *fd, uint32_t ino, const struct ns_scan *s)
{
	int nsfd;

	if (holders_find(s, ino))
		return ino;
	nsfd = open_netns_at(dfd, fd, ino);
	if (nsfd < 0)
		return 0;
	close(nsfd);
	return ino;
}

/* Socket fd @fd of the probed process: count it in its namespace. */
static bool add_socket(struct ns_scan *s, struct sock_probe *sp, int fd)
{
	struct ns_holders *h;
	struct ns_sock *k;
	char proto[sizeof(k->proto)];
	uint32_t ino;

	ino = sockprobe_netns(sp, fd, proto, sizeof(proto));
	if (!ino) {
		if (sp->err) {
			s->sock_unknown++;
			if (!s->sock_err)
				s->sock_err = sp->err;
		}
		return sp->pidfd != -2;	/* no pidfd: its other fds fail too */
	}
	h = holders_add(s, ino);
	if (!h)
		return false;
	if (h->nsocks < HOLDERS_KEEP) {
		k = &h->socks[h->nsocks];
		k->pid = sp->pid;
		k->fd = fd;
		memcpy(k->proto, proto, sizeof(proto));
		read_comm(sp->pid, k->comm, sizeof(k->comm));
	}
	h->nsocks++;
	return true;
}

static bool add_fd(struct ns_scan *s, pid_t pid, int dfd, const char *fd, void *ctx)
{
	struct ns_holders *h;
	struct statx stx;
	uint32_t ino;
	dev_t dev;

	/* what the kernel has cached: never a round trip to an NFS server */
	if (statx(dfd, fd, AT_STATX_DONT_SYNC, STATX_INO, &stx))
		return true;
	dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
	if (dev == s->sockfs_dev && s->sockfs_dev)
		return add_socket(s, ctx, atoi(fd));
	if (dev != s->nsfs_dev)
		return true;
	ino = fd_netns(dfd, fd, (uint32_t)stx.stx_ino, s);
	if (!ino)
		return true;
	h = holders_add(s, ino);
	if (!h)
		return false;
	if (h->nfds < HOLDERS_KEEP) {
		h->fds[h->nfds].pid = pid;
		h->fds[h->nfds].fd = atoi(fd);
	}
	h->nfds++;
	return true;
}

static void scan_fds(struct ns_scan *s, pid_t pid)
{
	struct sock_probe sp;

	sockprobe_begin(&sp, pid);
	walk_entries(s, pid, "fd", add_fd, &sp);
	sockprobe_end(&sp);
}

/*
 * mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS...] - FSTYPE SRC
 * SUPEROPTS".  An nsfs bind mount has FSTYPE nsfs and ROOT "net:[INODE]".
 */
static void scan_mountinfo(struct ns_scan *s, pid_t pid, const char *text)
{
	const char *line = text, *next;

	for (; line && *line; line = next) {
		char root[64], mnt[256], *dash, buf[1024];
		struct ns_holders *h;
		size_t len;
		uint32_t ino;

		next = strchr(line, '\n');
		len = next ? (size_t)(next - line) : strlen(line);
		if (next)
			next++;
		if (len >= sizeof(buf))
			continue;
		memcpy(buf, line, len);
		buf[len] = '\0';
		dash = strstr(buf, " - nsfs ");
		if (!dash)
			continue;
		if (sscanf(buf, "%*s %*s %*s %63s %255s", root, mnt) != 2)
			continue;
		if (netns_parse_ns_link(root, &ino))
			continue;
		h = holders_add(s, ino);
		if (!h)
			return;
		if (h->nmounts < HOLDERS_KEEP) {
			/* mountinfo escapes blanks as \040 etc.; kept as is */
			copy_str(h->mounts[h->nmounts].path, mnt, sizeof(h->mounts[0].path));
			h->mounts[h->nmounts].pid = pid;
		}
		h->nmounts++;
	}
}

/* One mountinfo per mount namespace: ours first, then any other. */
static void scan_mounts(struct ns_scan *s, pid_t *pids, size_t npids)
{
	uint32_t *seen = NULL, mnt;
	size_t nseen = 0, i, k;
	char path[64], *text;

	seen = calloc(npids + 1, sizeof(*seen));
	if (!seen)
		return;
	for (i = 0; i <= npids; i++) {
		pid_t pid = i ? pids[i - 1] : getpid();
		struct stat st;

		snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
		if (stat(path, &st))
			continue;
		mnt = (uint32_t)st.st_ino;
		for (k = 0; k < nseen; k++)
			if (seen[k] == mnt)
				break;
		if (k < nseen)
			continue;
		seen[nseen++] = mnt;
		snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
		text = read_file(path, NULL);
		if (text)
			scan_mountinfo(s, pid, text);
		free(text);
	}
	free(seen);
}

int holders_scan(struct ns_scan *s)
{
	return holders_scan_known(s, NULL, 0);
}

int holders_scan_known(struct ns_scan *s, const uint32_t *known, size_t nknown)
{
	pid_t *pids = NULL, *np;
	size_t npids = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < nknown; i++)
		if (!holders_add(s, known[i]))
			return -ENOMEM;
	s->nsfs_dev = nsfs_dev();
	s->sockfs_dev = sockfs_dev();
	d = opendir("/proc");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!is_pid(de->d_name))
			continue;
		if (npids == cap) {
			cap = cap ? cap * 2 : 256;
			np = realloc(pids, cap * sizeof(*pids));
			if (!np)
				break;
			pids = np;
		}
		pids[npids++] = atoi(de->d_name);
	}
	closedir(d);
	for (i = 0; i < npids; i++) {
		scan_tasks(s, pids[i]);
		scan_fds(s, pids[i]);
	}
	scan_mounts(s, pids, npids);
	free(pids);
	return 0;
}

void holders_free(struct ns_scan *s)
{
	free(s->v);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

/* mountinfo's octal escapes ("\040" a blank, "\134" a backslash) undone */
static void unescape_mount(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	while (*src && n + 1 < size) {
		if (src[0] == '\\' && src[1] >= '0' && src[1] <= '3' &&
		    src[2] >= '0' && src[2] <= '7' && src[3] >= '0' && src[3] <= '7') {
			dst[n++] = (char)((src[1] - '0') << 6 | (src[2] - '0') << 3 | (src[3] - '0'));
			src += 4;
		} else {
			dst[n++] = *src++;
		}
	}
	dst[n] = '\0';
}

static int open_mount(const struct ns_mount *m, uint32_t ino, char *how, size_t size)
{
	char path[300], real[256];
	int fd;

	/* through the root of a process in the mount namespace that has it */
	unescape_mount(real, sizeof(real), m->path);
	snprintf(path, sizeof(path), "/proc/%d/root%s", m->pid, real);
	fd = open_netns_at(AT_FDCWD, path, ino);
	if (fd >= 0 && m->pid == getpid())
		snprintf(how, size, "mount %s", m->path);
	else if (fd >= 0)
		snprintf(how, size, "mount %s (mount namespace of process %d)", m->path, m->pid);
	return fd;
}

/*
 * A copy of fd @fd of process @pid if it is network namespace @ino, else
 * -1.  pidfd_getfd() (5.6) shares the process's open file: nothing is
 * opened again, so no path walk twice through /proc (open_netns_at()
 * costs about four times as much); it needs the ptrace access reading
 * the process's fds needs.
 */
static int copy_netns_fd(pid_t pid, int fd, uint32_t ino)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), copy;
	struct stat st;

	if (pidfd < 0)
		return -1;
	copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);	/* O_CLOEXEC, always */
	close(pidfd);
	if (copy < 0)
		return -1;
	/* the fd number may be another file by now: nsfs and @ino before any ioctl */
	if (fstat(copy, &st) || st.st_dev != nsfs_dev() || st.st_ino != ino ||
	    ioctl(copy, NS_GET_NSTYPE) != CLONE_NEWNET) {
		close(copy);
		return -1;
	}
	return copy;
}

int holders_open(const struct ns_holders *h, char *how, size_t size)
{
	char path[64], none[1];
	unsigned int i;
	int fd;

	if (!how) {
		how = none;
		size = sizeof(none);
	}
	for (i = 0; i < h->nmounts && i < HOLDERS_KEEP; i++) {
		fd = open_mount(&h->mounts[i], h->ino, how, size);
		if (fd >= 0)
			return fd;
	}
	for (i = 0; i < h->nprocs && i < HOLDERS_KEEP; i++) {
		const struct ns_proc *p = &h->procs[i];

		/* the task's own: a thread may be in another namespace than its leader */
		snprintf(path, sizeof(path), "/proc/%d/task/%d/ns/net", p->pid, p->tid);
		fd = open_netns_at(AT_FDCWD, path, h->ino);
		if (fd < 0)
			continue;
		if (p->tid == p->pid)
			snprintf(how, size, "process %d", p->pid);
		else
			snprintf(how, size, "process %d (thread %d)", p->pid, p->tid);
		return fd;
	}
	for (i = 0; i < h->nfds && i < HOLDERS_KEEP; i++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", h->fds[i].pid, h->fds[i].fd);
		fd = copy_netns_fd(h->fds[i].pid, h->fds[i].fd, h->ino);
		if (fd < 0)
			fd = open_netns_at(AT_FDCWD, path, h->ino);
		if (fd >= 0) {
			snprintf(how, size, "fd %s", path);
			return fd;
		}
	}
	for (i = 0; i < h->nsocks && i < HOLDERS_KEEP; i++) {
		fd = sockholder_open(h->socks[i].pid, h->socks[i].fd, h->ino);
		if (fd >= 0) {
			snprintf(how, size, "socket fd %d of process %d", h->socks[i].fd,
				 h->socks[i].pid);
			return fd;
		}
	}
	return -1;
}

int holders_open_netns(uint32_t ino, char *how, size_t size)
{
	struct ns_holders *h;
	struct ns_scan s;
	int fd = -1;

	if (holders_scan(&s))
		return -1;
	h = holders_find(&s, ino);
	if (h)
		fd = holders_open(h, how, size);
	holders_free(&s);
	return fd;
}
