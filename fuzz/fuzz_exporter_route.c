// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_exporter_route - what the exporter does with a request
 * (user/exporter_route.c): method, path and Accept, as libmicrohttpd hands
 * them over, and --listen.
 *
 * The input is "METHOD\nPATH\nACCEPT" (any bytes; missing parts are NULL).
 * The model: 200 exactly for GET or HEAD of /metrics or /healthz, 404 for
 * every other path whatever the method, 405 otherwise; OpenMetrics only
 * for /metrics, and never unless Accept names application/openmetrics-text
 * (any case).  ACCEPT is also parsed as a --listen address: what parses
 * has a port, and printed back with inet_ntop() parses to the same address.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>

#include "exporter.h"
#include "fuzz_common.h"

FUZZ_QUIET_INIT

static bool contains_nocase(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (!strncasecmp(s, needle, n))
			return true;
	return false;
}

static void check_route(const char *method, const char *path, const char *accept)
{
	bool known = path && (!strcmp(path, "/metrics") || !strcmp(path, "/healthz"));
	bool allowed = method && (!strcmp(method, "GET") || !strcmp(method, "HEAD"));
	struct exp_route r, again;

	exporter_route(method, path, accept, &r);
	CHECKF(r.status == (!known ? 404U : allowed ? 200U : 405U), "status %u", r.status);
	CHECK(known == (r.res != EXP_RES_NONE));
	if (r.openmetrics) {
		CHECK(r.status == 200 && r.res == EXP_RES_METRICS);
		CHECK(accept && contains_nocase(accept, "application/openmetrics-text"));
	}
	exporter_route(method, path, accept, &again);
	CHECK(!memcmp(&r, &again, sizeof(r)));
}

static void check_listen(const char *s)
{
	const struct sockaddr_in6 *in6;
	const struct sockaddr_in *in4;
	struct exp_listen l, back;
	char host[INET6_ADDRSTRLEN], text[INET6_ADDRSTRLEN + 16];
	const char *why = NULL;

	if (exporter_parse_listen(s, &l, &why)) {
		CHECK(why && *why);
		return;
	}
	in4 = (const struct sockaddr_in *)&l.ss;
	in6 = (const struct sockaddr_in6 *)&l.ss;
	if (l.ss.ss_family == AF_INET) {
		CHECK(l.len == sizeof(*in4) && in4->sin_port);
		inet_ntop(AF_INET, &in4->sin_addr, host, sizeof(host));
		snprintf(text, sizeof(text), "%s:%u", l.any ? "" : host, ntohs(in4->sin_port));
	} else {
		CHECK(l.ss.ss_family == AF_INET6 && l.len == sizeof(*in6) && in6->sin6_port);
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(text, sizeof(text), "[%s]:%u", host, ntohs(in6->sin6_port));
	}
	CHECKF(!exporter_parse_listen(text, &back, &why), "%s", text);
	CHECKF(back.len == l.len && !memcmp(&back.ss, &l.ss, l.len) && back.any == l.any,
	       "%s", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_strndup(data, size), *path = NULL, *accept = NULL, *nl;

	nl = strchr(in, '\n');
	if (nl) {
		*nl = '\0';
		path = nl + 1;
		nl = strchr(path, '\n');
		if (nl) {
			*nl = '\0';
			accept = nl + 1;
		}
	}
	check_route(in, path, accept);
	check_route(size & 1 ? NULL : in, path, accept);
	if (accept)
		check_listen(accept);
	check_listen(in);
	free(in);
	return 0;
}
