// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - teardown watch.
 *
 * A namespace is "dying" from our ->pre_exit until our ->exit (core.c).
 * If that lasts longer than stuck_secs it reads "stuck", and this work logs
 * one line for it, naming the namespace and -- when the core has been
 * rebroadcasting NETDEV_UNREGISTER for it (notifier.c) -- the device that
 * is still referenced.  The reader's next stop is the kernel's own
 * "unregister_netdevice: waiting for DEV to become free" line.
 *
 * The work only runs while some namespace is dying and not yet reported.
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
static bool nsi_watch_stopped;

/*
 * One line per stuck namespace, at most 10 lines per 5 s overall; a
 * namespace whose line the limit held back is retried a second later, so
 * none goes unreported.
 */
static DEFINE_RATELIMIT_STATE(nsi_stuck_rs, 5 * HZ, 10);

static bool nsi_report_stuck(struct nsi_net *nn, u64 now)
{
	struct net *net = nn->net;
	u64 secs = div_u64(now - nn->dying_ns, NSEC_PER_SEC);

	if (!__ratelimit(&nsi_stuck_rs))
		return false;
	if (nn->wait_dev[0])
		pr_warn("netns %u (cookie %llu, seq %llu) stuck in teardown for %llus: device %s still has %d references\n",
			net->ns.inum, net->net_cookie, nn->seq, secs,
			nn->wait_dev, nn->wait_refcnt);
	else
		pr_warn("netns %u (cookie %llu, seq %llu) stuck in teardown for %llus\n",
			net->ns.inum, net->net_cookie, nn->seq, secs);
	return true;
}

static void nsi_watch_fn(struct work_struct *work)
{
	u64 limit = (u64)READ_ONCE(stuck_secs) * NSEC_PER_SEC;
	u64 now = ktime_get_boottime_ns();
	u64 next = U64_MAX;	/* earliest deadline still ahead */
	struct nsi_net *nn;

	mutex_lock(&nsi_lock);
	list_for_each_entry(nn, &nsi_all_nets, node) {
		if (!nn->dying_ns || nn->stuck_logged)
			continue;
		if (now - nn->dying_ns >= limit) {
			if (nsi_report_stuck(nn, now))
				nn->stuck_logged = true;
			else
				next = min_t(u64, next, NSEC_PER_SEC);
		} else {
			next = min(next, nn->dying_ns + limit - now);
		}
	}
	if (next != U64_MAX && !nsi_watch_stopped)
		schedule_delayed_work(&nsi_watch_work,
				      nsecs_to_jiffies(next) + 1);
	mutex_unlock(&nsi_lock);
}

/* A namespace started dying: make sure the watch looks at it in time. */
void nsi_watch_dying(void)
{
	unsigned long delay = (unsigned long)READ_ONCE(stuck_secs) * HZ + 1;

	mutex_lock(&nsi_lock);
	/* No-op if already queued: that run reschedules for later deadlines. */
	if (!nsi_watch_stopped)
		schedule_delayed_work(&nsi_watch_work, delay);
	mutex_unlock(&nsi_lock);
}

/* stuck_secs changed: look again now, and reschedule from there. */
void nsi_watch_kick(void)
{
	mutex_lock(&nsi_lock);
	if (!nsi_watch_stopped)
		mod_delayed_work(system_wq, &nsi_watch_work, 0);
	mutex_unlock(&nsi_lock);
}

void nsi_watch_stop(void)
{
	mutex_lock(&nsi_lock);
	nsi_watch_stopped = true;
	mutex_unlock(&nsi_lock);
	cancel_delayed_work_sync(&nsi_watch_work);
}
