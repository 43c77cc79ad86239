#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netnsight ls finds namespaces held by a name (bind mount), by a process,
# and only by an open fd (also one opened on an ip-netns path, whose link
# is that path, not net:[INODE]); with the module it also lists the one held
# only by a socket -- as an orphan -- and without the module it works from
# /proc alone (the socket-held one is still found, by its socket) and says
# what it cannot see.
. "$(dirname "$0")/../lib.sh"

ktap_plan 20

# held by a bind mount
nsi_netns_add lsn
ip netns set lsn 7
named=$(nsi_ino /run/netns/lsn)
# held by a process
nsi_bg unshare -n sleep 600
proc_pid=$!
wait_until 10 test "$(readlink /proc/$proc_pid/ns/net)" != "$(readlink /proc/self/ns/net)"
procns=$(nsi_ino /proc/$proc_pid/ns/net)
# held only by an open fd: a process outside it keeps an nsfs fd
nsi_bg unshare -n sleep 600
tmp=$!
wait_until 10 test "$(readlink /proc/$tmp/ns/net)" != "$(readlink /proc/self/ns/net)"
exec 8< /proc/$tmp/ns/net
fdns=$(stat -L -c %i /proc/self/fd/8)
kill -9 $tmp; { wait $tmp; } 2>/dev/null
# held only by an fd opened on /run/netns/lspath, then unmounted: its link
# reads the path ("/" once unmounted), yet it is an nsfs file
nsi_netns_add lspath
exec 7< /run/netns/lspath
pathns=$(stat -L -c %i /proc/self/fd/7)
ip netns del lspath
ktap_diag "fd 7: $(stat -f -L -c %T /proc/self/fd/7) inode $pathns, link '$(readlink /proc/self/fd/7)'"
# held only by a socket (nsi_sockhold went back to our namespace)
"$NSI_ROOT/build/selftests/nsi_sockhold" > "$NSI_TMP/sock" &
_nsi_pids+=($!)
wait_until 10 test -s "$NSI_TMP/sock"
sockns=$(cat "$NSI_TMP/sock")

J=$("$NETNSIGHT" ls --json)
ns() { jq -c --argjson i "$1" '.namespaces[] | select(.inode == $i)' <<< "$J"; }
check_eq "module: ls says the module is loaded" true "$(jq .module <<< "$J")"
check_eq "named: listed with its name and one mount" '["lsn"] 1' \
	"$(ns "$named" | jq -c '.names' | tr -d '\n') $(ns "$named" | jq '.mounts.count')"
check_eq "named: nsid as ip netns list-id shows it" \
	"$(ip -j netns list-id | jq -r '.[] | select(.name == "lsn") | .nsid')" "$(ns "$named" | jq .nsid)"
check_eq "named: device count is ip link's" "$(ip -n lsn -j link | jq length)" \
	"$(ns "$named" | jq .devices)"
check_eq "process-held: the sleeping process is listed in it" "$proc_pid" \
	"$(ns "$procns" | jq -r --argjson p "$proc_pid" '.processes.examples[] | select(.pid == $p) | .pid')"
check_eq "process-held: not an orphan" false "$(ns "$procns" | jq .orphan)"
check_eq "fd-held: found, with no process and no mount" "0 0" \
	"$(ns "$fdns" | jq -r '"\(.processes.count) \(.mounts.count)"')"
check_eq "fd-held: the fd is ours" "$$ 8" \
	"$(ns "$fdns" | jq -r '.fds.examples[0] | "\(.pid) \(.fd)"')"
check_eq "fd-held: not an orphan" false "$(ns "$fdns" | jq .orphan)"
check_eq "path-opened fd: found, our fd 7 among its holders" "$$ 7" \
	"$(ns "$pathns" | jq -r --argjson p $$ '.fds.examples[] | select(.pid == $p and .fd == 7) | "\(.pid) \(.fd)"')"
check_eq "path-opened fd: no process, no mount, not an orphan" "0 0 false" \
	"$(ns "$pathns" | jq -r '"\(.processes.count) \(.mounts.count) \(.orphan)"')"
check_eq "socket-held: listed, as an orphan" true "$(ns "$sockns" | jq .orphan)"
check_eq "socket-held: no process, fd or mount" "0 0 0" \
	"$(ns "$sockns" | jq -r '"\(.processes.count) \(.fds.count) \(.mounts.count)"')"
check_eq "every namespace of netnsight_all is listed" \
	"$(awk 'NR > 1 && $1 != "total:" { print $1 }' /proc/net/netnsight_all | sort | tr '\n' ' ')" \
	"$(jq -r '.namespaces[] | select(.state != null) | .inode' <<< "$J" | sort | tr '\n' ' ')"
human=$("$NETNSIGHT" ls)
check_match "human output flags the orphan" "^$sockns .* orphan " "$human"
check_match "human output: the path-opened fd's namespace is alive, held by fd:$$/7" \
	"^$pathns .* alive +fd:$$/7" "$human"
check_eq "no line of the human output ends in a blank" 0 "$(grep -c ' $' <<< "$human")"

# without the module: /proc alone, and it says so
rmmod netnsight
J=$("$NETNSIGHT" ls --json)
human=$("$NETNSIGHT" ls)
insmod "$NSI_KO"
# its socket names it even so (sockholders.c), but not as an orphan
check_eq "no module: module false, the socket-held namespace found by its socket, not an orphan" \
	"false 1 false" \
	"$(jq .module <<< "$J") $(jq --argjson i "$sockns" '[.namespaces[] | select(.inode == $i and .sockets.count == 1)] | length' <<< "$J") $(jq --argjson i "$sockns" '.namespaces[] | select(.inode == $i) | .orphan' <<< "$J")"
check_eq "no module: the other three are still found" 3 \
	"$(jq --argjson a "$named" --argjson b "$procns" --argjson c "$fdns" '[.namespaces[] | select(.inode == $a or .inode == $b or .inode == $c)] | length' <<< "$J")"
check_match "no module: human output says what it cannot see" "not loaded" "$human"
exec 8<&- 7<&-

ktap_finish
