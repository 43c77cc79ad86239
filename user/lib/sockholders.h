/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - the network namespace a socket lives in, for sockets that
 * other processes hold (docs/holders.md).
 *
 * A user socket holds a reference on its namespace (sk_alloc() with
 * kern == 0 sets sk_net_refcnt and takes get_net_track()), whatever the
 * namespace of the task holding the fd: a process in init_net can pin a
 * deleted namespace with one socket.  /proc/PID/fd shows "socket:[INODE]"
 * only; sock_diag answers only for the namespace its own socket is in, so
 * it cannot name a namespace that nothing else lets us enter.  Hence:
 * pidfd_getfd() (5.6+) copies the fd into us, ioctl(SIOCGSKNS) on it
 * (sock_ioctl() -> open_related_ns()) returns an nsfs fd of sock_net(sk),
 * fstat() gives its inode.
 */
#ifndef NETNSIGHT_SOCKHOLDERS_H
#define NETNSIGHT_SOCKHOLDERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* glibc 2.36 has no wrappers for these (5.3 / 5.6): syscall() them */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* One process being probed: its pidfd, opened at the first socket. */
struct sock_probe {
	pid_t pid;
	int pidfd;		/* -1 not yet opened, -2 could not be */
	int err;		/* errno of the last failure; 0 none, or the fd or
				 * the process went meanwhile (not a failure) */
};

/* st_dev of sockfs (every socket's file), 0 if unknown */
dev_t sockfs_dev(void);

void sockprobe_begin(struct sock_probe *p, pid_t pid);
void sockprobe_end(struct sock_probe *p);
/*
 * The netns inode of socket fd @fd of p->pid, 0 if it cannot be told
 * (p->err says why, 0 if it is gone).  If @proto is not NULL, the protocol's word
 * ("udp", "netlink/route", ...) is written there.
 */
uint32_t sockprobe_netns(struct sock_probe *p, int fd, char *proto, size_t size);
/* An O_RDONLY fd of the namespace of socket @fd of @pid if it is @ino, else -1 */
int sockholder_open(pid_t pid, int fd, uint32_t ino);

/* "udp", "tcp6", "raw", "netlink/route", "unix", "packet", "af40" */
void sock_proto_name(int domain, int type, int protocol, char *buf, size_t size);

#endif
