// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight show - what a namespace's own /proc/net says: socket counts
 * (sockstat, sockstat6) and legacy iptables tables, read from inside the
 * namespace (show_gather() enters it first).
 */
#include <stdbool.h>
#include <stdlib.h>

#include "show.h"
#include "util.h"

static void read_sockstat(struct show_ns *ns, const char *path)
{
	size_t len;
	char *text;

	text = read_file(path, &len);
	if (!text)
		return;	/* sockstat6: no IPv6 */
	if (!show_parse_sockstat(text, len, &ns->sockstat))
		ns->has_sockstat = true;
	free(text);
}

/*
 * Legacy iptables: x_tables keeps each namespace's tables on a per-netns
 * list (xt_pernet.tables[NFPROTO_IPV4], x_tables.c; before 5.x they were
 * struct net's ipv4.iptable_*).  The file exists once ip_tables is loaded.
 */
static void read_xt_names(struct show_ns *ns)
{
	size_t len;
	char *text;

	text = read_file("/proc/thread-self/net/ip_tables_names", &len);
	if (!text)
		return;
	ns->xt_available = !show_parse_xt_names(text, len, &ns->xt);
	free(text);
}

/*
 * /proc/thread-self/net is this thread's namespace: the files are made by
 * proc_create_net_single() per namespace.  Read before we open sockets
 * there, which sockstat would count (sk_alloc() -> sock_inuse_add()).
 */
int show_read_proc_net(void *arg)
{
	struct show_ns *ns = arg;

	read_sockstat(ns, "/proc/thread-self/net/sockstat");
	read_sockstat(ns, "/proc/thread-self/net/sockstat6");
	read_xt_names(ns);
	return 0;
}
