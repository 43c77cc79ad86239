// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - /proc/net/netnsight: one namespace's own facts.
 *
 * /proc/net is a link to /proc/self/net, so every reader sees the file of
 * the namespace it is in, and nothing of any other (proc_net.c,
 * proc_tgid_net_lookup()).  proc_create_net_single() makes the open take a
 * reference on the namespace (get_proc_net()), so the namespace -- and our
 * state in it -- stays alive while the file is open.
 *
 * Format (docs/procfs.md, stable; the inspector parses it): "key: value"
 * lines, then a device table with a header line.
 */
#include <linux/capability.h>
#include <linux/if_arp.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/ktime.h>
#include <linux/user_namespace.h>
#include <net/rtnetlink.h>

#include "netnsight.h"

static const char *const nsi_counter_key[NSI_DEV_NR_COUNTERS] = {
	[NSI_DEV_REGISTERED] = "dev_registered",
	[NSI_DEV_UNREGISTERED] = "dev_unregistered",
	[NSI_DEV_MOVED_IN] = "dev_moved_in",
	[NSI_DEV_MOVED_OUT] = "dev_moved_out",
};

/* dev->type (include/uapi/linux/if_arp.h) as a word, for the common ones. */
static const char *nsi_arphrd_name(unsigned short type)
{
	switch (type) {
	case ARPHRD_ETHER:
		return "ether";
	case ARPHRD_LOOPBACK:
		return "loopback";
	case ARPHRD_NONE:
		return "none";
	case ARPHRD_VOID:
		return "void";
	case ARPHRD_TUNNEL:
		return "ipip";
	case ARPHRD_TUNNEL6:
		return "ip6tnl";
	case ARPHRD_SIT:
		return "sit";
	case ARPHRD_IPGRE:
		return "gre";
	case ARPHRD_IP6GRE:
		return "ip6gre";
	}
	return NULL;
}

static void nsi_show_devices(struct seq_file *m, struct net *net)
{
	struct net_device *dev;
	const char *type;

	seq_printf(m, "devices: %u\n", nsi_count_devices(net));
	seq_puts(m, "ifindex name             state type      kind\n");
	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		seq_printf(m, "%-7d %-16s %-5s ", dev->ifindex, dev->name,
			   (dev->flags & IFF_UP) ? "up" : "down");
		type = nsi_arphrd_name(dev->type);
		if (type)
			seq_printf(m, "%-9s ", type);
		else
			seq_printf(m, "%-9u ", dev->type);
		seq_printf(m, "%s\n",
			   dev->rtnl_link_ops ? dev->rtnl_link_ops->kind : "-");
	}
	rcu_read_unlock();
}

static int nsi_proc_net_show(struct seq_file *m, void *v)
{
	struct net *net = seq_file_single_net(m);
	struct nsi_net *nn = nsi_net(net);
	enum nsi_state state;
	u64 now;
	int i;

	/*
	 * The open pinned the namespace (single_open_net() -> maybe_get_net()),
	 * so it is alive: no batch to look for.
	 */
	mutex_lock(&nsi_lock);
	now = ktime_get_boottime_ns();
	state = nsi_state_of(nn, NULL, now);
	mutex_unlock(&nsi_lock);

	seq_printf(m, "format: %d\n", NSI_PROC_FORMAT);
	seq_printf(m, "netns_inode: %u\n", net->ns.inum);
	seq_printf(m, "net_cookie: %llu\n", net->net_cookie);
	seq_printf(m, "userns_inode: %u\n", net->user_ns->ns.inum);
	/*
	 * seq counts every namespace the host ever made: not this
	 * namespace's to tell a container.  Judged on the opener's
	 * credentials, like netnsight_all.
	 */
	if (file_ns_capable(m->file, &init_user_ns, CAP_NET_ADMIN))
		seq_printf(m, "seq: %llu\n", nn->seq);
	seq_printf(m, "created_boottime_ns: %llu\n", nn->created_ns);
	seq_printf(m, "seen_at_load: %s\n", nn->seen_at_load ? "yes" : "no");
	seq_printf(m, "age_ms: %llu\n", div_u64(now - nn->created_ns, NSEC_PER_MSEC));
	seq_printf(m, "ns_refcount: %u\n", nsi_ns_refs(net));
	seq_printf(m, "passive_refcount: %u\n", refcount_read(&net->passive));
	seq_printf(m, "state: %s\n", nsi_state_name(state));
	for (i = 0; i < NSI_DEV_NR_COUNTERS; i++)
		seq_printf(m, "%s: %lld\n", nsi_counter_key[i],
			   atomic64_read(&nn->dev[i]));
	nsi_show_devices(m, net);
	return 0;
}

int nsi_proc_net_init(struct net *net)
{
	if (!proc_create_net_single("netnsight", 0444, net->proc_net,
				    nsi_proc_net_show, NULL))
		return -ENOMEM;
	return 0;
}

void nsi_proc_net_exit(struct net *net)
{
	remove_proc_entry("netnsight", net->proc_net);
}
