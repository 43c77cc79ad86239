/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - parsers for the module's /proc files (format: docs/procfs.md).
 * Pure functions over a buffer, so they are fuzzed as they are
 * (fuzz/fuzz_procfs.c).
 */
#ifndef NETNSIGHT_PROCFS_H
#define NETNSIGHT_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NSI_PROC_NET_PATH	"/proc/thread-self/net/netnsight"
#define NSI_PROC_ALL_PATH	"/proc/net/netnsight_all"

struct nsi_proc_dev {
	int ifindex;
	char name[16];
	bool up;
	char type[16];		/* "ether", "loopback", or a number */
	char kind[32];		/* rtnl_link_ops kind, "-" if none */
};

/* /proc/net/netnsight: one namespace */
struct nsi_proc_net {
	unsigned int format;
	uint32_t netns_inode;
	uint64_t net_cookie;
	uint32_t userns_inode;
	uint64_t seq;
	uint64_t created_boottime_ns;
	bool seen_at_load;
	uint64_t age_ms;
	uint32_t ns_refcount;
	uint32_t passive_refcount;
	char state[8];
	uint64_t dev_registered;
	uint64_t dev_unregistered;
	uint64_t dev_moved_in;
	uint64_t dev_moved_out;
	unsigned int ndevices;	/* the "devices:" line */
	unsigned int ndevs;	/* rows parsed into devs */
	struct nsi_proc_dev *devs;
};

/* /proc/net/netnsight_all: one row per namespace */
struct nsi_proc_row {
	uint32_t inode;
	uint64_t cookie;
	uint64_t seq;
	uint64_t age_ms;
	unsigned int devs;
	unsigned int refs;
	unsigned int passive;
	char state[8];		/* alive, dying, stuck, blocked */
	uint64_t dying_ms;
	char wait_dev[16];	/* "-" if none */
	uint32_t blocked_by;	/* the stuck namespace a blocked one waits behind, or 0 */
};

/*
 * Both formats parse: 10 columns and "total: alive: dying: stuck:", and
 * the newer one with an 11th column (blocked_by) and a "blocked:" total.
 */
struct nsi_proc_all {
	struct nsi_proc_row *rows;
	size_t n;
	size_t total, alive, dying, stuck, blocked;	/* the totals line */
};

/* 0, or -EINVAL for text that is not in the format (nothing allocated). */
int nsi_proc_net_parse(const char *text, size_t len, struct nsi_proc_net *out);
void nsi_proc_net_free(struct nsi_proc_net *p);
int nsi_proc_all_parse(const char *text, size_t len, struct nsi_proc_all *out);
void nsi_proc_all_free(struct nsi_proc_all *p);

/*
 * Read and parse the module's per-namespace file of the namespace behind
 * @netns_fd (-1: our own), entering it for the read.  -ENOENT: the module is
 * not loaded; other -errno as the system said.
 */
int nsi_proc_net_read(int netns_fd, struct nsi_proc_net *out);
/* -ENOENT: no module; -EACCES: not privileged enough. */
int nsi_proc_all_read(struct nsi_proc_all *out);

/*
 * One line on stderr if a row reads stuck or blocked: a cleanup_net() that
 * cannot finish holds pernet_ops_rwsem, so insmod/rmmod of any pernet
 * module would hang.  Returns how many rows read so.
 */
size_t nsi_proc_all_warn_stuck(const struct nsi_proc_all *all);

#endif
