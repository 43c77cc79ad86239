// SPDX-License-Identifier: GPL-2.0
/* netnsight - who holds each network namespace, seen from /proc. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "holders.h"
#include "netns.h"
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

/* "net:[4026531840]" -> 4026531840, else 0 */
static uint32_t parse_ns_link(const char *link)
{
	uint32_t ino;
	char num[16];
	size_t len;

	if (strncmp(link, "net:[", 5))
		return 0;
	len = strlen(link + 5);
	if (len < 2 || len > sizeof(num) || link[5 + len - 1] != ']')
		return 0;
	memcpy(num, link + 5, len - 1);
	num[len - 1] = '\0';
	return parse_u32(num, &ino) ? 0 : ino;
}

static uint32_t read_ns_link(const char *path)
{
	char buf[64];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return parse_ns_link(buf);
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
 * For each numeric entry E of /proc/PID/DIR whose link /proc/PID/DIR/E/LINK
 * names a network namespace, @fn(@s, @pid, E, inode, @ctx); @fn returns
 * false to stop.  Returns -1 if DIR cannot be read (process gone, or not
 * ours to look at).
 */
typedef bool (*ns_link_fn)(struct ns_scan *s, pid_t pid, const char *entry,
			   uint32_t ino, void *ctx);

static int walk_ns_links(struct ns_scan *s, pid_t pid, const char *dir,
			 const char *link, ns_link_fn fn, void *ctx)
{
	char path[300];
	struct dirent *de;
	uint32_t ino;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, dir);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!is_pid(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/%s/%s%s", pid, dir, de->d_name, link);
		ino = read_ns_link(path);
		if (ino && !fn(s, pid, de->d_name, ino, ctx))
			break;
	}
	closedir(d);
	return 0;
}

/* namespaces already counted for this process (a few, usually one) */
struct task_seen {
	uint32_t ino[8];
	size_t n;
};

static bool add_task(struct ns_scan *s, pid_t pid, const char *tid, uint32_t ino,
		     void *ctx)
{
	struct task_seen *seen = ctx;
	struct ns_holders *h = holders_add(s, ino);
	size_t k;

	(void)tid;
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
		read_comm(pid, h->procs[h->nprocs].comm, sizeof(h->procs[0].comm));
	}
	h->nprocs++;
	return true;
}

/* Every task of @pid: a thread may have setns()'d on its own. */
static void scan_tasks(struct ns_scan *s, pid_t pid)
{
	struct task_seen seen = { .n = 0 };

	if (walk_ns_links(s, pid, "task", "/ns/net", add_task, &seen))
		s->unreadable++;
}

static bool add_fd(struct ns_scan *s, pid_t pid, const char *fd, uint32_t ino,
		   void *ctx)
{
	struct ns_holders *h = holders_add(s, ino);

	(void)ctx;
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
	walk_ns_links(s, pid, "fd", "", add_fd, NULL);
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
		ino = parse_ns_link(root);
		if (!ino)
			continue;
		h = holders_add(s, ino);
		if (!h)
			return;
		if (h->nmounts < HOLDERS_KEEP) {
			/* mountinfo escapes blanks as \040 etc.; keep as is */
			copy_str(h->mounts[h->nmounts], mnt, sizeof(h->mounts[0]));
			if (!h->nmounts)
				h->mount_pid = pid;
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
	pid_t *pids = NULL, *np;
	size_t npids = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;

	memset(s, 0, sizeof(*s));
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

static int open_checked(const char *path, uint32_t ino)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (netns_ino_of_fd(fd) != ino) {
		close(fd);
		return -1;
	}
	return fd;
}

int holders_open(const struct ns_holders *h)
{
	char path[600];
	unsigned int i;
	int fd;

	for (i = 0; i < h->nmounts && i < HOLDERS_KEEP; i++) {
		/* through the mount namespace that has the mount */
		snprintf(path, sizeof(path), "/proc/%d/root%s", h->mount_pid, h->mounts[i]);
		fd = open_checked(path, h->ino);
		if (fd >= 0)
			return fd;
	}
	for (i = 0; i < h->nprocs && i < HOLDERS_KEEP; i++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", h->procs[i].pid);
		fd = open_checked(path, h->ino);
		if (fd >= 0)
			return fd;
	}
	for (i = 0; i < h->nfds && i < HOLDERS_KEEP; i++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", h->fds[i].pid, h->fds[i].fd);
		fd = open_checked(path, h->ino);
		if (fd >= 0)
			return fd;
	}
	return -1;
}

int holders_open_netns(uint32_t ino)
{
	struct ns_holders *h;
	struct ns_scan s;
	int fd = -1;

	if (holders_scan(&s))
		return -1;
	h = holders_find(&s, ino);
	if (h)
		fd = holders_open(h);
	holders_free(&s);
	return fd;
}
