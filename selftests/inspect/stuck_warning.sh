#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A teardown stuck in cleanup_net() holds pernet_ops_rwsem, so insmod or
# rmmod of any pernet module (netnsight.ko too) would hang in D state.  ls
# and show say so in one line on stderr -- stdout stays parseable -- while
# /proc/net/netnsight_all lists a stuck (or blocked) namespace, and no more
# once it cleared.  The stuck teardown is made as in kmod/stuck.sh:
# nsi_holdref.ko holds a device of the namespace, stuck_secs=3.  A second
# namespace deleted with it shares its cleanup_net() batch (both are
# queued while the netns worker tears down a namespace with many devices):
# the module reads it stuck too, or, with the "blocked" state, blocked
# behind the stuck one.
. "$(dirname "$0")/../lib.sh"

ktap_plan 8

ALL=/proc/net/netnsight_all
PARAM=/sys/module/netnsight/parameters/stuck_secs
state_of() { awk -v i="$1" '$1 == i { print $8 }' "$ALL"; }
ncount() { awk -v s="$1" 'NR > 1 && $1 != "total:" && $8 == s' "$ALL" | wc -l; }
dying_ms_of() { awk -v i="$1" '$1 == i { print $9 }' "$ALL"; }
# sw1 stuck, and sw2 done changing: stuck or blocked with it, or queued
# behind its batch (dying, but no ->pre_exit yet: dying_ms 0)
settled()
{
	[ "$(state_of "$ino1")" = stuck ] &&
		{ [ "$(state_of "$ino2")" != dying ] || [ "$(dying_ms_of "$ino2")" = 0 ]; }
}
gone() { [ -z "$(state_of "$ino1")" ] && [ -z "$(state_of "$ino2")" ]; }
# the warning the counts of netnsight_all call for, as WHO prints it
expected_warning()	# expected_warning WHO STUCK BLOCKED
{
	local s=namespace it=it
	[ "$2" -gt 1 ] && s=namespaces it=them
	printf 'netnsight %s: warning: %s %s stuck in teardown' "$1" "$2" "$s"
	[ "$3" -gt 0 ] && printf ', %s blocked behind %s' "$3" "$it"
	echo ': do not rmmod/insmod pernet modules (netnsight included) until it clears; see docs/procfs.md'
}
# "EXIT JSON_DOCS STDERR" of netnsight ARGS, stderr kept in $NSI_TMP/err
run_json()
{
	local rc docs err
	"$NETNSIGHT" "$@" > "$NSI_TMP/out" 2> "$NSI_TMP/err"
	rc=$?
	docs=$(jq -s length "$NSI_TMP/out" 2>/dev/null || echo unparseable)
	err=$(cat "$NSI_TMP/err")
	echo "$rc $docs${err:+ $err}"
}

old=$(cat $PARAM)
restore() { echo "$old" > $PARAM; rmmod nsi_holdref 2>/dev/null; }
trap 'restore; nsi_cleanup' EXIT
echo 3 > $PARAM

modprobe dummy
nsi_netns_add sw0
for i in $(seq 100); do echo "link add d$i type dummy"; done | ip -n sw0 -batch -
ino0=$(nsi_ino /run/netns/sw0)
nsi_netns_add sw1
nsi_netns_add sw2
ip -n sw1 link add dsw1 type dummy
ino1=$(nsi_ino /run/netns/sw1)
ino2=$(nsi_ino /run/netns/sw2)
if ! ip netns exec sw1 insmod "$NSI_HOLDREF_KO" ifname=dsw1; then
	echo "Bail out! cannot load nsi_holdref.ko"
	exit 1
fi

check_eq "nothing stuck or blocked: ls and show print no warning" "0 0 1 0 1" \
	"$(( $(ncount stuck) + $(ncount blocked) )) $(run_json ls --json) $(run_json show --json 1)"

# one umount(8), three umount(2)s: sw1 and sw2 queue up while the netns
# worker unregisters sw0's 100 devices, and its next run takes both
umount /run/netns/sw0 /run/netns/sw1 /run/netns/sw2
rm -f /run/netns/sw0 /run/netns/sw1 /run/netns/sw2
_nsi_netns=()
check "sw1 reads stuck past stuck_secs=3 (sw2 settled: not dying)" wait_until 30 settled
read -r nstuck nblocked <<< "$(ncount stuck) $(ncount blocked)"
ktap_diag "netnsight_all: sw0 '$(state_of "$ino0")', sw1 $(state_of "$ino1"), sw2 '$(state_of "$ino2")' (dying_ms $(dying_ms_of "$ino2")); $nstuck stuck, $nblocked blocked"

check_eq "ls --json: exit 0, one JSON document on stdout, the warning on stderr" \
	"0 1 $(expected_warning ls "$nstuck" "$nblocked")" "$(run_json ls --json)"
"$NETNSIGHT" ls > "$NSI_TMP/ls.txt" 2> "$NSI_TMP/ls.err"
check_eq "ls: the STATE of sw1 is stuck, one warning line on stderr" \
	"stuck $(expected_warning ls "$nstuck" "$nblocked")" \
	"$(awk -v i="$ino1" 'NR == 1 { for (k = 1; k <= NF; k++) if ($k == "STATE") c = k }
		$1 == i { print $c }' "$NSI_TMP/ls.txt") $(cat "$NSI_TMP/ls.err")"
if [ "$(state_of "$ino2")" = blocked ]; then
	check_match "ls: sw2 reads blocked, waiting behind sw1 (blocked_by $(awk -v i="$ino2" '$1 == i { print $11 }' "$ALL"))" \
		"^$ino2 .* blocked +waits behind net:\\[$(awk -v i="$ino2" '$1 == i { print $11 }' "$ALL")\\]\$" \
		"$(cat "$NSI_TMP/ls.txt")"
elif head -n1 "$ALL" | grep -q blocked_by; then
	ktap_skip "ls: sw2 reads blocked, waiting behind sw1" \
		"sw2 was not in sw1's cleanup_net() batch (reads '$(state_of "$ino2")', dying_ms $(dying_ms_of "$ino2"))"
else
	ktap_skip "ls: sw2 reads blocked, waiting behind sw1" \
		"this netnsight.ko has no blocked state (no blocked_by column)"
fi
check_eq "show --json 1: exit 0, one JSON document on stdout, the warning on stderr" \
	"0 1 $(expected_warning show "$nstuck" "$nblocked")" "$(run_json show --json 1)"

rmmod nsi_holdref
check "releasing the reference lets both rows go" wait_until 30 gone
ktap_diag "netnsight_all now: $(tail -n1 "$ALL")"
check_eq "cleared (no stuck or blocked row): no warning from ls and show" "0 0 1 0 1" \
	"$(( $(ncount stuck) + $(ncount blocked) )) $(run_json ls --json) $(run_json show --json 1)"

ktap_finish
