// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_show_nl - the netlink message parsers of `netnsight show`
 * (user/show_parse.c) and the attribute walking under them (user/nl.c).
 *
 * Input: one netlink message as the kernel sent it (seeds: real replies
 * captured by fuzz/capture_nl.c), handed over as an exact-size heap copy
 * so ASan sees any read past it.  Every parser gets every input (each
 * checks nlmsg_type itself).
 *
 * Checked:
 *  - nl_parse_attrs()/nl_parse_nested(): every attribute indexed lies
 *    wholly inside the message (nested ones inside their parent) and sits
 *    at the index of its type;
 *  - each parser: returns 0, -EINVAL or -EAFNOSUPPORT; succeeds only on
 *    its own message type; on success strings are NUL-terminated and
 *    non-empty where required, lengths and counts within their arrays,
 *    prefix lengths within the family's bits, address bytes past the
 *    family's length zero;
 *  - nothing after nlmsg_len matters: the same message cut to nlmsg_len
 *    bytes parses to the same bytes.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/rtnetlink.h>

#include "fuzz_common.h"
#include "nl.h"
#include "show.h"
#include "util.h"

#define NFT_NEWTABLE ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE)

struct results {
	int r[6];
	struct show_link link;
	struct show_addr addr;
	struct show_route route;
	struct show_rule rule;
	struct show_nft_table nft;
	int32_t nsid;
};

static bool zero_from(const uint8_t *a, size_t from, size_t size)
{
	size_t i;

	for (i = from; i < size; i++)
		if (a[i])
			return false;
	return true;
}

static size_t alen_of(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* --- nl.c: attribute tables -------------------------------------------- */

#define MAXTYPE 64

static void check_table(const struct nlattr **tb, unsigned int max,
			const char *lo, const char *hi, int depth)
{
	const struct nlattr *nest[MAXTYPE + 1];
	unsigned int i;

	for (i = 0; i <= max; i++) {
		const char *a = (const char *)tb[i];

		if (!a)
			continue;
		CHECK(a >= lo && a + sizeof(struct nlattr) <= hi);
		CHECK(tb[i]->nla_len >= sizeof(struct nlattr));
		CHECK(a + tb[i]->nla_len <= hi);
		CHECK(mnl_attr_get_type(tb[i]) == i);
		CHECK(mnl_attr_get_payload_len(tb[i]) ==
		      tb[i]->nla_len - sizeof(struct nlattr));
		/* any attribute may be read as a nest by some parser */
		if (depth < 3 && !nl_parse_nested(tb[i], nest, MAXTYPE))
			check_table(nest, MAXTYPE, a + MNL_ATTR_HDRLEN,
				    a + tb[i]->nla_len, depth + 1);
	}
}

static void check_attrs(const struct nlmsghdr *nlh, size_t len)
{
	static const size_t hdrlens[] = {
		0, 1, sizeof(struct ifinfomsg), sizeof(struct ifaddrmsg),
		sizeof(struct rtmsg), sizeof(struct fib_rule_hdr),
		sizeof(struct nfgenmsg), sizeof(struct rtgenmsg),
	};
	const struct nlattr *tb[MAXTYPE + 1];
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(hdrlens); i++) {
		memset(tb, 0x5a, sizeof(tb));
		r = nl_parse_attrs(nlh, len, hdrlens[i], tb, MAXTYPE);
		if (r) {
			size_t t;

			CHECK(r == -EINVAL);
			/* the table is cleared even then */
			for (t = 0; t <= MAXTYPE; t++)
				CHECK(tb[t] == NULL);
			continue;
		}
		CHECK(nl_msg_hdr(nlh, len, hdrlens[i]) != NULL);
		check_table(tb, MAXTYPE, (const char *)nlh + NLMSG_HDRLEN,
			    (const char *)nlh + nlh->nlmsg_len, 0);
	}
}

/* --- show_parse.c -------------------------------------------------------- */

static void parse_all(const struct nlmsghdr *nlh, size_t len, struct results *o)
{
	memset(o, 0x5a, sizeof(*o));
	o->r[0] = show_parse_link(nlh, len, &o->link);
	o->r[1] = show_parse_addr(nlh, len, &o->addr);
	o->r[2] = show_parse_route(nlh, len, &o->route);
	o->r[3] = show_parse_rule(nlh, len, &o->rule);
	o->r[4] = show_parse_nft_table(nlh, len, &o->nft);
	o->r[5] = nl_parse_nsid(nlh, len, &o->nsid);
}

static void check_results(const struct nlmsghdr *nlh, size_t len,
			  const struct results *o)
{
	static const uint16_t types[6] = {
		RTM_NEWLINK, RTM_NEWADDR, RTM_NEWROUTE, RTM_NEWRULE,
		NFT_NEWTABLE, RTM_NEWNSID,
	};
	size_t i, alen;

	for (i = 0; i < 6; i++) {
		CHECKF(o->r[i] == 0 || o->r[i] == -EINVAL || o->r[i] == -EAFNOSUPPORT,
		       "parser %zu returned %d", i, o->r[i]);
		if (!o->r[i]) {
			CHECK(len >= NLMSG_HDRLEN && nlh->nlmsg_len <= len);
			CHECKF(nlh->nlmsg_type == types[i],
			       "parser %zu took message type %u", i, nlh->nlmsg_type);
		}
	}

	if (!o->r[0]) {
		const struct show_link *l = &o->link;

		CHECK(l->ifindex > 0 && l->ifindex <= INT32_MAX);
		CHECK(TERMINATED(l->name) && l->name[0]);
		CHECK(TERMINATED(l->kind));
		CHECK(l->lladdr_len <= SHOW_LLADDR_MAX);
		CHECK(zero_from(l->lladdr, l->lladdr_len, sizeof(l->lladdr)));
	}
	if (!o->r[1]) {
		const struct show_addr *a = &o->addr;

		alen = alen_of(a->family);
		CHECK(alen);
		CHECK(a->prefixlen <= alen * 8);
		CHECK(zero_from(a->local, alen, sizeof(a->local)));
		CHECK(zero_from(a->peer, a->has_peer ? alen : 0, sizeof(a->peer)));
		if (a->has_peer)
			CHECK(memcmp(a->peer, a->local, alen));
		CHECK(a->family == AF_INET || !a->has_broadcast);
		if (!a->has_broadcast)
			CHECK(zero_from(a->broadcast, 0, sizeof(a->broadcast)));
		CHECK(TERMINATED(a->label));
	}
	if (!o->r[2]) {
		const struct show_route *rt = &o->route;

		alen = alen_of(rt->family);
		CHECK(alen);
		CHECK(rt->dst_len <= alen * 8);
		CHECK(zero_from(rt->dst, rt->has_dst ? alen : 0, sizeof(rt->dst)));
		CHECK(zero_from(rt->prefsrc, rt->has_prefsrc ? alen : 0,
				sizeof(rt->prefsrc)));
		CHECK(rt->nnh <= SHOW_MAX_NEXTHOPS && rt->nnh <= rt->nnh_total);
		if (!rt->multipath)
			CHECK(rt->nnh == rt->nnh_total && rt->nnh <= 1);
		else
			CHECK(rt->nnh == (rt->nnh_total < SHOW_MAX_NEXTHOPS ?
					  rt->nnh_total : SHOW_MAX_NEXTHOPS));
		for (i = 0; i < SHOW_MAX_NEXTHOPS; i++) {
			const struct show_nexthop *nh = &rt->nh[i];

			CHECK(zero_from(nh->gateway, nh->has_gateway ? alen : 0,
					sizeof(nh->gateway)));
			if (i >= rt->nnh)
				CHECK(!nh->oif && !nh->has_gateway);
		}
		/* a path per rtnexthop: each at least 8 bytes of the message */
		CHECK(rt->nnh_total <= nlh->nlmsg_len / sizeof(struct rtnexthop));
	}
	if (!o->r[3]) {
		const struct show_rule *u = &o->rule;

		alen = alen_of(u->family);
		CHECK(alen);
		CHECK(u->src_len <= alen * 8 && u->dst_len <= alen * 8);
		CHECK(zero_from(u->src, u->has_src ? alen : 0, sizeof(u->src)));
		CHECK(zero_from(u->dst, u->has_dst ? alen : 0, sizeof(u->dst)));
		CHECK(TERMINATED(u->iif) && TERMINATED(u->oif));
		if (!u->has_fwmark)
			CHECK(!u->fwmark);
		if (!u->has_goto)
			CHECK(!u->goto_prio);
	}
	if (!o->r[4])
		CHECK(TERMINATED(o->nft.name) && o->nft.name[0]);
	if (!o->r[5])
		CHECK(o->nsid >= -1);
	else
		CHECK(o->nsid == NETNSA_NSID_NOT_ASSIGNED);
}

FUZZ_QUIET_INIT

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct results a, b;
	struct nlmsghdr *nlh = malloc(size ? size : 1), *cut;
	size_t i;

	CHECK(nlh);
	memcpy(nlh, data, size);
	check_attrs(nlh, size);
	parse_all(nlh, size, &a);
	check_results(nlh, size, &a);

	/* the bytes past nlmsg_len are not the message's */
	if (size >= NLMSG_HDRLEN && nlh->nlmsg_len < size) {
		size_t n = nlh->nlmsg_len;

		cut = malloc(n ? n : 1);
		CHECK(cut);
		memcpy(cut, data, n);
		parse_all(cut, n, &b);
		if (n >= NLMSG_HDRLEN) {
			for (i = 0; i < 6; i++)
				CHECK(a.r[i] == b.r[i]);
			CHECK(!memcmp(&a, &b, sizeof(a)));
		}
		free(cut);
	}
	free(nlh);
	return 0;
}
