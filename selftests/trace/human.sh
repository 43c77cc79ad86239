#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The default, human output of netnsight trace: the header, the columns, and
# each event kind's DETAILS text exactly as docs/events.md shows them --
# namespace names, dotted addresses with 1- to 3-digit octets, ifindexes, the
# error hint of a failed lookup -- for a scripted scenario whose every value
# is known beforehand or read back independently (ip -j, readlink).
. "$(dirname "$0")/../lib.sh"

ktap_plan 15

modprobe veth
OUT=$NSI_TMP/human
init_ino=$(nsi_ino /proc/self/ns/net)
T='[0-9]+\.[0-9]{6} +[0-9]+ +[0-9]+ +'	# TIME CPU PID, then COMM
MS='([0-9]+\.[0-9]{3}ms|[0-9]+\.[0-9]{2}s)'	# a duration: 3.870ms or 1.25s

nsi_trace_start "$OUT" --events all || exit 1

nsi_netns_add thu
thu=$(nsi_ino /run/netns/thu)
ip -n thu link set lo up
ip -n thu route add blackhole 10.199.0.0/16
ip -n thu route add unreachable 10.198.0.0/16
ip -n thu route add 192.0.2.0/24 dev lo
ip link add thA type veth peer name thB
nsi_link_track thB
idx=$(ip -j link show thA | jq '.[0].ifindex')
ip link set thA netns thu
ip netns exec thu "$NSI_ROOT/build/selftests/nsi_fibload" 3 10.199.254.7 > /dev/null
ip netns exec thu "$NSI_ROOT/build/selftests/nsi_fibload" 2 192.0.2.100 > /dev/null
# another error, then the first again: each keeps its own text
ip netns exec thu "$NSI_ROOT/build/selftests/nsi_fibload" 2 10.198.0.9 > /dev/null
ip netns exec thu "$NSI_ROOT/build/selftests/nsi_fibload" 1 10.199.1.1 > /dev/null
ip netns del thu
_nsi_netns=()
wait_until 20 grep -q ' destroy thu ' "$OUT"
nsi_trace_stop
text=$(cat "$OUT")

check_eq "the first line is the header" \
	"TIME(s)        CPU PID     COMM             EVENT   NETNS            DETAILS" \
	"$(head -n1 "$OUT")"
# `ip netns add` mounts the name just after creating the namespace: its
# first events may still show the inode
check_match "create: parent, userns, cookie and latency" \
	"^${T}ip +create +(thu|$thu) +parent=init_net userns=$(nsi_ino /proc/self/ns/user) cookie=[0-9]+ latency=$MS\$" \
	"$text"
check_match "switch: ip's unshare() into the new namespace" \
	"^${T}ip +switch +(thu|$thu) +unshare pid=[0-9]+ init_net -> (thu|$thu)\$" "$text"
check_match "move: name(ifindex) and both namespaces" \
	"^${T}ip +move +thu +thA\\($idx\\) init_net -> thA\\($idx\\) thu\$" "$text"
check_match "fib: a blackhole lookup, dotted quad with 3-digit octets, and its hint" \
	"^${T}nsi_fibload +fib +thu +lookup table=main 0\\.0\\.0\\.0 -> 10\\.199\\.254\\.7 oif=0 iif=1: EINVAL \\(blackhole route\\)\$" \
	"$text"
check_eq "fib: one line per lookup (3)" 3 "$(grep -c ' -> 10\.199\.254\.7 ' "$OUT")"
check_match "fib: a successful lookup names type, prefix and device" \
	"^${T}nsi_fibload +fib +thu +lookup table=main 0\\.0\\.0\\.0 -> 192\\.0\\.2\\.100 oif=0 iif=1: unicast /24 dev lo\$" \
	"$text"
check_match "fib: an unreachable route's error and hint, after a blackhole's" \
	"^${T}nsi_fibload +fib +thu +lookup table=main 0\\.0\\.0\\.0 -> 10\\.198\\.0\\.9 oif=0 iif=1: EHOSTUNREACH \\(unreachable route\\)\$" \
	"$text"
check_match "fib: the blackhole's text again after the unreachable one" \
	"^${T}nsi_fibload +fib +thu +lookup table=main 0\\.0\\.0\\.0 -> 10\\.199\\.1\\.1 oif=0 iif=1: EINVAL \\(blackhole route\\)\$" \
	"$text"
check_match "destroy: lifetime and teardown time, from a kworker" \
	"^${T}kworker/[^ ]+ +destroy +thu +lived=$MS teardown=$MS\$" "$text"
# columns: each field starts where the header's title does
hdr=$(head -n1 "$OUT")
col() { awk -v t="$1" '{ print index($0, t) }' <<< "$hdr"; }
line=$(grep -m1 ' move ' "$OUT")
check_eq "EVENT column lines up with the header" "$(col EVENT)" \
	"$(awk '{ print index($0, " move ") + 1 }' <<< "$line")"
check_eq "DETAILS column lines up with the header" "$(col DETAILS)" \
	"$(awk '{ print index($0, "thA(") }' <<< "$line")"
check "no line mentions the init_net inode instead of its name" \
	test "$(grep -c " $init_ino " "$OUT")" = 0
check_match "the summary goes to stderr" "^netnsight: [0-9]+ events delivered, 0 lost\$" \
	"$(cat "$OUT.err")"

# Labels come from /run/netns, read again only when it changed or at most
# every 200 ms for an unnamed inode -- not once per event.  (Event times are
# older than the reader's clock; an unsigned "now - then" once wrapped and
# re-read the directory for every event about an unnamed namespace.)
ready=$NSI_TMP/ready.strace
# LeakSanitizer cannot run under ptrace (it stops the process with ptrace
# itself), so the ASan build of check-asan runs this one traced start without
# the leak check; every other test in the suite keeps it.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
strace -f -qq -e trace=openat -o "$NSI_TMP/strace" \
	"$NETNSIGHT" trace --ready-file "$ready" > /dev/null 2>&1 &
st=$!
_nsi_pids+=($st)
wait_until 60 test -e "$ready"
"$NSI_ROOT/build/selftests/nsi_churn" 1 100 > /dev/null
sleep 0.5
pkill -INT -x netnsight
wait $st
check "100 unnamed namespaces (300+ events): /run/netns opened fewer than 100 times" \
	test "$(grep -c '"/run/netns"' "$NSI_TMP/strace")" -lt 100
ktap_diag "/run/netns opened $(grep -c '"/run/netns"' "$NSI_TMP/strace") times"

ktap_finish
