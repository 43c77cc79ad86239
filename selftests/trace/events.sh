#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every lifecycle event kind, produced by a scripted scenario and checked
# field by field against ground truth taken independently (readlink/stat of
# namespace files, ip -j link, pids the commands print themselves).
. "$(dirname "$0")/../lib.sh"

ktap_plan 27

modprobe veth
OUT=$NSI_TMP/events.json
init_ino=$(nsi_ino /proc/self/ns/net)
user_ino=$(nsi_ino /proc/self/ns/user)
ev() { jq -c "select($1)" "$OUT" 2>/dev/null; }
count() { ev "$1" | wc -l; }
has() { [ "$(count "$1")" -ge 1 ]; }
get() { ev "$1" | head -n1 | jq -r "$2"; }

nsi_trace_start "$OUT" --json --events create,destroy,move,switch || exit 1

# --- ip netns add: create, then unshare in and setns back --------------------
nsi_netns_add te1
te1=$(nsi_ino /run/netns/te1)
C='.event == "create" and .netns.inode == '$te1
wait_until 10 has "$C"
check_eq "create: one event for te1's inode" 1 "$(count "$C")"
check_eq "create: parent is init_net" "$init_ino" "$(get "$C" .parent.inode)"
check_eq "create: owning user namespace" "$user_ino" "$(get "$C" .userns_inode)"
check_eq "create: comm is ip" ip "$(get "$C" .comm)"
check_eq "create: no error" 0 "$(get "$C" .error)"
check "create: latency measured" test "$(get "$C" .latency_ns)" -gt 0
check_eq "create: cookie matches netnsight.ko's net_cookie" \
	"$(ip netns exec te1 sed -n 's/^net_cookie: //p' /proc/net/netnsight)" "$(get "$C" .netns.cookie)"
S='.event == "switch" and .how == "unshare" and .to.inode == '$te1' and .from.inode == '$init_ino
check_eq "switch: ip unshare()s into te1" 1 "$(count "$S")"

# --- unshare -n: pid and namespace printed by the process itself -------------
read -r upid uino < <(unshare -n sh -c 'echo $$ $(readlink /proc/self/ns/net | tr -dc 0-9)')
U='.event == "create" and .pid == '$upid
wait_until 10 has "$U"
check_eq "create (unshare -n): namespace inode" "$uino" "$(get "$U" .netns.inode)"
check_eq "switch (unshare -n): how/pid/to" "unshare $upid $uino" \
	"$(get ".event == \"switch\" and .target_pid == $upid" '"\(.how) \(.target_pid) \(.to.inode)"')"

# --- clone(CLONE_NEWNET): a child born in a new namespace ---------------------
read -r cpid cino < <("$NSI_ROOT/build/selftests/nsi_clone" | sed 's/pid=//; s/ino=//')
K='.event == "switch" and .how == "clone" and .target_pid == '$cpid
wait_until 10 has "$K"
check_eq "switch (clone): child's new namespace" "$cino" "$(get "$K" .to.inode)"
check_eq "switch (clone): from the parent's namespace" "$init_ino" "$(get "$K" .from.inode)"

# --- a veth end moved there and back ------------------------------------------
ip link add tvA type veth peer name tvB
nsi_link_track tvB
idx=$(ip -j link show tvA | jq '.[0].ifindex')
ip link set tvA netns te1
M='.event == "move" and .dst.inode == '$te1
wait_until 10 has "$M"
check_eq "move: ifname" tvA "$(get "$M" .ifname)"
check_eq "move: old ifindex is ip link's before the move" "$idx" "$(get "$M" .old_ifindex)"
check_eq "move: new ifindex is ip link's in te1" \
	"$(ip -n te1 -j link show tvA | jq '.[0].ifindex')" "$(get "$M" .new_ifindex)"
check_eq "move: source is init_net" "$init_ino" "$(get "$M" .src.inode)"
check_eq "move: no error" 0 "$(get "$M" .error)"
ip -n te1 link set tvA netns 1
B='.event == "move" and .src.inode == '$te1
wait_until 10 has "$B"
check_eq "move back: te1 -> init_net" "$init_ino" "$(get "$B" .dst.inode)"

# a move that fails: the name exists in the target
ip -n te1 link add tvA type veth peer name tvC
ip link set tvA netns te1 2>/dev/null
F='.event == "move" and .error != 0'
wait_until 10 has "$F"
check_eq "failed move: reported with its error" EEXIST "$(get "$F" .error_name)"

# --- ip netns exec: setns into te1 ---------------------------------------------
epid=$(ip netns exec te1 sh -c 'echo $$')
E='.event == "switch" and .how == "setns" and .target_pid == '$epid
wait_until 10 has "$E"
check_eq "switch (ip netns exec): into te1" "$te1" "$(get "$E" .to.inode)"

# --- ip netns del: destroy -------------------------------------------------------
ip netns del te1
_nsi_netns=()
D='.event == "destroy" and .netns.inode == '$te1
check "destroy: te1's teardown is reported" wait_until 30 has "$D"
check_eq "destroy: exactly once" 1 "$(count "$D")"
check "destroy: lived a positive time (created while tracing)" \
	test "$(get "$D" .lived_ns)" -gt 0
check "destroy: teardown duration measured" test "$(get "$D" .teardown_ns)" -gt 0
check_eq "destroy: comes from the netns cleanup worker" kworker \
	"$(get "$D" .comm | cut -d/ -f1)"
DU='.event == "destroy" and .netns.inode == '$uino
check "destroy: the unshare -n namespace too" wait_until 30 has "$DU"

nsi_trace_stop
check_eq "summary: delivered equals the events printed, none lost" \
	"$(ev '.event != "summary"' | wc -l) 0" \
	"$(get '.event == "summary"' '"\(.delivered) \(.lost)"')"

ktap_finish
