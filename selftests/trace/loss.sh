#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Losses are never silent: with a one-page ring buffer and a burst of a
# known number of events, delivered + lost == generated, exactly, and the
# losses are reported while running and in the final summary.
. "$(dirname "$0")/../lib.sh"

ktap_plan 6

N=20000
nsi_netns_add ls1
ip -n ls1 route add blackhole 10.99.0.0/16
OUT=$NSI_TMP/loss.json
nsi_trace_start "$OUT" --json --ringbuf-size 4096 --netns ls1 --fib-dst 10.99.0.0/16 \
	--comm nsi_fibload || exit 1
ip netns exec ls1 "$NSI_ROOT/build/selftests/nsi_fibload" $N 10.99.4.4 >/dev/null
nsi_trace_stop

sum=$(jq -c 'select(.event == "summary")' "$OUT")
delivered=$(jq -r .delivered <<< "$sum")
lost=$(jq -r .lost <<< "$sum")
check_eq "delivered + lost == $N lookups made" $N $(( ${delivered:-0} + ${lost:-0} ))
check_eq "the kernel counted $N generated events" $N "$(jq -r .generated <<< "$sum")"
check "a one-page ring buffer overflowed (lost > 0)" test "${lost:-0}" -gt 0
check_eq "delivered equals the fib events printed" "$delivered" \
	"$(jq -c 'select(.event == "fib")' "$OUT" | wc -l)"
check_eq "lost records add up to the summary's lost" "$lost" \
	"$(jq -s '[.[] | select(.event == "lost") | .lost] | add' "$OUT")"
check_eq "per-CPU losses add up" "$lost" "$(jq '.lost_per_cpu | add' <<< "$sum")"

ktap_finish
