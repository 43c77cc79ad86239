/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight exporter - the long-running agent that serves the tracer's and
 * the module's view of every network namespace to Prometheus.
 *
 *   exporter.c          options, start-up, the collector loop, signals
 *   exporter_route.c    what a request asks for (pure: fuzzed)
 *   exporter_http.c     libmicrohttpd: limits, timeouts, responses
 *   exporter_collect.c  the namespaces and what is read inside them
 *   exporter_render.c   a snapshot as an exposition (lib/expo.c)
 *
 * Two threads share one struct exp_shared: the collector (the main thread:
 * ring buffer, /proc, entering namespaces) builds a new snapshot off-lock
 * and swaps it in; the HTTP thread renders the current one under the lock.
 * Neither does slow work while holding it.
 */
#ifndef NETNSIGHT_EXPORTER_H
#define NETNSIGHT_EXPORTER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/types.h>

#include "../bpf/netnsight_events.h"

struct ctr_info;

/*
 * Default port: outside 9100-9999, the range Prometheus' "Default port
 * allocations" wiki page hands out to exporters (full since 2023), and
 * below Linux's ephemeral range (ip_local_port_range 32768-60999), so an
 * outgoing connection never holds it.  docs/metrics.md says more.
 */
#define EXP_DEFAULT_PORT	19391
#define EXP_DEFAULT_MAX_NS	1000
#define EXP_DEFAULT_MAX_CONN	128
#define EXP_DEFAULT_TIMEOUT_S	10
#define EXP_DEFAULT_REFRESH_MS	1000
/* the largest response we build: ~100 series per namespace fit many times */
#define EXP_MAX_RESPONSE	(64U << 20)

/* --- requests (exporter_route.c, pure) ------------------------------------ */
enum exp_resource { EXP_RES_NONE, EXP_RES_METRICS, EXP_RES_HEALTHZ };

struct exp_route {
	unsigned int status;		/* 200, 404, 405 */
	enum exp_resource res;
	bool openmetrics;		/* /metrics: which format */
};

#define EXP_ALLOW	"GET, HEAD"

/*
 * What @method on @path (no query string: libmicrohttpd splits it off) with
 * an Accept header @accept (NULL: none) gets.  Any bytes, any lengths.
 */
void exporter_route(const char *method, const char *path, const char *accept,
		    struct exp_route *r);
/* Does @accept prefer OpenMetrics 1.0.0 over the text format? */
bool exporter_wants_openmetrics(const char *accept);

/*
 * --listen: "HOST:PORT" (an IPv4 address or "localhost"), "[IPV6]:PORT",
 * ":PORT" (every address: [::] taking IPv4 too).  0, or -EINVAL with @why.
 */
struct exp_listen {
	struct sockaddr_storage ss;
	socklen_t len;
	bool any;			/* ":PORT" */
};
int exporter_parse_listen(const char *s, struct exp_listen *out, const char **why);

/* --- --web-config (exporter_webcfg.c) ------------------------------------- */
#define EXP_MAX_USERS	64

struct exp_webcfg {
	char *cert_file, *key_file;	/* tls_server_config */
	char *cert_pem, *key_pem;	/* their contents (exp_webcfg_load()) */
	struct {
		char *name;
		char *hash;		/* bcrypt */
	} users[EXP_MAX_USERS];		/* basic_auth_users */
	size_t nusers;
};

/* Pure: @text (@len bytes) into @w; -EINVAL with a reason in @why. */
int exp_webcfg_parse(const char *text, size_t len, struct exp_webcfg *w, char *why,
		     size_t whylen);
/* Read and parse @path, then the PEM files; -1 after one line on stderr. */
int exp_webcfg_load(const char *path, struct exp_webcfg *w);
void exp_webcfg_free(struct exp_webcfg *w);
/* Is @pass the password of @user? (NULLs: no) */
bool exp_webcfg_auth(const struct exp_webcfg *w, const char *user, const char *pass);

/* --- options -------------------------------------------------------------- */
struct exp_opts {
	struct exp_listen listen;
	const char *listen_text;
	uint32_t max_ns;		/* per-namespace series for at most this many */
	uint32_t max_conn;
	uint32_t timeout_s;
	uint64_t refresh_ms;
	const char *ready_file;
	const char *web_config;
	struct exp_webcfg web;		/* empty without --web-config */
	int verbose;
};

/* --- the snapshot --------------------------------------------------------- */
#define EXP_MAX_PROTOS	16

struct exp_ns {
	uint32_t ino;
	uint64_t cookie;		/* 0 if unknown */
	char *name;			/* `ip netns` names, comma separated, or "" */
	char *labels;			/* netns, cookie, name: escaped (expo_labels_text()) */
	char state[8];			/* the module's word, or "alive" */
	bool has_age;
	uint64_t age_ms;
	bool has_devices;
	unsigned int devices;
	unsigned int nprotos;		/* sockstat rows read inside it */
	struct {
		char name[16];
		uint32_t inuse;
	} proto[EXP_MAX_PROTOS];
	bool has_conntrack;
	uint64_t conntrack;
	bool stuck;
	uint64_t dying_ms;
	char wait_dev[16];
	uint64_t moved_in, moved_out;	/* from the tracer's move events */
	struct ctr_info *ctr;		/* its container, NULL if none known */
};

struct exp_fib_row {
	struct nsi_fib_key key;
	uint64_t total;
};

struct exp_snap {
	bool module_loaded;
	/* netnsight_namespaces{state}: every namespace, cap or not */
	size_t n_alive, n_dying, n_stuck, n_blocked;
	struct exp_ns *ns;		/* sorted by inode, at most max_ns */
	size_t n;
	size_t left_out;		/* namespaces the cap left out */
	struct exp_fib_row *fib;
	size_t nfib;
	bool fib_overflow_set;
	uint64_t fib_overflow;		/* slot 0: keys past NSI_FIB_SLOTS */
	uint64_t lost_ringbuf, lost_recursion;
	double collect_seconds;
};

/* Histogram bounds, in seconds (exporter_render.c). */
#define EXP_CREATE_BUCKETS	12
#define EXP_TEARDOWN_BUCKETS	12
extern const double exp_create_bounds[EXP_CREATE_BUCKETS];
extern const double exp_teardown_bounds[EXP_TEARDOWN_BUCKETS];

/* What the events add up to: updated by the collector, under the lock. */
struct exp_counters {
	uint64_t created, create_failed, destroyed;
	uint64_t create_hist[EXP_CREATE_BUCKETS + 1];
	double create_sum;
	uint64_t teardown_hist[EXP_TEARDOWN_BUCKETS + 1];
	uint64_t teardown_count;
	double teardown_sum;
	uint64_t series_dropped;	/* namespaces the cap left out, per scrape */
	uint64_t scrapes;
};

struct exp_shared {
	pthread_mutex_t lock;
	struct exp_snap *snap;		/* never NULL once the HTTP thread runs */
	struct exp_counters c;
	const struct exp_opts *opts;
	char kernel[65];		/* uname -r */
};

void exp_snap_free(struct exp_snap *s);
/* Drop namespace @cookie from @s (its destroy event came); under the lock. */
void exp_snap_forget(struct exp_snap *s, uint64_t cookie);
/* Count one observation of @v seconds into @hist over @bounds. */
void exp_observe(uint64_t *hist, const double *bounds, size_t nb, double v);

/* --- collection (exporter_collect.c) -------------------------------------- */
struct trace_session;
struct exp_moves;

/* A fresh snapshot: namespaces, what is inside them, the fib counters. */
struct exp_snap *exp_collect(struct trace_session *ts, const struct exp_opts *o,
			     const struct exp_moves *moves);
/* Device moves seen by the tracer, per namespace cookie. */
struct exp_moves *exp_moves_new(void);
void exp_moves_free(struct exp_moves *m);
void exp_moves_count(struct exp_moves *m, const struct nsi_event *e);
void exp_moves_forget(struct exp_moves *m, uint64_t cookie);

/* --- rendering (exporter_render.c) ---------------------------------------- */
struct expo;
/* @ns's netns, cookie and name labels as escaped text (malloc()ed; NULL: no memory) */
char *exp_ns_labels(const struct exp_ns *ns);
/* Everything, from @sh's snapshot and counters; call with sh->lock held. */
void exp_render(struct exp_shared *sh, struct expo *e, uint64_t start_ns);

/* --- HTTP (exporter_http.c) ----------------------------------------------- */
struct MHD_Daemon;
/* A listening socket on @l; -1 after one line on stderr. */
int exp_http_listen(const struct exp_listen *l, const char *text);
struct MHD_Daemon *exp_http_start(int listen_fd, struct exp_shared *sh);
void exp_http_stop(struct MHD_Daemon *d);

#endif
