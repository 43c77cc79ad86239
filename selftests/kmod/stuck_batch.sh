#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One held device must not blame its whole teardown batch.  cleanup_net()
# tears down every queued namespace together and netdev_run_todo() waits
# for every device of the batch, so a leaked reference in st1 keeps st2 (same
# batch) and st3 (queued behind it) from finishing too.  Only st1 -- whose
# device the test-only nsi_holdref.ko holds -- may read "stuck" with its
# wait_dev and get a log line; st2 and st3 read "blocked", naming st1 in
# blocked_by.  The truth to compare with: which namespace the held device
# lives in (the test put it there) and the kernel's own "waiting for dst1"
# line.
. "$(dirname "$0")/../lib.sh"

ktap_plan 12

ALL=/proc/net/netnsight_all
PARAM=/sys/module/netnsight/parameters/stuck_secs
col() { awk -v i="$1" -v c="$2" '$1 == i { print $c }' "$ALL"; }
is_state() { [ "$(col "$1" 8)" = "$2" ]; }
unlisted() { [ -z "$(col "$1" 8)" ]; }
stuck_lines() { dmesg | grep -c "netnsight: netns $1 .*stuck in teardown"; }

TIMEOUT=/proc/sys/net/core/netdev_unregister_timeout_secs
old=$(cat $PARAM) old_timeout=$(cat $TIMEOUT)
echo 3 > $PARAM
echo 2 > $TIMEOUT	# the kernel's own "waiting for DEV" line, sooner
restore() {
	echo "$old" > $PARAM; echo "$old_timeout" > $TIMEOUT
	rmmod nsi_holdref 2>/dev/null
}
trap 'restore; nsi_cleanup' EXIT

modprobe dummy
nsi_netns_add st1
nsi_netns_add st2
nsi_netns_add st3
ip -n st1 link add dst1 type dummy
ip -n st2 link add dst2 type dummy
ino1=$(nsi_ino /run/netns/st1)
ino2=$(nsi_ino /run/netns/st2)
ino3=$(nsi_ino /run/netns/st3)
# st0's device is held until the test releases it, which keeps the netns
# worker in st0's cleanup_net(); meanwhile st1 and st2 lose their last
# references and wait on cleanup_list; once both are queued (refs 0), st0
# is released, and the worker's next run takes st1 and st2 together.
nsi_netns_add st0
ip -n st0 link add dst0 type dummy
ino0=$(nsi_ino /run/netns/st0)
check "helper module holds dst0 in st0 and dst1 in st1" sh -c "
	ip netns exec st0 insmod '$NSI_HOLDREF_KO' ifname=dst0 &&
	ip netns exec st1 sh -c 'echo dst1 > /sys/module/nsi_holdref/parameters/hold'"
before1=$(stuck_lines "$ino1") before2=$(stuck_lines "$ino2")
ip netns del st0
started() { [ "$(col "$ino0" 9)" -gt 0 ] 2>/dev/null; }
wait_until 30 started
umount /run/netns/st1 /run/netns/st2
rm -f /run/netns/st1 /run/netns/st2
queued() { [ "$(col "$ino1" 6) $(col "$ino2" 6)" = "0 0" ]; }
wait_until 30 queued
echo 1 > /sys/module/nsi_holdref/parameters/release
_nsi_netns=(st3)
both_dying() { [ "$(col "$ino1" 9)" -gt 0 ] 2>/dev/null && [ "$(col "$ino2" 9)" -gt 0 ] 2>/dev/null; }
check "st1 and st2 are torn down in one batch (both past ->pre_exit)" wait_until 30 both_dying

check "st1, whose device is held, reads stuck past stuck_secs=3" \
	wait_until 20 is_state "$ino1" stuck
check_eq "st1's wait_dev is the held device" dst1 "$(col "$ino1" 10)"
check "st2, in the same batch, reads blocked" wait_until 10 is_state "$ino2" blocked
check_eq "st2's blocked_by is st1" "$ino1" "$(col "$ino2" 11)"
check_eq "st2 has no wait_dev of its own (dst2 was freed)" - "$(col "$ino2" 10)"

ip netns del st3
_nsi_netns=()
check "st3, queued behind the stuck batch, reads blocked behind st1" \
	wait_until 10 test "$(col "$ino3" 11)" = "$ino1"

logged() { [ $(( $(stuck_lines "$ino1") - before1 )) -ge 1 ]; }
check "one log line names st1 and dst1" wait_until 10 logged
sleep 2	# the watch must not repeat itself, nor blame st2
check_eq "exactly one line for st1, none for st2" "1 0" \
	"$(( $(stuck_lines "$ino1") - before1 )) $(( $(stuck_lines "$ino2") - before2 ))"
kernel_names() { dmesg | grep -q 'unregister_netdevice: waiting for dst1 to become free'; }
check "the kernel's own warning names dst1, the device of st1" wait_until 10 kernel_names

rmmod nsi_holdref
gone() { unlisted "$ino1" && unlisted "$ino2" && unlisted "$ino3"; }
check "releasing the reference lets all three finish" wait_until 30 gone

ktap_finish
