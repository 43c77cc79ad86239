// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight lab - the classic veth walkthrough, replayed live.
 *
 * Each step runs the `ip` command a student would type, then shows what the
 * kernel did: the functions involved (see docs/struct-net.md), the tracer's
 * events for that step, and how the module's per-namespace facts changed.
 * Where the usual telling is imprecise for the running kernel, the step
 * says so and shows what really happens.
 *
 * It cleans up after itself, also when interrupted (SIGINT/SIGTERM).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "netns.h"
#include "procfs.h"
#include "trace.h"
#include "util.h"

#define LAB_NS		"net1"
#define LAB_NS_PATH	"/run/netns/" LAB_NS
#define LAB_MAX_CMDS	3
#define QUIET_MS	400	/* a step's events have settled after this */
#define SETTLE_MAX_MS	4000
#define DESTROY_MAX_MS	30000

extern char **environ;

struct lab_step {
	const char *title;
	const char *const *cmds[LAB_MAX_CMDS];
	const char *kernel;	/* what the kernel does */
	const char *really;	/* what the usual telling glosses over, or NULL */
	uint32_t expect;	/* event kinds this step must produce */
};

#define EV(k) NSI_EV_MASK(NSI_EV_##k)
#define CMD(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct lab_step steps[] = {
	{
		"create a namespace",
		{ CMD("ip", "netns", "add", LAB_NS) },
		"ip calls unshare(CLONE_NEWNET): ksys_unshare() -> create_new_namespaces()\n"
		"-> copy_net_ns() (net/core/net_namespace.c) allocates a struct net, and\n"
		"setup_net() runs every pernet_operations ->init on pernet_list in order:\n"
		"net_ns_net_init() gives it ns.inum, proc_net_ns_init() its /proc/net,\n"
		"loopback_net_init() registers lo (net->loopback_dev), ... and netnsight's\n"
		"own nsi_net_init().  ip then bind-mounts /proc/self/ns/net on\n"
		LAB_NS_PATH " (that mount is what keeps the namespace alive) and setns()\n"
		"back: switch_task_namespaces() both ways.",
		NULL,
		EV(CREATE) | EV(SWITCH),
	},
	{
		"create a veth pair",
		{ CMD("ip", "link", "add", "veth1", "type", "veth", "peer", "name", "veth1_p") },
		"rtnl_newlink() (net/core/rtnetlink.c) creates the devices in the namespace of\n"
		"the netlink socket that asked, sock_net(skb->sk): here init_net.\n"
		"veth_newlink() calls rtnl_create_link() -> alloc_netdev_mqs() for each end\n"
		"(dev_net_set() stores the namespace in dev->nd_net) and register_netdevice(),\n"
		"which sends NETDEV_REGISTER to every netdevice notifier.",
		"The tracer has no event for a registration: the module's notifier counts it.",
		0,
	},
	{
		"move veth1 into " LAB_NS,
		{ CMD("ip", "link", "set", "veth1", "netns", LAB_NS) },
		"do_setlink() -> __dev_change_net_namespace() (net/core/dev.c): dev_close(),\n"
		"unlist_netdevice() from init_net, NETDEV_UNREGISTER, dev_net_set(dev, net)\n"
		"-- the one line that moves it: dev->nd_net now points at " LAB_NS " --\n"
		"list_netdevice() into " LAB_NS ", NETDEV_REGISTER.  The ifindex is kept\n"
		"unless " LAB_NS " already uses it.",
		"dev_change_net_namespace() is a static inline wrapper on this kernel; the\n"
		"function that exists (and is traced) is __dev_change_net_namespace().\n"
		"A move looks like unregister + register to notifiers; the module tells\n"
		"them apart by dev->reg_state, still NETREG_REGISTERED during a move.",
		EV(MOVE),
	},
	{
		"give both ends an address",
		{ CMD("ip", "netns", "exec", LAB_NS, "ip", "addr", "add", "10.0.0.1/24", "dev", "veth1"),
		  CMD("ip", "addr", "add", "10.0.0.2/24", "dev", "veth1_p") },
		"ip netns exec setns()es into " LAB_NS " first.  inet_rtm_newaddr() ->\n"
		"__inet_insert_ifa() links the address into the device's in_device, and\n"
		"fib_add_ifaddr() (net/ipv4/fib_frontend.c) inserts a local route for it with\n"
		"fib_magic(); the first route of a namespace creates its table:\n"
		"fib_new_table() -> net->ipv4.fib_main.",
		"The prefix route 10.0.0.0/24 appears only once the device is up.",
		EV(SWITCH),
	},
	{
		"bring the devices up",
		{ CMD("ip", "netns", "exec", LAB_NS, "ip", "link", "set", "lo", "up"),
		  CMD("ip", "netns", "exec", LAB_NS, "ip", "link", "set", "veth1", "up"),
		  CMD("ip", "link", "set", "veth1_p", "up") },
		"dev_open() -> NETDEV_UP; fib_netdev_event() -> fib_add_ifaddr() now adds the\n"
		"prefix and broadcast routes of each address, in each device's namespace.",
		NULL,
		EV(SWITCH),
	},
	{
		"ping both ways",
		{ CMD("ip", "netns", "exec", LAB_NS, "ping", "-c", "1", "-W", "2", "10.0.0.2"),
		  CMD("ping", "-c", "1", "-W", "2", "10.0.0.1") },
		"Sending: ip_route_output_key() -> fib_lookup() in the sender's namespace,\n"
		"sock_net(sk).  veth_xmit() hands the packet to the peer device, whose\n"
		"namespace receives it in softirq (net_rx_action() -> ip_rcv() ->\n"
		"ip_route_input_slow() -> fib_lookup() with dev_net(skb->dev)).",
		"fib_lookup() is a static inline: the traced function is fib_table_lookup().\n"
		"Without policy rules the local and main tables share one trie, so a lookup\n"
		"in table main can answer with a local route.  The receive-side lookup often\n"
		"runs in softirq on the *sender's* task -- current is ping, in the other\n"
		"namespace -- so the tracer names the namespace from the lookup itself\n"
		"(the route's fib_info->fib_net): look for [softirq] below.",
		EV(FIB),
	},
	{
		"create devices from inside " LAB_NS,
		{ CMD("ip", "netns", "exec", LAB_NS, "ip", "link", "add", "veth2", "type", "veth",
		      "peer", "name", "veth2_p") },
		"Same rtnl_newlink() as step 2, but the netlink socket now lives in " LAB_NS ",\n"
		"so sock_net(skb->sk) is " LAB_NS " and both new devices start there.",
		"A new device starts in the namespace of the process that created it, not\n"
		"in init_net -- unless the request names another one (\"peer ... netns X\",\n"
		"IFLA_NET_NS_PID/FD).  See " LAB_NS "'s dev_registered below.",
		EV(SWITCH),
	},
	{
		"delete the namespace",
		{ CMD("ip", "netns", "del", LAB_NS) },
		"ip unmounts " LAB_NS_PATH ": the last reference goes, __put_net() queues\n"
		"the namespace and cleanup_net() (a netns workqueue worker) tears it down:\n"
		"->pre_exit methods (netnsight marks it dying), every device unregistered\n"
		"(default_device_exit_batch(): a veth is deleted with its peer, so veth1_p\n"
		"leaves init_net too; a physical device would go back to init_net), then\n"
		"->exit methods in reverse order -- netnsight's row goes away -- ending\n"
		"with net_ns_net_exit(), then the struct net is freed.",
		"Teardown is asynchronous: ip returns before the namespace is gone.",
		EV(DESTROY),
	},
};

struct lab {
	bool step_mode;
	bool trace;
	struct trace_session *ts;
	struct nsi_event *ev;
	size_t nev, cap;
	uint64_t last_event_ns;
	bool module;
	struct nsi_proc_net before_init, before_ns;
	char release[80];
};

static volatile sig_atomic_t lab_interrupted;

static void on_signal(int sig)
{
	(void)sig;
	lab_interrupted = 1;
}

static void on_event(void *ctx, const struct nsi_event *e)
{
	struct lab *lab = ctx;
	struct nsi_event *n;

	if (lab->nev == lab->cap) {
		lab->cap = lab->cap ? lab->cap * 2 : 64;
		n = realloc(lab->ev, lab->cap * sizeof(*n));
		if (!n)
			return;
		lab->ev = n;
	}
	lab->ev[lab->nev++] = *e;
	lab->last_event_ns = monotonic_ns();
}

/* Run one command, its output indented; returns its exit status. */
static int run_cmd(const char *const *argv)
{
	posix_spawn_file_actions_t fa;
	int pipefd[2], status = 0, i;
	char buf[512];
	FILE *out;
	pid_t pid;

	printf("  $");
	for (i = 0; argv[i]; i++)
		printf(" %s", argv[i]);
	printf("\n");
	fflush(stdout);
	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	out = fdopen(pipefd[0], "r");
	while (out && fgets(buf, sizeof(buf), out))
		printf("    %s", buf);
	if (out)
		fclose(out);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Quietly run a cleanup command. */
static void run_quiet(const char *const *argv)
{
	posix_spawn_file_actions_t fa;
	int status;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (!posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ))
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	posix_spawn_file_actions_destroy(&fa);
}

static bool lab_leftovers(void)
{
	return !access(LAB_NS_PATH, F_OK) || if_nametoindex("veth1") ||
	       if_nametoindex("veth1_p") || if_nametoindex("veth2") || if_nametoindex("veth2_p");
}

static void lab_cleanup(void)
{
	if (!access(LAB_NS_PATH, F_OK))
		run_quiet(CMD("ip", "netns", "del", LAB_NS));
	/* deleting net1 deletes the pairs; these are for an interrupted step 2/3 */
	if (if_nametoindex("veth1_p"))
		run_quiet(CMD("ip", "link", "del", "veth1_p"));
	if (if_nametoindex("veth1"))
		run_quiet(CMD("ip", "link", "del", "veth1"));
}

/* Collect events until the step has been quiet for a while. */
static void settle(struct lab *lab, bool wait_destroy)
{
	uint64_t start = monotonic_ns(), now;
	size_t i;

	if (!lab->ts)
		return;
	lab->last_event_ns = start;
	/* Ctrl-C ends a wait at once: the lab then cleans up and exits 130 */
	while (!lab_interrupted) {
		trace_session_poll(lab->ts, 50);
		now = monotonic_ns();
		if (wait_destroy) {
			for (i = 0; i < lab->nev; i++)
				if (lab->ev[i].hdr.kind == NSI_EV_DESTROY)
					return;
			if (now - start > DESTROY_MAX_MS * 1000000ULL)
				return;
			continue;
		}
		if (now - lab->last_event_ns > QUIET_MS * 1000000ULL ||
		    now - start > SETTLE_MAX_MS * 1000000ULL)
			return;
	}
}

static void print_events(struct lab *lab, uint32_t expect)
{
	char ns[64], details[512];
	uint32_t seen = 0;
	size_t i;

	if (!lab->ts)
		return;
	printf("\n  Tracer events (%zu):\n", lab->nev);
	for (i = 0; i < lab->nev; i++) {
		const struct nsi_event *e = &lab->ev[i];

		seen |= NSI_EV_MASK(e->hdr.kind);
		trace_format_details(e, details, sizeof(details));
		trace_netns_label(e->hdr.netns.ino, e->hdr.netns.cookie, ns, sizeof(ns));
		printf("    %-7s %-16.16s %-11s %s%s\n", trace_event_name(e->hdr.kind),
		       e->hdr.comm, ns, details, e->hdr.flags & NSI_F_SOFTIRQ ? " [softirq]" : "");
	}
	if (!lab->nev)
		printf("    (none)\n");
	for (i = 1; i < NSI_EV_MAX; i++)
		if ((expect & NSI_EV_MASK(i)) && !(seen & NSI_EV_MASK(i)))
			printf("    (expected a %s event, none arrived)\n", trace_event_name((uint32_t)i));
	lab->nev = 0;
}

static void diff_u64(const char *what, const char *key, uint64_t a, uint64_t b, bool *any)
{
	if (a == b)
		return;
	printf("    %-9s %-17s %llu -> %llu\n", what, key, (unsigned long long)a,
	       (unsigned long long)b);
	*any = true;
}

static void dev_names(const struct nsi_proc_net *p, char *buf, size_t size)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < p->ndevs && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? "," : "",
					 p->devs[i].name);
}

static void diff_facts(const char *what, const struct nsi_proc_net *a,
		       const struct nsi_proc_net *b, bool *any)
{
	char da[256], db[256];

	diff_u64(what, "dev_registered", a->dev_registered, b->dev_registered, any);
	diff_u64(what, "dev_unregistered", a->dev_unregistered, b->dev_unregistered, any);
	diff_u64(what, "dev_moved_in", a->dev_moved_in, b->dev_moved_in, any);
	diff_u64(what, "dev_moved_out", a->dev_moved_out, b->dev_moved_out, any);
	dev_names(a, da, sizeof(da));
	dev_names(b, db, sizeof(db));
	if (strcmp(da, db)) {
		printf("    %-9s %-17s %s -> %s\n", what, "devices", da[0] ? da : "-", db);
		*any = true;
	}
}

/* Module facts of init_net and LAB_NS, before/after, as a diff. */
static void print_facts(struct lab *lab)
{
	struct nsi_proc_net now_init = {}, now_ns = {};
	bool any = false, had_ns = lab->before_ns.netns_inode != 0;
	int fd, err = -ENOENT;

	if (!lab->module)
		return;
	printf("\n  Module facts that changed (/proc/net/netnsight):\n");
	if (!nsi_proc_net_read(-1, &now_init))
		diff_facts("init_net", &lab->before_init, &now_init, &any);
	/*
	 * Open the namespace only for the read: an fd held across steps would
	 * be a holder, and step 8's namespace would never go away.
	 */
	fd = open(LAB_NS_PATH, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		err = nsi_proc_net_read(fd, &now_ns);
		close(fd);
	}
	if (!err) {
		if (!had_ns) {
			printf("    %-9s appeared: netns_inode %u, seq %llu, %u device(s)\n",
			       LAB_NS, now_ns.netns_inode, (unsigned long long)now_ns.seq,
			       now_ns.ndevices);
			any = true;
		} else {
			diff_facts(LAB_NS, &lab->before_ns, &now_ns, &any);
		}
	} else if (had_ns && access(LAB_NS_PATH, F_OK)) {
		printf("    %-9s gone (its file went with the namespace)\n", LAB_NS);
		any = true;
	}
	if (!any)
		printf("    (no change)\n");
	nsi_proc_net_free(&lab->before_init);
	nsi_proc_net_free(&lab->before_ns);
	lab->before_init = now_init;
	lab->before_ns = now_ns;
}

static void wait_enter(void)
{
	char line[64];

	printf("\n  [Enter for the next step] ");
	fflush(stdout);
	/* SIGINT is caught without SA_RESTART: fgets() returns at Ctrl-C */
	if (!fgets(line, sizeof(line), stdin))
		printf("\n");
}

static void print_indented(const char *text)
{
	const char *nl;

	for (; *text; text = nl + 1) {
		nl = strchrnul(text, '\n');
		printf("    %.*s\n", (int)(nl - text), text);
		if (!*nl)
			break;
	}
}

static int run_step(struct lab *lab, size_t i)
{
	const struct lab_step *s = &steps[i];
	size_t c;
	int rc;

	printf("\n=== Step %zu/%zu: %s\n\n", i + 1, ARRAY_SIZE(steps), s->title);
	for (c = 0; c < LAB_MAX_CMDS && s->cmds[c]; c++) {
		rc = run_cmd(s->cmds[c]);
		if (rc) {
			errmsg("step %zu: '%s' failed (status %d)", i + 1, s->cmds[c][0], rc);
			return -1;
		}
		if (lab_interrupted)
			return -1;
	}
	printf("\n  What the kernel does:\n");
	print_indented(s->kernel);
	if (s->really) {
		printf("\n  What really happens on %s:\n", lab->release);
		print_indented(s->really);
	}
	settle(lab, s->expect & EV(DESTROY));
	/* names in events resolve against /run/netns, so print them now */
	print_events(lab, s->expect);
	print_facts(lab);
	fflush(stdout);
	return 0;
}

static int lab_parse(int argc, char **argv, struct lab *lab)
{
	static const struct option opts[] = {
		{ "step", no_argument, NULL, 's' },
		{ "no-trace", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	GETOPT_RESET();
	while ((c = getopt_long(argc, argv, ":snh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			lab->step_mode = true;
			break;
		case 'n':
			lab->trace = false;
			break;
		case 'h':
			printf("Usage: netnsight lab [--step] [--no-trace]\n"
			       "Replay the veth walkthrough (namespace, veth pair, move, addresses,\n"
			       "ping both ways) step by step, with the kernel functions involved, the\n"
			       "tracer's events and the module's facts.  --step waits for Enter\n"
			       "between steps.  Needs root; uses the names " LAB_NS ", veth1, veth1_p,\n"
			       "veth2, veth2_p and 10.0.0.0/24, and removes them at the end.\n");
			return 1;
		default:
			errmsg("unknown option '%s' (see 'netnsight lab --help')", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		errmsg("unexpected argument '%s' (see 'netnsight lab --help')", argv[optind]);
		return -1;
	}
	return 0;
}

/* The lab's prefix: every address the lab gives out (lab_build()). */
#define LAB_PREFIX	"10.0.0.0/24"

static int lab_start_trace(struct lab *lab)
{
	struct trace_config cfg;
	const char *why = "";

	trace_config_init(&cfg);
	cfg.events = NSI_EV_ALL;
	cfg.events_set = true;
	/* only this lab's namespaces and addresses: a real host is noisy */
	cfg.netns[cfg.n_netns++] = netns_self();
	if (trace_parse_prefix(LAB_PREFIX, &cfg.fib_dst, &cfg.fib_mask, &why)) {
		errmsg("lab: bad prefix %s: %s", LAB_PREFIX, why);
		return -EINVAL;
	}
	cfg.fib_dst_set = true;
	return trace_session_open(&lab->ts, &cfg, on_event, lab);
}

/* What the tracer hooked on this kernel: the table trace -v and --list-hooks show. */
static void print_hooks(const struct trace_session *ts)
{
	const struct trace_plan *plan = trace_session_plan(ts);
	struct trace_hook_info h;
	unsigned int i;

	printf("Tracer hooks on this kernel (all candidates: netnsight trace --list-hooks):\n");
	for (i = 0; !trace_hook_info(i, &h); i++)
		if (plan->func[i])
			printf("    %-20s %-28s %s\n", h.what, plan->func[i],
			       trace_hook_mode_name(plan->how[i]));
}

int cmd_lab(int argc, char **argv)
{
	struct lab lab = { .trace = true };
	struct sigaction sa = { .sa_handler = on_signal };
	struct utsname uts;
	int err, status = 0;
	size_t i;

	prog_name = "netnsight lab";
	err = lab_parse(argc, argv, &lab);
	if (err)
		return err > 0 ? 0 : EXIT_USAGE;
	if (geteuid()) {
		errmsg("the lab creates namespaces and devices: run it as root");
		return EXIT_FAILURE;
	}
	if (lab_leftovers()) {
		errmsg("%s or veth1/veth1_p/veth2 already exist (an earlier run?); "
		       "remove them first: ip netns del %s; ip link del veth1_p", LAB_NS, LAB_NS);
		return EXIT_FAILURE;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	lab.module = !nsi_proc_net_read(-1, &lab.before_init);
	if (uname(&uts))
		strcpy(uts.release, "?");
	snprintf(lab.release, sizeof(lab.release), "Linux %s", uts.release);
	printf("netnsight lab on %s -- network namespaces, live\n", lab.release);
	if (!lab.module)
		printf("(netnsight.ko is not loaded: no per-namespace facts; insmod kmod/netnsight.ko)\n");
	if (lab.trace && lab_start_trace(&lab)) {
		errmsg("the tracer could not start (use --no-trace to run without events)");
		return EXIT_FAILURE;
	}
	if (lab.ts)
		print_hooks(lab.ts);
	for (i = 0; i < ARRAY_SIZE(steps) && !lab_interrupted; i++) {
		if (run_step(&lab, i)) {
			status = lab_interrupted ? 130 : EXIT_FAILURE;
			break;
		}
		if (i == 0 && lab.ts) {
			uint32_t ino = netns_ino_of_path(LAB_NS_PATH);

			if (ino)
				trace_session_add_netns(lab.ts, ino);
		}
		if (lab.step_mode && i + 1 < ARRAY_SIZE(steps))
			wait_enter();
	}
	if (lab_interrupted && !status)
		status = 130;
	lab_cleanup();
	if (status == 130)
		printf("\ninterrupted: removed %s and the veth pairs\n", LAB_NS);
	else if (!status)
		printf("\nDone: %s and every device the lab made are gone.\n", LAB_NS);
	trace_session_close(lab.ts);
	nsi_proc_net_free(&lab.before_init);
	nsi_proc_net_free(&lab.before_ns);
	free(lab.ev);
	return status;
}
