#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The same scenario with every hook forced to kprobes and to fentry: the
# same events, and -v says which mechanism each hook uses -- the function
# --list-hooks names first among those the running kernel has.
. "$(dirname "$0")/../lib.sh"

ktap_plan 15

modprobe veth
# scenario MODE: runs in this shell (not $(...)), so every namespace, device
# and tracer it starts is in the lists the EXIT trap cleans; inode in $ino
scenario()
{
	local out=$NSI_TMP/$1.json ns
	ino=0
	nsi_trace_start "$out" --json --probe-mode "$1" -v --events all \
		--fib-dst 10.78.0.0/24 || return 1
	ns=pm$1
	nsi_netns_add $ns
	ino=$(nsi_ino /run/netns/$ns)
	ip link add pv$1 type veth peer name pw$1
	nsi_link_track pv$1	# until it is in $ns, which takes it along
	ip link set pv$1 netns $ns
	ip -n $ns addr add 10.78.0.1/24 dev pv$1
	ip -n $ns link set pv$1 up
	ip netns exec $ns "$NSI_ROOT/build/selftests/nsi_fibload" 3 10.78.0.9 >/dev/null
	ip netns del $ns
	_nsi_netns=()
	wait_until 30 grep -q "\"destroy\".*\"inode\":$ino" "$out"
	nsi_trace_stop
}

# The first candidate of each hook that /proc/kallsyms (the kernel's own
# list) has, or the tracepoint; a hook none of whose candidates exists is
# off -- as a hook used only instead of a missing function is where that
# function exists.  One "FUNCTION" per line, in table order.
expected_funcs()
{
	local h f
	"$NETNSIGHT" trace --list-hooks --json | jq -c '.[]' | while read -r h; do
		# the context tracepoints serve only the build without preempt_count
		[ "$(jq -r .only_without_preempt_count <<< "$h")" = true ] && continue
		f=$(jq -r .instead_of <<< "$h")
		[ "$f" != null ] && grep -qE " [tT] $f\$" /proc/kallsyms && continue
		if [ "$(jq -r .fentry_mode <<< "$h")" = "raw tracepoint" ]; then
			jq -r '.functions[0]' <<< "$h"
			continue
		fi
		for f in $(jq -r '.functions[]' <<< "$h"); do
			grep -qE " [tT] $f\$" /proc/kallsyms && { echo "$f"; break; }
		done
	done
}
want_funcs=$(expected_funcs | tr '\n' ' ')

declare -A lookups
for mode in kprobe fentry; do
	scenario $mode
	out=$NSI_TMP/$mode.json
	kinds=$(jq -r --argjson i "${ino:-0}" 'select(.netns.inode == $i) | .event' "$out" | sort -u | tr '\n' ' ')
	check_eq "$mode: create, destroy, fib, move and switch for the namespace" \
		"create destroy fib move switch " "$kinds"
	check_eq "$mode: the move names the device" "pv$mode" \
		"$(jq -r 'select(.event == "move") | .ifname' "$out" | head -n1)"
	# 3 sendto()s, plus the lookups ARP resolution makes for the first
	lookups[$mode]=$(jq -r --argjson i "${ino:-0}" 'select(.event == "fib" and .dst == "10.78.0.9" and .comm == "nsi_fibload" and .netns.inode == $i) | .type' "$out" | grep -c unicast)
	check "$mode: at least 3 unicast lookups of 10.78.0.9 from nsi_fibload" \
		test "${lookups[$mode]}" -ge 3
	check_eq "$mode: no events lost" 0 "$(jq -r 'select(.event == "summary") | .lost' "$out")"
	verbose=$(cat "$out.err")
	other=$([ $mode = kprobe ] && echo fentry/fexit || echo kprobe/kretprobe)
	mech=$([ $mode = kprobe ] && echo kprobe/kretprobe || echo fentry/fexit)
	check_match "$mode: -v reports copy_net_ns via $mech" "copy_net_ns +$mech" "$verbose"
	check_eq "$mode: no hook uses $other" 0 "$(grep -c "$other" <<< "$verbose")"
	# (a hook whose function this kernel lacks says "off": not in the list)
	check_eq "$mode: -v's functions are --list-hooks' first ones in /proc/kallsyms" \
		"$want_funcs" "$(sed -n '/ off$/d; s/^netnsight: hook .\{20\} \([^ ]*\) .*/\1/p' <<< "$verbose" | tr '\n' ' ')"
done
check_eq "kprobe and fentry saw the same number of lookups" "${lookups[kprobe]}" "${lookups[fentry]}"

ktap_finish
