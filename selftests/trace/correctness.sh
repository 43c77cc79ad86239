#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a tracer must never do silently, each against an independent count:
#  - attribute a fib lookup to an unknown namespace -- in either probe mode,
#    for namespaces, veth pairs, softirq receives, ARP's local-table
#    lookups and policy routing made *after* the tracer started (so the
#    table map is learned from fib_new_table(), not from priming);
#  - merge summary counts when the slots run out: the overflow row is its
#    own, and each key keeps exactly the lookups made for it;
#  - keep state for finished teardowns (cleanup_start, read with bpftool);
#  - send a record with uninitialised padding;
#  - hide program runs the kernel skipped: recursion_misses is what the
#    kernel's own bpf_prog_info says (bpftool).
. "$(dirname "$0")/../lib.sh"

ktap_plan 18

modprobe veth
FIBLOAD=$NSI_ROOT/build/selftests/nsi_fibload

# Two namespaces joined by veth, a policy rule and table in one.
topology()	# topology PREFIX
{
	local p=$1
	nsi_netns_add ${p}a
	nsi_netns_add ${p}b
	ip link add ${p}va netns ${p}a type veth peer name ${p}vb netns ${p}b
	ip -n ${p}a addr add 10.79.0.1/24 dev ${p}va
	ip -n ${p}b addr add 10.79.0.2/24 dev ${p}vb
	for n in a b; do
		ip -n $p$n link set ${p}v$n up
		ip -n $p$n link set lo up
	done
	ip -n ${p}a route add 10.99.0.0/24 dev ${p}va
	ip -n ${p}b route add 10.80.0.0/24 dev ${p}vb table 100
	ip -n ${p}b rule add to 10.80.0.0/24 lookup 100
}

# Pings both ways (receives in softirq), an ARP request B has no route for,
# ARP probes from B that A has no route for (nsi_arp: A's arp_process() ->
# inet_addr_type_dev_table(), a failing lookup in A's local table, in
# softirq, on B's task), `ip route get` through the rule, and a lookup that
# finds nothing.
traffic()	# traffic PREFIX
{
	local p=$1
	# first, before any lookup in A's local table succeeds and teaches it
	ip netns exec ${p}b "$NSI_ROOT/build/selftests/nsi_arp" ${p}vb 10.97.0.5 3 >/dev/null
	ip netns exec ${p}a ping -c 2 -i 0.2 -W 2 10.79.0.2 >/dev/null
	ip netns exec ${p}b ping -c 2 -i 0.2 -W 2 10.79.0.1 >/dev/null
	ip netns exec ${p}a ping -c 1 -W 2 10.99.0.5 >/dev/null
	ip -n ${p}b route get 10.80.0.7 >/dev/null
	ip -n ${p}a route get 10.98.0.1 >/dev/null 2>&1	# no route: a failing lookup
}

# Namespaces made before the tracer (tables learned by priming) and after
# (learned from fib_new_table()).
scenario()	# scenario PREFIX OUT TRACE-ARGS...
{
	local p=$1 out=$2
	shift 2
	topology ${p}p
	nsi_trace_start "$out" "$@" || return 1
	topology ${p}n
	traffic ${p}p
	traffic ${p}n
	nsi_trace_stop
	nsi_netns_del_all
}

for mode in kprobe fentry; do
	out=$NSI_TMP/attr-$mode.json
	scenario c${mode:0:1} "$out" --json --events fib --probe-mode $mode || exit 1
	n=$(jq -c 'select(.event == "fib")' "$out" | wc -l)
	unknown=$(jq -c 'select(.event == "fib" and (.netns.inode == 0 or .netns_source == "unknown"))' "$out" | wc -l)
	ktap_diag "$mode: $n fib events, $unknown of unknown namespace"
	check_eq "$mode: no fib event of an unknown namespace (of $n)" 0 "$unknown"
	check_eq "$mode: the summary's fib_unattributed agrees" 0 \
		"$(jq -r 'select(.event == "summary") | .fib_unattributed' "$out")"
done

for mode in kprobe fentry; do
	out=$NSI_TMP/attr-summary-$mode.json
	scenario s${mode:0:1} "$out" --json --fib-summary --probe-mode $mode || exit 1
	check_eq "$mode --fib-summary: no row of an unknown namespace" 0 \
		"$(jq -c 'select(.event == "fib_summary") | .rows[] | select(.netns_inode == 0)' "$out" | wc -l)"
done

# --- overflow: 3 slots of their own, 8 namespaces making 40 lookups each ---
out=$NSI_TMP/overflow.json
NETNSIGHT_TEST_FIB_SLOTS=4 nsi_trace_start "$out" --json --fib-summary || exit 1
inos=()
for i in $(seq 8); do
	nsi_netns_add of$i
	ip -n of$i link set lo up
	ip -n of$i route add blackhole 10.81.0.0/24
	inos+=("$(nsi_ino /run/netns/of$i)")
	ip netns exec of$i "$FIBLOAD" 40 10.81.0.1 >/dev/null
done
sleep 0.5
nsi_trace_stop
fin='select(.event == "fib_summary" and .final)'
ours=$(jq -r "$fin | .rows[] | select(.overflow | not) | .netns_inode" "$out" |
	grep -cxF -f <(printf '%s\n' "${inos[@]}"))
check "overflow: some of the 8 namespaces have a row of their own" test "$ours" -ge 1
merged=$(for ino in "${inos[@]}"; do
	jq -r --argjson i "$ino" "$fin | [.rows[] | select(.netns_inode == \$i and .error == -22 and (.overflow | not)) | .count] | add // empty" "$out"
done | grep -cvx 40)
jq -c "$fin | .rows[]" "$out" | sed 's/^/# /'
check_eq "overflow: each namespace with a row has exactly its 40 lookups (nothing merged)" 0 "$merged"
ovf=$(jq -r "$fin | .overflow" "$out")
check "overflow: the rest went to the overflow row, and it is reported" \
	test "${ovf:-0}" -ge $(( (8 - ours) * 40 ))
check_eq "overflow: the overflow total is the overflow row's count" "$ovf" \
	"$(jq -r "$fin | [.rows[] | select(.overflow) | .count] | add // 0" "$out")"
nsi_netns_del_all

# --- cleanup_start: nothing left of finished teardowns ----------------------
out=$NSI_TMP/destroy.json
nsi_trace_start "$out" --json --events destroy || exit 1
for i in $(seq 5); do nsi_netns_add cl$i; done
nsi_netns_del_all
all_gone() { [ "$(grep -c '"event":"destroy"' "$out")" -ge 5 ]; }
wait_until 60 all_gone
sleep 1
left=$(bpftool -j map dump name cleanup_start 2>/dev/null | jq length)
check_eq "destroy: cleanup_start holds no entry once the teardowns are done" 0 "${left:-missing}"
nsi_trace_stop
check_eq "destroy: every destroy has a teardown time" 0 \
	"$(jq -c 'select(.event == "destroy" and .teardown_ns == 0)' "$out" | wc -l)"

# --- TOS: the flow key's, as the kernel routes by it ------------------------
# 6.1's flowi4_tos holds RT_TOS(tos) (0x1e of the byte: ping -Q 0xb8 gives
# 0x18); newer kernels keep the DS field masked with 0xfc (6.12's flowic_tos
# already, 7.x's dscp_t flowic_dscp), not shifted (0xb8 stays 0xb8).  Either
# way 0x10 is 0x10.
nsi_netns_add ct
ip -n ct link set lo up
out=$NSI_TMP/tos.json
nsi_trace_start "$out" --json --events fib --fib-dst 127.0.0.2/32 || exit 1
ip netns exec ct ping -c 1 -W 1 -Q 0x10 127.0.0.2 >/dev/null
sleep 0.3
ip netns exec ct ping -c 1 -W 1 -Q 0xb8 127.0.0.2 >/dev/null
nsi_trace_stop
nsi_netns_del_all
tos_seen=$(jq -r 'select(.event == "fib" and .comm == "ping") | .tos' "$out" | sort -un | tr '\n' ' ')
ktap_diag "TOS values of ping's lookups: $tos_seen"
check_match "TOS: ping -Q 0x10 is reported as 16 (0x10)" "(^| )16( |$)" "$tos_seen"
# Which one a kernel keeps moved during 6.x: seen 24 on 6.1, 184 on 6.12
# and on 7.x (flowic_dscp only).  Never the DSCP shifted (224).
kv=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
if [ "$kv" -ge 6012 ]; then want=184; else want=24; fi
check_match "TOS: ping -Q 0xb8 is reported as the kernel keeps it ($want)" "(^| )$want( |$)" "$tos_seen"

# --- padding and recursion misses ----------------------------------------------
out=$NSI_TMP/all.json
NETNSIGHT_CHECK_PADDING=1 nsi_trace_start "$out" --json --events all || exit 1
topology cp
traffic cp
ip link add cpx type veth peer name cpy
nsi_netns_add cpm
ip link set cpy netns 1		# already there: a no-op, not a move
ip link set cpx netns cpm
unshare -n true
nsi_netns_del_all
ip link del cpy 2>/dev/null
kernel_misses=$(bpftool -j prog show | jq --argjson p "$NSI_TRACE_PID" \
	'[.[] | select(.pids // [] | any(.pid == $p)) | .recursion_misses // 0] | add // 0')
nsi_trace_stop
check_eq "padding: every record's padding is zero" 0 \
	"$(jq -r 'select(.event == "summary") | .bad_padding' "$out")"
check "padding: records of every kind were checked" \
	test "$(jq -r 'select(.event != "summary") | .event' "$out" | sort -u | wc -l)" -ge 5
check_eq "move: only the real move is reported, not the no-op one" cpx \
	"$(jq -r 'select(.event == "move" and (.ifname == "cpx" or .ifname == "cpy")) | .ifname' "$out" | tr '\n' ' ' | sed 's/ $//')"
reported=$(jq -r 'select(.event == "summary") | .recursion_misses' "$out")
ktap_diag "recursion misses: bpftool $kernel_misses, netnsight $reported"
check "recursion misses: reported, at least what bpftool read just before" \
	test "${reported:-x}" -ge "$kernel_misses"

ktap_finish
