// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_holdref - TEST-ONLY helper: hold a reference on a network device.
 *
 * Loaded by the selftests (never by "make demo") to make a namespace's
 * teardown hang on purpose, the way a leaked dev_hold() does in production:
 *
 *   ip netns exec NS insmod nsi_holdref.ko ifname=DEV [hold_secs=N]
 *
 * takes a reference on DEV in the namespace of the task loading the module
 * (current->nsproxy->net_ns) and drops it after hold_secs seconds (0: only
 * when the module is removed).  While it is held, deleting NS leaves
 * netdev_run_todo() waiting for the device, and netnsight shows the
 * namespace "dying", then "stuck".
 *
 *   ip netns exec NS2 sh -c 'echo DEV2 > /sys/module/nsi_holdref/parameters/hold'
 *
 * takes a second reference, on DEV2 in the writer's namespace, until the
 * module is removed, and writing anything to "release" drops the first one
 * (DEV): one teardown batch can be kept busy, for as long as a test needs,
 * while the namespaces of the next one are queued behind it.
 *
 *   ip netns exec NS insmod nsi_holdref.ko netref=1
 *
 * takes a reference on the namespace itself (get_net()) until rmmod, the
 * way a leaked get_net() does: deleting NS's name leaves it alive with
 * nothing in /proc to show for it -- no task, fd, mount or socket.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

static char *ifname;
module_param(ifname, charp, 0444);
MODULE_PARM_DESC(ifname, "device to hold, in the loading task's namespace");

static unsigned int hold_secs;
module_param(hold_secs, uint, 0444);
MODULE_PARM_DESC(hold_secs, "seconds to hold the reference (0: until rmmod)");

static bool netref;
module_param(netref, bool, 0444);
MODULE_PARM_DESC(netref, "hold the loading task's namespace itself until rmmod");

static struct net *held_net;
static struct net_device *held_dev;
static struct net_device *extra_dev;	/* the "hold" parameter's device */
static DEFINE_MUTEX(held_lock);

/* Writing a name to "hold": a reference on it, in the writer's namespace. */
static int nsi_holdref_hold_set(const char *val, const struct kernel_param *kp)
{
	struct net *net = current->nsproxy->net_ns;
	char name[IFNAMSIZ];
	struct net_device *dev;

	strscpy(name, val, sizeof(name));
	strim(name);
	dev = dev_get_by_name(net, name);
	if (!dev)
		return -ENODEV;
	mutex_lock(&held_lock);
	if (extra_dev) {
		mutex_unlock(&held_lock);
		dev_put(dev);
		return -EBUSY;
	}
	extra_dev = dev;
	mutex_unlock(&held_lock);
	pr_info("holding %s in netns %u until rmmod\n", name, net->ns.inum);
	return 0;
}

static const struct kernel_param_ops nsi_holdref_hold_ops = {
	.set = nsi_holdref_hold_set,
};

module_param_cb(hold, &nsi_holdref_hold_ops, NULL, 0200);
MODULE_PARM_DESC(hold, "write a device name: hold it too, until rmmod");

static void nsi_holdref_put(struct net_device **devp)
{
	if (*devp) {
		pr_info("releasing %s\n", (*devp)->name);
		dev_put(*devp);
		*devp = NULL;
	}
}

static void nsi_holdref_release(void)
{
	mutex_lock(&held_lock);
	nsi_holdref_put(&held_dev);
	mutex_unlock(&held_lock);
}

/* Writing to "release": drop the ifname= reference now. */
static int nsi_holdref_release_set(const char *val, const struct kernel_param *kp)
{
	nsi_holdref_release();
	return 0;
}

static const struct kernel_param_ops nsi_holdref_release_ops = {
	.set = nsi_holdref_release_set,
};

module_param_cb(release, &nsi_holdref_release_ops, NULL, 0200);
MODULE_PARM_DESC(release, "write anything: drop the ifname= reference now");

static void nsi_holdref_timeout(struct work_struct *work)
{
	nsi_holdref_release();
}

static DECLARE_DELAYED_WORK(nsi_holdref_work, nsi_holdref_timeout);

static int __init nsi_holdref_init(void)
{
	struct net *net = current->nsproxy->net_ns;

	if (netref && (!ifname || !*ifname)) {
		held_net = get_net(net);
		pr_info("holding netns %u until rmmod\n", net->ns.inum);
		return 0;
	}
	if (!ifname || !*ifname) {
		pr_err("ifname= or netref=1 is required\n");
		return -EINVAL;
	}
	held_dev = dev_get_by_name(net, ifname);	/* takes the reference */
	if (!held_dev) {
		pr_err("no device %s in netns %u\n", ifname, net->ns.inum);
		return -ENODEV;
	}
	pr_info("holding %s in netns %u for %us\n", ifname, net->ns.inum,
		hold_secs);
	if (hold_secs)
		schedule_delayed_work(&nsi_holdref_work, hold_secs * HZ);
	return 0;
}

static void __exit nsi_holdref_exit(void)
{
	cancel_delayed_work_sync(&nsi_holdref_work);
	nsi_holdref_release();
	mutex_lock(&held_lock);
	nsi_holdref_put(&extra_dev);
	mutex_unlock(&held_lock);
	if (held_net) {
		pr_info("releasing netns %u\n", held_net->ns.inum);
		put_net(held_net);
	}
}

module_init(nsi_holdref_init);
module_exit(nsi_holdref_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("netnsight test helper: hold a network device reference");
