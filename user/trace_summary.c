// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight trace --fib-summary: the kernel counts fib lookups per
 * (namespace, table, result) in counter slots, one set per CPU
 * (fib_count() in the BPF program; fib_slots says which key owns which
 * slot); here we sum the CPUs and print what changed each interval.
 * No event crosses the ring buffer, which is what makes it cheap enough to
 * leave running on a busy host.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "json.h"
#include "rtnames.h"
#include "trace.h"
#include "util.h"

struct row {
	struct nsi_fib_key key;
	uint64_t total;
	uint64_t shown;		/* total at the last print */
};

#define OTHER_TABLE	TRACE_FIB_OVERFLOW_TABLE

static struct row *rows;
static size_t nrows;

static int key_cmp(const void *a, const void *b)
{
	const struct nsi_fib_key *x = a, *y = b;

	if (x->netns_ino != y->netns_ino)
		return x->netns_ino < y->netns_ino ? -1 : 1;
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	if (x->via != y->via)
		return x->via < y->via ? -1 : 1;
	if (x->err != y->err)
		return x->err < y->err ? -1 : 1;
	return (int)x->type - (int)y->type;
}

static struct row *row_for(const struct nsi_fib_key *k)
{
	struct row *r = nrows ? bsearch(k, rows, nrows, sizeof(*rows), key_cmp) : NULL, *n;

	if (r)
		return r;
	n = realloc(rows, (nrows + 1) * sizeof(*rows));
	if (!n)
		return NULL;
	rows = n;
	memset(&rows[nrows], 0, sizeof(*rows));
	rows[nrows].key = *k;
	nrows++;
	qsort(rows, nrows, sizeof(*rows), key_cmp);
	return bsearch(k, rows, nrows, sizeof(*rows), key_cmp);
}

/* Every CPU's counters, summed by slot into @sums[NSI_FIB_SLOTS]. */
static int sum_cpus(int cpu_fd, uint64_t *sums)
{
	int ncpus = libbpf_num_possible_cpus(), c, i;
	struct nsi_fib_cpu *e = malloc(sizeof(*e));
	uint32_t key;

	if (!e)
		return -ENOMEM;
	memset(sums, 0, NSI_FIB_SLOTS * sizeof(*sums));
	for (c = 0; c < ncpus; c++) {
		key = (uint32_t)c;
		if (bpf_map_lookup_elem(cpu_fd, &key, e))
			continue;
		for (i = 0; i < NSI_FIB_SLOTS; i++)
			sums[i] += e->counts[i];
	}
	free(e);
	return 0;
}

int trace_fib_counts(int slots_fd, int cpu_fd, trace_fib_count_fn fn, void *ctx)
{
	struct nsi_fib_key key, next, *prev = NULL;
	uint64_t *sums;
	uint32_t slot;

	sums = calloc(NSI_FIB_SLOTS, sizeof(*sums));
	if (!sums || sum_cpus(cpu_fd, sums)) {
		free(sums);
		return -ENOMEM;
	}
	while (!bpf_map_get_next_key(slots_fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(slots_fd, &key, &slot) || slot >= NSI_FIB_SLOTS)
			continue;
		fn(ctx, &key, sums[slot]);
	}
	/*
	 * slot 0: the lookups of every key that came after the slots ran out,
	 * one "overflow" row -- never added to another key's count
	 */
	if (sums[0]) {
		memset(&key, 0, sizeof(key));
		key.table = TRACE_FIB_OVERFLOW_TABLE;
		fn(ctx, &key, sums[0]);
	}
	free(sums);
	return 0;
}

static void set_row(void *ctx, const struct nsi_fib_key *k, uint64_t total)
{
	struct row *r = row_for(k);

	(void)ctx;
	if (r)
		r->total = total;
}

static int collect(int slots_fd, int cpu_fd)
{
	return trace_fib_counts(slots_fd, cpu_fd, set_row, NULL);
}

void trace_fib_result(const struct nsi_fib_key *k, char *buf, size_t size)
{
	if (k->table == OTHER_TABLE) {
		snprintf(buf, size, "(overflow)");
	} else if (k->err) {
		const char *n = strerrorname_np(-k->err);

		snprintf(buf, size, "%s", n ? n : "error");
	} else {
		snprintf(buf, size, "%s", trace_rtn_name(k->type));
	}
}

int trace_print_fib_summary(FILE *f, bool json, int slots_fd, int counts_fd, bool final)
{
	char ns[64], res[32], tb[16];
	uint64_t n, total = 0, overflow = 0;
	struct json j;
	size_t i;
	int err;

	/* after the events already formatted (human lines are batched) */
	trace_print_flush(f);
	err = collect(slots_fd, counts_fd);
	if (err)
		return err;
	if (json) {
		json_init(&j, f);
		json_obj_begin(&j, NULL);
		json_str(&j, "event", "fib_summary");
		json_u64(&j, "ts_ns", boottime_ns());
		json_bool(&j, "final", final);
		json_arr_begin(&j, "rows");
	} else {
		fprintf(f, "%s fib lookups%s\n%-16s %-8s %-6s %-14s %12s\n",
			final ? "==" : "--", final ? " in all" : " since the last report",
			"NETNS", "TABLE", "VIA", "RESULT", "COUNT");
	}
	for (i = 0; i < nrows; i++) {
		const struct nsi_fib_key *k = &rows[i].key;

		n = final ? rows[i].total : rows[i].total - rows[i].shown;
		rows[i].shown = rows[i].total;
		if (!n)
			continue;
		total += n;
		trace_fib_result(k, res, sizeof(res));
		if (k->table == OTHER_TABLE)
			snprintf(tb, sizeof(tb), "-");
		else if (rt_table_name(k->table))
			snprintf(tb, sizeof(tb), "%s", rt_table_name(k->table));
		else
			snprintf(tb, sizeof(tb), "%u", k->table);
		if (k->table == OTHER_TABLE)
			overflow += n;
		if (json) {
			json_obj_begin(&j, NULL);
			json_bool(&j, "overflow", k->table == OTHER_TABLE);
			json_u64(&j, "netns_inode", k->netns_ino);
			json_u64(&j, "table", k->table);
			json_str(&j, "via", k->via == NSI_FIB_RULES ? "rules" : "table");
			json_i64(&j, "error", k->err);
			json_str(&j, "result", res);
			json_u64(&j, "count", n);
			json_obj_end(&j);
		} else {
			fprintf(f, "%-16s %-8s %-6s %-14s %12" PRIu64 "\n",
				trace_netns_label(k->netns_ino, 0, ns, sizeof(ns)), tb,
				k->via == NSI_FIB_RULES ? "rules" : "table", res, n);
		}
	}
	if (json) {
		json_arr_end(&j);
		json_u64(&j, "total", total);
		json_u64(&j, "overflow", overflow);
		json_obj_end(&j);
	} else {
		fprintf(f, "%-16s %-8s %-6s %-14s %12" PRIu64 "\n", "total", "", "", "", total);
		if (overflow)
			fprintf(f, "%" PRIu64 " lookups counted in the overflow row: more than %u "
				"(namespace, table, result) keys; their keys are not told apart\n",
				overflow, NSI_FIB_SLOTS - 1);
	}
	fflush(f);
	if (final) {
		free(rows);
		rows = NULL;
		nrows = 0;
	}
	return 0;
}
