// SPDX-License-Identifier: GPL-2.0
/* netnsight ls --json: one document, every namespace (keys: docs/holders.md, README). */
#include <string.h>

#include "json.h"
#include "ls.h"
#include "netns.h"

static void json_entry(struct json *j, const struct ls_entry *e)
{
	const struct ns_holders *h = e->h;
	char names[1024], *tok, *save;

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
	holders_json(j, h);
	if (e->devices >= 0)
		json_i64(j, "devices", e->devices);
	else
		json_null(j, "devices");
	json_bool(j, "orphan", e->orphan);
	ctr_json(j, &e->ctr);
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

