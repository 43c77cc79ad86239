#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Filters are applied in the kernel: events of other namespaces, pids and
# comms do not appear; fib filters select by prefix, table and errors; and
# --fib-summary counts exactly the lookups a known load makes.
. "$(dirname "$0")/../lib.sh"

ktap_plan 12

FIBLOAD=$NSI_ROOT/build/selftests/nsi_fibload
nsi_netns_add fa
nsi_netns_add fb
fa=$(nsi_ino /run/netns/fa)
fb=$(nsi_ino /run/netns/fb)
for n in fa fb; do
	ip -n $n link set lo up
	# every lookup in 10.99/16 fails on a blackhole route and sends nothing
	ip -n $n route add blackhole 10.99.0.0/16
done

# --netns: only fa's events
OUT=$NSI_TMP/netns.json
nsi_trace_start "$OUT" --json --events all --netns fa --fib-dst 10.99.0.0/16 || exit 1
ip netns exec fa "$FIBLOAD" 5 10.99.1.1 >/dev/null
ip netns exec fb "$FIBLOAD" 7 10.99.1.1 >/dev/null
nsi_trace_stop
check_eq "--netns fa: fa's 5 lookups are there" 5 \
	"$(jq -c "select(.event == \"fib\" and .netns.inode == $fa)" "$OUT" | wc -l)"
check_eq "--netns fa: nothing of fb" 0 "$(grep -c "\"inode\":$fb" "$OUT")"

# --pid: only that process
OUT=$NSI_TMP/pid.json
sleep 600 &
target=$!
nsi_bg true
nsi_trace_start "$OUT" --json --events switch --pid $target || exit 1
ip netns exec fa true
nsenter -t $$ -n true
nsi_trace_stop
check_eq "--pid: no events from other processes" 0 \
	"$(jq -c "select(.event != \"summary\" and .pid != $target)" "$OUT" | wc -l)"
kill $target

# --comm: only tasks named so
OUT=$NSI_TMP/comm.json
nsi_trace_start "$OUT" --json --events all --comm nsi_fibload --fib-dst 10.99.0.0/16 || exit 1
ip netns exec fa "$FIBLOAD" 4 10.99.2.2 >/dev/null
ip netns exec fb true
nsi_trace_stop
check_eq "--comm nsi_fibload: its 4 lookups" 4 "$(jq -c 'select(.event == "fib")' "$OUT" | wc -l)"
check_eq "--comm nsi_fibload: nothing from ip (the setns of ip netns exec)" 0 \
	"$(jq -c 'select(.event != "summary" and .comm != "nsi_fibload")' "$OUT" | wc -l)"

# --fib-dst / --fib-errors / --fib-table
ip -n fa route add 10.98.0.0/16 dev lo
OUT=$NSI_TMP/dst.json
nsi_trace_start "$OUT" --json --netns fa --fib-dst 10.98.0.0/16 || exit 1
ip netns exec fa "$FIBLOAD" 3 10.98.1.1 >/dev/null
ip netns exec fa "$FIBLOAD" 3 10.99.1.1 >/dev/null
nsi_trace_stop
# (each datagram is routed out, then again as it comes in on lo)
check_eq "--fib-dst 10.98.0.0/16: lookups inside it, none outside" "yes 0" \
	"$(jq -c 'select(.event == "fib" and .comm == "nsi_fibload")' "$OUT" | jq -r .dst | awk '/^10\.98\./ { i++ } !/^10\.98\./ { o++ } END { print (i >= 3 ? "yes" : "no"), o + 0 }')"

OUT=$NSI_TMP/err.json
nsi_trace_start "$OUT" --json --netns fa --fib-errors --comm nsi_fibload || exit 1
ip netns exec fa "$FIBLOAD" 3 10.98.1.1 >/dev/null
ip netns exec fa "$FIBLOAD" 2 10.99.1.1 >/dev/null
nsi_trace_stop
check_eq "--fib-errors: the 2 blackholed lookups, not the 3 routed ones" "2 EINVAL" \
	"$(jq -r 'select(.event == "fib") | .error_name' "$OUT" | sort | uniq -c | awk '{ print $1, $2 }')"

ip -n fa route add 10.97.0.0/16 dev lo table 100
ip -n fa rule add to 10.97.0.0/16 table 100 priority 100
OUT=$NSI_TMP/table.json
nsi_trace_start "$OUT" --json --netns fa --fib-table 100 --comm nsi_fibload || exit 1
ip netns exec fa "$FIBLOAD" 2 10.97.1.1 >/dev/null
ip netns exec fa "$FIBLOAD" 2 10.99.1.1 >/dev/null
nsi_trace_stop
check_eq "--fib-table 100: only lookups in table 100" 100 \
	"$(jq -r 'select(.event == "fib") | .table' "$OUT" | sort -u | tr '\n' ' ' | xargs)"
check_eq "policy rules: __fib_lookup events name table 100 for 10.97/16" 2 \
	"$(jq -c 'select(.event == "fib" and .via == "rules" and .dst == "10.97.1.1")' "$OUT" | wc -l)"
ip -n fa rule del priority 100

# --fib-summary: counted in the kernel, exactly the lookups made
OUT=$NSI_TMP/summary.json
nsi_trace_start "$OUT" --json --fib-summary=1s --netns fb --fib-dst 10.99.0.0/16 || exit 1
ip netns exec fb "$FIBLOAD" 1234 10.99.3.3 >/dev/null
nsi_trace_stop
final=$(jq -c 'select(.event == "fib_summary" and .final)' "$OUT")
check_eq "--fib-summary: one row, fb, table main, EINVAL" "$fb 254 EINVAL" \
	"$(jq -r '.rows[] | "\(.netns_inode) \(.table) \(.result)"' <<< "$final")"
check_eq "--fib-summary: counts exactly the 1234 lookups made" 1234 "$(jq -r .total <<< "$final")"
check_eq "--fib-summary: no event streamed" 0 "$(jq -c 'select(.event == "fib")' "$OUT" | wc -l)"

ktap_finish
