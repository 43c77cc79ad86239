// SPDX-License-Identifier: GPL-2.0
/* netnsight - each namespace's container, kept for its life (ctr_cache.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctr_cache.h"
#include "util.h"

#define RECHECK_NS	10000000000ULL

static uint64_t key_of(uint64_t cookie, uint32_t ino)
{
	return cookie ? cookie : ino;
}

static struct ctr_cache_entry **slot_of(struct ctr_cache *c, uint64_t key)
{
	/* Fibonacci hashing: the top 10 bits of key * 2^64/phi */
	struct ctr_cache_entry **p = &c->bucket[(key * 0x9e3779b97f4a7c15ULL) >> 54];

	while (*p && (*p)->key != key)
		p = &(*p)->next;
	return p;
}

struct ctr_cache_entry *ctr_cache_get(struct ctr_cache *c, uint64_t cookie, uint32_t ino,
				      uint64_t now, bool *is_new)
{
	struct ctr_cache_entry **p = slot_of(c, key_of(cookie, ino)), *e;

	if (is_new)
		*is_new = false;
	if (*p || c->n >= CTR_CACHE_MAX)
		return *p;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->key = key_of(cookie, ino);
	e->ino = ino;
	e->state = CTR_WAITING;
	e->first_seen = now;
	*p = e;
	c->n++;
	c->waiting++;
	if (is_new)
		*is_new = true;
	return e;
}

void ctr_cache_set(struct ctr_cache *c, struct ctr_cache_entry *e, const struct ctr_info *info)
{
	if (e->state != CTR_WAITING)
		return;
	c->waiting--;
	e->state = CTR_NONE;
	if (info) {
		e->info = malloc(sizeof(*e->info));
		if (e->info) {
			*e->info = *info;
			e->state = CTR_KNOWN;
		}
	}
}

void ctr_cache_rewait(struct ctr_cache *c, struct ctr_cache_entry *e, uint64_t now)
{
	if (e->state != CTR_NONE)
		return;
	e->state = CTR_WAITING;
	e->first_seen = now;
	c->waiting++;
}

void ctr_cache_judge(struct ctr_cache *c, uint32_t ino, const struct ctr_info *info)
{
	struct ctr_cache_entry *e;
	size_t b;

	for (b = 0; b < CTR_CACHE_BUCKETS && c->waiting; b++)
		for (e = c->bucket[b]; e; e = e->next)
			if (e->state == CTR_WAITING && e->ino == ino)
				ctr_cache_set(c, e, info);
}

int cmp_u32_key(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

uint32_t *ctr_cache_waiting(struct ctr_cache *c, uint64_t now, size_t *n)
{
	struct ctr_cache_entry *e;
	uint32_t *v;
	size_t b;

	*n = 0;
	if (!c->waiting)
		return NULL;
	v = malloc(c->waiting * sizeof(*v));
	if (!v)
		return NULL;
	for (b = 0; b < CTR_CACHE_BUCKETS; b++)
		for (e = c->bucket[b]; e; e = e->next) {
			if (e->state != CTR_WAITING)
				continue;
			if (now - e->first_seen > CTR_CACHE_WAIT_NS)
				ctr_cache_set(c, e, NULL);	/* nothing came: stop asking */
			else
				v[(*n)++] = e->ino;
		}
	if (!*n) {
		free(v);
		return NULL;
	}
	qsort(v, *n, sizeof(*v), cmp_u32_key);
	return v;
}

static void drop(struct ctr_cache *c, struct ctr_cache_entry **p)
{
	struct ctr_cache_entry *e = *p;

	*p = e->next;
	if (e->state == CTR_WAITING)
		c->waiting--;
	free(e->info);
	free(e);
	c->n--;
}

void ctr_cache_forget(struct ctr_cache *c, uint64_t cookie, uint32_t ino)
{
	struct ctr_cache_entry **p = slot_of(c, key_of(cookie, ino));

	if (*p)
		drop(c, p);
}

void ctr_cache_sweep(struct ctr_cache *c, uint64_t mark)
{
	struct ctr_cache_entry **p;
	size_t b;

	for (b = 0; b < CTR_CACHE_BUCKETS; b++)
		for (p = &c->bucket[b]; *p;)
			if ((*p)->mark != mark)
				drop(c, p);
			else
				p = &(*p)->next;
}

void ctr_cache_free(struct ctr_cache *c)
{
	size_t b;

	for (b = 0; b < CTR_CACHE_BUCKETS; b++)
		while (c->bucket[b])
			drop(c, &c->bucket[b]);
}

/*
 * Where the runtimes keep their state, rootful (containers_id.c reads
 * inside these), and the cgroups kubelet and systemd-machined make.
 */
static const char *const runtime_dirs[] = {
	"/run/crun", "/run/runc", "/run/containerd", "/run/docker", "/run/libpod",
	"/run/containers", "/var/lib/docker/containers", "/run/lxc",
	"/sys/fs/cgroup/kubepods.slice", "/sys/fs/cgroup/kubepods",
	"/sys/fs/cgroup/machine.slice",
};

bool ctr_runtimes_present(uint64_t now)
{
	static uint64_t checked;
	static bool present;
	struct stat st;
	size_t i;

	if (checked && now - checked < RECHECK_NS)
		return present;
	checked = now;
	present = false;
	for (i = 0; i < ARRAY_SIZE(runtime_dirs) && !present; i++)
		present = !stat(runtime_dirs[i], &st);
	return present;
}
