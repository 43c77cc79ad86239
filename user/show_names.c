// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight show - words for the numbers in rtnetlink messages, spelled as
 * iproute2 spells them so the output can be compared with `ip`.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netfilter.h>
#include <linux/rtnetlink.h>

#include "show.h"
#include "util.h"

/* Index @v into @names, NULL when out of range or a hole. */
static const char *name_of(const char *const *names, size_t n, unsigned int v)
{
	return v < n ? names[v] : NULL;
}

const char *show_rtprot_name(uint8_t proto)
{
	switch (proto) {
	case RTPROT_UNSPEC:
		return "unspec";
	case RTPROT_REDIRECT:
		return "redirect";
	case RTPROT_KERNEL:
		return "kernel";
	case RTPROT_BOOT:
		return "boot";
	case RTPROT_STATIC:
		return "static";
	case RTPROT_GATED:
		return "gated";
	case RTPROT_RA:
		return "ra";
	case RTPROT_MRT:
		return "mrt";
	case RTPROT_ZEBRA:
		return "zebra";
	case RTPROT_BIRD:
		return "bird";
	case RTPROT_DNROUTED:
		return "dnrouted";
	case RTPROT_XORP:
		return "xorp";
	case RTPROT_NTK:
		return "ntk";
	case RTPROT_DHCP:
		return "dhcp";
	case RTPROT_KEEPALIVED:
		return "keepalived";
	case RTPROT_BABEL:
		return "babel";
	case RTPROT_BGP:
		return "bgp";
	case RTPROT_ISIS:
		return "isis";
	case RTPROT_OSPF:
		return "ospf";
	case RTPROT_RIP:
		return "rip";
	case RTPROT_EIGRP:
		return "eigrp";
	}
	return NULL;
}

const char *show_scope_name(uint8_t scope)
{
	switch (scope) {
	case RT_SCOPE_UNIVERSE:
		return "global";
	case RT_SCOPE_SITE:
		return "site";
	case RT_SCOPE_LINK:
		return "link";
	case RT_SCOPE_HOST:
		return "host";
	case RT_SCOPE_NOWHERE:
		return "nowhere";
	}
	return NULL;
}

const char *show_operstate_name(uint8_t state)
{
	/* RFC 2863 states, as in Documentation/networking/operstates.rst */
	static const char *const names[] = {
		[IF_OPER_UNKNOWN] = "UNKNOWN",
		[IF_OPER_NOTPRESENT] = "NOTPRESENT",
		[IF_OPER_DOWN] = "DOWN",
		[IF_OPER_LOWERLAYERDOWN] = "LOWERLAYERDOWN",
		[IF_OPER_TESTING] = "TESTING",
		[IF_OPER_DORMANT] = "DORMANT",
		[IF_OPER_UP] = "UP",
	};
	const char *s = name_of(names, ARRAY_SIZE(names), state);

	return s ? s : "UNKNOWN";
}

const char *show_rule_action_name(uint8_t action)
{
	static const char *const names[] = {
		[FR_ACT_UNSPEC] = "unspec",
		[FR_ACT_TO_TBL] = "lookup",
		[FR_ACT_GOTO] = "goto",
		[FR_ACT_NOP] = "nop",
		[FR_ACT_BLACKHOLE] = "blackhole",
		[FR_ACT_UNREACHABLE] = "unreachable",
		[FR_ACT_PROHIBIT] = "prohibit",
	};
	return name_of(names, ARRAY_SIZE(names), action);
}

const char *show_nfproto_name(uint8_t family)
{
	/* the family words of nft(8) */
	switch (family) {
	case NFPROTO_INET:
		return "inet";
	case NFPROTO_IPV4:
		return "ip";
	case NFPROTO_ARP:
		return "arp";
	case NFPROTO_NETDEV:
		return "netdev";
	case NFPROTO_BRIDGE:
		return "bridge";
	case NFPROTO_IPV6:
		return "ip6";
	}
	return NULL;
}

const char *show_family_name(uint8_t family)
{
	return family == AF_INET6 ? "inet6" : "inet";
}

const char *show_addr_str(uint8_t family, const uint8_t *addr, char *buf, size_t size)
{
	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, buf,
		       (socklen_t)size))
		copy_str(buf, "?", size);
	return buf;
}

const char *show_lladdr_str(const uint8_t *a, size_t len, char *buf, size_t size)
{
	size_t i, used = 0, need;

	if (!size)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < len; i++) {
		need = i ? 3 : 2;	/* ":xx", or "xx" first */
		if (used + need + 1 > size)
			break;
		snprintf(buf + used, size - used, "%s%02x", i ? ":" : "", a[i]);
		used += need;
	}
	return buf;
}

size_t show_ifa_flag_names(uint32_t flags, uint8_t family, const char **words,
			   size_t max)
{
	/* IFA_F_PERMANENT is left out: it is what most addresses are */
	static const struct {
		uint32_t flag;
		const char *word;
	} table[] = {
		{ IFA_F_NODAD, "nodad" },
		{ IFA_F_OPTIMISTIC, "optimistic" },
		{ IFA_F_DADFAILED, "dadfailed" },
		{ IFA_F_HOMEADDRESS, "home" },
		{ IFA_F_DEPRECATED, "deprecated" },
		{ IFA_F_TENTATIVE, "tentative" },
		{ IFA_F_MANAGETEMPADDR, "mngtmpaddr" },
		{ IFA_F_NOPREFIXROUTE, "noprefixroute" },
		{ IFA_F_MCAUTOJOIN, "autojoin" },
		{ IFA_F_STABLE_PRIVACY, "stable-privacy" },
	};
	size_t i, n = 0;

	/* one bit, two meanings: an IPv4 alias, an IPv6 privacy address */
	if ((flags & IFA_F_SECONDARY) && n < max)
		words[n++] = family == AF_INET6 ? "temporary" : "secondary";
	for (i = 0; i < ARRAY_SIZE(table) && n < max; i++)
		if (flags & table[i].flag)
			words[n++] = table[i].word;
	return n;
}
