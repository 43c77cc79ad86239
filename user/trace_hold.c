// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight trace - holding a create event until its namespace is named.
 *
 * `ip netns add X` (iproute2's netns_add()) creates the file
 * /run/netns/X, unshare()s into a new namespace -- the create event -- then
 * bind-mounts /proc/self/ns/net on the file and setns()es back.  Printed
 * at once, most of its create events had no name yet.  So a successful
 * create is held until one of:
 *
 *   - the namespace has a name (the names read again when a name file or
 *     a mount changed, looked at every HOLD_RECHECK_MS);
 *   - the creating thread is no longer in it: it exited (unshare -n true),
 *     went back (ip netns add, after its mount), or never was (a clone()
 *     gives the namespace to the child).  The names are read once more
 *     after that was seen: a mount made before leaving is visible then;
 *   - TRACE_HOLD_MS passed (a process that stays, unshare -n sleep);
 *   - HOLD_MAX events wait behind it;
 *   - the tracer exits (trace_hold_flush()).
 *
 * Output is never reordered: while one event is held, every later event
 * waits behind it, and they go out in the order they came.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "netns.h"
#include "trace.h"
#include "util.h"

#define HOLD_RECHECK_MS	10
#define HOLD_MAX	8192	/* 1.3 MB of events behind a held create */

struct held {
	struct nsi_event e;
	uint64_t until;		/* CLOCK_MONOTONIC ns; 0: need not wait */
};

static struct held *q;		/* a ring of HOLD_MAX */
static size_t q_head, q_len;
static trace_out_fn out_fn;
static void *out_ctx;
static uint64_t checked_ns;	/* the last look at names and creator */

void trace_hold_init(trace_out_fn out, void *ctx)
{
	out_fn = out;
	out_ctx = ctx;
}

static bool wants_name(const struct nsi_event *e)
{
	return e->hdr.kind == NSI_EV_CREATE && !e->create.err && e->hdr.netns.ino;
}

static bool has_name(const struct nsi_event *e)
{
	char names[64];

	return netns_names_at(e->hdr.netns.ino, e->hdr.netns.cookie, names, sizeof(names),
			      boottime_ns())[0];
}

/* The creating thread is gone from the new namespace (or never was in it). */
static bool creator_left(const struct nsi_event *e)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%u/task/%u/ns/net", e->hdr.tgid, e->hdr.pid);
	return stat(path, &st) || (uint32_t)st.st_ino != e->hdr.netns.ino;
}

/* May the event at the head go out at @now? */
static bool ready(struct held *h, uint64_t now)
{
	bool left;

	if (!h->until)
		return true;
	if (now >= h->until) {
		netns_names_refresh();	/* a last look */
		return true;
	}
	if (now - checked_ns < HOLD_RECHECK_MS * 1000000ULL)
		return false;
	checked_ns = now;
	left = creator_left(&h->e);	/* first: its mount is made before it leaves */
	netns_names_refresh();
	return left || has_name(&h->e);
}

static void pop_out(void)
{
	struct held *h = &q[q_head];

	q_head = (q_head + 1) % HOLD_MAX;
	q_len--;
	out_fn(out_ctx, &h->e);
}

int trace_hold_pump(void)
{
	uint64_t now, wake;

	if (!q_len)
		return -1;
	now = monotonic_ns();
	while (q_len) {
		struct held *h = &q[q_head];

		if (!ready(h, now)) {
			wake = checked_ns + HOLD_RECHECK_MS * 1000000ULL;
			if (wake > h->until)
				wake = h->until;
			return wake > now ? (int)((wake - now + 999999) / 1000000) : 0;
		}
		pop_out();
	}
	return -1;
}

void trace_hold_event(const struct nsi_event *e)
{
	struct held *h;

	if (!q_len && !wants_name(e)) {
		out_fn(out_ctx, e);
		return;
	}
	if (!q) {
		q = calloc(HOLD_MAX, sizeof(*q));
		if (!q) {
			out_fn(out_ctx, e);	/* no room to hold it: unnamed then */
			return;
		}
	}
	if (q_len == HOLD_MAX)
		pop_out();		/* bounded: the oldest goes, named or not */
	h = &q[(q_head + q_len++) % HOLD_MAX];
	memcpy(&h->e, e, sizeof(*e));
	h->until = wants_name(e) ? monotonic_ns() + TRACE_HOLD_MS * 1000000ULL : 0;
	if (h->until)
		checked_ns = 0;		/* look at this one at once */
	trace_hold_pump();
}

void trace_hold_flush(void)
{
	if (q_len)
		netns_names_refresh();
	while (q_len)
		pop_out();
	free(q);
	q = NULL;
	q_head = 0;
}
