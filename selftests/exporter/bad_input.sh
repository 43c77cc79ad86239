#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The exporter against what a network throws at it: wrong methods and
# paths, malformed and oversized requests, slowloris half-requests, a
# thousand connections at once -- it keeps answering /metrics and its
# memory stays bounded.  Bad command lines fail with one line; a second
# exporter on the port fails with one line; SIGINT exits 0.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

ktap_plan 28

trap exp_cleanup EXIT
MAXCONN=64
exp_start --max-connections $MAXCONN --timeout 3 || exit 1
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
rss_kb() { awk '$1 == "VmRSS:" { print $2 }' /proc/$EXP_PID/status; }
nfds() { ls /proc/$EXP_PID/fd | wc -l; }
rss0=$(rss_kb)
fds0=$(nfds)

# --- methods and paths ----------------------------------------------------------
codes=$(for m in POST PUT DELETE PATCH OPTIONS TRACE FOO get; do
	code -X $m "$EXP_URL/metrics"; echo; done | sort -u)
check_eq "every method but GET and HEAD on /metrics: 405" 405 "$codes"
allow=$(curl -s -D - -o /dev/null -X POST "$EXP_URL/healthz" | tr -d '\r' |
	awk -F': ' 'tolower($1) == "allow" { print $2 }')
check_eq "405 says Allow: GET, HEAD" "GET, HEAD" "$allow"
codes=$(for p in / /metricsx /metrics/ /healthz/x /METRICS /..%2fmetrics; do
	code "$EXP_URL$p"; echo; done | sort -u)
check_eq "every other path: 404" 404 "$codes"
check_eq "POST to an unknown path: 404" 404 "$(code -X POST -d x "$EXP_URL/nope")"
check_eq "/healthz: 200" 200 "$(code "$EXP_URL/healthz")"
check_eq "a query string is not part of the path: /metrics?x=1 is 200" 200 \
	"$(code "$EXP_URL/metrics?x=1")"

# --- HEAD, and the format the Accept header asks for --------------------------
head_out=$(curl -s -I -w 'size=%{size_download}\n' "$EXP_URL/metrics" | tr -d '\r')
check_match "HEAD /metrics: 200 with a Content-Length" '^Content-Length: [1-9]' "$head_out"
check_match "HEAD /metrics: no body" '^size=0$' "$head_out"
PROM_ACCEPT='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
ct() { curl -s -o /dev/null -w '%{content_type}' "$@" "$EXP_URL/metrics"; }
check_eq "Prometheus' Accept gets OpenMetrics 1.0.0" \
	"application/openmetrics-text; version=1.0.0; charset=utf-8" "$(ct -H "Accept: $PROM_ACCEPT")"
check_eq "... ending in # EOF" "# EOF" \
	"$(curl -s -H "Accept: $PROM_ACCEPT" "$EXP_URL/metrics" | tail -n 1)"
check_eq "no Accept: text format 0.0.4" "text/plain; version=0.0.4; charset=utf-8" "$(ct)"
check_eq "text preferred by q: text format" "text/plain; version=0.0.4; charset=utf-8" \
	"$(ct -H 'Accept: application/openmetrics-text;q=0.2,text/plain;q=0.9')"

# --- malformed and oversized requests (raw, through bash's /dev/tcp) ----------
not_served() { ktap_diag "$1: '$2'"; [[ "$2" != *" 200"* ]]; }
raw1()	# raw1 BYTES: the status line the exporter answers, "" if none
{
	exec 3<>/dev/tcp/127.0.0.1/$EXP_PORT || return
	printf '%b' "$1" >&3
	timeout 10 head -n 1 <&3 | tr -d '\r'
	exec 3>&-
}
# raw BYTES: raw1, up to 3 times until there is an answer: a server that
# answers and closes with bytes of ours still unread sends a reset, which
# may discard its answer before we read it (tcp_reset())
raw()
{
	local i out
	for i in 1 2 3; do
		out=$(raw1 "$1")
		[ -n "$out" ] && break
	done
	echo "$out"
}
# libmicrohttpd (0.9.75) closes on a request line that is no HTTP at all,
# and answers what it can tell apart
check "a request line that is no HTTP: closed, not served" not_served garbage \
	"$(raw 'GARBAGE\r\n\r\n')"
check_match "a header line without a colon: 400" '^HTTP/1\.1 400' \
	"$(raw 'GET /metrics HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n')"
check_match "HTTP/2.0 in a request line: 505" '^HTTP/1\.1 505' \
	"$(raw 'GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n')"
# past the 16 KiB a connection may use: libmicrohttpd answers 4xx, or resets
# the connection before we read it (unread data on close: RST) -- never 200
big=$(head -c 65536 /dev/zero | tr '\0' a)
check "a 64 KiB header is not served" not_served "64 KiB header" \
	"$(raw "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: $big\r\n\r\n" 2>/dev/null)"
check "a 64 KiB URL is not served" not_served "64 KiB URL" \
	"$(raw "GET /$big HTTP/1.1\r\nHost: x\r\n\r\n" 2>/dev/null)"

# --- slowloris: half-requests hold no more than their connections ------------
ready=$NSI_TMP/slow.ready
python3 "$NSI_ROOT/selftests/exporter/conns.py" slowloris $EXP_PORT 40 "$ready" 60 \
	> "$NSI_TMP/slow.out" 2>&1 &
slow=$!
_nsi_pids+=($slow)
if wait_until 180 test -e "$ready"; then
	check_eq "40 half-requests open: /metrics still answers" 200 "$(code -m 5 "$EXP_URL/metrics")"
else
	ktap_fail "40 half-requests open: /metrics still answers" "conns.py did not start"
fi
wait $slow
check_eq "the exporter closed all 40 after --timeout" "closed=40 open=0" "$(cat "$NSI_TMP/slow.out")"

# --- a thousand connections at once ----------------------------------------------
out=$(timeout 240 python3 "$NSI_ROOT/selftests/exporter/conns.py" flood $EXP_PORT 1000 2>&1)
ktap_diag "1000 connections: $out"
answered=$(sed -n 's/.*answered=\([0-9]*\).*/\1/p' <<< "$out")
check "1000 at once: none hangs, each answered or closed" \
	test -n "$answered" -a "${out#*hung=}" = 0
check "... and at least --max-connections ($MAXCONN) got a 200" test "${answered:-0}" -ge $MAXCONN
check_eq "afterwards /metrics answers" 200 "$(code -m 5 "$EXP_URL/metrics")"
fds_back() { [ "$(nfds)" -le "$fds0" ]; }
check "its connections are all closed again ($fds0 fds)" wait_until 20 fds_back
rss1=$(rss_kb)
ktap_diag "VmRSS: ${rss0} kB at start, ${rss1} kB after"
if [ -n "${NSI_SANITIZER_LOGS:-}" ]; then
	# ASan keeps freed memory in its quarantine (256 MiB by default) to catch
	# use-after-free: RSS says nothing about our memory there
	ktap_skip "RSS grew by less than 16 MiB" "built with ASan: its quarantine holds freed memory; the plain build's run checks RSS"
else
	check "RSS grew by less than 16 MiB (${rss0} -> ${rss1} kB)" test $((rss1 - rss0)) -lt 16384
fi

# --- command line, a second exporter, SIGINT --------------------------------------
one_line_2()	# one_line_2 ARGS...: exit 2 with one line on stderr
{
	local err rc
	err=$("$NETNSIGHT" exporter "$@" 2>&1 >/dev/null)
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l <<< "$err")" = 1 ] && [ -n "$err" ]
}
bad_all() {
	one_line_2 --listen foo && one_line_2 --listen 1.2.3.4:0 &&
	one_line_2 --listen 'localhost:99999' && one_line_2 --listen '[::1]' &&
	one_line_2 --max-namespaces 0 && one_line_2 --max-connections x &&
	one_line_2 --refresh 0 && one_line_2 --timeout -1 && one_line_2 extra &&
	one_line_2 --no-such-flag
}
check "bad options: exit 2, one line each" bad_all
err=$("$NETNSIGHT" exporter 2>&1 >/dev/null)
rc=$?
check_eq "a second exporter on the port: exit 1" 1 "$rc"
check_match "... with one line saying the address is in use" \
	'^netnsight exporter: cannot listen on localhost:19391: Address already in use' "$err"
exp_stop INT
check_eq "SIGINT: exit 0" 0 "$EXP_RC"

ktap_finish
