// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - teardown watch.
 *
 * A namespace is "dying" from our ->pre_exit until our ->exit (core.c).
 * If that lasts longer than stuck_secs it reads "stuck" -- or "blocked",
 * when it only waits behind another namespace of its batch (state.c) --
 * and this work logs one line per stuck namespace, naming it and, when the
 * core has been rebroadcasting NETDEV_UNREGISTER for it (notifier.c), the
 * device that is still referenced.  Blocked namespaces get no line of their
 * own: the incident is the one device.  The reader's next stop is the
 * kernel's own "unregister_netdevice: waiting for DEV to become free" line.
 *
 * The work only runs while some namespace is dying and not yet reported,
 * and only between nsi_watch_start() in module init and nsi_watch_stop():
 * a stuck_secs= given to insmod is set before init runs, and a load that
 * fails after that must not leave work queued on freed module text.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/ktime.h>
#include <linux/workqueue.h>

#include "netnsight.h"

static void nsi_watch_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(nsi_watch_work, nsi_watch_fn);
static bool nsi_watch_running;	/* under nsi_lock */

/*
 * One line per stuck namespace, at most 10 lines per 5 s overall; a
 * namespace whose line the limit held back is retried a second later, so
 * none goes unreported.
 */
static DEFINE_RATELIMIT_STATE(nsi_stuck_rs, 5 * HZ, 10);

/* @blocked: namespaces waiting behind this incident, for the log line */
static bool nsi_report_stuck(struct nsi_net *nn, u64 now, unsigned int blocked)
{
	struct net *net = nn->net;
	u64 secs = div_u64(now - nn->dying_ns, NSEC_PER_SEC);

	if (!__ratelimit(&nsi_stuck_rs))
		return false;
	if (nn->wait_dev[0])
		pr_warn("netns %u (cookie %llu, seq %llu) stuck in teardown for %llus: device %s still has %d references; %u other namespaces blocked behind it\n",
			net->ns.inum, net->net_cookie, nn->seq, secs,
			nn->wait_dev, nn->wait_refcnt, blocked);
	else
		pr_warn("netns %u (cookie %llu, seq %llu) stuck in teardown for %llus\n",
			net->ns.inum, net->net_cookie, nn->seq, secs);
	return true;
}

static unsigned int nsi_count_blocked(const struct nsi_net *holder, u64 now)
{
	unsigned int n = 0;
	struct nsi_net *nn;

	if (!holder)
		return 0;
	list_for_each_entry(nn, &nsi_all_nets, node)
		n += nsi_state_of(nn, holder, now) == NSI_BLOCKED;
	return n;
}

/* ns until @nn needs another look, U64_MAX if never; under nsi_lock */
static u64 nsi_watch_one(struct nsi_net *nn, const struct nsi_net *holder,
			 u64 now, u64 limit, unsigned int blocked)
{
	if (!nn->dying_ns || nn->stuck_logged)
		return U64_MAX;
	if (now - nn->dying_ns < limit)
		return nn->dying_ns + limit - now;
	switch (nsi_state_of(nn, holder, now)) {
	case NSI_STUCK:
		if (nsi_report_stuck(nn, now, blocked)) {
			nn->stuck_logged = true;
			return U64_MAX;
		}
		return NSEC_PER_SEC;	/* held back by the rate limit */
	case NSI_BLOCKED:
		/* look again: its own device may be the next one held */
		return NSEC_PER_SEC;
	default:
		return U64_MAX;
	}
}

static void nsi_watch_fn(struct work_struct *work)
{
	u64 next = U64_MAX;	/* earliest deadline still ahead */
	struct nsi_net *nn, *holder;
	unsigned int blocked;
	u64 limit, now;

	mutex_lock(&nsi_lock);
	/*
	 * Under the lock: a ->pre_exit that took it first set a dying_ns
	 * no later than this now (now - dying_ns must not wrap).
	 */
	limit = (u64)READ_ONCE(stuck_secs) * NSEC_PER_SEC;
	now = ktime_get_boottime_ns();
	holder = nsi_batch_holder(now);
	blocked = nsi_count_blocked(holder, now);
	list_for_each_entry(nn, &nsi_all_nets, node)
		next = min(next, nsi_watch_one(nn, holder, now, limit, blocked));
	/*
	 * mod_, not schedule_: a nsi_watch_dying() that queued the work
	 * while this run waited for the lock set a later deadline than ours.
	 */
	if (next != U64_MAX && nsi_watch_running)
		mod_delayed_work(system_wq, &nsi_watch_work,
				 nsecs_to_jiffies(next) + 1);
	mutex_unlock(&nsi_lock);
}

/* A namespace started dying: make sure the watch looks at it in time. */
void nsi_watch_dying(void)
{
	unsigned long delay = (unsigned long)READ_ONCE(stuck_secs) * HZ + 1;

	mutex_lock(&nsi_lock);
	/*
	 * No-op if already queued: the queued run is due no later than this
	 * namespace's deadline (every deadline is at most stuck_secs away),
	 * and it reschedules for the later ones.
	 */
	if (nsi_watch_running)
		schedule_delayed_work(&nsi_watch_work, delay);
	mutex_unlock(&nsi_lock);
}

/* stuck_secs changed: look again now, and reschedule from there. */
void nsi_watch_kick(void)
{
	mutex_lock(&nsi_lock);
	if (nsi_watch_running)
		mod_delayed_work(system_wq, &nsi_watch_work, 0);
	mutex_unlock(&nsi_lock);
}

void nsi_watch_start(void)
{
	mutex_lock(&nsi_lock);
	nsi_watch_running = true;
	mutex_unlock(&nsi_lock);
}

void nsi_watch_stop(void)
{
	mutex_lock(&nsi_lock);
	nsi_watch_running = false;
	mutex_unlock(&nsi_lock);
	cancel_delayed_work_sync(&nsi_watch_work);
}
