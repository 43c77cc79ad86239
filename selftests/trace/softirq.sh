#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fib events name the namespace the lookup happens in, also in softirq:
# a ping from namespace A to B over a veth pair makes B's input-path lookup
# (ip_route_input_slow()) run in softirq on the ping task, which is in A.
# The event must say B.  Fields are checked against `ip -j route get`.
# Twice: with the tracer build that reads preempt_count (a __ksym), and with
# the one for kernels without CONFIG_KALLSYMS_ALL, which learns the context
# from the irq tracepoints (NETNSIGHT_TEST_IRQ_TRACEPOINTS forces it here).
. "$(dirname "$0")/../lib.sh"

ktap_plan 26

modprobe veth
OUT=$NSI_TMP/fib.json
nsi_netns_add sqa
nsi_netns_add sqb
a=$(nsi_ino /run/netns/sqa)
b=$(nsi_ino /run/netns/sqb)
ip link add sqva netns sqa type veth peer name sqvb netns sqb
for n in a b; do
	ip -n sq$n addr add 10.77.0.$([ $n = a ] && echo 1 || echo 2)/24 dev sqv$n
	ip -n sq$n link set sqv$n up
	ip -n sq$n link set lo up
done
vb_idx=$(ip -n sqb -j link show sqvb | jq '.[0].ifindex')
va_idx=$(ip -n sqa -j link show sqva | jq '.[0].ifindex')

# pass LABEL: the scenario and its checks, in this shell (the EXIT trap
# covers the tracer it starts)
pass()
{
	local truth rx_pid
	nsi_trace_start "$OUT" --json --events fib --fib-dst 10.77.0.0/24 -v || return 1
	ip netns exec sqa ping -c 3 -i 0.2 -W 2 10.77.0.2 > "$NSI_TMP/ping" 2>&1
	check_match "$1: ping from sqa to sqb works" " 0% packet loss" "$(cat "$NSI_TMP/ping")"
	nsi_trace_stop

	ev() { jq -c "select(.event == \"fib\" and ($1))" "$OUT"; }
	RX='.dst == "10.77.0.2" and .iif == '$vb_idx' and .context == "softirq"'
	check "$1: receive side: lookups of 10.77.0.2 arriving on sqvb, in softirq" \
		test "$(ev "$RX" | wc -l)" -ge 3
	check_eq "$1: receive side: every one attributed to sqb (the receiver)" 0 \
		"$(ev "$RX and .netns.inode != $b" | wc -l)"
	check_eq "$1: receive side: current task is ping -- sitting in sqa" ping \
		"$(ev "$RX" | head -n1 | jq -r .comm)"
	# ...and that very ping process made its own (task-context) lookups in sqa
	rx_pid=$(ev "$RX" | head -n1 | jq -r .pid)
	check "$1: the same ping pid made task-context lookups in sqa" \
		test "$(ev ".pid == ${rx_pid:-0} and .context == \"task\" and .netns.inode == $a" | wc -l)" -ge 1
	check_eq "$1: receive side: local route to the receiver's own address" local \
		"$(ev "$RX" | head -n1 | jq -r .type)"
	check_eq "$1: receive side: found from the route itself (fib_info)" fib_info \
		"$(ev "$RX" | head -n1 | jq -r .netns_source)"

	# the sender's output lookup: task context, namespace sqa, as ip route get says
	truth=$(ip -n sqa -j route get 10.77.0.2)
	TX='.dst == "10.77.0.2" and .iif == 1 and .context == "task" and .netns.inode == '$a
	check "$1: send side: output lookups in sqa in task context" test "$(ev "$TX" | wc -l)" -ge 1
	check_eq "$1: send side: nexthop device is ip route get's" "$(jq -r '.[0].dev' <<< "$truth")" \
		"$(ev "$TX" | head -n1 | jq -r .nexthop.ifname)"
	check_eq "$1: send side: nexthop ifindex" "$va_idx" "$(ev "$TX" | head -n1 | jq -r .nexthop.ifindex)"
	check_eq "$1: send side: unicast route /24 in table main" "unicast 24 main" \
		"$(ev "$TX" | head -n1 | jq -r '"\(.type) \(.prefixlen) \(.table_name)"')"
	# the echo reply travels back: sqa's receive side, again in softirq
	check "$1: reply: sqa's receive-side lookups attributed to sqa" \
		test "$(ev '.dst == "10.77.0.1" and .context == "softirq" and .netns.inode == '$a | wc -l)" -ge 1

	check_match "$1: -v says where the context comes from" "netnsight: context from $2" \
		"$(cat "$OUT.err")"
}

pass ksym "preempt_count"
NETNSIGHT_TEST_IRQ_TRACEPOINTS=1 pass tracepoints "the irq tracepoints"

ktap_finish
