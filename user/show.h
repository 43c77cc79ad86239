/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight show - the struct net view of one namespace (docs/show.md).
 *
 * Three layers, so each can be read (and tested) on its own:
 *
 *   parse   show_parse_*(): one netlink message or /proc text in, one
 *           struct out.  Pure, and safe on any bytes: they are fuzzed as
 *           they are.
 *   gather  show_gather(): enters the namespace, asks the kernel, and
 *           fills struct show_ns with the parsed pieces (show_gather.c).
 *   print   show_print_text() / show_print_json() (show_text.c,
 *           show_json.c).
 */
#ifndef NETNSIGHT_SHOW_H
#define NETNSIGHT_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/netlink.h>

#include "containers.h"
#include "holders.h"
#include "procfs.h"
#include "rtnames.h"	/* rt_type_name(), rt_table_name() */

#define SHOW_IFNAMSIZ		16	/* IFNAMSIZ */
#define SHOW_KIND_LEN		32
#define SHOW_LLADDR_MAX		32	/* MAX_ADDR_LEN */
#define SHOW_NFT_NAME_LEN	256	/* NFT_NAME_MAXLEN */
#define SHOW_XT_NAME_LEN	32	/* XT_TABLE_MAXNAMELEN */
#define SHOW_MAX_NEXTHOPS	8
#define SHOW_MAX_XT_TABLES	16
#define SHOW_MAX_SOCK_PROTOS	16

/* --- parsed messages ---------------------------------------------------- */

/* RTM_NEWLINK, as rtnl_fill_ifinfo() builds it */
struct show_link {
	uint32_t ifindex;		/* ifi_index */
	uint16_t type;			/* ifi_type: ARPHRD_* */
	uint32_t flags;			/* ifi_flags: IFF_UP, IFF_LOOPBACK, ... */
	char name[SHOW_IFNAMSIZ];	/* IFLA_IFNAME */
	char kind[SHOW_KIND_LEN];	/* IFLA_LINKINFO/IFLA_INFO_KIND, "" if none */
	uint8_t operstate;		/* IFLA_OPERSTATE: IF_OPER_* */
	uint32_t mtu;			/* IFLA_MTU */
	uint8_t lladdr[SHOW_LLADDR_MAX];	/* IFLA_ADDRESS */
	uint8_t lladdr_len;		/* 0: none */
	uint32_t master;		/* IFLA_MASTER ifindex, 0: none */
	uint32_t link;			/* IFLA_LINK: peer / lower ifindex, 0: none */
	bool has_link_netnsid;		/* IFLA_LINK_NETNSID present: */
	int32_t link_netnsid;		/* link's namespace, as the dumper's id */
};

/* RTM_NEWADDR, from inet_fill_ifaddr() or inet6_fill_ifaddr() */
struct show_addr {
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t prefixlen;
	uint8_t scope;			/* RT_SCOPE_* */
	uint32_t flags;			/* IFA_F_*: IFA_FLAGS, else ifa_flags */
	uint32_t ifindex;
	uint8_t local[16];		/* IFA_LOCAL, else IFA_ADDRESS */
	bool has_peer;			/* IFA_ADDRESS differs: point-to-point */
	uint8_t peer[16];
	bool has_broadcast;
	uint8_t broadcast[4];		/* IFA_BROADCAST (IPv4) */
	char label[SHOW_IFNAMSIZ];	/* IFA_LABEL, "" if none */
};

struct show_nexthop {
	uint32_t oif;
	bool has_gateway;
	uint8_t gateway[16];
};

/* RTM_NEWROUTE, from fib_dump_info() */
struct show_route {
	uint8_t family;
	uint8_t dst_len;
	uint8_t tos;
	uint8_t protocol;		/* RTPROT_* */
	uint8_t scope;			/* RT_SCOPE_* */
	uint8_t type;			/* RTN_* */
	uint32_t table;			/* RTA_TABLE, else rtm_table */
	uint32_t flags;			/* rtm_flags: RTNH_F_*, RTM_F_* */
	bool has_dst;
	uint8_t dst[16];
	bool has_prefsrc;
	uint8_t prefsrc[16];
	bool has_priority;
	uint32_t priority;		/* RTA_PRIORITY: the metric */
	/* a single path: RTA_OIF/RTA_GATEWAY; several: RTA_MULTIPATH */
	struct show_nexthop nh[SHOW_MAX_NEXTHOPS];
	unsigned int nnh;		/* entries in nh[] */
	unsigned int nnh_total;		/* paths in the message */
	bool multipath;
};

/* RTM_NEWRULE, from fib_nl_fill_rule() */
struct show_rule {
	uint8_t family;
	uint8_t action;			/* FR_ACT_* */
	uint8_t src_len, dst_len, tos;
	uint32_t flags;			/* FIB_RULE_INVERT, ... */
	uint32_t priority;		/* FRA_PRIORITY; absent means 0 */
	uint32_t table;			/* FRA_TABLE, else frh.table */
	bool has_src, has_dst;
	uint8_t src[16], dst[16];
	char iif[SHOW_IFNAMSIZ];	/* "" if none */
	char oif[SHOW_IFNAMSIZ];
	bool has_fwmark;
	uint32_t fwmark, fwmask;
	bool has_goto;
	uint32_t goto_prio;		/* FRA_GOTO */
	bool l3mdev;
	uint8_t protocol;		/* FRA_PROTOCOL: RTPROT_* */
};

/* NFT_MSG_NEWTABLE, from nf_tables_fill_table_info() */
struct show_nft_table {
	uint8_t family;			/* NFPROTO_* */
	char name[SHOW_NFT_NAME_LEN];
	uint32_t flags;			/* NFT_TABLE_F_* */
	uint32_t use;			/* objects (chains, sets, ...) using it */
	uint64_t handle;
};

/* /proc/net/ip_tables_names */
struct show_xt_tables {
	unsigned int n;
	char name[SHOW_MAX_XT_TABLES][SHOW_XT_NAME_LEN];
};

/* /proc/net/sockstat and sockstat6 */
struct show_sockstat {
	bool has_used;
	uint32_t used;			/* "sockets: used N" */
	unsigned int n;
	struct {
		char name[16];		/* "TCP", "UDP6", ... */
		uint32_t inuse;
	} proto[SHOW_MAX_SOCK_PROTOS];
};

/*
 * Each parser takes a message that fills at most @len bytes at @nlh and
 * returns 0, or -EINVAL if it is not a well-formed message of its kind
 * (-EAFNOSUPPORT for an address family it does not describe).  @out is
 * always overwritten.
 */
int show_parse_link(const struct nlmsghdr *nlh, size_t len, struct show_link *out);
int show_parse_addr(const struct nlmsghdr *nlh, size_t len, struct show_addr *out);
int show_parse_route(const struct nlmsghdr *nlh, size_t len, struct show_route *out);
int show_parse_rule(const struct nlmsghdr *nlh, size_t len, struct show_rule *out);
int show_parse_nft_table(const struct nlmsghdr *nlh, size_t len,
			 struct show_nft_table *out);
/*
 * Text parsers: @text need not be NUL-terminated.  sockstat appends to
 * @out (zero it first), so sockstat and sockstat6 can go in one.
 */
int show_parse_xt_names(const char *text, size_t len, struct show_xt_tables *out);
int show_parse_sockstat(const char *text, size_t len, struct show_sockstat *out);

/* --- words for numbers (show_names.c) ------------------------------------ */

/* NULL for a number there is no word for (operstate: "UNKNOWN") */
const char *show_rtprot_name(uint8_t proto);	/* "kernel", "boot", ... */
const char *show_scope_name(uint8_t scope);	/* "global", "link", ... */
const char *show_operstate_name(uint8_t state);	/* "UP", "DOWN", ... */
const char *show_rule_action_name(uint8_t action); /* "lookup", "blackhole", ... */
const char *show_nfproto_name(uint8_t family);	/* "ip", "inet", ... */
const char *show_family_name(uint8_t family);	/* "inet", "inet6" */
/* The words for the IFA_F_* bits set in @flags (at most @max of them) */
size_t show_ifa_flag_names(uint32_t flags, uint8_t family, const char **words,
			   size_t max);
/* An address of @family (AF_INET/AF_INET6) into @buf (INET6_ADDRSTRLEN). */
const char *show_addr_str(uint8_t family, const uint8_t *addr, char *buf, size_t size);
/* "aa:bb:..." into @buf (3 * SHOW_LLADDR_MAX) */
const char *show_lladdr_str(const uint8_t *a, size_t len, char *buf, size_t size);

/* --- one namespace, gathered ---------------------------------------------- */

struct show_dev {
	struct show_link l;
	/* where l.link lives: in NS itself when !l.has_link_netnsid */
	bool link_ns_known;
	uint32_t link_ns_ino;
	char link_ifname[SHOW_IFNAMSIZ];	/* "" if unknown */
};

struct show_ns {
	/* identity */
	uint32_t ino;
	char how[320];			/* "name blue", "process 12", "mount PATH" ... */
	uint32_t caller_ino;		/* where we were asked from */
	bool has_cookie;
	uint64_t cookie;
	bool has_userns;
	uint32_t userns_ino;
	int32_t nsid;			/* in caller's netns_ids, -1: none */

	struct show_dev *devs;
	size_t ndevs;
	struct show_addr *addrs;
	size_t naddrs;
	struct show_route *routes;	/* sorted: by table, then as dumped */
	size_t nroutes;
	struct show_rule *rules;
	size_t nrules;

	bool nft_available;
	struct show_nft_table *nft;
	size_t nnft;
	bool xt_available;
	struct show_xt_tables xt;

	bool has_sockstat;
	struct show_sockstat sockstat;

	int module_err;			/* 0, -ENOENT: not loaded, -errno */
	struct nsi_proc_net module;

	/* who holds it, as far as we may look (show_holders.c) */
	bool has_holders;		/* false: /proc could not be scanned */
	struct ns_holders holders;
	unsigned int sock_unknown;	/* sockets of any namespace not told */
	int sock_err;
	struct ctr_info ctr;		/* its holders' container, runtime "" if none */
};

/*
 * Fill @ns from the namespace behind @netns_fd (inode @ino).  0, or -1
 * after a one-line error.  show_free() is needed either way.
 */
int show_gather(struct show_ns *ns, int netns_fd, uint32_t ino);
/*
 * netns_run_in() callback (@arg: the struct show_ns): read this thread's
 * /proc/net -- sockstat, sockstat6, ip_tables_names.  Always 0.
 */
int show_read_proc_net(void *arg);

void show_free(struct show_ns *ns);

/* Helpers for the printers. */
const struct show_dev *show_dev_by_index(const struct show_ns *ns, uint32_t ifindex);
/*
 * The three default rules only?  (then ipv4.fib_has_custom_rules is
 * false unless rules were changed and changed back)
 */
bool show_rules_are_default(const struct show_ns *ns);

/* Scan /proc for @ns's holders (show_holders.c). */
void show_gather_holders(struct show_ns *ns);
void show_print_holders_text(const struct show_ns *ns, FILE *f);
struct json;
void show_print_holders_json(const struct show_ns *ns, struct json *j);

void show_print_text(const struct show_ns *ns, FILE *f);
void show_print_json(const struct show_ns *ns, FILE *f);

#endif
