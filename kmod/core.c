// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - pernet subsystem and per-namespace state.
 *
 * register_pernet_subsys() puts our pernet_operations on pernet_list
 * *before* the first device operations (net/core/net_namespace.c,
 * register_pernet_subsys() vs register_pernet_device()).  setup_net() runs
 * ->init in list order, cleanup_net() runs ->pre_exit and ->exit in reverse.
 * So for a dying namespace:
 *
 *   ->pre_exit (ours)            the namespace is off net_namespace_list
 *   device ops: unregister_netdevice_many() + netdev_run_todo(), which
 *               blocks until every device's references are gone
 *   ->exit (ours)                all devices are gone
 *
 * Between our ->pre_exit and ->exit the namespace is "dying"; if a device
 * reference is leaked that window never closes -- the production incident
 * "unregister_netdevice: waiting for X to become free".  watch.c turns it
 * into the state "stuck".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/ktime.h>

#include "netnsight.h"

unsigned int stuck_secs = 10;

/* A new threshold applies to namespaces already dying: re-run the watch. */
static int stuck_secs_set(const char *val, const struct kernel_param *kp)
{
	int err = param_set_uint(val, kp);

	if (!err)
		nsi_watch_kick();
	return err;
}

static const struct kernel_param_ops stuck_secs_ops = {
	.set = stuck_secs_set,
	.get = param_get_uint,
};

module_param_cb(stuck_secs, &stuck_secs_ops, &stuck_secs, 0644);
MODULE_PARM_DESC(stuck_secs,
		 "seconds a namespace may be dying before it reads 'stuck' (default 10)");

unsigned int nsi_net_id __read_mostly;
/*
 * Protects nsi_all_nets and, in every entry, the teardown fields (dying_ns,
 * stuck_logged, wait_*).  Taken from pernet init/pre_exit/exit, the
 * netdevice notifier (under RTNL: RTNL -> nsi_lock, never the reverse), the
 * watch work and proc readers; never held across anything that sleeps on
 * another of those.
 */
DEFINE_MUTEX(nsi_lock);
LIST_HEAD(nsi_all_nets);

static atomic64_t nsi_seq = ATOMIC64_INIT(0);

/*
 * register_pernet_subsys() calls ->init for every existing namespace, and
 * unregister_pernet_subsys() ->pre_exit and ->exit for every one, from the
 * task that (un)registers us -- under pernet_ops_rwsem held for writing,
 * while copy_net_ns() and cleanup_net() of other tasks wait.  Judging by
 * that task, not by a flag cleared after the call returns, keeps a
 * namespace created by a waiter the moment the lock is released from being
 * taken for one that existed before the load.
 */
static struct task_struct *nsi_load_task;
static struct task_struct *nsi_unload_task;

/* Devices currently listed in @net (a dying namespace may have none left). */
unsigned int nsi_count_devices(struct net *net)
{
	struct net_device *dev;
	unsigned int n = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev)
		n++;
	rcu_read_unlock();
	return n;
}

static int __net_init nsi_net_init(struct net *net)
{
	struct nsi_net *nn = nsi_net(net);
	int err;

	nn->net = net;
	nn->created_ns = ktime_get_boottime_ns();
	nn->seen_at_load = READ_ONCE(nsi_load_task) == current;
	INIT_LIST_HEAD(&nn->node);

	err = nsi_proc_net_init(net);
	if (err)
		return err;
	err = nsi_proc_all_init(net);
	if (err) {
		nsi_proc_net_exit(net);
		return err;
	}

	mutex_lock(&nsi_lock);
	/* Under the lock, so the list stays sorted by seq. */
	nn->seq = atomic64_inc_return(&nsi_seq);
	list_add_tail(&nn->node, &nsi_all_nets);
	mutex_unlock(&nsi_lock);
	return 0;
}

/*
 * Called by cleanup_net() once the namespace is off net_namespace_list and
 * before any device is unregistered; also by unregister_pernet_subsys()
 * for every namespace when the module unloads.
 */
static void __net_exit nsi_net_pre_exit(struct net *net)
{
	struct nsi_net *nn = nsi_net(net);

	/*
	 * rmmod, or the undo of a failed insmod (register_pernet_subsys()
	 * unwinding, from the loading task): not a teardown, not dying.
	 */
	if (READ_ONCE(nsi_unload_task) == current ||
	    READ_ONCE(nsi_load_task) == current)
		return;
	mutex_lock(&nsi_lock);
	nn->dying_ns = ktime_get_boottime_ns();
	/* only devices still held during *this* teardown are of interest */
	nn->wait_dev[0] = '\0';
	nn->wait_refcnt = 0;
	nn->wait_rebroadcasts = 0;
	nn->wait_seen_ns = 0;
	mutex_unlock(&nsi_lock);
	nsi_watch_dying();
}

/* Every device of the namespace is gone by now: its row disappears. */
static void __net_exit nsi_net_exit(struct net *net)
{
	struct nsi_net *nn = nsi_net(net);

	nsi_proc_all_exit(net);
	nsi_proc_net_exit(net);

	mutex_lock(&nsi_lock);
	list_del_init(&nn->node);
	mutex_unlock(&nsi_lock);
}

static struct pernet_operations nsi_net_ops = {
	.init = nsi_net_init,
	.pre_exit = nsi_net_pre_exit,
	.exit = nsi_net_exit,
	.id = &nsi_net_id,
	.size = sizeof(struct nsi_net),
};

static int __init nsi_module_init(void)
{
	int err;

	/* before any namespace can start dying under our ->pre_exit */
	nsi_watch_start();
	WRITE_ONCE(nsi_load_task, current);
	err = register_pernet_subsys(&nsi_net_ops);
	WRITE_ONCE(nsi_load_task, NULL);
	if (err) {
		nsi_watch_stop();
		return err;
	}

	err = nsi_notifier_register();
	if (err) {
		WRITE_ONCE(nsi_unload_task, current);
		unregister_pernet_subsys(&nsi_net_ops);
		WRITE_ONCE(nsi_unload_task, NULL);
		nsi_watch_stop();
		return err;
	}
	pr_info("loaded; stuck_secs=%u\n", stuck_secs);
	return 0;
}

static void __exit nsi_module_exit(void)
{
	nsi_notifier_unregister();
	WRITE_ONCE(nsi_unload_task, current);
	/*
	 * Runs ->pre_exit and ->exit for every namespace, removing the proc
	 * files; proc_remove() waits for readers inside our callbacks and
	 * closes files still open, so no reader can reach freed state.
	 */
	unregister_pernet_subsys(&nsi_net_ops);
	WRITE_ONCE(nsi_unload_task, NULL);
	nsi_watch_stop();
	pr_info("unloaded\n");
}

module_init(nsi_module_init);
module_exit(nsi_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("netnsight: per-namespace facts about network namespaces under /proc/net");
MODULE_AUTHOR("netnsight developers");
