// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight show - the human-readable view: one section per part of
 * struct net, each titled with the members it shows, routes and rules
 * spelled as `ip route` and `ip rule` spell them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <string.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "netns.h"
#include "show.h"
#include "util.h"

static void section(FILE *f, const char *title, const char *members)
{
	fprintf(f, "\n%s  (%s)\n", title, members);
}

/* "net:[INODE]", then " (name,name)" when it has ip-netns names */
static void print_netns_ref(FILE *f, uint32_t ino)
{
	char names[512];

	fprintf(f, "net:[%u]", ino);
	if (*netns_names(ino, names, sizeof(names)))
		fprintf(f, " (%s)", names);
}

/* " KEY word", or " KEY number" when there is no word for it */
static void print_word(FILE *f, const char *key, const char *word, unsigned int v)
{
	if (word)
		fprintf(f, " %s %s", key, word);
	else
		fprintf(f, " %s %u", key, v);
}

/* --- identity ------------------------------------------------------------- */

static void print_identity(const struct show_ns *ns, FILE *f)
{
	char names[512];

	netns_names(ns->ino, names, sizeof(names));
	fprintf(f, "net:[%u]%s%s  (resolved by %s)\n", ns->ino,
		*names ? "  " : "", names, ns->how);
	section(f, "identity", "struct net: ns.inum, net_cookie, user_ns");
	fprintf(f, "  %-11s %u\n", "inode", ns->ino);
	if (ns->has_cookie)
		fprintf(f, "  %-11s %" PRIu64 "\n", "net_cookie", ns->cookie);
	else
		fprintf(f, "  %-11s unknown (SO_NETNS_COOKIE needs Linux 5.14)\n",
			"net_cookie");
	if (ns->has_userns)
		fprintf(f, "  %-11s user:[%u]\n", "owner", ns->userns_ino);
	else
		fprintf(f, "  %-11s outside our user namespace\n", "owner");
	fprintf(f, "  %-11s %s\n", "names", *names ? names : "none");
	/* the id lives in the caller's struct net: netns_ids */
	if (ns->nsid >= 0)
		fprintf(f, "  %-11s %d  (in the netns_ids of our net:[%u])\n",
			"nsid", ns->nsid, ns->caller_ino);
	else
		fprintf(f, "  %-11s none  (our net:[%u] has given it no id)\n",
			"nsid", ns->caller_ino);
}

/* --- devices --------------------------------------------------------------- */

struct dev_widths {
	int name, kind;
};

static struct dev_widths dev_widths(const struct show_ns *ns)
{
	struct dev_widths w = { 4, 4 };
	size_t i;
	int n;

	for (i = 0; i < ns->ndevs; i++) {
		n = (int)strlen(ns->devs[i].l.name);
		if (n > w.name)
			w.name = n;
		n = (int)strlen(ns->devs[i].l.kind);
		if (n > w.kind)
			w.kind = n;
	}
	return w;
}

/* What the device's IFLA_LINK points at, and in which namespace. */
static void print_dev_link(const struct show_dev *d, FILE *f)
{
	const struct show_link *l = &d->l;

	fprintf(f, "  %s if%u", strcmp(l->kind, "veth") ? "link" : "peer", l->link);
	if (d->link_ifname[0])
		fprintf(f, " %s", d->link_ifname);
	if (!d->link_ns_known) {
		fprintf(f, " in nsid %d (no process, fd or mount of ours reaches it)",
			l->link_netnsid);
		return;
	}
	if (!l->has_link_netnsid) {
		fputs(" (same namespace)", f);
		return;
	}
	fputs(" in ", f);
	print_netns_ref(f, d->link_ns_ino);
	fprintf(f, ", nsid %d here", l->link_netnsid);
}

static void print_dev(const struct show_ns *ns, const struct show_dev *d,
		      struct dev_widths w, FILE *f)
{
	const struct show_link *l = &d->l;
	bool notes = l->master || (l->flags & IFF_LOOPBACK) || l->link;
	char mac[3 * SHOW_LLADDR_MAX];
	const struct show_dev *master;

	fprintf(f, "  %-7u %-*s %-*s %-5s %-14s %-6u %-*s", l->ifindex,
		w.name, l->name, w.kind, l->kind[0] ? l->kind : "-",
		(l->flags & IFF_UP) ? "up" : "down",
		show_operstate_name(l->operstate), l->mtu, notes ? 17 : 0,
		l->lladdr_len ? show_lladdr_str(l->lladdr, l->lladdr_len, mac, sizeof(mac)) : "-");
	if (l->master) {
		master = show_dev_by_index(ns, l->master);
		fprintf(f, "  master %s", master ? master->l.name : "?");
	}
	if (l->flags & IFF_LOOPBACK)
		fputs("  loopback_dev", f);
	if (l->link)
		print_dev_link(d, f);
	fputc('\n', f);
}

static void print_devices(const struct show_ns *ns, FILE *f)
{
	struct dev_widths w = dev_widths(ns);
	size_t i;

	section(f, "devices", "struct net: dev_base_head, dev_index_head, loopback_dev");
	fprintf(f, "  %-7s %-*s %-*s %-5s %-14s %-6s %s\n", "IFINDEX",
		w.name, "NAME", w.kind, "KIND", "ADMIN", "OPER", "MTU", "ADDRESS");
	for (i = 0; i < ns->ndevs; i++)
		print_dev(ns, &ns->devs[i], w, f);
}

/* --- addresses ------------------------------------------------------------- */

static void print_addr(const struct show_addr *a, FILE *f)
{
	char buf[INET6_ADDRSTRLEN];
	const char *flags[16];
	size_t i, n;

	fprintf(f, "%-5s %s", show_family_name(a->family),
		show_addr_str(a->family, a->local, buf, sizeof(buf)));
	if (a->has_peer)
		fprintf(f, " peer %s", show_addr_str(a->family, a->peer, buf, sizeof(buf)));
	fprintf(f, "/%u", a->prefixlen);
	if (a->has_broadcast)
		fprintf(f, " brd %s", show_addr_str(AF_INET, a->broadcast, buf, sizeof(buf)));
	print_word(f, "scope", show_scope_name(a->scope), a->scope);
	n = show_ifa_flag_names(a->flags, a->family, flags, ARRAY_SIZE(flags));
	for (i = 0; i < n; i++)
		fprintf(f, " %s", flags[i]);
	fputc('\n', f);
}

/* The addresses of device @ifindex, the device's name on the first line. */
static void print_dev_addrs(const struct show_ns *ns, uint32_t ifindex,
			    const char *name, int width, FILE *f)
{
	bool first = true;
	size_t i;

	for (i = 0; i < ns->naddrs; i++) {
		if (ns->addrs[i].ifindex != ifindex)
			continue;
		fprintf(f, "  %-*s ", width, first ? name : "");
		print_addr(&ns->addrs[i], f);
		first = false;
	}
}

static void print_addresses(const struct show_ns *ns, FILE *f)
{
	int w = dev_widths(ns).name;
	char name[32];
	size_t i;

	section(f, "addresses",
		"struct net_device: ip_ptr -> in_device.ifa_list, ip6_ptr -> inet6_dev.addr_list");
	if (!ns->naddrs)
		fputs("  none\n", f);
	for (i = 0; i < ns->ndevs; i++)
		print_dev_addrs(ns, ns->devs[i].l.ifindex, ns->devs[i].l.name, w, f);
	/* a device that came after the device dump */
	for (i = 0; i < ns->naddrs; i++) {
		if (show_dev_by_index(ns, ns->addrs[i].ifindex))
			continue;
		snprintf(name, sizeof(name), "if%u", ns->addrs[i].ifindex);
		fprintf(f, "  %-*s ", w, name);
		print_addr(&ns->addrs[i], f);
	}
}

/* --- routes ---------------------------------------------------------------- */

static const char *dev_name(const struct show_ns *ns, uint32_t ifindex, char *buf,
			    size_t size)
{
	const struct show_dev *d = show_dev_by_index(ns, ifindex);

	if (d)
		return d->l.name;
	snprintf(buf, size, "if%u", ifindex);
	return buf;
}

static void print_nexthop(const struct show_ns *ns, const struct show_route *r,
			  const struct show_nexthop *nh, FILE *f)
{
	char buf[INET6_ADDRSTRLEN], name[32];

	if (nh->has_gateway)
		fprintf(f, " via %s", show_addr_str(r->family, nh->gateway, buf, sizeof(buf)));
	if (nh->oif)
		fprintf(f, " dev %s", dev_name(ns, nh->oif, name, sizeof(name)));
}

/* "[type] dst": unicast goes unsaid, /32 too, and 0/0 is "default" */
static void print_route_dst(const struct show_route *r, FILE *f)
{
	const char *type = rt_type_name(r->type);
	char buf[INET6_ADDRSTRLEN];

	if (r->type != RTN_UNICAST && type)
		fprintf(f, "%s ", type);
	else if (r->type != RTN_UNICAST)
		fprintf(f, "type %u ", r->type);
	if (!r->dst_len) {
		fputs("default", f);
		return;
	}
	fputs(show_addr_str(r->family, r->dst, buf, sizeof(buf)), f);
	if (r->dst_len != (r->family == AF_INET6 ? 128 : 32))
		fprintf(f, "/%u", r->dst_len);
}

/* iproute2's order: [type] dst [tos] via dev proto scope src metric */
static void print_route(const struct show_ns *ns, const struct show_route *r, FILE *f)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned int i;

	fputs("    ", f);
	print_route_dst(r, f);
	if (r->tos)
		fprintf(f, " tos 0x%02x", r->tos);
	if (!r->multipath && r->nnh)
		print_nexthop(ns, r, &r->nh[0], f);
	print_word(f, "proto", show_rtprot_name(r->protocol), r->protocol);
	if (r->scope != RT_SCOPE_UNIVERSE)
		print_word(f, "scope", show_scope_name(r->scope), r->scope);
	if (r->has_prefsrc)
		fprintf(f, " src %s", show_addr_str(r->family, r->prefsrc, buf, sizeof(buf)));
	if (r->has_priority)
		fprintf(f, " metric %u", r->priority);
	fputc('\n', f);
	for (i = 0; i < r->nnh && r->multipath; i++) {
		fputs("      nexthop", f);
		print_nexthop(ns, r, &r->nh[i], f);
		fputc('\n', f);
	}
	if (r->nnh_total > r->nnh)
		fprintf(f, "      ... %u more nexthops\n", r->nnh_total - r->nnh);
}

static void print_table_title(uint32_t id, FILE *f)
{
	const char *name = rt_table_name(id);

	if (name)
		fprintf(f, "  table %s (%u)%s\n", name, id,
			id == RT_TABLE_MAIN ? "  ipv4.fib_main" :
			id == RT_TABLE_DEFAULT ? "  ipv4.fib_default" : "");
	else
		fprintf(f, "  table %u\n", id);
}

/*
 * ipv4.fib_has_custom_rules is set by any rule added or deleted
 * (fib4_rule_configure(), fib4_rule_delete()) and only cleared at
 * namespace creation.  From the rules we see now: anything but the three
 * defaults means it is set.
 */
static void print_custom_rules(const struct show_ns *ns, FILE *f)
{
	if (show_rules_are_default(ns)) {
		fputs("  custom rules: none (ipv4.fib_has_custom_rules is false, unless rules were\n"
		      "    changed and changed back): local and main share one trie, as\n"
		      "    fib_new_table() makes local an alias of main\n", f);
		return;
	}
	fputs("  custom rules: yes (ipv4.fib_has_custom_rules is true): fib_unmerge() has\n"
	      "    split local and main into two tries, and lookups walk the rules\n"
	      "    (fib_rules_lookup())\n", f);
}

static void print_routes(const struct show_ns *ns, FILE *f)
{
	size_t i;

	section(f, "routing tables", "struct net: ipv4.fib_table_hash, fib_main, fib_default");
	print_custom_rules(ns, f);
	if (!ns->nroutes)
		fputs("  no IPv4 routes\n", f);
	for (i = 0; i < ns->nroutes; i++) {
		if (!i || ns->routes[i].table != ns->routes[i - 1].table)
			print_table_title(ns->routes[i].table, f);
		print_route(ns, &ns->routes[i], f);
	}
}

/* --- rules ----------------------------------------------------------------- */

static void print_rule_prefix(const struct show_rule *r, bool src, FILE *f)
{
	char buf[INET6_ADDRSTRLEN];
	bool has = src ? r->has_src : r->has_dst;
	uint8_t len = src ? r->src_len : r->dst_len;

	if (!has) {
		if (src)
			fputs(" from all", f);
		return;
	}
	fprintf(f, " %s %s", src ? "from" : "to",
		show_addr_str(r->family, src ? r->src : r->dst, buf, sizeof(buf)));
	if (len != (r->family == AF_INET6 ? 128 : 32))
		fprintf(f, "/%u", len);
}

static void print_rule_action(const struct show_rule *r, FILE *f)
{
	const char *table;

	switch (r->action) {
	case FR_ACT_TO_TBL:
		table = rt_table_name(r->table);
		if (table)
			fprintf(f, " lookup %s", table);
		else
			fprintf(f, " lookup %u", r->table);
		break;
	case FR_ACT_GOTO:
		fprintf(f, " goto %u", r->goto_prio);
		break;
	default:
		if (show_rule_action_name(r->action))
			fprintf(f, " %s", show_rule_action_name(r->action));
		else
			print_word(f, "action", NULL, r->action);
	}
}

/* iproute2's order: prio: [not] from to tos fwmark iif oif l3mdev action */
static void print_rule(const struct show_rule *r, FILE *f)
{
	char prio[16];

	snprintf(prio, sizeof(prio), "%u:", r->priority);
	fprintf(f, "  %-7s", prio);
	if (r->flags & FIB_RULE_INVERT)
		fputs(" not", f);
	print_rule_prefix(r, true, f);
	print_rule_prefix(r, false, f);
	if (r->tos)
		fprintf(f, " tos 0x%02x", r->tos);
	if (r->has_fwmark)
		fprintf(f, " fwmark 0x%x/0x%x", r->fwmark, r->fwmask);
	if (r->iif[0])
		fprintf(f, " iif %s", r->iif);
	if (r->oif[0])
		fprintf(f, " oif %s", r->oif);
	if (r->l3mdev)
		fputs(" lookup [l3mdev-table]", f);
	else
		print_rule_action(r, f);
	fputc('\n', f);
}

static void print_rules(const struct show_ns *ns, FILE *f)
{
	size_t i;

	section(f, "policy rules", "struct net: ipv4.rules_ops -> rules_list");
	if (!ns->nrules)
		fputs("  none\n", f);
	for (i = 0; i < ns->nrules; i++)
		print_rule(&ns->rules[i], f);
}

/* --- netfilter, sockets, module -------------------------------------------- */

static void print_netfilter(const struct show_ns *ns, FILE *f)
{
	const char *family;
	size_t i;

	section(f, "netfilter",
		"struct net: nft, and the per-netns lists of nf_tables and x_tables");
	fprintf(f, "  %-10s", "nf_tables");
	if (!ns->nft_available)
		fputs(" none (nf_tables is not loaded)", f);
	else if (!ns->nnft)
		fputs(" no tables", f);
	for (i = 0; i < ns->nnft; i++) {
		family = show_nfproto_name(ns->nft[i].family);
		if (family)
			fprintf(f, "%s %s %s", i ? "," : "", family, ns->nft[i].name);
		else
			fprintf(f, "%s family%u %s", i ? "," : "", ns->nft[i].family,
				ns->nft[i].name);
	}
	fputc('\n', f);
	fprintf(f, "  %-10s", "iptables");
	if (!ns->xt_available)
		fputs(" none (ip_tables is not loaded)", f);
	else if (!ns->xt.n)
		fputs(" no tables", f);
	for (i = 0; i < ns->xt.n; i++)
		fprintf(f, " %s", ns->xt.name[i]);
	fputc('\n', f);
}

static void print_sockets(const struct show_ns *ns, FILE *f)
{
	const struct show_sockstat *s = &ns->sockstat;
	size_t i;

	section(f, "sockets", "struct net: core.prot_inuse, via /proc/net/sockstat");
	if (!ns->has_sockstat) {
		fputs("  unknown (no /proc/net/sockstat)\n", f);
		return;
	}
	fputs(" ", f);
	if (s->has_used)
		fprintf(f, " in use %u ", s->used);
	for (i = 0; i < s->n; i++)
		fprintf(f, " %s %u", s->proto[i].name, s->proto[i].inuse);
	fputc('\n', f);
}

static void print_module(const struct show_ns *ns, FILE *f)
{
	const struct nsi_proc_net *m = &ns->module;

	if (ns->module_err == -ENOENT) {
		fputs("\nnetnsight module  not loaded (insmod kmod/netnsight.ko for refcounts,\n"
		      "  state and device history)\n", f);
		return;
	}
	section(f, "netnsight module",
		"/proc/net/netnsight; struct net: ns.count, passive");
	if (ns->module_err) {
		fprintf(f, "  cannot read it: %s\n", strerror(-ns->module_err));
		return;
	}
	fprintf(f, "  seq %" PRIu64 "  state %s  age %" PRIu64 ".%03" PRIu64 "s%s\n",
		m->seq, m->state, m->age_ms / 1000, m->age_ms % 1000,
		m->seen_at_load ? "  (already there when the module loaded)" : "");
	fprintf(f, "  refcount %u  passive %u\n", m->ns_refcount, m->passive_refcount);
	fprintf(f, "  devices %u: registered %" PRIu64 ", unregistered %" PRIu64
		", moved in %" PRIu64 ", moved out %" PRIu64 "\n", m->ndevices,
		m->dev_registered, m->dev_unregistered, m->dev_moved_in,
		m->dev_moved_out);
}

void show_print_text(const struct show_ns *ns, FILE *f)
{
	print_identity(ns, f);
	print_devices(ns, f);
	print_addresses(ns, f);
	print_routes(ns, f);
	print_rules(ns, f);
	print_netfilter(ns, f);
	print_sockets(ns, f);
	show_print_holders_text(ns, f);
	print_module(ns, f);
}
