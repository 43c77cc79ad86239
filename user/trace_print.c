// SPDX-License-Identifier: GPL-2.0
/* netnsight trace - human and JSON output (schema: docs/events.md). */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "json.h"
#include "netns.h"
#include "trace.h"
#include "util.h"

/* include/uapi/linux/rtnetlink.h, enum rtn type */
static const char *const rtn_names[] = {
	"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
	"blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve",
};

const char *trace_rtn_name(unsigned int type)
{
	return type < ARRAY_SIZE(rtn_names) ? rtn_names[type] : "?";
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

/* init_net has no fixed inode on these kernels: it is PID 1's namespace. */
static uint32_t init_net_ino(void)
{
	static uint32_t ino;

	if (!ino)
		ino = netns_ino_of_path("/proc/1/ns/net");
	return ino;
}

const char *trace_netns_label(uint32_t ino, char *buf, size_t size)
{
	char names[256];

	if (!ino) {
		snprintf(buf, size, "?");
		return buf;
	}
	if (ino == init_net_ino()) {
		snprintf(buf, size, "init_net");
		return buf;
	}
	netns_names(ino, names, sizeof(names));
	if (names[0])
		snprintf(buf, size, "%s", names);
	else if (netns_last_name(ino))
		snprintf(buf, size, "%s", netns_last_name(ino));
	else
		snprintf(buf, size, "%u", ino);
	return buf;
}

static const char *ip4(uint32_t a, char *buf)
{
	struct in_addr in = { .s_addr = a };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static const char *table_label(uint32_t id, char *buf, size_t size)
{
	const char *n = trace_table_name(id);

	if (n)
		snprintf(buf, size, "%s", n);
	else
		snprintf(buf, size, "%u", id);
	return buf;
}

static const char *const sw_how[] = { "?", "setns", "unshare", "clone" };
static const char *const ns_sources[] = { "unknown", "fib_info", "table", "task_table", "arg" };

static void fmt_ms(char *buf, size_t size, uint64_t ns)
{
	if (ns >= 1000000000ULL)
		snprintf(buf, size, "%.2fs", (double)ns / 1e9);
	else
		snprintf(buf, size, "%.3fms", (double)ns / 1e6);
}

void trace_format_details(const struct nsi_event *e, char *buf, size_t size)
{
	char a[64], b[64], t[INET_ADDRSTRLEN], u[INET_ADDRSTRLEN], d[32], tb[16];

	switch (e->hdr.kind) {
	case NSI_EV_CREATE:
		fmt_ms(d, sizeof(d), e->create.latency_ns);
		if (e->create.err)
			snprintf(buf, size, "FAILED %s parent=%s latency=%s",
				 errno_name(e->create.err),
				 trace_netns_label(e->create.parent.ino, a, sizeof(a)), d);
		else
			snprintf(buf, size, "parent=%s userns=%u cookie=%llu latency=%s",
				 trace_netns_label(e->create.parent.ino, a, sizeof(a)),
				 e->create.userns_ino,
				 (unsigned long long)e->hdr.netns.cookie, d);
		break;
	case NSI_EV_DESTROY:
		fmt_ms(d, sizeof(d), e->destroy.teardown_ns);
		if (e->destroy.lived_ns) {
			fmt_ms(a, sizeof(a), e->destroy.lived_ns);
			snprintf(buf, size, "lived=%s teardown=%s", a, d);
		} else {
			snprintf(buf, size, "lived=? (created before tracing) teardown=%s", d);
		}
		break;
	case NSI_EV_MOVE:
		snprintf(buf, size, "%s(%d) %s -> %s(%d) %s%s%s",
			 e->move.old_ifname, e->move.old_ifindex,
			 trace_netns_label(e->move.src.ino, a, sizeof(a)),
			 e->move.new_ifname, e->move.new_ifindex,
			 trace_netns_label(e->move.dst.ino, b, sizeof(b)),
			 e->move.err ? " FAILED " : "",
			 e->move.err ? errno_name(e->move.err) : "");
		break;
	case NSI_EV_FIB: {
		int n = snprintf(buf, size, "%s table=%s %s -> %s oif=%d iif=%d: ",
				 e->fib.via == NSI_FIB_RULES ? "rules" : "lookup",
				 table_label(e->fib.table, tb, sizeof(tb)),
				 ip4(e->fib.saddr, t), ip4(e->fib.daddr, u),
				 e->fib.oif, e->fib.iif);

		if (n < 0 || (size_t)n >= size)
			break;
		if (e->fib.err)
			snprintf(buf + n, size - (size_t)n, "%s (%s)",
				 errno_name(e->fib.err), fib_error_hint(e->fib.err));
		else
			snprintf(buf + n, size - (size_t)n, "%s /%u dev %s%s%s",
				 trace_rtn_name(e->fib.type), e->fib.prefixlen,
				 e->fib.nh_ifname[0] ? e->fib.nh_ifname : "-",
				 e->fib.gw ? " via " : "", e->fib.gw ? ip4(e->fib.gw, t) : "");
		break;
	}
	case NSI_EV_SWITCH:
		snprintf(buf, size, "%s pid=%u %s -> %s",
			 e->sw.how < ARRAY_SIZE(sw_how) ? sw_how[e->sw.how] : "?",
			 e->sw.target_pid,
			 trace_netns_label(e->sw.from.ino, a, sizeof(a)),
			 trace_netns_label(e->sw.to.ino, b, sizeof(b)));
		break;
	default:
		snprintf(buf, size, "?");
	}
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

static void json_netns(struct json *j, const char *key, const struct nsi_netns *ns)
{
	char names[256];

	json_obj_begin(j, key);
	json_u64(j, "inode", ns->ino);
	if (ns->cookie)
		json_u64(j, "cookie", ns->cookie);
	else
		json_null(j, "cookie");
	if (ns->ino && netns_names(ns->ino, names, sizeof(names))[0]) {
		char *comma = strchr(names, ',');

		if (comma)
			*comma = '\0';	/* the first; all names: netnsight ls */
		json_str(j, "name", names);
	} else if (ns->ino && netns_last_name(ns->ino)) {
		json_str(j, "name", netns_last_name(ns->ino));
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

static void print_json(FILE *f, const struct nsi_event *e)
{
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
	json_netns(&j, "netns", &e->hdr.netns);
	switch (e->hdr.kind) {
	case NSI_EV_CREATE:
		json_netns(&j, "parent", &e->create.parent);
		json_u64(&j, "userns_inode", e->create.userns_ino);
		json_u64(&j, "latency_ns", e->create.latency_ns);
		json_err(&j, e->create.err);
		break;
	case NSI_EV_DESTROY:
		json_dur(&j, "lived_ns", e->destroy.lived_ns);
		json_dur(&j, "teardown_ns", e->destroy.teardown_ns);
		break;
	case NSI_EV_MOVE:
		json_strn(&j, "ifname", e->move.old_ifname, NSI_IFNAMSIZ);
		json_strn(&j, "new_ifname", e->move.new_ifname, NSI_IFNAMSIZ);
		json_i64(&j, "old_ifindex", e->move.old_ifindex);
		json_i64(&j, "new_ifindex", e->move.new_ifindex);
		json_netns(&j, "src", &e->move.src);
		json_netns(&j, "dst", &e->move.dst);
		json_u64(&j, "latency_ns", e->move.latency_ns);
		json_err(&j, e->move.err);
		break;
	case NSI_EV_FIB:
		json_str(&j, "via", e->fib.via == NSI_FIB_RULES ? "rules" : "table");
		json_u64(&j, "table", e->fib.table);
		if (trace_table_name(e->fib.table))
			json_str(&j, "table_name", trace_table_name(e->fib.table));
		else
			json_null(&j, "table_name");
		json_ipv4(&j, "dst", e->fib.daddr);
		json_ipv4(&j, "src", e->fib.saddr);
		json_i64(&j, "oif", e->fib.oif);
		json_i64(&j, "iif", e->fib.iif);
		json_u64(&j, "tos", e->fib.tos);
		json_u64(&j, "proto", e->fib.proto);
		json_u64(&j, "mark", e->fib.mark);
		json_err(&j, e->fib.err);
		if (e->fib.err) {
			json_null(&j, "type");
			json_null(&j, "prefixlen");
			json_null(&j, "nexthop");
		} else {
			json_str(&j, "type", trace_rtn_name(e->fib.type));
			json_u64(&j, "scope", e->fib.scope);
			json_u64(&j, "prefixlen", e->fib.prefixlen);
			json_obj_begin(&j, "nexthop");
			json_i64(&j, "ifindex", e->fib.nh_ifindex);
			if (e->fib.nh_ifname[0])
				json_strn(&j, "ifname", e->fib.nh_ifname, NSI_IFNAMSIZ);
			else
				json_null(&j, "ifname");
			if (e->fib.gw)
				json_ipv4(&j, "gateway", e->fib.gw);
			else
				json_null(&j, "gateway");
			json_obj_end(&j);
		}
		json_str(&j, "netns_source", e->fib.ns_source < ARRAY_SIZE(ns_sources) ?
			 ns_sources[e->fib.ns_source] : "?");
		break;
	case NSI_EV_SWITCH:
		json_str(&j, "how", e->sw.how < ARRAY_SIZE(sw_how) ? sw_how[e->sw.how] : "?");
		json_u64(&j, "target_pid", e->sw.target_pid);
		json_netns(&j, "from", &e->sw.from);
		json_netns(&j, "to", &e->sw.to);
		break;
	}
	json_obj_end(&j);
}

void trace_print_event(FILE *f, const struct nsi_event *e, bool json)
{
	char ns[64], details[512], comm[NSI_COMM_LEN + 1];

	if (json) {
		print_json(f, e);
	} else {
		memcpy(comm, e->hdr.comm, NSI_COMM_LEN);
		comm[NSI_COMM_LEN] = '\0';
		trace_format_details(e, details, sizeof(details));
		fprintf(f, "%-14.6f %-3u %-7u %-16s %-7s %-16s %s%s\n",
			(double)e->hdr.ts_ns / 1e9, e->hdr.cpu, e->hdr.tgid, comm,
			trace_event_name(e->hdr.kind),
			trace_netns_label(e->hdr.netns.ino, ns, sizeof(ns)), details,
			e->hdr.flags & NSI_F_SOFTIRQ ? " [softirq]" :
			e->hdr.flags & NSI_F_HARDIRQ ? " [hardirq]" : "");
	}
	/* a reader of a pipe sees each event as it happens */
	fflush(f);
	if (e->hdr.kind == NSI_EV_DESTROY)
		netns_forget(e->hdr.netns.ino);	/* its inode may be reused */
}

static void json_per_cpu(struct json *j, const char *key, const uint64_t *v, int n)
{
	int c;

	json_arr_begin(j, key);
	for (c = 0; c < n; c++)
		json_u64(j, NULL, v[c]);
	json_arr_end(j);
}

void trace_print_lost(FILE *f, bool json, uint64_t new_lost, uint64_t total,
		      const uint64_t *per_cpu, int nr_cpus)
{
	struct json j;

	if (!json) {
		fprintf(stderr, "netnsight: lost %" PRIu64 " events (%" PRIu64
			" in all): the ring buffer was full; try --ringbuf-size or filters\n",
			new_lost, total);
		return;
	}
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "event", "lost");
	json_u64(&j, "ts_ns", boottime_ns());
	json_u64(&j, "lost", new_lost);
	json_u64(&j, "total_lost", total);
	json_per_cpu(&j, "per_cpu", per_cpu, nr_cpus);
	json_obj_end(&j);
	fflush(f);
}

void trace_print_summary(FILE *f, bool json, uint64_t events, uint64_t lost,
			 uint64_t generated, const uint64_t *per_cpu, int nr_cpus)
{
	struct json j;

	if (!json) {
		fprintf(stderr, "netnsight: %" PRIu64 " events delivered, %" PRIu64 " lost\n",
			events, lost);
		return;
	}
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "event", "summary");
	json_u64(&j, "ts_ns", boottime_ns());
	json_u64(&j, "delivered", events);
	json_u64(&j, "lost", lost);
	json_u64(&j, "generated", generated);
	json_per_cpu(&j, "lost_per_cpu", per_cpu, nr_cpus);
	json_obj_end(&j);
	fflush(f);
}
