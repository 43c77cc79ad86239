#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Namespace names in trace events: the name a namespace has at event time,
# told apart by cookie, since inode numbers are reused.  `ip netns add X`
# creates the namespace before it bind-mounts the name, yet its create
# event says X (also when the mount comes 100 ms later); an unnamed namespace that reuses the inode of a deleted
# named one never carries that old name -- also in a trace without destroy
# events, where nothing says the named one went.  Ground truth: stat of
# /run/netns/NAME, the module's net_cookie, what unshare'd processes print
# about themselves.
. "$(dirname "$0")/../lib.sh"

ktap_plan 6

TRIES=30
ALL=/proc/net/netnsight_all
listed() { nsi_module_loaded && awk -v i="$1" '$1 == i { f = 1 } END { exit !f }' "$ALL"; }

# --- six ip netns add: each create event names its namespace -----------------
J=$NSI_TMP/create.json
nsi_trace_start "$J" --json --events create || exit 1
# back to back, as a script would: each create comes while the previous
# name is still being mounted
for i in 1 2 3 4 5 6; do nsi_netns_add tnm$i; done
expect=""
for i in 1 2 3 4 5 6; do expect="$expect$(nsi_ino /run/netns/tnm$i) tnm$i,"; done
inodes=$(tr , '\n' <<< "$expect" | awk 'NF { printf "%s%s", s, $1; s = "," }')
created() { [ "$(jq -s --argjson i "[$inodes]" '[.[] | select(.event == "create" and (.netns.inode | IN($i[])))] | length' "$J")" = 6 ]; }
wait_until 20 created
# ip netns add's steps, with 100 ms between the unshare() and the bind
# mount (nsi_slowadd): the create event is always read before the name
# exists, and named well within the 200 ms the tracer may hold it
_nsi_netns+=(tnslow)
"$NSI_ROOT/build/selftests/nsi_slowadd" tnslow 100
slow=$(nsi_ino /run/netns/tnslow)
wait_until 20 grep -q "\"inode\":$slow," "$J"
nsi_trace_stop
check_eq "ip netns add x6 (--events create): each create event carries the name" \
	"$expect" "$(jq -r --argjson i "[$inodes]" 'select(.event == "create" and (.netns.inode | IN($i[]))) | "\(.netns.inode) \(.netns.name),"' "$J" | tr -d '\n')"
check_eq "a name bind-mounted 100 ms after the unshare: the create event carries it" \
	"$slow tnslow" "$(jq -r --argjson i "$slow" 'select(.event == "create" and .netns.inode == $i) | "\(.netns.inode) \(.netns.name)"' "$J")"

# --- inode reuse --------------------------------------------------------------
R=$NSI_TMP/reuse.json
H=$NSI_TMP/reuse.txt
nsi_trace_start "$R" --json --events create,destroy,switch || exit 1
T_JSON=$NSI_TRACE_PID
nsi_trace_start "$H" --events create,switch || exit 1
T_HUMAN=$NSI_TRACE_PID

nsi_netns_add tnold
old=$(nsi_ino /run/netns/tnold)
oldcookie=$(ip netns exec tnold sed -n 's/^net_cookie: //p' /proc/net/netnsight)
# a switch into it once it is named: both tracers have seen the name
ip netns exec tnold true
wait_until 20 grep -Eq " switch +tnold +setns " "$H"
ip netns del tnold
_nsi_netns=(tnm1 tnm2 tnm3 tnm4 tnm5 tnm6 tnslow)
wait_until 30 eval '! listed "$old"'

upid="" unew=""
for try in $(seq $TRIES); do
	read -r upid unew < <(unshare -n sh -c 'echo $$ $(stat -L -c %i /proc/self/ns/net)')
	[ "$unew" = "$old" ] && break
	wait_until 30 eval '! listed "$unew"'
done
ktap_diag "tnold: inode $old cookie $oldcookie; try $try: unshare -n pid $upid got inode $unew"

if [ "$unew" = "$old" ]; then
	newcookie=$(jq -r --argjson p "$upid" 'select(.event == "create" and .pid == $p) | .netns.cookie' "$R")
	wait_until 30 test "$(jq -s --argjson c "${newcookie:-0}" '[.[] | select(.event == "destroy" and .netns.cookie == $c)] | length' "$R")" = 1
	NSI_TRACE_PID=$T_JSON nsi_trace_stop
	NSI_TRACE_PID=$T_HUMAN nsi_trace_stop
	check_eq "reuse: two create events with inode $old, tnold's cookie and another" \
		"$old $oldcookie,$old $newcookie," \
		"$(jq -r --argjson i "$old" 'select(.event == "create" and .netns.inode == $i) | "\(.netns.inode) \(.netns.cookie),"' "$R" | tr -d '\n')"
	check_eq "reuse (json): the unnamed one's create, switch and destroy carry no name" \
		"create null,switch null,destroy null," \
		"$(jq -r --argjson c "$newcookie" 'select(.netns.cookie == $c) | "\(.event) \(.netns.name),"' "$R" | tr -d '\n')"
	check_match "named: tnold's own switch (ip netns exec) is labelled tnold" \
		" switch +tnold +setns pid=[0-9]+ init_net -> tnold\$" "$(cat "$H")"
	check_eq "reuse (human, no destroy events): unshare's create and switch show the inode" \
		"create $old,switch $old," \
		"$(awk -v p="$upid" '$3 == p && ($5 == "create" || $5 == "switch") { printf "%s %s,", $5, $6 }' "$H")"
else
	NSI_TRACE_PID=$T_JSON nsi_trace_stop
	NSI_TRACE_PID=$T_HUMAN nsi_trace_stop
	for d in "reuse: two create events with inode $old" \
		 "reuse (json): the unnamed one's events carry no name" \
		 "named: tnold's own switch is labelled tnold" \
		 "reuse (human, no destroy events): create and switch show the inode"; do
		ktap_skip "$d" "inode $old was not reused in $TRIES unshare -n tries"
	done
fi

ktap_finish
