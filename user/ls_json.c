// SPDX-License-Identifier: GPL-2.0
/* netnsight ls --json: the document's keys are in docs/ls.md. */
#include <string.h>

#include "json.h"
#include "ls.h"
#include "netns.h"

/* "container": null, or what its holders' runtime left readable */
static void json_container(struct json *j, const struct ctr_info *c)
{
	if (!ctr_known(c)) {
		json_null(j, "container");
		return;
	}
	json_obj_begin(j, "container");
	json_str(j, "runtime", c->runtime);
	json_str_or_null(j, "id", c->id[0] ? c->id : NULL);
	json_str_or_null(j, "name", c->name[0] ? c->name : NULL);
	if (c->pod_name[0] || c->pod_uid[0]) {
		json_obj_begin(j, "pod");
		json_str_or_null(j, "name", c->pod_name[0] ? c->pod_name : NULL);
		json_str_or_null(j, "namespace", c->pod_namespace[0] ? c->pod_namespace : NULL);
		json_str_or_null(j, "uid", c->pod_uid[0] ? c->pod_uid : NULL);
		json_obj_end(j);
	} else {
		json_null(j, "pod");
	}
	json_obj_end(j);
}

static void json_entry(struct json *j, const struct ls_entry *e)
{
	const struct ns_holders *h = e->h;
	char names[1024], *tok, *save;
	unsigned int i;

	json_obj_begin(j, NULL);
	json_u64(j, "inode", h->ino);
	netns_names(h->ino, names, sizeof(names));
	json_arr_begin(j, "names");
	for (tok = strtok_r(names, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		json_str(j, NULL, tok);
	json_arr_end(j);
	if (e->nsid >= 0)
		json_i64(j, "nsid", e->nsid);
	else
		json_null(j, "nsid");
	json_obj_begin(j, "processes");
	json_u64(j, "count", h->nprocs);
	json_u64(j, "tasks", h->ntasks);
	json_arr_begin(j, "examples");
	for (i = 0; i < h->nprocs && i < HOLDERS_KEEP; i++) {
		json_obj_begin(j, NULL);
		json_i64(j, "pid", h->procs[i].pid);
		json_str(j, "comm", h->procs[i].comm);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	json_obj_begin(j, "fds");
	json_u64(j, "count", h->nfds);
	json_arr_begin(j, "examples");
	for (i = 0; i < h->nfds && i < HOLDERS_KEEP; i++) {
		json_obj_begin(j, NULL);
		json_i64(j, "pid", h->fds[i].pid);
		json_i64(j, "fd", h->fds[i].fd);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	json_obj_begin(j, "mounts");
	json_u64(j, "count", h->nmounts);
	json_arr_begin(j, "examples");
	for (i = 0; i < h->nmounts && i < HOLDERS_KEEP; i++)
		json_str(j, NULL, h->mounts[i].path);
	json_arr_end(j);
	json_obj_end(j);
	json_obj_begin(j, "sockets");
	json_u64(j, "count", h->nsocks);
	json_arr_begin(j, "examples");
	for (i = 0; i < h->nsocks && i < HOLDERS_KEEP; i++) {
		json_obj_begin(j, NULL);
		json_i64(j, "pid", h->socks[i].pid);
		json_str(j, "comm", h->socks[i].comm);
		json_i64(j, "fd", h->socks[i].fd);
		json_str(j, "proto", h->socks[i].proto);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	if (e->devices >= 0)
		json_i64(j, "devices", e->devices);
	else
		json_null(j, "devices");
	json_bool(j, "orphan", e->orphan);
	json_container(j, &e->ctr);
	if (e->row) {
		json_str(j, "state", e->row->state);
		json_u64(j, "age_ms", e->row->age_ms);
		json_u64(j, "cookie", e->row->cookie);
		json_u64(j, "seq", e->row->seq);
		json_u64(j, "refcount", e->row->refs);
		json_u64(j, "passive_refcount", e->row->passive);
		json_u64(j, "dying_ms", e->row->dying_ms);
		if (strcmp(e->row->wait_dev, "-"))
			json_str(j, "wait_dev", e->row->wait_dev);
		else
			json_null(j, "wait_dev");
		if (e->row->blocked_by)
			json_u64(j, "blocked_by", e->row->blocked_by);
		else
			json_null(j, "blocked_by");
	} else {
		json_null(j, "state");
		json_null(j, "age_ms");
	}
	json_obj_end(j);
}

void ls_print_json(struct ls_entry *v, size_t n, bool module, const struct ns_scan *scan,
		   FILE *f)
{
	size_t i, orphans = 0;
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_bool(&j, "module", module);
	json_arr_begin(&j, "namespaces");
	for (i = 0; i < n; i++) {
		json_entry(&j, &v[i]);
		orphans += v[i].orphan;
	}
	json_arr_end(&j);
	json_u64(&j, "total", n);
	json_u64(&j, "orphans", orphans);
	json_u64(&j, "sockets_unknown", scan->sock_unknown);
	if (scan->sock_err)
		json_str(&j, "sockets_error", strerror(scan->sock_err));
	else
		json_null(&j, "sockets_error");
	json_obj_end(&j);
}

