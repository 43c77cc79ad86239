// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight show --json - one document, the same sections as the text
 * view.  Keys are stable and documented in docs/show.md; a value we could
 * not learn is null, never left out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "json.h"
#include "netns.h"
#include "show.h"
#include "util.h"

/* A word from a table, or the number as a string when there is none */
static void json_word(struct json *j, const char *key, const char *word,
		      unsigned int v)
{
	char num[16];

	if (!word) {
		snprintf(num, sizeof(num), "%u", v);
		word = num;
	}
	json_str(j, key, word);
}

static void json_addr(struct json *j, const char *key, uint8_t family,
		      const uint8_t *addr, bool has)
{
	char buf[INET6_ADDRSTRLEN];

	if (has)
		json_str(j, key, show_addr_str(family, addr, buf, sizeof(buf)));
	else
		json_null(j, key);
}

/* "blue,red" -> ["blue","red"] */
static void json_names(struct json *j, const char *key, uint32_t ino)
{
	char names[1024], *p, *save = NULL;

	netns_names(ino, names, sizeof(names));
	json_arr_begin(j, key);
	for (p = strtok_r(names, ",", &save); p; p = strtok_r(NULL, ",", &save))
		json_str(j, NULL, p);
	json_arr_end(j);
}

static void json_identity(const struct show_ns *ns, struct json *j)
{
	json_obj_begin(j, "identity");
	json_u64(j, "inode", ns->ino);
	json_names(j, "names", ns->ino);
	json_str(j, "resolved_by", ns->how);
	if (ns->has_cookie)
		json_u64(j, "net_cookie", ns->cookie);
	else
		json_null(j, "net_cookie");
	if (ns->has_userns)
		json_u64(j, "userns_inode", ns->userns_ino);
	else
		json_null(j, "userns_inode");
	if (ns->nsid >= 0)
		json_i64(j, "nsid", ns->nsid);
	else
		json_null(j, "nsid");
	json_u64(j, "caller_inode", ns->caller_ino);
	json_obj_end(j);
}

static void json_dev_link(const struct show_dev *d, struct json *j)
{
	const struct show_link *l = &d->l;

	if (!l->link) {
		json_null(j, "link");
		return;
	}
	json_obj_begin(j, "link");
	json_u64(j, "ifindex", l->link);
	json_str_or_null(j, "ifname", d->link_ifname);
	if (l->has_link_netnsid)
		json_i64(j, "netnsid", l->link_netnsid);
	else
		json_null(j, "netnsid");
	if (d->link_ns_known) {
		json_u64(j, "netns_inode", d->link_ns_ino);
		json_names(j, "netns_names", d->link_ns_ino);
	} else {
		json_null(j, "netns_inode");
		json_null(j, "netns_names");
	}
	json_obj_end(j);
}

static void json_dev(const struct show_ns *ns, const struct show_dev *d,
		     struct json *j)
{
	const struct show_link *l = &d->l;
	char mac[3 * SHOW_LLADDR_MAX];
	const struct show_dev *master;

	json_obj_begin(j, NULL);
	json_u64(j, "ifindex", l->ifindex);
	json_str(j, "name", l->name);
	json_str_or_null(j, "kind", l->kind);
	json_u64(j, "type", l->type);
	json_bool(j, "loopback", l->flags & IFF_LOOPBACK);
	json_bool(j, "admin_up", l->flags & IFF_UP);
	json_str(j, "oper_state", show_operstate_name(l->operstate));
	json_u64(j, "mtu", l->mtu);
	json_str_or_null(j, "mac", l->lladdr_len ?
			 show_lladdr_str(l->lladdr, l->lladdr_len, mac, sizeof(mac)) : NULL);
	master = l->master ? show_dev_by_index(ns, l->master) : NULL;
	if (l->master)
		json_u64(j, "master_ifindex", l->master);
	else
		json_null(j, "master_ifindex");
	json_str_or_null(j, "master", master ? master->l.name : NULL);
	json_dev_link(d, j);
	json_obj_end(j);
}

static void json_addr_entry(const struct show_ns *ns, const struct show_addr *a,
			    struct json *j)
{
	const struct show_dev *d = show_dev_by_index(ns, a->ifindex);
	const char *flags[16];
	size_t i, n;

	json_obj_begin(j, NULL);
	json_u64(j, "ifindex", a->ifindex);
	json_str_or_null(j, "dev", d ? d->l.name : NULL);
	json_str(j, "family", show_family_name(a->family));
	json_addr(j, "local", a->family, a->local, true);
	json_u64(j, "prefixlen", a->prefixlen);
	json_addr(j, "peer", a->family, a->peer, a->has_peer);
	json_addr(j, "broadcast", AF_INET, a->broadcast, a->has_broadcast);
	json_word(j, "scope", show_scope_name(a->scope), a->scope);
	json_str_or_null(j, "label", a->label);
	n = show_ifa_flag_names(a->flags, a->family, flags, ARRAY_SIZE(flags));
	json_arr_begin(j, "flags");
	for (i = 0; i < n; i++)
		json_str(j, NULL, flags[i]);
	json_arr_end(j);
	json_obj_end(j);
}

static void json_nexthop(const struct show_ns *ns, const struct show_route *r,
			 const struct show_nexthop *nh, struct json *j)
{
	const struct show_dev *d = nh->oif ? show_dev_by_index(ns, nh->oif) : NULL;

	json_str_or_null(j, "dev", d ? d->l.name : NULL);
	if (nh->oif)
		json_u64(j, "oif", nh->oif);
	else
		json_null(j, "oif");
	json_addr(j, "gateway", r->family, nh->gateway, nh->has_gateway);
}

static void json_route(const struct show_ns *ns, const struct show_route *r,
		       struct json *j)
{
	static const struct show_nexthop none;
	unsigned int i;

	json_obj_begin(j, NULL);
	/* "0.0.0.0" with dst_len 0 for the default route: RTA_DST is absent */
	json_addr(j, "dst", r->family, r->dst, true);
	json_u64(j, "dst_len", r->dst_len);
	json_word(j, "type", rt_type_name(r->type), r->type);
	json_word(j, "protocol", show_rtprot_name(r->protocol), r->protocol);
	json_word(j, "scope", show_scope_name(r->scope), r->scope);
	json_u64(j, "tos", r->tos);
	/* one path: its dev and gateway right here; several: nexthops only */
	json_nexthop(ns, r, r->multipath || !r->nnh ? &none : &r->nh[0], j);
	json_addr(j, "prefsrc", r->family, r->prefsrc, r->has_prefsrc);
	if (r->has_priority)
		json_u64(j, "metric", r->priority);
	else
		json_null(j, "metric");
	json_arr_begin(j, "nexthops");
	for (i = 0; i < r->nnh; i++) {
		json_obj_begin(j, NULL);
		json_nexthop(ns, r, &r->nh[i], j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void json_table_begin(uint32_t id, struct json *j)
{
	json_obj_begin(j, NULL);
	json_u64(j, "id", id);
	json_str_or_null(j, "name", rt_table_name(id));
	json_arr_begin(j, "routes");
}

static void json_routing(const struct show_ns *ns, struct json *j)
{
	size_t i;

	json_obj_begin(j, "routing");
	json_bool(j, "custom_rules", !show_rules_are_default(ns));
	json_arr_begin(j, "tables");
	for (i = 0; i < ns->nroutes; i++) {
		/* routes come sorted by table (show_gather()) */
		if (!i || ns->routes[i].table != ns->routes[i - 1].table) {
			if (i) {
				json_arr_end(j);
				json_obj_end(j);
			}
			json_table_begin(ns->routes[i].table, j);
		}
		json_route(ns, &ns->routes[i], j);
	}
	if (ns->nroutes) {
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void json_rule(const struct show_rule *r, struct json *j)
{
	json_obj_begin(j, NULL);
	json_u64(j, "priority", r->priority);
	json_word(j, "action", show_rule_action_name(r->action), r->action);
	if (r->action == FR_ACT_TO_TBL && !r->l3mdev) {
		json_u64(j, "table", r->table);
		json_str_or_null(j, "table_name", rt_table_name(r->table));
	} else {
		json_null(j, "table");
		json_null(j, "table_name");
	}
	json_addr(j, "src", r->family, r->src, r->has_src);
	json_u64(j, "src_len", r->src_len);
	json_addr(j, "dst", r->family, r->dst, r->has_dst);
	json_u64(j, "dst_len", r->dst_len);
	json_str_or_null(j, "iif", r->iif);
	json_str_or_null(j, "oif", r->oif);
	if (r->has_fwmark) {
		json_u64(j, "fwmark", r->fwmark);
		json_u64(j, "fwmask", r->fwmask);
	} else {
		json_null(j, "fwmark");
		json_null(j, "fwmask");
	}
	json_u64(j, "tos", r->tos);
	json_bool(j, "invert", r->flags & FIB_RULE_INVERT);
	if (r->has_goto)
		json_u64(j, "goto", r->goto_prio);
	else
		json_null(j, "goto");
	json_bool(j, "l3mdev", r->l3mdev);
	json_word(j, "protocol", show_rtprot_name(r->protocol), r->protocol);
	json_obj_end(j);
}

static void json_netfilter(const struct show_ns *ns, struct json *j)
{
	const struct show_nft_table *t;
	size_t i;

	json_obj_begin(j, "netfilter");
	json_obj_begin(j, "nftables");
	json_bool(j, "available", ns->nft_available);
	json_arr_begin(j, "tables");
	for (i = 0; i < ns->nnft; i++) {
		t = &ns->nft[i];
		json_obj_begin(j, NULL);
		json_word(j, "family", show_nfproto_name(t->family), t->family);
		json_str(j, "name", t->name);
		json_u64(j, "handle", t->handle);
		json_u64(j, "flags", t->flags);
		json_u64(j, "use", t->use);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	json_obj_begin(j, "iptables");
	json_bool(j, "available", ns->xt_available);
	json_arr_begin(j, "tables");
	for (i = 0; i < ns->xt.n; i++)
		json_str(j, NULL, ns->xt.name[i]);
	json_arr_end(j);
	json_obj_end(j);
	json_obj_end(j);
}

static void json_sockets(const struct show_ns *ns, struct json *j)
{
	const struct show_sockstat *s = &ns->sockstat;
	size_t i;

	json_obj_begin(j, "sockets");
	json_bool(j, "available", ns->has_sockstat);
	if (s->has_used)
		json_u64(j, "used", s->used);
	else
		json_null(j, "used");
	json_obj_begin(j, "inuse");
	for (i = 0; i < s->n; i++)
		json_u64(j, s->proto[i].name, s->proto[i].inuse);
	json_obj_end(j);
	json_obj_end(j);
}

static void json_module(const struct show_ns *ns, struct json *j)
{
	const struct nsi_proc_net *m = &ns->module;

	json_obj_begin(j, "module");
	json_bool(j, "loaded", ns->module_err != -ENOENT);
	if (ns->module_err && ns->module_err != -ENOENT)
		json_str(j, "error", strerror(-ns->module_err));
	if (!ns->module_err) {
		json_u64(j, "seq", m->seq);
		json_str(j, "state", m->state);
		json_u64(j, "age_ms", m->age_ms);
		json_u64(j, "created_boottime_ns", m->created_boottime_ns);
		json_bool(j, "seen_at_load", m->seen_at_load);
		json_u64(j, "ns_refcount", m->ns_refcount);
		json_u64(j, "passive_refcount", m->passive_refcount);
		json_u64(j, "devices", m->ndevices);
		json_u64(j, "dev_registered", m->dev_registered);
		json_u64(j, "dev_unregistered", m->dev_unregistered);
		json_u64(j, "dev_moved_in", m->dev_moved_in);
		json_u64(j, "dev_moved_out", m->dev_moved_out);
	}
	json_obj_end(j);
}

void show_print_json(const struct show_ns *ns, FILE *f)
{
	struct json j;
	size_t i;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_identity(ns, &j);
	json_arr_begin(&j, "devices");
	for (i = 0; i < ns->ndevs; i++)
		json_dev(ns, &ns->devs[i], &j);
	json_arr_end(&j);
	json_arr_begin(&j, "addresses");
	for (i = 0; i < ns->naddrs; i++)
		json_addr_entry(ns, &ns->addrs[i], &j);
	json_arr_end(&j);
	json_routing(ns, &j);
	json_arr_begin(&j, "rules");
	for (i = 0; i < ns->nrules; i++)
		json_rule(&ns->rules[i], &j);
	json_arr_end(&j);
	json_netfilter(ns, &j);
	json_sockets(ns, &j);
	show_print_holders_json(ns, &j);
	json_module(ns, &j);
	json_obj_end(&j);
}
