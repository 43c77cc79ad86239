// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - netdevice notifier: per-namespace device counters.
 *
 * A device moved by dev_change_net_namespace() (net/core/dev.c,
 * __dev_change_net_namespace()) is announced as a "mini unregister +
 * register":
 *
 *   old namespace:  NETDEV_UNREGISTER  with dev->reg_state == NETREG_REGISTERED
 *   dev_net_set(dev, new)
 *   new namespace:  NETDEV_REGISTER
 *
 * whereas a real unregister_netdevice_many() sets NETREG_UNREGISTERING
 * before its NETDEV_UNREGISTER, and netdev_wait_allrefs_any() rebroadcasts
 * NETDEV_UNREGISTER every second with NETREG_UNREGISTERED while someone
 * still holds the device.  Once the move's NETDEV_UNREGISTER was sent the
 * move cannot fail (6.1 and 6.12 alike), and both notifications are sent
 * under one RTNL hold, so remembering the moving device between them tells a
 * move-in from a fresh registration.
 */
#include <linux/ktime.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>

#include "netnsight.h"

/* Device between its move's UNREGISTER and REGISTER; under RTNL. */
static struct net_device *nsi_moving_dev;

/*
 * register_netdevice_notifier() replays NETDEV_REGISTER for every existing
 * device and unregister_netdevice_notifier() replays NETDEV_UNREGISTER:
 * those are not events, and they are sent by the task that (un)registers us.
 */
static struct task_struct *nsi_replay_task;

/*
 * Every namespace has our state while the notifier is registered: it is
 * registered after register_pernet_subsys() returned, and unregistered
 * before unregister_pernet_subsys() (core.c).
 */
static void nsi_count(struct net_device *dev, enum nsi_dev_counter c)
{
	atomic64_inc(&nsi_net(dev_net(dev))->dev[c]);
}

/* A device of a dying namespace that someone still holds. */
static void nsi_note_ref_wait(struct net_device *dev)
{
	struct nsi_net *nn = nsi_net(dev_net(dev));

	mutex_lock(&nsi_lock);
	strscpy(nn->wait_dev, dev->name, sizeof(nn->wait_dev));
	nn->wait_refcnt = netdev_refcnt_read(dev);
	nn->wait_rebroadcasts++;
	nsi_note_rebroadcast(nn, ktime_get_boottime_ns());
	mutex_unlock(&nsi_lock);
}

static int nsi_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	ASSERT_RTNL();
	if (READ_ONCE(nsi_replay_task) == current)
		return NOTIFY_DONE;

	switch (event) {
	case NETDEV_REGISTER:
		if (dev == nsi_moving_dev) {
			nsi_moving_dev = NULL;
			nsi_count(dev, NSI_DEV_MOVED_IN);
		} else {
			nsi_count(dev, NSI_DEV_REGISTERED);
		}
		break;
	case NETDEV_UNREGISTER:
		switch (dev->reg_state) {
		case NETREG_REGISTERED:		/* moving to another namespace */
			nsi_moving_dev = dev;
			nsi_count(dev, NSI_DEV_MOVED_OUT);
			break;
		case NETREG_UNREGISTERING:	/* really going away */
			nsi_count(dev, NSI_DEV_UNREGISTERED);
			break;
		case NETREG_UNREGISTERED:	/* rebroadcast: still referenced */
			nsi_note_ref_wait(dev);
			break;
		default:
			break;
		}
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block nsi_netdev_nb = {
	.notifier_call = nsi_netdev_event,
};

int nsi_notifier_register(void)
{
	int err;

	WRITE_ONCE(nsi_replay_task, current);
	err = register_netdevice_notifier(&nsi_netdev_nb);
	WRITE_ONCE(nsi_replay_task, NULL);
	return err;
}

void nsi_notifier_unregister(void)
{
	WRITE_ONCE(nsi_replay_task, current);
	unregister_netdevice_notifier(&nsi_netdev_nb);
	WRITE_ONCE(nsi_replay_task, NULL);
	nsi_moving_dev = NULL;
}
