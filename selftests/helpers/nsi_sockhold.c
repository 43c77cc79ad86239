// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_sockhold - make a network namespace that only a socket keeps alive.
 *
 *   nsi_sockhold              prints INODE
 *   nsi_sockhold KIND [PATH]  prints "INODE FD"; KIND: udp tcp raw netlink
 *                             unix packet; PATH: enter that namespace
 *                             (/run/netns/NAME) instead of a new one
 *
 * unshare(CLONE_NEWNET) (or setns() into PATH), open a socket there (a user socket holds a
 * reference on its namespace: sk_net_refcnt, see sk_alloc()), go back to
 * the original namespace with setns(), print the new namespace's inode
 * (and the socket's fd) and sleep.  No process is in the namespace, no
 * nsfs fd or mount names it: only the socket -- an "orphan" to netnsight
 * ls.  SIGUSR1 closes the socket (the namespace's last reference) and
 * prints "closed"; the process stays, so a test sees the namespace go
 * while its former holder lives on.
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/netlink.h>

static volatile sig_atomic_t close_it;

static void on_usr1(int sig)
{
	(void)sig;
	close_it = 1;
}

static int open_kind(const char *kind)
{
	if (!strcmp(kind, "udp"))
		return socket(AF_INET, SOCK_DGRAM, 0);
	if (!strcmp(kind, "tcp"))
		return socket(AF_INET, SOCK_STREAM, 0);
	if (!strcmp(kind, "raw"))
		return socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (!strcmp(kind, "netlink"))
		return socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (!strcmp(kind, "unix"))
		return socket(AF_UNIX, SOCK_DGRAM, 0);
	if (!strcmp(kind, "packet"))
		return socket(AF_PACKET, SOCK_DGRAM, htons(0x0003));
	fprintf(stderr, "nsi_sockhold: unknown kind '%s'\n", kind);
	return -1;
}

/* setns() into the namespace at @path; its fd is closed at once */
static int enter(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -1;
	err = setns(fd, CLONE_NEWNET);
	close(fd);
	return err;
}

int main(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "udp";
	struct stat st;
	int self, sk;

	signal(SIGUSR1, on_usr1);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || (argc > 2 ? enter(argv[2]) : unshare(CLONE_NEWNET))) {
		perror("nsi_sockhold: unshare/setns");
		return 1;
	}
	if (stat("/proc/self/ns/net", &st)) {
		perror("nsi_sockhold: stat");
		return 1;
	}
	sk = open_kind(kind);
	if (sk < 0 || setns(self, CLONE_NEWNET)) {
		perror("nsi_sockhold: socket/setns");
		return 1;
	}
	close(self);
	if (argc > 1)
		printf("%lu %d\n", (unsigned long)st.st_ino, sk);
	else
		printf("%lu\n", (unsigned long)st.st_ino);
	fflush(stdout);
	while (!close_it)
		pause();
	close(sk);
	printf("closed\n");
	fflush(stdout);
	for (;;)
		pause();
}
