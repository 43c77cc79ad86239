// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * netnsight trace - namespace lifecycle: creation, destruction, and tasks
 * switching namespace.
 *
 * Hooks:
 *   copy_net_ns()             net/core/net_namespace.c  create: every new
 *                             namespace, from clone/unshare/setns paths
 *   cleanup_net()             net/core/net_namespace.c  a teardown batch
 *                             starts (entry) and ends (return)
 *   net_ns_net_exit()         net/core/net_namespace.c  destroy: the ->exit
 *                             of the first pernet subsystem, run last
 *   __ns_common_free()        kernel/nscommon.c         destroy on 6.18+,
 *                             where net_ns_net_exit() is gone
 *   switch_task_namespaces()  kernel/nsproxy.c          setns, unshare
 *   ksys_unshare()            kernel/fork.c             tells unshare from setns
 *   sched_process_fork        raw tracepoint            clone into a new namespace
 */
#include "common.bpf.h"

/* --- create: copy_net_ns() ---------------------------------------------- */

static __always_inline int create_enter(unsigned long flags, void *user_ns,
					void *old_net)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct create_start s = {};

	if (!(flags & CLONE_NEWNET))
		return 0;	/* just a new reference on old_net */
	if (!want(NSI_EV_CREATE) && !want(NSI_EV_DESTROY))
		return 0;
	s.ts = bpf_ktime_get_boot_ns();
	s.old_net = (__u64)old_net;
	s.user_ns = (__u64)user_ns;
	bpf_map_update_elem(&create_start, &tid, &s, BPF_ANY);
	return 0;
}

static __always_inline int create_exit(__u64 ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct create_start *sp, s;
	struct user_namespace *uns;
	struct nsi_netns parent;
	struct nsi_event *e;
	__u64 now;
	long err;

	sp = bpf_map_lookup_elem(&create_start, &tid);
	if (!sp)
		return 0;
	s = *sp;
	bpf_map_delete_elem(&create_start, &tid);
	now = bpf_ktime_get_boot_ns();
	err = IS_ERR_VALUE(ret) ? (long)ret : 0;
	if (!err)
		bpf_map_update_elem(&born, &ret, &now, BPF_ANY);

	if (!want(NSI_EV_CREATE) || !task_passes())
		return 0;
	netns_of((struct net *)s.old_net, &parent);
	e = NULL;
	if (err) {
		if (!netns_passes(parent.ino, 0))
			return 0;
		e = ev_reserve(NSI_EV_CREATE);
		if (!e)
			return 0;
		e->hdr.netns.ino = 0;
		e->hdr.netns.cookie = 0;
		e->hdr.netns.pad = 0;
	} else {
		struct nsi_netns child;

		netns_of((struct net *)ret, &child);
		if (!netns_passes(child.ino, parent.ino))
			return 0;
		e = ev_reserve(NSI_EV_CREATE);
		if (!e)
			return 0;
		e->hdr.netns = child;
	}
	e->create.parent = parent;
	e->create.latency_ns = now - s.ts;
	uns = (struct user_namespace *)s.user_ns;
	e->create.userns_ino = BPF_CORE_READ(uns, ns.inum);
	e->create.err = err;
	ev_submit(e);
	return 0;
}

SEC("fentry/copy_net_ns")
int BPF_PROG(fentry_copy_net_ns, unsigned long flags, struct user_namespace *user_ns,
	     struct net *old_net)
{
	return create_enter(flags, user_ns, old_net);
}

SEC("fexit/copy_net_ns")
int BPF_PROG(fexit_copy_net_ns)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return create_exit(ret);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_copy_net_ns, unsigned long flags, void *user_ns, void *old_net)
{
	return create_enter(flags, user_ns, old_net);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_copy_net_ns, void *ret)
{
	return create_exit((__u64)ret);
}

/* --- destroy: cleanup_net() ... net_ns_net_exit() ----------------------- */

/*
 * When a namespace's last reference goes, __put_net() queues it for
 * cleanup_net() (a work item on netns_wq), which tears down every queued
 * namespace in one batch: ->pre_exit methods, device unregistration, then
 * ->exit methods in reverse registration order.  net_ns_net_exit() is the
 * ->exit of the first pernet subsystem ever registered (net_ns_init()), so
 * it runs last: when it is called for a namespace, that namespace's
 * teardown is done.  It is only ever called through ops->exit, so it is
 * never inlined (unlike __put_net(), which net_namespace.c's own callers
 * may inline).
 */
static __always_inline int cleanup_enter(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 now;

	if (!want(NSI_EV_DESTROY))
		return 0;
	now = bpf_ktime_get_boot_ns();
	bpf_map_update_elem(&cleanup_start, &tid, &now, BPF_ANY);
	return 0;
}

static __always_inline int netns_exit(struct net *net)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 key = (__u64)net, *born_ts, *start, now;
	struct nsi_event *e;
	struct nsi_netns ns;

	if (!want(NSI_EV_DESTROY))
		return 0;
	now = bpf_ktime_get_boot_ns();
	netns_of(net, &ns);
	born_ts = bpf_map_lookup_elem(&born, &key);
	/* none when a failed setup_net() unwinds: no cleanup_net() then */
	start = bpf_map_lookup_elem(&cleanup_start, &tid);
	if (netns_passes(ns.ino, 0)) {
		e = ev_reserve(NSI_EV_DESTROY);
		if (e) {
			e->hdr.netns = ns;
			e->destroy.lived_ns = born_ts ? now - *born_ts : 0;
			e->destroy.teardown_ns = start ? now - *start : 0;
			ev_submit(e);
		}
	}
	if (born_ts)
		bpf_map_delete_elem(&born, &key);
	return 0;
}

SEC("fentry/cleanup_net")
int BPF_PROG(fentry_cleanup_net)
{
	return cleanup_enter();
}

/* the batch is done: its worker's entry must not outlive it */
static __always_inline int cleanup_exit(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (want(NSI_EV_DESTROY))
		bpf_map_delete_elem(&cleanup_start, &tid);
	return 0;
}

SEC("fexit/cleanup_net")
int BPF_PROG(fexit_cleanup_net)
{
	return cleanup_exit();
}

SEC("fentry/net_ns_net_exit")
int BPF_PROG(fentry_netns_exit, struct net *net)
{
	return netns_exit(net);
}

/*
 * Since the namespace rework of 6.18, net_ns_ops has no ->exit: the last
 * thing cleanup_net() does for each namespace is ns_common_free(net) ->
 * __ns_common_free(&net->ns) (kernel/nscommon.c), shared by every kind of
 * namespace -- ns_common.ns_type tells them apart.
 */
struct ns_common___v618 {
	__u32 ns_type;
} __attribute__((preserve_access_index));

static __always_inline int ns_free_enter(struct ns_common *ns)
{
	struct ns_common___v618 *n = (void *)ns;

	if (!bpf_core_field_exists(n->ns_type) ||
	    BPF_CORE_READ(n, ns_type) != CLONE_NEWNET)
		return 0;
	return netns_exit((struct net *)((void *)ns - bpf_core_field_offset(struct net, ns)));
}

SEC("fentry")
int BPF_PROG(fentry_ns_free, struct ns_common *ns)
{
	return ns_free_enter(ns);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_ns_free, struct ns_common *ns)
{
	return ns_free_enter(ns);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_cleanup_net)
{
	return cleanup_enter();
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_cleanup_net)
{
	return cleanup_exit();
}

SEC("kprobe")
int BPF_KPROBE(kprobe_netns_exit, struct net *net)
{
	return netns_exit(net);
}

/* --- switch: setns(), unshare(), clone() -------------------------------- */

static __always_inline int switch_emit(struct task_struct *task, struct net *from,
				       struct net *to, __u32 how)
{
	struct nsi_netns f, t;
	struct nsi_event *e;

	netns_of(from, &f);
	netns_of(to, &t);
	if (f.ino == t.ino || !netns_passes(f.ino, t.ino))
		return 0;
	e = ev_reserve(NSI_EV_SWITCH);
	if (!e)
		return 0;
	e->hdr.netns = t;
	e->sw.from = f;
	e->sw.to = t;
	e->sw.how = how;
	e->sw.target_pid = BPF_CORE_READ(task, pid);
	ev_submit(e);
	return 0;
}

/*
 * switch_task_namespaces() (kernel/nsproxy.c) installs a task's new
 * nsproxy for setns() and unshare(); exit passes NULL (not reported).
 */
static __always_inline int switch_enter(struct task_struct *p, struct nsproxy *new)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 how = NSI_SW_SETNS;

	if (!want(NSI_EV_SWITCH) || !new || !task_passes())
		return 0;
	if (bpf_map_lookup_elem(&in_unshare, &tid))
		how = NSI_SW_UNSHARE;
	return switch_emit(p, task_net(p), BPF_CORE_READ(new, net_ns), how);
}

SEC("fentry/switch_task_namespaces")
int BPF_PROG(fentry_switch_ns, struct task_struct *p, struct nsproxy *new)
{
	return switch_enter(p, new);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_switch_ns, struct task_struct *p, struct nsproxy *new)
{
	return switch_enter(p, new);
}

static __always_inline int unshare_mark(bool enter)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u8 one = 1;

	if (!want(NSI_EV_SWITCH))
		return 0;
	if (enter)
		bpf_map_update_elem(&in_unshare, &tid, &one, BPF_ANY);
	else
		bpf_map_delete_elem(&in_unshare, &tid);
	return 0;
}

SEC("fentry/ksys_unshare")
int BPF_PROG(fentry_unshare)
{
	return unshare_mark(true);
}

SEC("fexit/ksys_unshare")
int BPF_PROG(fexit_unshare)
{
	return unshare_mark(false);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_unshare)
{
	return unshare_mark(true);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_unshare)
{
	return unshare_mark(false);
}

/*
 * clone(CLONE_NEWNET): copy_namespaces() (kernel/nsproxy.c) gives the child
 * its own nsproxy inside copy_process(), before the child even has a pid;
 * the sched_process_fork tracepoint fires once it does.  A child whose
 * namespace differs from its parent's was born into a new one.
 */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(tp_process_fork, struct task_struct *parent, struct task_struct *child)
{
	struct net *from, *to;

	if (!want(NSI_EV_SWITCH))
		return 0;
	from = task_net(parent);
	to = task_net(child);
	if (from == to || !task_passes())
		return 0;
	return switch_emit(child, from, to, NSI_SW_CLONE);
}
