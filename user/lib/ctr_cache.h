/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - what is known of each namespace's container, kept for the
 * namespace's life: the tracer labels events with it, the exporter its
 * info series.  A namespace starts "waiting" (its container, if any, may
 * not have started yet: podman and CNI plugins make the namespace first),
 * becomes "known" when a process inside it is found in a container, or
 * "none" when its owner gives up (CTR_CACHE_WAIT_NS after it was first
 * seen).  Keyed by cookie (inode numbers are reused), the inode where the
 * kernel gives no cookie.
 */
#ifndef NETNSIGHT_CTR_CACHE_H
#define NETNSIGHT_CTR_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "containers.h"

#define CTR_CACHE_BUCKETS	1024
#define CTR_CACHE_MAX		65536		/* namespaces tracked at most */
#define CTR_CACHE_WAIT_NS	30000000000ULL	/* "none" after 30 s */

enum ctr_cache_state { CTR_WAITING, CTR_KNOWN, CTR_NONE };

struct ctr_cache_entry {
	struct ctr_cache_entry *next;
	uint64_t key;
	uint32_t ino;
	enum ctr_cache_state state;
	uint64_t first_seen;		/* the owner's clock, ns */
	uint64_t mark;			/* the owner's: e.g. the last collection seen in */
	unsigned int holders;		/* the owner's: holders when last judged */
	struct ctr_info *info;		/* CTR_KNOWN only */
};

struct ctr_cache {
	struct ctr_cache_entry *bucket[CTR_CACHE_BUCKETS];
	unsigned int n, waiting;
};

/*
 * The entry of (@cookie, @ino), made (waiting, first seen @now) if new;
 * NULL when the cache is full or memory is short.  *@is_new (may be NULL)
 * says whether it was just made.
 */
struct ctr_cache_entry *ctr_cache_get(struct ctr_cache *c, uint64_t cookie, uint32_t ino,
				      uint64_t now, bool *is_new);
/* A waiting entry is now known (@info) or none (@info NULL). */
void ctr_cache_set(struct ctr_cache *c, struct ctr_cache_entry *e, const struct ctr_info *info);
/*
 * A "none" entry waits again from @now: something entered the namespace
 * (a setns into it, a new holder), which may be its container starting late.
 */
void ctr_cache_rewait(struct ctr_cache *c, struct ctr_cache_entry *e, uint64_t now);
/* Every waiting entry of inode @ino is now known as @info. */
void ctr_cache_judge(struct ctr_cache *c, uint32_t ino, const struct ctr_info *info);
/*
 * Waiting entries first seen more than CTR_CACHE_WAIT_NS before @now become
 * none; the inodes of those still waiting, sorted, into a new array (*@n of
 * them; NULL if none or no memory; the caller frees).
 */
uint32_t *ctr_cache_waiting(struct ctr_cache *c, uint64_t now, size_t *n);
/* qsort()/bsearch() order of uint32_t inodes */
int cmp_u32_key(const void *a, const void *b);
void ctr_cache_forget(struct ctr_cache *c, uint64_t cookie, uint32_t ino);
/* Forget every entry whose mark is not @mark (not seen this time). */
void ctr_cache_sweep(struct ctr_cache *c, uint64_t mark);
void ctr_cache_free(struct ctr_cache *c);

/*
 * Is any container runtime's state on this machine (its state
 * directories, a kubepods or machine.slice cgroup)?  Looked for again
 * every 10 s of @now; without one, callers track nothing.
 */
bool ctr_runtimes_present(uint64_t now);

#endif
