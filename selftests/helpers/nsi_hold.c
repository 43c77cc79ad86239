// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_hold - create N network namespaces and keep them alive, each by an
 * open nsfs descriptor of this one process, until killed.  For `make bench`
 * (listing cost at 100 ... 10 000 namespaces).  Prints "ready N" once all
 * exist; we stay in our original namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rlimit rl;
	unsigned long n, i;
	int self, fd;

	if (argc != 2 || !(n = strtoul(argv[1], NULL, 10))) {
		fprintf(stderr, "usage: nsi_hold N\n");
		return 2;
	}
	rl.rlim_cur = rl.rlim_max = n + 64;
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		perror("nsi_hold: setrlimit");
		return 1;
	}
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		perror("nsi_hold: open");
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (unshare(CLONE_NEWNET)) {
			fprintf(stderr, "nsi_hold: unshare #%lu: %s\n", i, strerror(errno));
			return 1;
		}
		fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			perror("nsi_hold: open");
			return 1;
		}
	}
	if (setns(self, CLONE_NEWNET)) {
		perror("nsi_hold: setns");
		return 1;
	}
	printf("ready %lu\n", n);
	fflush(stdout);
	for (;;)
		pause();
}
