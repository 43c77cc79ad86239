// SPDX-License-Identifier: GPL-2.0
/* netnsight trace - human and JSON output (schema: docs/events.md). */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "containers.h"
#include "json.h"
#include "netns.h"
#include "rtnames.h"
#include "sbuf.h"
#include "trace.h"
#include "util.h"

/* "?" for a type newer than we know (rt_type_name() has no word for it) */
const char *trace_rtn_name(unsigned int type)
{
	const char *n = rt_type_name(type);

	return n ? n : "?";
}

static const char *errno_name(int err)
{
	const char *n = strerrorname_np(err < 0 ? -err : err);

	return n ? n : "E?";
}

/* What a fib_table_lookup() error means (fib_props[] in fib_semantics.c). */
static const char *fib_error_hint(int err)
{
	switch (-err) {
	case EAGAIN:
		return "no matching route in this table";
	case ENETUNREACH:
		return "no route";
	case EINVAL:
		return "blackhole route";
	case EHOSTUNREACH:
		return "unreachable route";
	case EACCES:
		return "prohibit route";
	}
	return "";
}

/*
 * "init_net", the ip-netns name(s) namespace @ns has now, the last name it
 * had while we watched, or the inode.  By cookie: inode numbers are
 * reused, and a namespace that got the inode of a deleted named one is
 * not that one.
 */
static void build_label(struct sbuf *sb, const struct nsi_netns *ns, uint64_t now)
{
	char names[256];
	const char *last;

	if (!ns->ino) {
		sb_putc(sb, '?');
		return;
	}
	if (ns->ino == netns_init()) {
		SB_LIT(sb, "init_net");
		return;
	}
	netns_names_at(ns->ino, ns->cookie, names, sizeof(names), now);
	if (names[0]) {
		sb_puts(sb, names);
		return;
	}
	last = netns_last_name(ns->cookie);
	if (last)
		sb_puts(sb, last);
	else
		sb_u64(sb, ns->ino);
}

/*
 * Events come in runs from few namespaces: remember a few labels, by
 * cookie (by inode where the cookie is unknown).  An entry is good while
 * the names were not read again (netns_names_version()) and, for a
 * namespace without a name, for 200 ms -- `ip netns add` mounts the name a
 * moment after the namespace exists.
 */
#define LABELS 8

static struct {
	uint64_t cookie;
	uint32_t ino;
	uint32_t len;
	uint64_t version;
	uint64_t until;
	char text[64];
} labels[LABELS];

/*
 * @now: the event's own time (its hdr.ts_ns) -- a name is judged as of the
 * event, and formatting reads no clock per event.
 */
static void sb_netns(struct sbuf *sb, const struct nsi_netns *ns, uint64_t now)
{
	uint64_t version = netns_names_version(now);
	unsigned int i = (unsigned int)((ns->cookie ? ns->cookie : ns->ino) % LABELS);
	struct sbuf l;

	if (labels[i].ino != ns->ino || labels[i].cookie != ns->cookie ||
	    labels[i].version != version || now > labels[i].until) {
		sb_init(&l, labels[i].text, sizeof(labels[i].text));
		build_label(&l, ns, now);
		labels[i].cookie = ns->cookie;
		labels[i].ino = ns->ino;
		labels[i].len = (uint32_t)l.len;
		/* building may have read the names again */
		labels[i].version = netns_names_version(now);
		/* a bare inode may get its name soon: look again in 200 ms */
		labels[i].until = l.len && l.buf[0] >= '0' && l.buf[0] <= '9' ?
				  now + 200000000ULL : UINT64_MAX;
	}
	sb_putn(sb, labels[i].text, labels[i].len);
}

const char *trace_netns_label(uint32_t ino, uint64_t cookie, char *buf, size_t size)
{
	struct nsi_netns ns = { .cookie = cookie, .ino = ino };
	struct sbuf sb;

	sb_init(&sb, buf, size);
	sb_netns(&sb, &ns, boottime_ns());
	return buf;
}

static void sb_table(struct sbuf *sb, uint32_t id)
{
	const char *n = rt_table_name(id);

	if (n)
		sb_puts(sb, n);
	else
		sb_u64(sb, id);
}

static const char *const sw_how[] = { "?", "setns", "unshare", "clone" };
static const char *const ns_sources[] = { "unknown", "fib_info", "table", "task_table", "arg" };

static void details_create(struct sbuf *sb, const struct nsi_event *e)
{
	if (e->create.err) {
		SB_LIT(sb, "FAILED ");
		sb_puts(sb, errno_name(e->create.err));
		SB_LIT(sb, " parent=");
		sb_netns(sb, &e->create.parent, e->hdr.ts_ns);
	} else {
		SB_LIT(sb, "parent=");
		sb_netns(sb, &e->create.parent, e->hdr.ts_ns);
		SB_LIT(sb, " userns=");
		sb_u64(sb, e->create.userns_ino);
		SB_LIT(sb, " cookie=");
		sb_u64(sb, e->hdr.netns.cookie);
	}
	SB_LIT(sb, " latency=");
	sb_duration(sb, e->create.latency_ns);
}

static void details_destroy(struct sbuf *sb, const struct nsi_event *e)
{
	SB_LIT(sb, "lived=");
	if (e->destroy.lived_ns)
		sb_duration(sb, e->destroy.lived_ns);
	else
		SB_LIT(sb, "? (created before tracing)");
	SB_LIT(sb, " teardown=");
	sb_duration(sb, e->destroy.teardown_ns);
}

static void details_move(struct sbuf *sb, const struct nsi_event *e)
{
	sb_putsn(sb, e->move.old_ifname, NSI_IFNAMSIZ);
	sb_putc(sb, '(');
	sb_i64(sb, e->move.old_ifindex);
	SB_LIT(sb, ") ");
	sb_netns(sb, &e->move.src, e->hdr.ts_ns);
	SB_LIT(sb, " -> ");
	sb_putsn(sb, e->move.new_ifname, NSI_IFNAMSIZ);
	sb_putc(sb, '(');
	sb_i64(sb, e->move.new_ifindex);
	SB_LIT(sb, ") ");
	sb_netns(sb, &e->move.dst, e->hdr.ts_ns);
	if (e->move.err) {
		SB_LIT(sb, " FAILED ");
		sb_puts(sb, errno_name(e->move.err));
	}
}

/*
 * "EINVAL (blackhole route)": a failing lookup fails the same way many
 * times in a row, so the text of the last error is kept.
 */
static void sb_fib_error(struct sbuf *sb, int err)
{
	static char text[96];
	static size_t len;
	static int last;
	struct sbuf t;

	if (err != last) {
		sb_init(&t, text, sizeof(text));
		sb_puts(&t, errno_name(err));
		SB_LIT(&t, " (");
		sb_puts(&t, fib_error_hint(err));
		sb_putc(&t, ')');
		len = t.len;
		last = err;
	}
	sb_putn(sb, text, len);
}

static void details_fib(struct sbuf *sb, const struct nsi_event *e)
{
	if (e->fib.via == NSI_FIB_RULES)
		SB_LIT(sb, "rules table=");
	else
		SB_LIT(sb, "lookup table=");
	sb_table(sb, e->fib.table);
	sb_putc(sb, ' ');
	sb_ip4(sb, e->fib.saddr);
	SB_LIT(sb, " -> ");
	sb_ip4(sb, e->fib.daddr);
	SB_LIT(sb, " oif=");
	sb_i64(sb, e->fib.oif);
	SB_LIT(sb, " iif=");
	sb_i64(sb, e->fib.iif);
	SB_LIT(sb, ": ");
	if (e->fib.err) {
		sb_fib_error(sb, e->fib.err);
		return;
	}
	sb_puts(sb, trace_rtn_name(e->fib.type));
	SB_LIT(sb, " /");
	sb_u64(sb, e->fib.prefixlen);
	SB_LIT(sb, " dev ");
	if (e->fib.nh_ifname[0])
		sb_putsn(sb, e->fib.nh_ifname, NSI_IFNAMSIZ);
	else
		sb_putc(sb, '-');
	if (e->fib.gw) {
		SB_LIT(sb, " via ");
		sb_ip4(sb, e->fib.gw);
	}
}

static void details_switch(struct sbuf *sb, const struct nsi_event *e)
{
	sb_puts(sb, e->sw.how < ARRAY_SIZE(sw_how) ? sw_how[e->sw.how] : "?");
	SB_LIT(sb, " pid=");
	sb_u64(sb, e->sw.target_pid);
	sb_putc(sb, ' ');
	sb_netns(sb, &e->sw.from, e->hdr.ts_ns);
	SB_LIT(sb, " -> ");
	sb_netns(sb, &e->sw.to, e->hdr.ts_ns);
}

static void sb_details(struct sbuf *sb, const struct nsi_event *e)
{
	switch (e->hdr.kind) {
	case NSI_EV_CREATE:
		details_create(sb, e);
		break;
	case NSI_EV_DESTROY:
		details_destroy(sb, e);
		break;
	case NSI_EV_MOVE:
		details_move(sb, e);
		break;
	case NSI_EV_FIB:
		details_fib(sb, e);
		break;
	case NSI_EV_SWITCH:
		details_switch(sb, e);
		break;
	default:
		sb_putc(sb, '?');
	}
}

void trace_format_details(const struct nsi_event *e, char *buf, size_t size)
{
	struct sbuf sb;

	sb_init(&sb, buf, size);
	sb_details(&sb, e);
}

void trace_print_header(FILE *f)
{
	fprintf(f, "%-14s %-3s %-7s %-16s %-7s %-16s %s\n", "TIME(s)", "CPU", "PID",
		"COMM", "EVENT", "NETNS", "DETAILS");
}

static const char *context_name(uint32_t flags)
{
	return flags & NSI_F_HARDIRQ ? "hardirq" : flags & NSI_F_SOFTIRQ ? "softirq" : "task";
}

static void json_netns(struct json *j, const char *key, const struct nsi_netns *ns,
		       uint64_t now)
{
	char names[256];

	json_obj_begin(j, key);
	json_u64(j, "inode", ns->ino);
	if (ns->cookie)
		json_u64(j, "cookie", ns->cookie);
	else
		json_null(j, "cookie");
	/* as the human label: by cookie, the name now or the last one seen */
	if (ns->ino && netns_names_at(ns->ino, ns->cookie, names, sizeof(names), now)[0]) {
		char *comma = strchr(names, ',');

		if (comma)
			*comma = '\0';	/* the first; all names: netnsight ls */
		json_str(j, "name", names);
	} else if (ns->ino && netns_last_name(ns->cookie)) {
		json_str(j, "name", netns_last_name(ns->cookie));
	} else {
		json_null(j, "name");
	}
	json_obj_end(j);
}

static void json_err(struct json *j, int err)
{
	json_i64(j, "error", err);
	if (err)
		json_str(j, "error_name", errno_name(err));
	else
		json_null(j, "error_name");
}

static void json_dur(struct json *j, const char *key, uint64_t ns)
{
	if (ns)
		json_u64(j, key, ns);
	else
		json_null(j, key);
}

/* One JSON object per event: the header's keys, then the kind's (json_*()). */
static void json_create(struct json *j, const struct nsi_event *e)
{
	json_netns(j, "parent", &e->create.parent, e->hdr.ts_ns);
	json_u64(j, "userns_inode", e->create.userns_ino);
	json_u64(j, "latency_ns", e->create.latency_ns);
	json_err(j, e->create.err);
}

static void json_destroy(struct json *j, const struct nsi_event *e)
{
	json_dur(j, "lived_ns", e->destroy.lived_ns);
	json_dur(j, "teardown_ns", e->destroy.teardown_ns);
}

static void json_move(struct json *j, const struct nsi_event *e)
{
	json_strn(j, "ifname", e->move.old_ifname, NSI_IFNAMSIZ);
	json_strn(j, "new_ifname", e->move.new_ifname, NSI_IFNAMSIZ);
	json_i64(j, "old_ifindex", e->move.old_ifindex);
	json_i64(j, "new_ifindex", e->move.new_ifindex);
	json_netns(j, "src", &e->move.src, e->hdr.ts_ns);
	json_netns(j, "dst", &e->move.dst, e->hdr.ts_ns);
	json_u64(j, "latency_ns", e->move.latency_ns);
	json_err(j, e->move.err);
}

/* A lookup's result: all null when it failed (the error says why). */
static void json_fib_result(struct json *j, const struct nsi_event *e)
{
	if (e->fib.err) {
		json_null(j, "type");
		json_null(j, "scope");
		json_null(j, "prefixlen");
		json_null(j, "nexthop");
		return;
	}
	json_str(j, "type", trace_rtn_name(e->fib.type));
	json_u64(j, "scope", e->fib.scope);
	json_u64(j, "prefixlen", e->fib.prefixlen);
	json_obj_begin(j, "nexthop");
	json_i64(j, "ifindex", e->fib.nh_ifindex);
	if (e->fib.nh_ifname[0])
		json_strn(j, "ifname", e->fib.nh_ifname, NSI_IFNAMSIZ);
	else
		json_null(j, "ifname");
	if (e->fib.gw)
		json_ipv4(j, "gateway", e->fib.gw);
	else
		json_null(j, "gateway");
	json_obj_end(j);
}

static void json_fib(struct json *j, const struct nsi_event *e)
{
	json_str(j, "via", e->fib.via == NSI_FIB_RULES ? "rules" : "table");
	json_u64(j, "table", e->fib.table);
	json_str_or_null(j, "table_name", rt_table_name(e->fib.table));
	json_ipv4(j, "dst", e->fib.daddr);
	json_ipv4(j, "src", e->fib.saddr);
	json_i64(j, "oif", e->fib.oif);
	json_i64(j, "iif", e->fib.iif);
	json_u64(j, "tos", e->fib.tos);
	json_u64(j, "proto", e->fib.proto);
	json_u64(j, "mark", e->fib.mark);
	json_err(j, e->fib.err);
	json_fib_result(j, e);
	json_str(j, "netns_source", e->fib.ns_source < ARRAY_SIZE(ns_sources) ?
		 ns_sources[e->fib.ns_source] : "?");
}

static void json_switch(struct json *j, const struct nsi_event *e)
{
	json_str(j, "how", e->sw.how < ARRAY_SIZE(sw_how) ? sw_how[e->sw.how] : "?");
	json_u64(j, "target_pid", e->sw.target_pid);
	json_netns(j, "from", &e->sw.from, e->hdr.ts_ns);
	json_netns(j, "to", &e->sw.to, e->hdr.ts_ns);
}

static const struct ctr_info no_container;

static void print_json(FILE *f, const struct nsi_event *e, const struct ctr_info *c)
{
	static void (*const by_kind[])(struct json *, const struct nsi_event *) = {
		[NSI_EV_CREATE] = json_create,
		[NSI_EV_DESTROY] = json_destroy,
		[NSI_EV_MOVE] = json_move,
		[NSI_EV_FIB] = json_fib,
		[NSI_EV_SWITCH] = json_switch,
	};
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "event", trace_event_name(e->hdr.kind));
	json_u64(&j, "ts_ns", e->hdr.ts_ns);
	json_u64(&j, "cpu", e->hdr.cpu);
	json_u64(&j, "pid", e->hdr.tgid);
	json_u64(&j, "tid", e->hdr.pid);
	json_strn(&j, "comm", e->hdr.comm, sizeof(e->hdr.comm));
	json_str(&j, "context", context_name(e->hdr.flags));
	json_netns(&j, "netns", &e->hdr.netns, e->hdr.ts_ns);
	ctr_json(&j, c ? c : &no_container);
	if (e->hdr.kind < ARRAY_SIZE(by_kind) && by_kind[e->hdr.kind])
		by_kind[e->hdr.kind](&j, e);
	json_obj_end(&j);
}

/*
 * Human lines are formatted straight into one batch and handed to stdio a
 * batch at a time (trace_print_flush(), after each ring-buffer poll): a
 * stdio call per line cost a tenth of a streamed event.
 */
#define LINE_MAX_LEN	1024
static char batch[1 << 16];
static size_t batch_len;

static void batch_write(FILE *f)
{
	if (batch_len)
		fwrite_unlocked(batch, 1, batch_len, f);
	batch_len = 0;
}

void trace_print_flush(FILE *f)
{
	batch_write(f);
	fflush(f);
}

/* TIME CPU PID COMM EVENT NETNS DETAILS, as trace_print_header() says */
static void print_human(FILE *f, const struct nsi_event *e, const struct ctr_info *c)
{
	struct sbuf sb;
	size_t col;

	if (batch_len + LINE_MAX_LEN > sizeof(batch))
		batch_write(f);
	sb_init(&sb, batch + batch_len, LINE_MAX_LEN);
	sb_secs6(&sb, e->hdr.ts_ns);
	sb_col(&sb, 0, 14);
	col = sb.len;
	sb_u64(&sb, e->hdr.cpu);
	sb_col(&sb, col, 3);
	col = sb.len;
	sb_u64(&sb, e->hdr.tgid);
	sb_col(&sb, col, 7);
	col = sb.len;
	sb_putsn(&sb, e->hdr.comm, NSI_COMM_LEN);
	sb_col(&sb, col, 16);
	col = sb.len;
	sb_puts(&sb, trace_event_name(e->hdr.kind));
	sb_col(&sb, col, 7);
	col = sb.len;
	sb_netns(&sb, &e->hdr.netns, e->hdr.ts_ns);
	sb_col(&sb, col, 16);
	sb_details(&sb, e);
	if (c)
		trace_ctr_label(&sb, c);
	if (e->hdr.flags & NSI_F_SOFTIRQ)
		SB_LIT(&sb, " [softirq]");
	else if (e->hdr.flags & NSI_F_HARDIRQ)
		SB_LIT(&sb, " [hardirq]");
	sb_putc(&sb, '\n');
	batch_len += sb.len;
}

void trace_print_event(FILE *f, const struct nsi_event *e, bool json)
{
	const struct ctr_info *c = trace_ctr_of(e);

	if (json)
		print_json(f, e, c);
	else
		print_human(f, e, c);
	/* flushed per batch of events by the caller (trace.c) */
	if (e->hdr.kind == NSI_EV_DESTROY) {
		/* its name and container are said: gone */
		netns_forget(e->hdr.netns.cookie);
		trace_ctr_forget(&e->hdr.netns);
	}
}
