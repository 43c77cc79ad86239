// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - a namespace's holders and container as JSON, the same keys
 * in `ls --json` (per namespace) and `show --json` ("holders").
 */
#include "containers.h"
#include "holders.h"
#include "json.h"

/* "processes", "fds", "mounts", "sockets": each {count, examples} */
void holders_json(struct json *j, const struct ns_holders *h)
{
	unsigned int i;

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
}

/* "container": null, or what its holders' runtime left readable */
void ctr_json(struct json *j, const struct ctr_info *c)
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

