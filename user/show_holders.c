// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight show - who holds the namespace: the tasks in it, nsfs fds and
 * mounts that name it, and the sockets that live in it (holders.c,
 * sockholders.c).  Each is a reference on net->ns.count; what is left of
 * the module's refcount beyond them is the kernel's own.
 *
 * Without privilege only our own processes can be looked at (their fds,
 * pidfd_getfd()): the section then says how many could not be.  The
 * container those holders run in (containers.h) is shown with them.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "show.h"

void show_gather_holders(struct show_ns *ns)
{
	struct ns_holders *h;
	struct ns_scan scan;

	if (holders_scan(&scan))
		return;
	ns->has_holders = true;
	h = holders_find(&scan, ns->ino);
	if (h)
		ns->holders = *h;
	else
		ns->holders.ino = ns->ino;
	ctr_of_holders(&ns->holders, &ns->ctr);
	ns->sock_unknown = scan.sock_unknown + scan.unreadable;
	ns->sock_err = scan.sock_err;
	holders_free(&scan);
}

static void text_more(FILE *f, unsigned int n)
{
	if (n > HOLDERS_KEEP)
		fprintf(f, "  ... and %u more\n", n - HOLDERS_KEEP);
}

static void text_container(const struct ctr_info *c, FILE *f)
{
	if (!ctr_known(c))
		return;
	fprintf(f, "  container  %s id %s name %s\n", c->runtime, c->id[0] ? c->id : "-",
		c->name[0] ? c->name : "-");
	if (c->pod_name[0] || c->pod_uid[0])
		fprintf(f, "  pod        %s/%s uid %s\n", c->pod_namespace[0] ? c->pod_namespace : "?",
			c->pod_name[0] ? c->pod_name : "?", c->pod_uid[0] ? c->pod_uid : "?");
}

void show_print_holders_text(const struct show_ns *ns, FILE *f)
{
	const struct ns_holders *h = &ns->holders;
	unsigned int i;

	fputs("\nholders  (references on struct net: ns.count)\n", f);
	if (!ns->has_holders) {
		fputs("  unknown (cannot read /proc)\n", f);
		return;
	}
	text_container(&ns->ctr, f);
	for (i = 0; i < h->nprocs && i < HOLDERS_KEEP; i++)
		fprintf(f, "  task     %s/%d\n", h->procs[i].comm, h->procs[i].pid);
	text_more(f, h->nprocs);
	for (i = 0; i < h->nfds && i < HOLDERS_KEEP; i++)
		fprintf(f, "  nsfs fd  /proc/%d/fd/%d\n", h->fds[i].pid, h->fds[i].fd);
	text_more(f, h->nfds);
	for (i = 0; i < h->nmounts && i < HOLDERS_KEEP; i++)
		fprintf(f, "  mount    %s\n", h->mounts[i].path);
	text_more(f, h->nmounts);
	for (i = 0; i < h->nsocks && i < HOLDERS_KEEP; i++)
		fprintf(f, "  socket   %s/%d fd %d (%s)\n", h->socks[i].comm,
			h->socks[i].pid, h->socks[i].fd, h->socks[i].proto);
	text_more(f, h->nsocks);
	if (!h->nprocs && !h->nfds && !h->nmounts && !h->nsocks)
		fputs("  none visible: the kernel alone holds it\n", f);
	if (ns->sock_unknown)
		fprintf(f, "  (%u processes or sockets could not be inspected%s%s)\n",
			ns->sock_unknown, ns->sock_err ? ": " : "",
			ns->sock_err ? strerror(ns->sock_err) : "");
}

void show_print_holders_json(const struct show_ns *ns, struct json *j)
{
	json_obj_begin(j, "holders");
	json_bool(j, "available", ns->has_holders);
	holders_json(j, &ns->holders);
	json_u64(j, "uninspected", ns->sock_unknown);
	json_obj_end(j);
	ctr_json(j, &ns->ctr);
}
