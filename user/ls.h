/* SPDX-License-Identifier: GPL-2.0 */
/* netnsight ls - one row per namespace, shared by ls.c and ls_json.c. */
#ifndef NETNSIGHT_LS_H
#define NETNSIGHT_LS_H

#include <stdbool.h>
#include <stdio.h>

#include "containers.h"
#include "holders.h"
#include "procfs.h"

struct ls_entry {
	struct ns_holders *h;
	const struct nsi_proc_row *row;	/* module facts, NULL without */
	int nsid;			/* -1 none, -2 unknown */
	int devices;			/* -1 unknown */
	bool orphan;
	struct ctr_info ctr;		/* runtime "": none found */
};

void ls_print_json(struct ls_entry *v, size_t n, bool module, const struct ns_scan *scan,
		   FILE *f);

#endif
