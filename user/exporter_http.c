// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight exporter - HTTP, by libmicrohttpd: it parses every request
 * (we never do), bounds each connection's memory (headers that do not fit
 * MHD_OPTION_CONNECTION_MEMORY_LIMIT get an error from it, not from us),
 * caps the connections and closes idle ones (slowloris).  One epoll thread
 * serves every connection; a scrape renders the snapshot under the lock
 * (exp_render()) into a buffer handed to the response.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <microhttpd.h>

#include "expo.h"
#include "exporter.h"
#include "util.h"

/* per connection: the request line, headers, and what we add to them */
#define CONN_MEMORY	(16U << 10)

static int listen_socket(int family, const struct sockaddr *sa, socklen_t len, bool any)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1, zero = 0;

	if (fd < 0)
		return -errno;
	/*
	 * SO_REUSEADDR lets a restarted exporter bind over its predecessor's
	 * TIME_WAIT connections; Linux still refuses a second *listener* on
	 * the port (inet_csk_bind_conflict()), which is what we want.
	 */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6 && any)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, sa, len) || listen(fd, 128)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int exp_http_listen(const struct exp_listen *l, const char *text)
{
	struct sockaddr_in6 any6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)&l->ss;
	int fd = -EAFNOSUPPORT;

	if (l->any) {
		/* every address: IPv6's any takes IPv4 too, unless IPv6 is off */
		any6.sin6_port = in4->sin_port;
		fd = listen_socket(AF_INET6, (struct sockaddr *)&any6, sizeof(any6), true);
	}
	if (fd == -EAFNOSUPPORT)
		fd = listen_socket(l->ss.ss_family, (const struct sockaddr *)&l->ss, l->len,
				   false);
	if (fd < 0) {
		errmsg("cannot listen on %s: %s%s", text, strerror(-fd),
		       fd == -EADDRINUSE ? " (is another exporter running?)" : "");
		return -1;
	}
	return fd;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned int status,
				 const char *text, const char *allow)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								  MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_metrics(struct MHD_Connection *c, struct exp_shared *sh,
				    bool openmetrics)
{
	uint64_t start = monotonic_ns();
	struct MHD_Response *r;
	enum MHD_Result ret;
	struct expo e;
	size_t len;
	char *buf;

	expo_init(&e, openmetrics, EXP_MAX_RESPONSE);
	pthread_mutex_lock(&sh->lock);
	exp_render(sh, &e, start);
	pthread_mutex_unlock(&sh->lock);
	if (e.overflow) {
		expo_free(&e);
		return send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				 "the exposition did not fit in memory\n", NULL);
	}
	buf = expo_take(&e, &len);
	r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(buf);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				openmetrics ? EXPO_CT_OM : EXPO_CT_TEXT);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static bool authorized(struct MHD_Connection *c, const struct exp_webcfg *w)
{
	char *pass = NULL, *user = MHD_basic_auth_get_username_password(c, &pass);
	bool ok = user && exp_webcfg_auth(w, user, pass);

	MHD_free(user);
	MHD_free(pass);
	return ok;
}

static enum MHD_Result send_401(struct MHD_Connection *c)
{
	static const char text[] = "unauthorized\n";
	struct MHD_Response *r = MHD_create_response_from_buffer(sizeof(text) - 1, (void *)text,
								  MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	ret = MHD_queue_basic_auth_fail_response(c, "netnsight", r);
	MHD_destroy_response(r);
	return ret;
}

/*
 * libmicrohttpd calls this once when the headers are in (*con_cls NULL),
 * then once per piece of body, then with *upload_size 0: we answer then,
 * having thrown any body away (nothing we serve takes one).
 */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	static int started;
	struct exp_shared *sh = cls;
	struct exp_route rt;

	(void)version;
	(void)upload_data;
	if (!*con_cls) {
		*con_cls = &started;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	/* basic auth before anything else, as exporter-toolkit does it */
	if (sh->opts->web.nusers && !authorized(c, &sh->opts->web))
		return send_401(c);
	exporter_route(method, url,
		       MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT),
		       &rt);
	if (rt.status == 404)
		return send_text(c, MHD_HTTP_NOT_FOUND, "not found: try /metrics\n", NULL);
	if (rt.status == 405)
		return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n",
				 EXP_ALLOW);
	if (rt.res == EXP_RES_HEALTHZ)
		return send_text(c, MHD_HTTP_OK, "ok\n", NULL);
	return send_metrics(c, sh, rt.openmetrics);
}

static int http_verbose;

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (!http_verbose)
		return;
	fputs("netnsight exporter: http: ", stderr);
	vfprintf(stderr, fmt, ap);
}

struct MHD_Daemon *exp_http_start(int listen_fd, struct exp_shared *sh)
{
	const struct exp_opts *o = sh->opts;
	unsigned int flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	struct MHD_OptionItem tls[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, o->web.cert_pem },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, o->web.key_pem },
		{ MHD_OPTION_END, 0, NULL },
	};
	struct MHD_Daemon *d;

	http_verbose = o->verbose;
	if (o->web.cert_pem) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			errmsg("this libmicrohttpd has no TLS (GnuTLS): tls_server_config "
			       "cannot be served");
			return NULL;
		}
		flags |= MHD_USE_TLS;
	} else {
		tls[0].option = MHD_OPTION_END;
	}
	/* MHD_USE_EPOLL_INTERNAL_THREAD: one thread, no FD_SETSIZE limit */
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, sh,
			     /* first: it covers what the other options report */
			     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			     MHD_OPTION_LISTEN_SOCKET, listen_fd,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)o->max_conn,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)o->timeout_s,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
			     MHD_OPTION_ARRAY, tls,
			     MHD_OPTION_END);
	if (!d)
		errmsg("cannot start the HTTP server (libmicrohttpd) on %s%s", o->listen_text,
		       o->web.cert_pem ? " (are cert_file and key_file a matching PEM pair?)" : "");
	return d;
}

void exp_http_stop(struct MHD_Daemon *d)
{
	if (d)
		MHD_stop_daemon(d);
}
