// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_sockhold - make a network namespace that only a socket keeps alive.
 *
 * unshare(CLONE_NEWNET), open a UDP socket there (a user socket holds a
 * reference on its namespace: sk_net_refcnt, see sk_alloc()), go back to
 * the original namespace with setns(), print the new namespace's inode and
 * sleep.  No process is in the namespace, no nsfs fd or mount names it: only
 * the socket, invisible from /proc -- an "orphan" to netnsight ls.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	struct stat st;
	int self, sk;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || unshare(CLONE_NEWNET)) {
		perror("nsi_sockhold: unshare");
		return 1;
	}
	if (stat("/proc/self/ns/net", &st)) {
		perror("nsi_sockhold: stat");
		return 1;
	}
	sk = socket(AF_INET, SOCK_DGRAM, 0);
	if (sk < 0 || setns(self, CLONE_NEWNET)) {
		perror("nsi_sockhold: socket/setns");
		return 1;
	}
	close(self);
	printf("%lu\n", (unsigned long)st.st_ino);
	fflush(stdout);
	for (;;)
		pause();
}
