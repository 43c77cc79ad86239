// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * netnsight trace - device moves between namespaces.
 *
 * Hook: the function `ip link set DEV netns NS` reaches, by the name this
 * kernel has (user/trace_attach.c picks it): netif_change_net_namespace()
 * in newer trees, __dev_change_net_namespace() (net/core/dev.c) on 6.1 ..
 * 7.x where dev_change_net_namespace() is a static inline wrapper,
 * dev_change_net_namespace() on older kernels.  Entry: the device, its
 * namespace and name before; return: the result, the name and ifindex
 * after.
 */
#include "common.bpf.h"

/* --- move: __dev_change_net_namespace() and its other names ------------- */

static __always_inline int move_enter(struct net_device *dev, struct net *dst)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct move_start s = {};

	if (!want(NSI_EV_MOVE) || !task_passes())
		return 0;
	s.ts = bpf_ktime_get_boot_ns();
	s.dev = (__u64)dev;
	netns_of(BPF_CORE_READ(dev, nd_net.net), &s.src);
	netns_of(dst, &s.dst);
	if (!netns_passes(s.src.ino, s.dst.ino))
		return 0;
	s.ifindex = BPF_CORE_READ(dev, ifindex);
	bpf_probe_read_kernel_str(s.ifname, sizeof(s.ifname), dev->name);
	bpf_map_update_elem(&move_start, &tid, &s, BPF_ANY);
	return 0;
}

static __always_inline int move_exit(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct net_device *dev;
	struct move_start *s;
	struct nsi_event *e;

	s = bpf_map_lookup_elem(&move_start, &tid);
	if (!s)
		return 0;
	/* moving a device to where it is: the kernel returns 0 at once */
	if (!ret && s->src.ino == s->dst.ino) {
		bpf_map_delete_elem(&move_start, &tid);
		return 0;
	}
	e = ev_reserve(NSI_EV_MOVE);
	if (e) {
		dev = (struct net_device *)s->dev;
		/* The namespace a move concerns is where the device went. */
		e->hdr.netns = s->dst;
		e->move.src = s->src;
		e->move.dst = s->dst;
		e->move.latency_ns = bpf_ktime_get_boot_ns() - s->ts;
		e->move.old_ifindex = s->ifindex;
		e->move.new_ifindex = BPF_CORE_READ(dev, ifindex);
		e->move.err = (int)ret;
		e->move.pad = 0;
		__builtin_memcpy(e->move.old_ifname, s->ifname, NSI_IFNAMSIZ);
		bpf_probe_read_kernel_str(e->move.new_ifname, NSI_IFNAMSIZ, dev->name);
		ev_submit(e);
	}
	bpf_map_delete_elem(&move_start, &tid);
	return 0;
}

/* attach target set at load time: the name this kernel has */
SEC("fentry")
int BPF_PROG(fentry_dev_move, struct net_device *dev, struct net *net)
{
	return move_enter(dev, net);
}

SEC("fexit")
int BPF_PROG(fexit_dev_move)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return move_exit((long)ret);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_dev_move, struct net_device *dev, struct net *net)
{
	return move_enter(dev, net);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_dev_move, long ret)
{
	return move_exit(ret);
}

