#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Teardown watch: a namespace whose device is still referenced cannot
# finish dying ("unregister_netdevice: waiting for DEV to become free").
# The test-only helper nsi_holdref.ko holds the reference on purpose:
# the row reads dying, then stuck past the threshold, the module logs one
# line naming it, and the row goes once the reference is released.
. "$(dirname "$0")/../lib.sh"

ktap_plan 9

ALL=/proc/net/netnsight_all
PARAM=/sys/module/netnsight/parameters/stuck_secs
state_of() { awk -v i="$1" '$1 == i { print $8 }' "$ALL"; }
is_state() { [ "$(state_of "$1")" = "$2" ]; }
unlisted() { [ -z "$(state_of "$1")" ]; }

old=$(cat $PARAM)
echo 3 > $PARAM
restore() { echo "$old" > $PARAM; rmmod nsi_holdref 2>/dev/null; }
trap 'restore; nsi_cleanup' EXIT

modprobe dummy
nsi_netns_add st1
ip -n st1 link add dst1 type dummy
ino=$(nsi_ino /run/netns/st1)
check "helper module takes a reference on dst1 in st1" \
	ip netns exec st1 insmod "$NSI_HOLDREF_KO" ifname=dst1
dmesg_before=$(dmesg | grep -c "netns $ino .*stuck in teardown")

ip netns del st1
_nsi_netns=()
check "the deleted namespace's row reads dying" wait_until 10 is_state "$ino" dying
start=$(date +%s)
check "it reads stuck past stuck_secs=3" wait_until 20 is_state "$ino" stuck
check "not before the threshold" test $(( $(date +%s) - start )) -ge 2
check_eq "wait_dev names the held device" dst1 \
	"$(awk -v i="$ino" '$1 == i { print $10 }' "$ALL")"
logged() { [ "$(dmesg | grep -c "netns $ino .*stuck in teardown.*device dst1")" -ge 1 ]; }
check "the module logs a line naming the namespace and device" wait_until 10 logged
sleep 2	# the watch must not repeat itself
check_eq "exactly one log line for it" 1 \
	$(( $(dmesg | grep -c "netns $ino .*stuck in teardown") - dmesg_before ))

rmmod nsi_holdref
check "releasing the reference lets teardown finish: the row goes" \
	wait_until 30 unlisted "$ino"
check_eq "no namespace is left dying or stuck" 0 \
	"$(awk 'NR > 1 && ($8 == "dying" || $8 == "stuck")' "$ALL" | wc -l)"

ktap_finish
