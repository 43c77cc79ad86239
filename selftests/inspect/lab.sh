#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netnsight lab runs to the end, shows each step's events and module facts,
# and leaves nothing behind -- also when interrupted.
. "$(dirname "$0")/../lib.sh"

ktap_plan 13

leftovers()
{
	ip netns list | grep -qw net1 && return 0
	for d in veth1 veth1_p veth2 veth2_p; do ip link show "$d" >/dev/null 2>&1 && return 0; done
	return 1
}

"$NETNSIGHT" lab > "$NSI_TMP/lab" 2>&1
rc=$?
out=$(cat "$NSI_TMP/lab")
check_eq "lab exits 0" 0 "$rc"
check_eq "all 8 steps ran" 8 "$(grep -c '^=== Step [1-8]/8' <<< "$out")"
step() { sed -n "/^=== Step $1\//,/^=== Step $(($1 + 1))\//p" <<< "$out"; }
check_match "step 1 shows the create event of net1" "^    create +ip +net1 " "$(step 1)"
check_match "step 2 shows init_net registering two devices" "init_net +dev_registered +[0-9]+ -> " "$(step 2)"
check_match "step 3 shows the move event veth1 init_net -> net1" \
	"^    move .*veth1\([0-9]+\) init_net -> veth1\([0-9]+\) net1" "$(step 3)"
check_match "step 3 shows net1's dev_moved_in 0 -> 1" "net1 +dev_moved_in +0 -> 1" "$(step 3)"
check_match "step 6 shows a softirq lookup attributed to the receiver" \
	"^    fib .*\[softirq\]" "$(step 6)"
check_match "step 7: devices made inside net1 are registered there" \
	"net1 +dev_registered +1 -> 3" "$(step 7)"
check_match "step 8 shows the destroy event of net1" "^    destroy .* net1 " "$(step 8)"
leftovers
check_eq "afterwards no namespace or device of the lab remains" 1 $?
# the hooks it lists are real: each a function the kernel has (/proc/kallsyms)
# or the tracepoint; none missing
hooks=$(sed -n '/^Tracer hooks on this kernel/,/^===/s/^    .\{20\} \([^ ]*\) .*/\1/p' <<< "$out")
missing=$(for f in $hooks; do
	grep -qE " [tT] $f\$" /proc/kallsyms || [ -d /sys/kernel/tracing/events/sched/$f ] ||
		[ -d /sys/kernel/debug/tracing/events/sched/$f ] || echo "$f"
done)
check_eq "the lab lists at least 10 hooks, all real kernel functions or tracepoints" \
	"yes:" "$([ "$(wc -w <<< "$hooks")" -ge 10 ] && echo yes):$missing"

# interrupted between steps (--step waits for Enter): it cleans up
mkfifo "$NSI_TMP/in"
"$NETNSIGHT" lab --step < "$NSI_TMP/in" > "$NSI_TMP/lab2" 2>&1 &
lab=$!
exec 7> "$NSI_TMP/in"
echo >&7; echo >&7	# past steps 1 and 2, waiting after step 3
wait_until 60 grep -q "^=== Step 3/8" "$NSI_TMP/lab2"
wait_until 30 grep -q "Enter for the next step" <(tail -n1 "$NSI_TMP/lab2")
kill -INT $lab
exec 7>&-
wait $lab
rc=$?
check_eq "interrupted lab exits 130" 130 "$rc"
leftovers
check_eq "interrupted lab leaves no namespace or device" 1 $?

ktap_finish
