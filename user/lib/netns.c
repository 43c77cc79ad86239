// SPDX-License-Identifier: GPL-2.0
/* netnsight - naming network namespaces the way users do. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/nsfs.h>

#include "holders.h"
#include "netns.h"
#include "util.h"

const char *const netns_dirs[NETNS_NDIRS] = { "/run/netns", "/var/run/netns" };

int netns_parse_ns_link(const char *s, uint32_t *ino)
{
	char num[16];
	size_t len;

	if (strncmp(s, "net:[", 5))
		return -EINVAL;
	len = strlen(s + 5);
	if (len < 2 || len > sizeof(num) || s[5 + len - 1] != ']')
		return -EINVAL;
	memcpy(num, s + 5, len - 1);
	num[len - 1] = '\0';
	if (parse_u32(num, ino) || !*ino)
		return -ERANGE;
	return 0;
}

int netns_spec_parse(const char *s, struct netns_spec *spec, const char **why)
{
	const char *p;
	uint32_t n;

	memset(spec, 0, sizeof(*spec));
	if (!s || !*s) {
		*why = "empty namespace";
		return -EINVAL;
	}
	if (strchr(s, '/')) {
		spec->kind = NETNS_SPEC_PATH;
		if (!copy_str(spec->text, s, sizeof(spec->text))) {
			*why = "path too long";
			return -EINVAL;
		}
		return 0;
	}
	if (!strncmp(s, "name:", 5)) {
		spec->kind = NETNS_SPEC_NAME;
		p = s + 5;
		goto name;
	}
	if (!strncmp(s, "net:[", 5)) {
		int err = netns_parse_ns_link(s, &n);

		if (err) {
			*why = err == -ERANGE ? "bad inode number" : "expected net:[INODE]";
			return -EINVAL;
		}
		spec->kind = NETNS_SPEC_INODE;
		spec->num = n;
		return 0;
	}
	if (!strncmp(s, "ino:", 4) || !strncmp(s, "pid:", 4)) {
		if (parse_u32(s + 4, &n) || !n) {
			*why = s[0] == 'i' ? "bad inode number" : "bad pid";
			return -EINVAL;
		}
		spec->kind = s[0] == 'i' ? NETNS_SPEC_INODE : NETNS_SPEC_PID;
		spec->num = n;
		return 0;
	}
	if (!parse_u32(s, &n)) {
		if (!n) {
			*why = "0 is neither a pid nor an inode";
			return -EINVAL;
		}
		spec->kind = n >= NETNS_INO_MIN ? NETNS_SPEC_INODE : NETNS_SPEC_PID;
		spec->num = n;
		return 0;
	}
	spec->kind = NETNS_SPEC_NAME;
	p = s;
name:
	/* `ip netns` names: a file name, not "." or "..", no '/'. */
	if (!*p || !strcmp(p, ".") || !strcmp(p, "..") || strlen(p) > 255) {
		*why = "bad namespace name";
		return -EINVAL;
	}
	copy_str(spec->text, p, sizeof(spec->text));
	return 0;
}

uint32_t netns_ino_of_fd(int fd)
{
	struct stat st;

	if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET)
		return 0;
	if (fstat(fd, &st))
		return 0;
	return (uint32_t)st.st_ino;
}

uint32_t netns_ino_of_path(const char *path)
{
	uint32_t ino;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ino = netns_ino_of_fd(fd);
	close(fd);
	return ino;
}

uint32_t netns_self(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return 0;
	return (uint32_t)st.st_ino;
}

uint32_t netns_init(void)
{
	static uint32_t ino;

	if (!ino)
		ino = netns_ino_of_path("/proc/1/ns/net");
	return ino;
}

int netns_enter(int fd)
{
	return setns(fd, CLONE_NEWNET);
}

int netns_run_in(int netns_fd, int (*fn)(void *arg), void *arg)
{
	int self, ret;

	if (netns_fd < 0)
		return fn(arg);
	/* thread-self: setns() changes this thread only */
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	ret = netns_run_in_from(self, netns_fd, fn, arg);
	close(self);
	return ret;
}

int netns_run_in_from(int self, int netns_fd, int (*fn)(void *arg), void *arg)
{
	int ret;

	if (netns_fd < 0)
		return fn(arg);
	if (netns_enter(netns_fd))
		return -errno;
	ret = fn(arg);
	if (netns_enter(self)) {
		/*
		 * Everything we would read from here on would describe the
		 * wrong namespace; better to stop than to mislead.
		 */
		errmsg("cannot return to our own network namespace: %s",
		       strerror(errno));
		exit(EXIT_FAILURE);
	}
	return ret;
}

static int open_netns_path(const char *path, struct netns_handle *h)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	h->ino = netns_ino_of_fd(fd);
	if (!h->ino) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	h->fd = fd;
	return 0;
}

int netns_resolve(const char *s, bool need_fd, struct netns_handle *h)
{
	struct netns_spec spec;
	const char *why = NULL;
	char path[4200];
	size_t i;

	memset(h, 0, sizeof(*h));
	h->fd = -1;
	if (netns_spec_parse(s, &spec, &why)) {
		errmsg("bad namespace '%s': %s", s, why);
		return -1;
	}
	switch (spec.kind) {
	case NETNS_SPEC_PATH:
		if (open_netns_path(spec.text, h)) {
			errmsg("'%s' is not a network namespace: %s", s,
			       errno == EINVAL ? "not an nsfs file of type net" : strerror(errno));
			return -1;
		}
		snprintf(h->how, sizeof(h->how), "path");
		break;
	case NETNS_SPEC_NAME:
		for (i = 0; i < ARRAY_SIZE(netns_dirs); i++) {
			snprintf(path, sizeof(path), "%s/%s", netns_dirs[i], spec.text);
			if (!open_netns_path(path, h))
				break;
		}
		if (h->fd < 0) {
			errmsg("no network namespace named '%s' (see 'ip netns list')",
			       spec.text);
			return -1;
		}
		snprintf(h->how, sizeof(h->how), "name %.50s", spec.text);
		break;
	case NETNS_SPEC_PID:
		snprintf(path, sizeof(path), "/proc/%u/ns/net", spec.num);
		if (open_netns_path(path, h)) {
			errmsg("no process %u (or no access to its namespace)", spec.num);
			return -1;
		}
		snprintf(h->how, sizeof(h->how), "pid %u", spec.num);
		break;
	case NETNS_SPEC_INODE:
		h->ino = spec.num;
		snprintf(h->how, sizeof(h->how), "inode %u", spec.num);
		if (!need_fd)
			break;	/* a filter: the namespace may not exist yet */
		/* "how" becomes the holder that opened it: "process 12", ... */
		h->fd = holders_open_netns(spec.num, h->how, sizeof(h->how));
		if (h->fd < 0) {
			errmsg("no network namespace with inode %u is reachable "
			       "(no process, fd or mount holds it)", spec.num);
			return -1;
		}
		break;
	}
	if (!need_fd && h->fd >= 0) {
		close(h->fd);
		h->fd = -1;
	}
	return 0;
}
