/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - make network namespaces visible.
 *
 * Shared declarations of the module's parts:
 *   core.c      pernet subsystem, per-namespace state, module init/exit
 *   notifier.c  netdevice notifier: device counters, moves, ref waits
 *   proc_net.c  /proc/net/netnsight, one namespace's own facts
 *   proc_all.c  /proc/net/netnsight_all, every namespace (init_net only)
 *   state.c     teardown state: alive, dying, stuck, blocked
 *   watch.c     teardown watch: dying -> stuck, one log line per incident
 */
#ifndef _NETNSIGHT_H
#define _NETNSIGHT_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/types.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

/*
 * Version of the /proc text formats (docs/procfs.md).  Within one version
 * keys may be added to /proc/net/netnsight and columns appended to
 * netnsight_all (parsers ignore what they do not know); bump it when a key
 * or column changes meaning, or the layout changes.
 */
#define NSI_PROC_FORMAT	1

/* Device counters kept per namespace by the netdevice notifier. */
enum nsi_dev_counter {
	NSI_DEV_REGISTERED,
	NSI_DEV_UNREGISTERED,
	NSI_DEV_MOVED_IN,
	NSI_DEV_MOVED_OUT,
	NSI_DEV_NR_COUNTERS,
};

/*
 * Per-namespace state, allocated by the pernet core through .id/.size and
 * reached with net_generic(net, nsi_net_id).
 *
 * Lifetime: zeroed and handed to nsi_net_init() when the namespace is set up
 * (or when the module loads, for namespaces that already exist); freed by
 * the pernet core with kfree() right after the exit methods ran -- without an
 * RCU grace period, which is why readers of nsi_all_nets hold nsi_lock rather
 * than rcu_read_lock().
 */
struct nsi_net {
	struct net *net;		/* back pointer; never printed */
	struct list_head node;		/* in nsi_all_nets, under nsi_lock */
	u64 seq;			/* creation order, global, from 1 */
	u64 created_ns;			/* boottime when first seen */
	bool seen_at_load;		/* existed before the module loaded */

	atomic64_t dev[NSI_DEV_NR_COUNTERS];

	/* Teardown, all under nsi_lock. */
	u64 dying_ns;			/* boottime of .pre_exit, 0 if alive */
	bool stuck_logged;
	/*
	 * While a device of a dying namespace still has references, the core
	 * rebroadcasts NETDEV_UNREGISTER for it every second
	 * (netdev_wait_allrefs_any()); we keep the last one seen, and when.
	 */
	char wait_dev[IFNAMSIZ];
	int wait_refcnt;
	u32 wait_rebroadcasts;
	u64 wait_seen_ns;		/* boottime of that rebroadcast, 0: none */
};

extern unsigned int nsi_net_id;
extern struct mutex nsi_lock;
extern struct list_head nsi_all_nets;
extern unsigned int stuck_secs;

/*
 * A namespace's reference count: net->ns.count, a refcount_t, up to 6.17;
 * the namespace rework of 6.18 made it ns_common.__ns_ref, read with the
 * ns_ref_read() macro -- whose presence tells the two apart.
 */
static inline unsigned int nsi_ns_refs(const struct net *net)
{
#ifdef ns_ref_read
	return ns_ref_read(net);
#else
	return refcount_read(&net->ns.count);
#endif
}

static inline struct nsi_net *nsi_net(const struct net *net)
{
	return net_generic(net, nsi_net_id);
}

/*
 * Teardown state of one namespace, as shown in both proc files.
 *
 * cleanup_net() tears down every queued namespace in one batch, and the
 * device exits wait for *all* devices of the batch (netdev_run_todo()):
 * one leaked device reference holds every namespace of the batch, and every
 * namespace queued behind it on netns_wq.  Only the namespace whose device
 * is held is "stuck"; the others are "blocked" behind it (state.c).
 */
enum nsi_state { NSI_ALIVE, NSI_DYING, NSI_STUCK, NSI_BLOCKED, NSI_NR_STATES };

/*
 * The namespace that holds the current teardown batch (a device of it is
 * still being rebroadcast), or NULL; computed once per reading, under
 * nsi_lock, and passed to nsi_state_of() for every row, with the same @now
 * -- read under nsi_lock too, so no dying_ns set under it is later.
 */
struct nsi_net *nsi_batch_holder(u64 now);
enum nsi_state nsi_state_of(const struct nsi_net *nn,
			    const struct nsi_net *holder, u64 now);
const char *nsi_state_name(enum nsi_state state);
void nsi_note_rebroadcast(struct nsi_net *nn, u64 now);
unsigned int nsi_count_devices(struct net *net);

int nsi_notifier_register(void);
void nsi_notifier_unregister(void);

int nsi_proc_net_init(struct net *net);
void nsi_proc_net_exit(struct net *net);
int nsi_proc_all_init(struct net *net);
void nsi_proc_all_exit(struct net *net);

void nsi_watch_start(void);
void nsi_watch_dying(void);
void nsi_watch_kick(void);
void nsi_watch_stop(void);

#endif /* _NETNSIGHT_H */
