// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_slowadd - `ip netns add NAME` (iproute2's netns_add()), with a pause
 * between creating the namespace and naming it:
 *
 *   nsi_slowadd NAME MS
 *
 * creates /run/netns/NAME, unshare(CLONE_NEWNET)s, waits MS milliseconds,
 * then bind-mounts /proc/self/ns/net on the file.  /run/netns must already
 * be a mount point (any earlier ip netns add makes it one).  In one process,
 * so the pause is MS and not the time a shell takes to start programs.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec pause;
	char path[300];
	long ms;
	int fd;

	if (argc != 3 || (ms = atol(argv[2])) < 0) {
		fprintf(stderr, "usage: nsi_slowadd NAME MS\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", argv[1]);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL, 0);
	if (fd < 0 || close(fd) || unshare(CLONE_NEWNET)) {
		fprintf(stderr, "nsi_slowadd: %s: %s\n", path, strerror(errno));
		return 1;
	}
	pause.tv_sec = ms / 1000;
	pause.tv_nsec = ms % 1000 * 1000000;
	nanosleep(&pause, NULL);
	if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL)) {
		fprintf(stderr, "nsi_slowadd: mount on %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}
