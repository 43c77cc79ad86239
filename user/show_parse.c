// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight show - netlink messages and /proc text into structs.
 *
 * Pure functions: no I/O, no globals, and no byte read outside what the
 * caller handed in, whatever the bytes are (they are fuzzed as they are).
 * Each names the kernel function that builds the message it reads, so the
 * two can be read side by side.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/rtnetlink.h>

#include "nl.h"
#include "show.h"
#include "util.h"

/* Bytes in an address of @family, 0 for families we do not describe. */
static size_t family_addr_len(uint8_t family)
{
	switch (family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	}
	return 0;
}

/* --- RTM_NEWLINK: rtnl_fill_ifinfo() ------------------------------------ */

/* IFLA_LINKINFO nests IFLA_INFO_KIND: the rtnl_link_ops->kind ("veth") */
static void parse_link_kind(const struct nlattr *linkinfo, char *kind, size_t size)
{
	const struct nlattr *info[IFLA_INFO_MAX + 1];

	if (nl_parse_nested(linkinfo, info, IFLA_INFO_MAX))
		return;
	if (!nl_attr_str(info[IFLA_INFO_KIND], kind, size))
		kind[0] = '\0';
}

int show_parse_link(const struct nlmsghdr *nlh, size_t len, struct show_link *out)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi;
	const struct nlattr *a;

	memset(out, 0, sizeof(*out));
	ifi = nl_msg_hdr(nlh, len, sizeof(*ifi));
	if (!ifi || nlh->nlmsg_type != RTM_NEWLINK || ifi->ifi_index <= 0)
		return -EINVAL;
	if (nl_parse_attrs(nlh, len, sizeof(*ifi), tb, IFLA_MAX))
		return -EINVAL;
	if (!nl_attr_str(tb[IFLA_IFNAME], out->name, sizeof(out->name)) ||
	    !out->name[0])
		return -EINVAL;
	out->ifindex = (uint32_t)ifi->ifi_index;
	out->type = ifi->ifi_type;
	out->flags = ifi->ifi_flags;
	out->operstate = IF_OPER_UNKNOWN;
	nl_attr_u8(tb[IFLA_OPERSTATE], &out->operstate);
	nl_attr_u32(tb[IFLA_MTU], &out->mtu);
	nl_attr_u32(tb[IFLA_MASTER], &out->master);
	/* only sent when it differs from ifi_index (dev_get_iflink()) */
	nl_attr_u32(tb[IFLA_LINK], &out->link);
	/* only sent when the link is in another namespace */
	out->has_link_netnsid = nl_attr_s32(tb[IFLA_LINK_NETNSID],
					    &out->link_netnsid);
	a = tb[IFLA_ADDRESS];
	if (a && mnl_attr_get_payload_len(a) <= sizeof(out->lladdr)) {
		out->lladdr_len = (uint8_t)mnl_attr_get_payload_len(a);
		memcpy(out->lladdr, mnl_attr_get_payload(a), out->lladdr_len);
	}
	if (tb[IFLA_LINKINFO])
		parse_link_kind(tb[IFLA_LINKINFO], out->kind, sizeof(out->kind));
	return 0;
}

/* --- RTM_NEWADDR: inet_fill_ifaddr(), inet6_fill_ifaddr() --------------- */

int show_parse_addr(const struct nlmsghdr *nlh, size_t len, struct show_addr *out)
{
	const struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa;
	const struct nlattr *local;
	size_t alen;

	memset(out, 0, sizeof(*out));
	ifa = nl_msg_hdr(nlh, len, sizeof(*ifa));
	if (!ifa || nlh->nlmsg_type != RTM_NEWADDR)
		return -EINVAL;
	alen = family_addr_len(ifa->ifa_family);
	if (!alen)
		return -EAFNOSUPPORT;
	if (ifa->ifa_prefixlen > alen * 8 ||
	    nl_parse_attrs(nlh, len, sizeof(*ifa), tb, IFA_MAX))
		return -EINVAL;
	/*
	 * IFA_LOCAL is the address itself; IFA_ADDRESS is the same, or the
	 * far end of a point-to-point link.  IPv6 sends IFA_LOCAL only with
	 * a peer.
	 */
	local = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!nl_attr_bytes(local, out->local, alen))
		return -EINVAL;
	if (tb[IFA_LOCAL] && nl_attr_bytes(tb[IFA_ADDRESS], out->peer, alen))
		out->has_peer = memcmp(out->peer, out->local, alen) != 0;
	if (!out->has_peer)
		memset(out->peer, 0, sizeof(out->peer));
	out->family = ifa->ifa_family;
	out->prefixlen = ifa->ifa_prefixlen;
	out->scope = ifa->ifa_scope;
	out->ifindex = ifa->ifa_index;
	/* ifa_flags is 8 bits; IFA_FLAGS carries all 32 when present */
	out->flags = ifa->ifa_flags;
	nl_attr_u32(tb[IFA_FLAGS], &out->flags);
	if (alen == 4)
		out->has_broadcast = nl_attr_bytes(tb[IFA_BROADCAST],
						   out->broadcast, 4);
	if (!nl_attr_str(tb[IFA_LABEL], out->label, sizeof(out->label)))
		out->label[0] = '\0';
	return 0;
}

/* --- RTM_NEWROUTE: fib_dump_info() --------------------------------------- */

static void parse_nexthop_attrs(const void *p, size_t len, size_t alen,
				struct show_nexthop *nh)
{
	const struct nlattr *tb[RTA_MAX + 1];

	if (nl_parse_payload(p, len, tb, RTA_MAX))
		return;
	nh->has_gateway = nl_attr_bytes(tb[RTA_GATEWAY], nh->gateway, alen);
}

/*
 * RTA_MULTIPATH: a packed array of struct rtnexthop, each followed by its
 * own attributes (fib_add_multipath()).  rtnh_len covers both.
 */
static void parse_multipath(const struct nlattr *mp, size_t alen,
			    struct show_route *out)
{
	const char *p = mnl_attr_get_payload(mp);
	size_t left = mnl_attr_get_payload_len(mp);
	struct rtnexthop rtnh;
	size_t step;

	out->multipath = true;
	while (left >= sizeof(rtnh)) {
		memcpy(&rtnh, p, sizeof(rtnh));	/* p may be unaligned */
		if (rtnh.rtnh_len < sizeof(rtnh) || rtnh.rtnh_len > left)
			break;
		out->nnh_total++;
		if (out->nnh < SHOW_MAX_NEXTHOPS) {
			struct show_nexthop *nh = &out->nh[out->nnh++];

			nh->oif = rtnh.rtnh_ifindex > 0 ? (uint32_t)rtnh.rtnh_ifindex : 0;
			parse_nexthop_attrs(p + RTNH_ALIGN(sizeof(rtnh)),
					    rtnh.rtnh_len - RTNH_ALIGN(sizeof(rtnh)),
					    alen, nh);
		}
		step = RTNH_ALIGN(rtnh.rtnh_len);
		if (step >= left)
			break;
		p += step;
		left -= step;
	}
}

int show_parse_route(const struct nlmsghdr *nlh, size_t len, struct show_route *out)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm;
	size_t alen;

	memset(out, 0, sizeof(*out));
	rtm = nl_msg_hdr(nlh, len, sizeof(*rtm));
	if (!rtm || nlh->nlmsg_type != RTM_NEWROUTE)
		return -EINVAL;
	alen = family_addr_len(rtm->rtm_family);
	if (!alen)
		return -EAFNOSUPPORT;
	if (rtm->rtm_dst_len > alen * 8 ||
	    nl_parse_attrs(nlh, len, sizeof(*rtm), tb, RTA_MAX))
		return -EINVAL;
	out->family = rtm->rtm_family;
	out->dst_len = rtm->rtm_dst_len;
	out->tos = rtm->rtm_tos;
	out->protocol = rtm->rtm_protocol;
	out->scope = rtm->rtm_scope;
	out->type = rtm->rtm_type;
	out->flags = rtm->rtm_flags;
	/* rtm_table is 8 bits: ids above 255 only fit RTA_TABLE */
	out->table = rtm->rtm_table;
	nl_attr_u32(tb[RTA_TABLE], &out->table);
	out->has_dst = nl_attr_bytes(tb[RTA_DST], out->dst, alen);
	out->has_prefsrc = nl_attr_bytes(tb[RTA_PREFSRC], out->prefsrc, alen);
	out->has_priority = nl_attr_u32(tb[RTA_PRIORITY], &out->priority);
	if (tb[RTA_MULTIPATH]) {
		parse_multipath(tb[RTA_MULTIPATH], alen, out);
	} else if (tb[RTA_OIF] || tb[RTA_GATEWAY]) {
		struct show_nexthop *nh = &out->nh[0];

		nl_attr_u32(tb[RTA_OIF], &nh->oif);
		nh->has_gateway = nl_attr_bytes(tb[RTA_GATEWAY], nh->gateway, alen);
		out->nnh = out->nnh_total = 1;
	}
	return 0;
}

/* --- RTM_NEWRULE: fib_nl_fill_rule() ------------------------------------- */

int show_parse_rule(const struct nlmsghdr *nlh, size_t len, struct show_rule *out)
{
	const struct nlattr *tb[FRA_MAX + 1];
	const struct fib_rule_hdr *frh;
	size_t alen;

	memset(out, 0, sizeof(*out));
	frh = nl_msg_hdr(nlh, len, sizeof(*frh));
	if (!frh || nlh->nlmsg_type != RTM_NEWRULE)
		return -EINVAL;
	alen = family_addr_len(frh->family);
	if (!alen)
		return -EAFNOSUPPORT;
	if (frh->src_len > alen * 8 || frh->dst_len > alen * 8 ||
	    nl_parse_attrs(nlh, len, sizeof(*frh), tb, FRA_MAX))
		return -EINVAL;
	out->family = frh->family;
	out->action = frh->action;
	out->src_len = frh->src_len;
	out->dst_len = frh->dst_len;
	out->tos = frh->tos;
	out->flags = frh->flags;
	/* the kernel leaves FRA_PRIORITY out for priority 0 */
	nl_attr_u32(tb[FRA_PRIORITY], &out->priority);
	out->table = frh->table;
	nl_attr_u32(tb[FRA_TABLE], &out->table);
	out->has_src = nl_attr_bytes(tb[FRA_SRC], out->src, alen);
	out->has_dst = nl_attr_bytes(tb[FRA_DST], out->dst, alen);
	if (!nl_attr_str(tb[FRA_IIFNAME], out->iif, sizeof(out->iif)))
		out->iif[0] = '\0';
	if (!nl_attr_str(tb[FRA_OIFNAME], out->oif, sizeof(out->oif)))
		out->oif[0] = '\0';
	out->has_fwmark = nl_attr_u32(tb[FRA_FWMARK], &out->fwmark);
	nl_attr_u32(tb[FRA_FWMASK], &out->fwmask);
	out->has_goto = nl_attr_u32(tb[FRA_GOTO], &out->goto_prio);
	if (tb[FRA_L3MDEV]) {
		uint8_t v = 0;

		out->l3mdev = nl_attr_u8(tb[FRA_L3MDEV], &v) && v;
	}
	nl_attr_u8(tb[FRA_PROTOCOL], &out->protocol);
	return 0;
}

/* --- NFT_MSG_NEWTABLE: nf_tables_fill_table_info() ----------------------- */

int show_parse_nft_table(const struct nlmsghdr *nlh, size_t len,
			 struct show_nft_table *out)
{
	const struct nlattr *tb[NFTA_TABLE_MAX + 1];
	const struct nfgenmsg *nfg;

	memset(out, 0, sizeof(*out));
	nfg = nl_msg_hdr(nlh, len, sizeof(*nfg));
	if (!nfg || nlh->nlmsg_type != ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE))
		return -EINVAL;
	if (nl_parse_attrs(nlh, len, sizeof(*nfg), tb, NFTA_TABLE_MAX))
		return -EINVAL;
	if (!nl_attr_str(tb[NFTA_TABLE_NAME], out->name, sizeof(out->name)) ||
	    !out->name[0])
		return -EINVAL;
	out->family = nfg->nfgen_family;
	/* nfnetlink integers are big-endian */
	nl_attr_be32(tb[NFTA_TABLE_FLAGS], &out->flags);
	nl_attr_be32(tb[NFTA_TABLE_USE], &out->use);
	nl_attr_be64(tb[NFTA_TABLE_HANDLE], &out->handle);
	return 0;
}

/* --- /proc text ----------------------------------------------------------- */

/*
 * The next line of [*p, end) into @buf; 0 at the end, -EINVAL for a line
 * that does not fit or holds a NUL.
 */
static int next_line(const char **p, const char *end, char *buf, size_t size)
{
	const char *eol;
	size_t len;

	if (*p >= end)
		return 0;
	eol = memchr(*p, '\n', (size_t)(end - *p));
	len = eol ? (size_t)(eol - *p) : (size_t)(end - *p);
	if (len >= size || memchr(*p, '\0', len))
		return -EINVAL;
	memcpy(buf, *p, len);
	buf[len] = '\0';
	*p = eol ? eol + 1 : end;
	return 1;
}

/* One table name a line (xt_table_seq_show()). */
int show_parse_xt_names(const char *text, size_t len, struct show_xt_tables *out)
{
	const char *p = text, *end = text + len;
	char line[SHOW_XT_NAME_LEN];
	int ret;

	memset(out, 0, sizeof(*out));
	while ((ret = next_line(&p, end, line, sizeof(line))) > 0) {
		if (!line[0])
			continue;
		/* x_tables has five tables; more would be a new kernel's */
		if (out->n == SHOW_MAX_XT_TABLES)
			break;
		copy_str(out->name[out->n++], line, sizeof(out->name[0]));
	}
	return ret < 0 ? ret : 0;
}

/* "NAME: key value key value ..." -> the value after "inuse" */
static int sockstat_proto(char *line, struct show_sockstat *out)
{
	char *colon = strchr(line, ':');
	char *save = NULL, *key, *val;
	uint32_t v = 0;

	if (!colon || colon == line || (size_t)(colon - line) >= sizeof(out->proto[0].name))
		return -EINVAL;
	*colon = '\0';
	/* FRAG/FRAG6 count reassembly queues, not sockets */
	if (!strncmp(line, "FRAG", 4))
		return 0;
	for (key = strtok_r(colon + 1, " ", &save); key;
	     key = strtok_r(NULL, " ", &save)) {
		val = strtok_r(NULL, " ", &save);
		if (!val || parse_u32(val, &v))
			return -EINVAL;
		if (!strcmp(key, "inuse"))
			break;
	}
	if (!key)
		return 0;
	if (out->n == SHOW_MAX_SOCK_PROTOS)
		return 0;
	copy_str(out->proto[out->n].name, line, sizeof(out->proto[0].name));
	out->proto[out->n++].inuse = v;
	return 0;
}

/* socket_seq_show() and sockstat_seq_show() / sockstat6_seq_show() */
int show_parse_sockstat(const char *text, size_t len, struct show_sockstat *out)
{
	const char *p = text, *end = text + len;
	char line[256];
	uint32_t v;
	int ret;

	while ((ret = next_line(&p, end, line, sizeof(line))) > 0) {
		if (!line[0])
			continue;
		if (!strncmp(line, "sockets: used ", 14)) {
			if (parse_u32(line + 14, &v))
				return -EINVAL;
			out->has_used = true;
			out->used = v;
			continue;
		}
		if (sockstat_proto(line, out))
			return -EINVAL;
	}
	return ret;
}
