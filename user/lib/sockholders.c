// SPDX-License-Identifier: GPL-2.0
/* netnsight - the network namespace of sockets other processes hold. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <netinet/in.h>

#include "sbuf.h"
#include "sockholders.h"
#include "util.h"

#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif

dev_t sockfs_dev(void)
{
	static dev_t dev;
	struct stat st;
	int fd;

	if (dev)
		return dev;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	if (!fstat(fd, &st))
		dev = st.st_dev;
	close(fd);
	return dev;
}

void sockprobe_begin(struct sock_probe *p, pid_t pid)
{
	p->pid = pid;
	p->pidfd = -1;
	p->err = 0;
}

void sockprobe_end(struct sock_probe *p)
{
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
}

/*
 * A copy of fd @fd of the process, -1 if none.  pidfd_getfd() needs
 * PTRACE_MODE_ATTACH_REALCREDS on the target (pidfd_getfd() ->
 * __pidfd_fget()), like reading its fds: others' sockets only for root.
 * The copy shares the open file; closing it does not close the socket.
 */
static int probe_getfd(struct sock_probe *p, int fd)
{
	int copy;

	p->err = 0;
	if (p->pidfd == -1) {
		p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
		if (p->pidfd < 0) {
			p->err = errno == ESRCH ? 0 : errno;	/* ESRCH: exited */
			p->pidfd = -2;
		}
	}
	if (p->pidfd < 0)
		return -1;
	copy = (int)syscall(SYS_pidfd_getfd, p->pidfd, fd, 0);
	/* EBADF: closed meanwhile; ESRCH: exited meanwhile */
	if (copy < 0)
		p->err = errno == EBADF || errno == ESRCH ? 0 : errno;
	return copy;
}

void sock_proto_name(int domain, int type, int protocol, char *buf, size_t size)
{
	static const char *const nl[] = {
		[NETLINK_ROUTE] = "route", [NETLINK_SOCK_DIAG] = "sock_diag",
		[NETLINK_NETFILTER] = "netfilter", [NETLINK_KOBJECT_UEVENT] = "uevent",
		[NETLINK_GENERIC] = "generic", [NETLINK_AUDIT] = "audit",
		[NETLINK_XFRM] = "xfrm", [NETLINK_SELINUX] = "selinux",
	};
	const char *w = NULL, *six = domain == AF_INET6 ? "6" : "";
	struct sbuf sb;

	sb_init(&sb, buf, size);
	if (domain == AF_INET || domain == AF_INET6) {
		if (type == SOCK_RAW)
			w = "raw";
		else if (protocol == IPPROTO_TCP)
			w = "tcp";
		else if (protocol == IPPROTO_UDP)
			w = "udp";
		else if (protocol == IPPROTO_UDPLITE)
			w = "udplite";
		else if (protocol == IPPROTO_SCTP)
			w = "sctp";
		else if (protocol == IPPROTO_MPTCP)
			w = "mptcp";
		else if (protocol == IPPROTO_ICMP || protocol == IPPROTO_ICMPV6)
			w = "ping";
		if (w) {
			sb_puts(&sb, w);
			sb_puts(&sb, six);
			return;
		}
		SB_LIT(&sb, "inet");
		sb_puts(&sb, six);
		SB_LIT(&sb, "/");
		sb_u64(&sb, (uint64_t)(unsigned int)protocol);
		return;
	}
	if (domain == AF_NETLINK) {
		SB_LIT(&sb, "netlink/");
		if (protocol >= 0 && (size_t)protocol < ARRAY_SIZE(nl) && nl[protocol])
			sb_puts(&sb, nl[protocol]);
		else
			sb_u64(&sb, (uint64_t)(unsigned int)protocol);
		return;
	}
	if (domain == AF_UNIX) {
		SB_LIT(&sb, "unix");
		return;
	}
	if (domain == AF_PACKET) {
		SB_LIT(&sb, "packet");
		return;
	}
	SB_LIT(&sb, "af");
	sb_u64(&sb, (uint64_t)(unsigned int)domain);
}

static void proto_of(int sk, char *buf, size_t size)
{
	int domain = -1, type = -1, protocol = -1;
	socklen_t len = sizeof(int);

	getsockopt(sk, SOL_SOCKET, SO_DOMAIN, &domain, &len);
	len = sizeof(int);
	getsockopt(sk, SOL_SOCKET, SO_TYPE, &type, &len);
	len = sizeof(int);
	getsockopt(sk, SOL_SOCKET, SO_PROTOCOL, &protocol, &len);
	if (domain < 0)
		copy_str(buf, "?", size);
	else
		sock_proto_name(domain, type, protocol, buf, size);
}

/*
 * SIOCGSKNS needs CAP_NET_ADMIN in the user namespace owning the socket's
 * namespace (sock_ioctl()); root has it everywhere but in namespaces of
 * other user namespaces' making, where it still has it as their ancestor.
 */
static int socket_netns_fd(int sk, struct sock_probe *p)
{
	int nsfd = ioctl(sk, SIOCGSKNS);

	if (nsfd < 0)
		p->err = errno;
	return nsfd;
}

uint32_t sockprobe_netns(struct sock_probe *p, int fd, char *proto, size_t size)
{
	struct stat st;
	uint32_t ino = 0;
	int sk, nsfd;

	sk = probe_getfd(p, fd);
	if (sk < 0)
		return 0;
	nsfd = socket_netns_fd(sk, p);
	if (nsfd >= 0) {
		if (!fstat(nsfd, &st))
			ino = (uint32_t)st.st_ino;
		close(nsfd);
	}
	if (ino && proto)
		proto_of(sk, proto, size);
	close(sk);
	return ino;
}

int sockholder_open(pid_t pid, int fd, uint32_t ino)
{
	struct sock_probe p;
	struct stat st;
	int sk, nsfd;

	sockprobe_begin(&p, pid);
	sk = probe_getfd(&p, fd);
	sockprobe_end(&p);
	if (sk < 0)
		return -1;
	nsfd = socket_netns_fd(sk, &p);
	close(sk);
	if (nsfd >= 0 && (fstat(nsfd, &st) || st.st_ino != ino)) {
		close(nsfd);
		nsfd = -1;
	}
	return nsfd;
}
