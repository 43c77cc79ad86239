// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight exporter - what a request asks for, and --listen.
 *
 * Pure functions over strings (no allocation, no I/O): libmicrohttpd has
 * parsed the request line and headers; here we only decide.  Fuzzed by
 * fuzz/fuzz_exporter_route.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exporter.h"
#include "util.h"

/* RFC 9110 12.4.2: "q=" 0, 0.x, 0.xxx, 1, 1.000 -> 0..1000; -1 if malformed */
static int parse_q(const char *p, size_t n)
{
	int q, scale = 100;
	size_t i;

	if (!n || (p[0] != '0' && p[0] != '1'))
		return -1;
	q = (p[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (p[1] != '.' || n > 5)
		return -1;
	for (i = 2; i < n; i++, scale /= 10) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		q += (p[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* the text between @p and @end without blanks around it */
static size_t trim(const char **p, const char *end)
{
	const char *e = end;

	*p = skip_ws(*p, end);
	while (e > *p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return (size_t)(e - *p);
}

static bool token_is(const char *p, size_t n, const char *lit)
{
	return strlen(lit) == n && !strncasecmp(p, lit, n);
}

enum media { MEDIA_OTHER, MEDIA_OM, MEDIA_TEXT };

/*
 * One media range "type/subtype;param=v;q=0.5" between @p and @end: which of
 * ours it covers and its q (1000 when none is given).  OpenMetrics counts
 * only for the versions we write (1.0.0; 0.0.1, what Prometheus also
 * offers, is the same grammar) or none named.
 */
static enum media media_range(const char *p, const char *end, int *q)
{
	const char *semi = memchr(p, ';', (size_t)(end - p));
	const char *type = p, *param, *eq, *next;
	size_t tlen = trim(&type, semi ? semi : end), plen, vlen;
	bool version_ok = true;

	*q = 1000;
	for (param = semi; param && param < end; param = next) {
		param++;
		next = memchr(param, ';', (size_t)(end - param));
		plen = trim(&param, next ? next : end);
		eq = memchr(param, '=', plen);
		if (!eq)
			continue;
		vlen = (size_t)(param + plen - eq - 1);
		if (token_is(param, (size_t)(eq - param), "q"))
			*q = parse_q(eq + 1, vlen);
		else if (token_is(param, (size_t)(eq - param), "version"))
			version_ok = token_is(eq + 1, vlen, "1.0.0") ||
				     token_is(eq + 1, vlen, "0.0.1");
	}
	if (*q < 0)
		*q = 0;	/* a malformed q: as if not acceptable */
	if (token_is(type, tlen, "application/openmetrics-text"))
		return version_ok ? MEDIA_OM : MEDIA_OTHER;
	if (token_is(type, tlen, "text/plain") || token_is(type, tlen, "text/*") ||
	    token_is(type, tlen, "*/*"))
		return MEDIA_TEXT;
	return MEDIA_OTHER;
}

/*
 * Prometheus sends "application/openmetrics-text;version=1.0.0,...,
 * text/plain;version=0.0.4;q=0.5,*\/\*;q=0.1": OpenMetrics when it is
 * acceptable and at least as wanted as text; text otherwise (also when
 * nothing we have is acceptable: a scraper that sends an odd Accept
 * still gets metrics, as every Prometheus client library does).
 */
bool exporter_wants_openmetrics(const char *accept)
{
	const char *p = accept, *end, *comma;
	int om = 0, text = 0, q;

	if (!accept)
		return false;
	end = accept + strlen(accept);
	for (; p < end; p = comma + 1) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (!comma)
			comma = end;
		switch (media_range(p, comma, &q)) {
		case MEDIA_OM:
			om = q > om ? q : om;
			break;
		case MEDIA_TEXT:
			text = q > text ? q : text;
			break;
		default:
			break;
		}
	}
	return om > 0 && om >= text;
}

void exporter_route(const char *method, const char *path, const char *accept,
		    struct exp_route *r)
{
	memset(r, 0, sizeof(*r));
	if (path && !strcmp(path, "/metrics"))
		r->res = EXP_RES_METRICS;
	else if (path && !strcmp(path, "/healthz"))
		r->res = EXP_RES_HEALTHZ;
	if (r->res == EXP_RES_NONE) {
		r->status = 404;
		return;
	}
	/* methods are case-sensitive (RFC 9110 9.1) */
	if (!method || (strcmp(method, "GET") && strcmp(method, "HEAD"))) {
		r->status = 405;
		return;
	}
	r->status = 200;
	r->openmetrics = r->res == EXP_RES_METRICS && exporter_wants_openmetrics(accept);
}

static int listen_port(const char *s, uint16_t *port)
{
	uint32_t v;

	if (parse_u32(s, &v) || v == 0 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int exporter_parse_listen(const char *s, struct exp_listen *out, const char **why)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&out->ss;
	const char *colon, *close;
	char host[INET6_ADDRSTRLEN + 1];
	uint16_t port;
	size_t hlen;

	memset(out, 0, sizeof(*out));
	*why = "expected HOST:PORT, [IPV6]:PORT or :PORT (HOST an IPv4 address or localhost)";
	if (!s)
		return -EINVAL;
	if (s[0] == '[') {
		close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof(host))
			return -EINVAL;
		hlen = (size_t)(close - s - 1);
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
		if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1)
			return -EINVAL;
		colon = close + 1;
		out->ss.ss_family = AF_INET6;
		out->len = sizeof(*in6);
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof(host))
			return -EINVAL;
		hlen = (size_t)(colon - s);
		memcpy(host, s, hlen);
		host[hlen] = '\0';
		out->any = !hlen;
		out->ss.ss_family = AF_INET;
		out->len = sizeof(*in4);
		if (!strcmp(host, "localhost"))
			in4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		else if (hlen && inet_pton(AF_INET, host, &in4->sin_addr) != 1)
			return -EINVAL;
	}
	if (listen_port(colon + 1, &port)) {
		*why = "the port must be a number 1..65535";
		return -EINVAL;
	}
	if (out->ss.ss_family == AF_INET6)
		in6->sin6_port = htons(port);
	else
		in4->sin_port = htons(port);
	return 0;
}
