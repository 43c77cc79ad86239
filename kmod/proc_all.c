// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - /proc/net/netnsight_all: every namespace the kernel has.
 *
 * Present only in init_net's /proc/net, and only openable with CAP_NET_ADMIN
 * in the initial user namespace, judged on the opener's credentials
 * (file_ns_capable()), so a descriptor passed to an unprivileged process
 * does not widen what it may do.
 *
 * The list comes from our own pernet state, not net_namespace_list:
 * cleanup_net() unlinks a namespace from that list before its teardown
 * starts, and a dying or stuck namespace is exactly what an SRE looks for.
 *
 * The open takes a snapshot of all rows under nsi_lock, so rows and the
 * totals line agree, and each read() costs O(rows read) whatever the number
 * of namespaces (a position-based walk of a live list would cost O(n) per
 * read() call, O(n^2) per file).
 */
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/ktime.h>

#include "netnsight.h"

struct nsi_row {
	u64 cookie;
	u64 seq;
	u64 age_ms;
	u64 dying_ms;
	unsigned int inode;
	unsigned int devices;
	unsigned int refcount;
	unsigned int passive;
	unsigned int blocked_by;	/* inode of the batch holder, 0: - */
	enum nsi_state state;
	char wait_dev[IFNAMSIZ];
};

struct nsi_snapshot {
	size_t nr;
	size_t nr_state[NSI_NR_STATES];
	struct nsi_row rows[];
};

static void nsi_fill_row(struct nsi_row *r, struct nsi_net *nn,
			 const struct nsi_net *holder, u64 now)
{
	struct net *net = nn->net;

	r->inode = net->ns.inum;
	r->cookie = net->net_cookie;
	r->seq = nn->seq;
	r->age_ms = div_u64(now - nn->created_ns, NSEC_PER_MSEC);
	r->dying_ms = nn->dying_ns ? div_u64(now - nn->dying_ns, NSEC_PER_MSEC) : 0;
	r->devices = nsi_count_devices(net);
	r->refcount = nsi_ns_refs(net);
	r->passive = refcount_read(&net->passive);
	r->state = nsi_state_of(nn, holder, now);
	r->blocked_by = r->state == NSI_BLOCKED ? holder->net->ns.inum : 0;
	/* a name from before this teardown (a live ip link del) is not shown */
	if (nn->dying_ns && nn->wait_dev[0])
		strscpy(r->wait_dev, nn->wait_dev, sizeof(r->wait_dev));
	else
		strscpy(r->wait_dev, "-", sizeof(r->wait_dev));
}

static struct nsi_snapshot *nsi_take_snapshot(void)
{
	struct nsi_net *nn, *holder;
	struct nsi_snapshot *s;
	size_t n = 0;
	u64 now;

	mutex_lock(&nsi_lock);
	list_for_each_entry(nn, &nsi_all_nets, node)
		n++;
	s = kvzalloc(struct_size(s, rows, n), GFP_KERNEL);
	if (!s)
		goto out;
	now = ktime_get_boottime_ns();
	holder = nsi_batch_holder(now);
	list_for_each_entry(nn, &nsi_all_nets, node) {
		struct nsi_row *r = &s->rows[s->nr++];

		nsi_fill_row(r, nn, holder, now);
		s->nr_state[r->state]++;
	}
out:
	mutex_unlock(&nsi_lock);
	return s;
}

/* Positions: 0 header, 1..nr rows, nr+1 totals. */
static void *nsi_all_start(struct seq_file *m, loff_t *pos)
{
	struct nsi_snapshot *s = m->private;

	return *pos <= s->nr + 1 ? (void *)(uintptr_t)(*pos + 1) : NULL;
}

static void *nsi_all_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return nsi_all_start(m, pos);
}

static void nsi_all_stop(struct seq_file *m, void *v)
{
}

static int nsi_all_show(struct seq_file *m, void *v)
{
	struct nsi_snapshot *s = m->private;
	size_t i = (uintptr_t)v - 1;
	const struct nsi_row *r;

	if (i == 0) {
		seq_printf(m, "%-10s %-20s %-8s %-12s %-5s %-5s %-7s %-7s %-10s %-16s %s\n",
			   "inode", "cookie", "seq", "age_ms", "devs", "refs",
			   "passive", "state", "dying_ms", "wait_dev", "blocked_by");
		return 0;
	}
	if (i == s->nr + 1) {
		seq_printf(m, "total: %zu alive: %zu dying: %zu stuck: %zu blocked: %zu\n",
			   s->nr, s->nr_state[NSI_ALIVE], s->nr_state[NSI_DYING],
			   s->nr_state[NSI_STUCK], s->nr_state[NSI_BLOCKED]);
		return 0;
	}
	r = &s->rows[i - 1];
	seq_printf(m, "%-10u %-20llu %-8llu %-12llu %-5u %-5u %-7u %-7s %-10llu %-16s ",
		   r->inode, r->cookie, r->seq, r->age_ms, r->devices,
		   r->refcount, r->passive, nsi_state_name(r->state),
		   r->dying_ms, r->wait_dev);
	if (r->blocked_by)
		seq_printf(m, "%u\n", r->blocked_by);
	else
		seq_puts(m, "-\n");
	return 0;
}

static const struct seq_operations nsi_all_seq_ops = {
	.start = nsi_all_start,
	.next = nsi_all_next,
	.stop = nsi_all_stop,
	.show = nsi_all_show,
};

static int nsi_all_open(struct inode *inode, struct file *file)
{
	struct nsi_snapshot *s;
	int err;

	if (!file_ns_capable(file, &init_user_ns, CAP_NET_ADMIN))
		return -EACCES;
	s = nsi_take_snapshot();
	if (!s)
		return -ENOMEM;
	err = seq_open(file, &nsi_all_seq_ops);
	if (err) {
		kvfree(s);
		return err;
	}
	((struct seq_file *)file->private_data)->private = s;
	return 0;
}

static int nsi_all_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kvfree(m->private);
	return seq_release(inode, file);
}

static const struct proc_ops nsi_all_proc_ops = {
	.proc_open = nsi_all_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = nsi_all_release,
};

int nsi_proc_all_init(struct net *net)
{
	if (!net_eq(net, &init_net))
		return 0;
	if (!proc_create("netnsight_all", 0400, net->proc_net, &nsi_all_proc_ops))
		return -ENOMEM;
	return 0;
}

void nsi_proc_all_exit(struct net *net)
{
	if (net_eq(net, &init_net))
		remove_proc_entry("netnsight_all", net->proc_net);
}
