// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight show - asking the kernel about one namespace.
 *
 * Everything comes from inside the namespace: netlink sockets created
 * there (so the kernel answers with sock_net(sk) = that namespace), and
 * /proc/thread-self/net read while this thread is in it.  We always come
 * back (netns_run_in()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <arpa/inet.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/net_namespace.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/nsfs.h>
#include <linux/rtnetlink.h>

#include "holders.h"
#include "netns.h"
#include "nl.h"
#include "procfs.h"
#include "show.h"
#include "util.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71	/* Linux 5.14 */
#endif

/* Dumps interrupted by a concurrent change are retried this often. */
#define DUMP_TRIES	3

/* --- collecting a dump into an array --------------------------------------- */

struct collect {
	void *arr;
	size_t n;
	size_t size;
	/* 0: keep the element; else it is not one we describe */
	int (*parse)(const struct nlmsghdr *nlh, void *out);
};

/* Room for element @n of an array whose capacity is 0, 8, 16, 32, ... */
static void *array_slot(void **arr, size_t n, size_t size)
{
	size_t cap;
	void *p;

	if (n && (n < 8 || (n & (n - 1))))
		return (char *)*arr + n * size;
	cap = n ? 2 * n : 8;
	if (cap > SIZE_MAX / size)
		return NULL;
	p = realloc(*arr, cap * size);
	if (!p)
		return NULL;
	*arr = p;
	return (char *)p + n * size;
}

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct collect *c = data;
	void *slot = array_slot(&c->arr, c->n, c->size);

	if (!slot) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	/* mnl_cb_run() has checked that nlmsg_len fits the buffer */
	if (!c->parse(nlh, slot))
		c->n++;
	return MNL_CB_OK;
}

/*
 * A dump is a walk of live kernel lists in several recvmsg() rounds; if
 * they change in between, the kernel flags the reply NLM_F_DUMP_INTR
 * (nl_dump_check_consistent()) and we start over.
 */
static int dump_collect(struct nl_sock *s, struct nlmsghdr *req, struct collect *c,
			const char *what, uint32_t ino)
{
	int err, tries;

	for (tries = 1;; tries++) {
		c->n = 0;
		err = nl_talk(s, req, collect_cb, c);
		if (err != -EINTR || tries == DUMP_TRIES)
			break;
	}
	if (err)
		errmsg("cannot read the %s of net:[%u]: %s", what, ino, strerror(-err));
	return err;
}

static int parse_dev(const struct nlmsghdr *nlh, void *out)
{
	struct show_dev *d = out;

	memset(d, 0, sizeof(*d));
	return show_parse_link(nlh, nlh->nlmsg_len, &d->l);
}

static int parse_addr(const struct nlmsghdr *nlh, void *out)
{
	return show_parse_addr(nlh, nlh->nlmsg_len, out);
}

static int parse_route(const struct nlmsghdr *nlh, void *out)
{
	return show_parse_route(nlh, nlh->nlmsg_len, out);
}

static int parse_rule(const struct nlmsghdr *nlh, void *out)
{
	return show_parse_rule(nlh, nlh->nlmsg_len, out);
}

static int parse_nft_table(const struct nlmsghdr *nlh, void *out)
{
	return show_parse_nft_table(nlh, nlh->nlmsg_len, out);
}

/* --- identity ------------------------------------------------------------- */

/* ns->user_ns: NS_GET_USERNS opens the owner (nsfs.c, open_related_ns()) */
static void gather_userns(struct show_ns *ns, int netns_fd)
{
	struct stat st;
	int fd;

	fd = ioctl(netns_fd, NS_GET_USERNS);
	if (fd < 0)
		return;	/* EPERM: the owner is outside our user namespace */
	if (!fstat(fd, &st)) {
		ns->has_userns = true;
		ns->userns_ino = (uint32_t)st.st_ino;
	}
	close(fd);
}

/* net->net_cookie, of the namespace @s was created in (sk_getsockopt()) */
static void gather_cookie(struct show_ns *ns, struct nl_sock *s)
{
	socklen_t len = sizeof(ns->cookie);

	if (!getsockopt(mnl_socket_get_fd(s->mnl), SOL_SOCKET, SO_NETNS_COOKIE,
			&ns->cookie, &len) && len == sizeof(ns->cookie))
		ns->has_cookie = true;
}

/* The id the caller's namespace gives NS (in its net->netns_ids). */
static int gather_nsid(struct show_ns *ns, int netns_fd)
{
	struct nl_sock s;
	int err;

	err = nl_open(&s, NETLINK_ROUTE, -1);
	if (!err) {
		err = nl_query_nsid(&s, netns_fd, &ns->nsid);
		nl_close(&s);
	}
	if (err)
		errmsg("cannot ask for the nsid of net:[%u]: %s", ns->ino, strerror(-err));
	return err;
}

/* --- rtnetlink dumps ------------------------------------------------------- */

/* rtnl_dump_ifinfo(): every device on net->dev_base_head */
static int gather_devs(struct show_ns *ns, struct nl_sock *s)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct collect c = { .size = sizeof(struct show_dev), .parse = parse_dev };
	union nl_req r;
	int err;

	err = dump_collect(s, nl_req_init(&r, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP,
				       &ifi, sizeof(ifi)), &c, "devices", ns->ino);
	ns->devs = c.arr;
	ns->ndevs = c.n;
	return err;
}

/* AF_UNSPEC: rtnl_dump_all() runs inet_dump_ifaddr() and inet6_dump_ifaddr() */
static int gather_addrs(struct show_ns *ns, struct nl_sock *s)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_UNSPEC };
	struct collect c = { .size = sizeof(struct show_addr), .parse = parse_addr };
	union nl_req r;
	int err;

	err = dump_collect(s, nl_req_init(&r, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP,
				       &ifa, sizeof(ifa)), &c, "addresses", ns->ino);
	ns->addrs = c.arr;
	ns->naddrs = c.n;
	return err;
}

/*
 * Display order: local, main, default (the lookup order of the default
 * rules), then the others by id.
 */
static uint64_t table_order(uint32_t id)
{
	switch (id) {
	case RT_TABLE_LOCAL:
		return 0;
	case RT_TABLE_MAIN:
		return 1;
	case RT_TABLE_DEFAULT:
		return 2;
	}
	return 3 + (uint64_t)id;
}

static int route_cmp(const void *a, const void *b, void *arg)
{
	const struct show_route *r = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	uint64_t ti = table_order(r[i].table), tj = table_order(r[j].table);

	if (ti != tj)
		return ti < tj ? -1 : 1;
	/* within a table, keep the kernel's order: a walk of the trie */
	return i < j ? -1 : i > j;
}

static int sort_routes(struct show_ns *ns)
{
	struct show_route *sorted;
	size_t i, *idx;

	if (ns->nroutes < 2)
		return 0;
	idx = calloc(ns->nroutes, sizeof(*idx));
	sorted = calloc(ns->nroutes, sizeof(*sorted));
	if (!idx || !sorted) {
		free(idx);
		free(sorted);
		errmsg("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < ns->nroutes; i++)
		idx[i] = i;
	qsort_r(idx, ns->nroutes, sizeof(*idx), route_cmp, ns->routes);
	for (i = 0; i < ns->nroutes; i++)
		sorted[i] = ns->routes[idx[i]];
	free(ns->routes);
	ns->routes = sorted;
	free(idx);
	return 0;
}

/*
 * inet_dump_fib(): every table in net->ipv4.fib_table_hash.  Without
 * strict checking (NETLINK_GET_STRICT_CHK) it ignores rtm_table and
 * dumps them all.
 */
static int gather_routes(struct show_ns *ns, struct nl_sock *s)
{
	struct rtmsg rtm = { .rtm_family = AF_INET };
	struct collect c = { .size = sizeof(struct show_route), .parse = parse_route };
	union nl_req r;
	int err;

	err = dump_collect(s, nl_req_init(&r, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP,
				       &rtm, sizeof(rtm)), &c, "IPv4 routes", ns->ino);
	ns->routes = c.arr;
	ns->nroutes = c.n;
	return err ? err : sort_routes(ns);
}

/* fib_nl_dumprule(): net->ipv4.rules_ops->rules_list, in priority order */
static int gather_rules(struct show_ns *ns, struct nl_sock *s)
{
	struct fib_rule_hdr frh = { .family = AF_INET };
	struct collect c = { .size = sizeof(struct show_rule), .parse = parse_rule };
	union nl_req r;
	int err;

	err = dump_collect(s, nl_req_init(&r, RTM_GETRULE, NLM_F_REQUEST | NLM_F_DUMP,
				       &frh, sizeof(frh)), &c, "IPv4 rules", ns->ino);
	ns->rules = c.arr;
	ns->nrules = c.n;
	return err;
}

/* --- where each device's link (veth peer, lower device) lives -------------- */

static int ifname_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_link l;

	if (!show_parse_link(nlh, nlh->nlmsg_len, &l))
		copy_str(data, l.name, SHOW_IFNAMSIZ);
	return MNL_CB_OK;
}

/* The name of device @ifindex in the namespace behind @netns_fd. */
static void fetch_ifname(int netns_fd, uint32_t ifindex, char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = (int)ifindex };
	struct nl_sock s;
	union nl_req r;

	if (nl_open(&s, NETLINK_ROUTE, netns_fd))
		return;
	/* rtnl_getlink(): one device, by index */
	nl_talk(&s, nl_req_init(&r, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifi, sizeof(ifi)),
		ifname_cb, name);
	nl_close(&s);
}

static bool links_pending(const struct show_ns *ns)
{
	size_t i;

	for (i = 0; i < ns->ndevs; i++)
		if (ns->devs[i].l.has_link_netnsid && !ns->devs[i].link_ns_known)
			return true;
	return false;
}

/* Links in NS itself carry no IFLA_LINK_NETNSID. */
static void resolve_local_links(struct show_ns *ns)
{
	const struct show_dev *peer;
	struct show_dev *d;
	size_t i;

	for (i = 0; i < ns->ndevs; i++) {
		d = &ns->devs[i];
		if (!d->l.link || d->l.has_link_netnsid)
			continue;
		d->link_ns_known = true;
		d->link_ns_ino = ns->ino;
		peer = show_dev_by_index(ns, d->l.link);
		if (peer)
			copy_str(d->link_ifname, peer->l.name, sizeof(d->link_ifname));
	}
}

/* Every device whose link is in namespace @h (NS's id for it: @nsid). */
static void resolve_links_in(struct show_ns *ns, const struct ns_holders *h,
			     int fd, int32_t nsid)
{
	struct show_dev *d;
	size_t i;

	for (i = 0; i < ns->ndevs; i++) {
		d = &ns->devs[i];
		if (!d->l.has_link_netnsid || d->l.link_netnsid != nsid)
			continue;
		d->link_ns_known = true;
		d->link_ns_ino = h->ino;
		fetch_ifname(fd, d->l.link, d->link_ifname);
	}
}

/*
 * IFLA_LINK_NETNSID is an id in NS's own table (rtnl_fill_link_netnsid()
 * -> peernet2id_alloc()), meaningless outside NS.  Nothing maps an id back
 * to an inode, so ask NS, for every namespace we can open, what it calls
 * it, until every id is matched.  Ids we cannot match stay unknown.
 */
static void resolve_links(struct show_ns *ns, struct nl_sock *s)
{
	struct ns_scan scan;
	int32_t nsid;
	size_t i;
	int fd;

	resolve_local_links(ns);
	if (!links_pending(ns) || holders_scan(&scan))
		return;
	for (i = 0; i < scan.n && links_pending(ns); i++) {
		fd = holders_open(&scan.v[i], NULL, 0);
		if (fd < 0)
			continue;
		if (!nl_query_nsid(s, fd, &nsid) && nsid >= 0)
			resolve_links_in(ns, &scan.v[i], fd, nsid);
		close(fd);
	}
	holders_free(&scan);
}

static int gather_rtnl(struct show_ns *ns, int netns_fd)
{
	struct nl_sock s;
	int err;

	err = nl_open(&s, NETLINK_ROUTE, netns_fd);
	if (err) {
		errmsg("cannot open a netlink socket in net:[%u]: %s", ns->ino,
		       strerror(-err));
		return err;
	}
	gather_cookie(ns, &s);
	err = gather_devs(ns, &s);
	if (!err)
		err = gather_addrs(ns, &s);
	if (!err)
		err = gather_routes(ns, &s);
	if (!err)
		err = gather_rules(ns, &s);
	if (!err)
		resolve_links(ns, &s);
	nl_close(&s);
	return err;
}

/* --- netfilter ------------------------------------------------------------- */

/* Is @name.ko compiled into the running kernel?  (modules.builtin) */
static bool module_builtin(const char *name)
{
	char path[300], needle[64];
	struct utsname u;
	bool found;
	char *text;

	if (uname(&u))
		return false;
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.builtin", u.release);
	snprintf(needle, sizeof(needle), "/%s.ko\n", name);
	text = read_file(path, NULL);
	if (!text)
		return false;
	found = strstr(text, needle) != NULL;
	free(text);
	return found;
}

/*
 * Asking nfnetlink about a subsystem that is not there makes the kernel
 * load it (request_module() in nfnetlink_rcv_msg()); a look should not
 * change what it looks at, so ask only if nf_tables is in already.
 */
static bool nft_present(void)
{
	return !access("/sys/module/nf_tables", F_OK) || module_builtin("nf_tables");
}

/*
 * nf_tables_dump_tables(): the tables of this namespace (on its
 * nftables_pernet list; struct net itself keeps only nft.gencursor).
 */
static int gather_nft(struct show_ns *ns, int netns_fd)
{
	struct nfgenmsg nfg = { .nfgen_family = NFPROTO_UNSPEC,
				.version = NFNETLINK_V0 };
	struct collect c = { .size = sizeof(struct show_nft_table),
			     .parse = parse_nft_table };
	struct nl_sock s;
	union nl_req r;
	int err;

	if (!nft_present())
		return 0;
	err = nl_open(&s, NETLINK_NETFILTER, netns_fd);
	if (err == -EPROTONOSUPPORT)
		return 0;
	if (err) {
		errmsg("cannot open a netfilter netlink socket in net:[%u]: %s",
		       ns->ino, strerror(-err));
		return err;
	}
	err = dump_collect(&s, nl_req_init(&r, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE,
					NLM_F_REQUEST | NLM_F_DUMP, &nfg, sizeof(nfg)),
			   &c, "nf_tables tables", ns->ino);
	nl_close(&s);
	ns->nft = c.arr;
	ns->nnft = c.n;
	ns->nft_available = !err;
	return err;
}

/* --- all of it ------------------------------------------------------------- */

int show_gather(struct show_ns *ns, int netns_fd, uint32_t ino)
{
	int err;

	memset(ns, 0, sizeof(*ns));
	ns->ino = ino;
	ns->caller_ino = netns_self();
	ns->nsid = NETNSA_NSID_NOT_ASSIGNED;
	ns->module_err = -ENOENT;

	err = netns_run_in(netns_fd, show_read_proc_net, ns);
	if (err) {
		errmsg("cannot enter net:[%u]: %s", ino, strerror(-err));
		return -1;
	}
	gather_userns(ns, netns_fd);
	if (gather_nsid(ns, netns_fd) || gather_rtnl(ns, netns_fd) ||
	    gather_nft(ns, netns_fd))
		return -1;
	ns->module_err = nsi_proc_net_read(netns_fd, &ns->module);
	return 0;
}

void show_free(struct show_ns *ns)
{
	free(ns->devs);
	free(ns->addrs);
	free(ns->routes);
	free(ns->rules);
	free(ns->nft);
	if (!ns->module_err)
		nsi_proc_net_free(&ns->module);
	memset(ns, 0, sizeof(*ns));
}

const struct show_dev *show_dev_by_index(const struct show_ns *ns, uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < ns->ndevs; i++)
		if (ns->devs[i].l.ifindex == ifindex)
			return &ns->devs[i];
	return NULL;
}

/* fib_default_rules_init(): 0 local, 32766 main, 32767 default */
static bool rule_is_default(const struct show_rule *r, uint32_t prio, uint32_t table)
{
	return r->priority == prio && r->table == table &&
	       r->action == FR_ACT_TO_TBL && !r->has_src && !r->has_dst &&
	       !r->iif[0] && !r->oif[0] && !r->has_fwmark && !r->tos &&
	       !r->flags && !r->l3mdev;
}

bool show_rules_are_default(const struct show_ns *ns)
{
	return ns->nrules == 3 &&
	       rule_is_default(&ns->rules[0], 0, RT_TABLE_LOCAL) &&
	       rule_is_default(&ns->rules[1], 0x7FFE, RT_TABLE_MAIN) &&
	       rule_is_default(&ns->rules[2], 0x7FFF, RT_TABLE_DEFAULT);
}
