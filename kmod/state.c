// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - teardown state of a namespace: alive, dying, stuck, blocked.
 *
 * cleanup_net() (net/core/net_namespace.c) takes every namespace queued on
 * cleanup_list and tears them down as one batch: ->pre_exit for all, then
 * each ->exit_batch/->exit for all.  The device exit
 * (default_device_exit_batch()) unregisters the devices of every namespace
 * of the batch in one list, and netdev_run_todo() ->
 * netdev_wait_allrefs_any() (net/core/dev.c) does not return until each of
 * them has dropped its last reference.  So one leaked reference holds the
 * whole batch -- and every namespace queued behind it, since netns_wq runs
 * one cleanup_net() at a time.
 *
 * Which namespace holds it?  While it waits, netdev_wait_allrefs_any()
 * rebroadcasts NETDEV_UNREGISTER, about every second, for exactly the
 * devices still referenced.  notifier.c stamps the namespace of each
 * (nsi_note_rebroadcast()).  A dying namespace stamped within the last few
 * seconds holds the batch; one whose device was freed stops being stamped
 * and, while the batch still waits, is blocked like the rest; a batch that
 * got past the devices and hangs elsewhere has no holder, and its
 * namespaces read stuck.  Each namespace is judged by its own stamp against
 * the clock -- not against other namespaces' stamps: several
 * netdev_run_todo() loops (one per task that unregistered devices, since
 * 5.18) rebroadcast on cycles of their own.  The per-namespace counter the
 * kernel had for this (net->dev_unreg_count) became one global counter in
 * 6.18, so the rebroadcasts are the one signal every kernel gives.
 */
#include <linux/ktime.h>

#include "netnsight.h"

/*
 * A round comes every second plus up to 250 ms of msleep() and two
 * rcu_barrier()s (netdev_wait_allrefs_any(), net/core/dev.c): a stamp
 * younger than three seconds is a device still waited for.
 */
#define NSI_FRESH_NS	(3 * NSEC_PER_SEC)

void nsi_note_rebroadcast(struct nsi_net *nn, u64 now)
{
	lockdep_assert_held(&nsi_lock);
	nn->wait_seen_ns = now;
}

/* A device of dying @nn was rebroadcast lately: it holds its batch. */
static bool nsi_holds_batch(const struct nsi_net *nn, u64 now)
{
	return nn->dying_ns && nn->wait_seen_ns >= nn->dying_ns &&
	       now - nn->wait_seen_ns < NSI_FRESH_NS;
}

struct nsi_net *nsi_batch_holder(u64 now)
{
	struct nsi_net *nn;

	lockdep_assert_held(&nsi_lock);
	list_for_each_entry(nn, &nsi_all_nets, node)
		if (nsi_holds_batch(nn, now))
			return nn;
	return NULL;
}

static bool nsi_past_threshold(const struct nsi_net *nn, u64 now)
{
	return now - nn->dying_ns >= (u64)READ_ONCE(stuck_secs) * NSEC_PER_SEC;
}

/*
 * @holder: nsi_batch_holder(), taken under the same hold of nsi_lock.  A
 * namespace past the threshold that holds no device itself is "blocked"
 * when another one is known to hold the batch; without any rebroadcast (a
 * teardown hung elsewhere than on a device) there is nobody else to blame,
 * and it reads "stuck".
 */
enum nsi_state nsi_state_of(const struct nsi_net *nn,
			    const struct nsi_net *holder, u64 now)
{
	lockdep_assert_held(&nsi_lock);
	if (!nn->dying_ns) {
		if (nsi_ns_refs(nn->net))
			return NSI_ALIVE;
		/*
		 * No reference left, but cleanup_net() has not reached it yet:
		 * queued on netns_wq -- behind the stuck batch, if there is one.
		 */
		if (holder && nsi_past_threshold(holder, now))
			return NSI_BLOCKED;
		return NSI_DYING;
	}
	if (!nsi_past_threshold(nn, now))
		return NSI_DYING;
	if (holder && holder != nn && !nsi_holds_batch(nn, now))
		return NSI_BLOCKED;
	return NSI_STUCK;
}

const char *nsi_state_name(enum nsi_state state)
{
	switch (state) {
	case NSI_ALIVE:
		return "alive";
	case NSI_DYING:
		return "dying";
	case NSI_STUCK:
		return "stuck";
	case NSI_BLOCKED:
		return "blocked";
	case NSI_NR_STATES:
		break;
	}
	return "?";
}
