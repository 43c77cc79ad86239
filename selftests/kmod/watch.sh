#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The teardown watch around module load and unload:
#  - rmmod runs ->pre_exit for every namespace; that is no teardown, so
#    even with stuck_secs=0 no namespace may be logged as stuck;
#  - a stuck_secs= given to insmod is set before module init runs; a load
#    that then fails (a second, invalid stuck_secs=) must leave no work
#    queued on the freed module: the kernel stays healthy (the runner checks
#    its log) and the next load works.
. "$(dirname "$0")/../lib.sh"

ktap_plan 6

stuck_lines() { dmesg | grep -c 'netnsight: netns .*stuck in teardown'; }

nsi_netns_add w1
nsi_netns_add w2
trap 'nsi_cleanup; nsi_module_loaded || insmod "$NSI_KO"' EXIT

before=$(stuck_lines)
echo 0 > /sys/module/netnsight/parameters/stuck_secs
check "rmmod with stuck_secs=0 succeeds" rmmod netnsight
sleep 1	# a watch queued by the unload would have run by now
check_eq "rmmod logs no namespace as stuck" 0 $(( $(stuck_lines) - before ))

fails=0
for i in $(seq 20); do
	insmod "$NSI_KO" stuck_secs=1 stuck_secs=bogus 2>/dev/null && {
		fails=$((fails + 1)); rmmod netnsight
	}
done
check_eq "insmod with an invalid second stuck_secs= fails, 20 times of 20" 0 "$fails"
sleep 2	# work queued by the first stuck_secs= would run on freed text now
check "the next insmod works" insmod "$NSI_KO" stuck_secs=5
check_eq "and takes the parameter" 5 "$(cat /sys/module/netnsight/parameters/stuck_secs)"
echo 10 > /sys/module/netnsight/parameters/stuck_secs
check "the module's files are back" test -r /proc/net/netnsight

ktap_finish
