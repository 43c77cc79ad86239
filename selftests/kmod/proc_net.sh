#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# /proc/net/netnsight in init_net and in new namespaces: identity against
# readlink /proc/self/ns/net, creation order, and that a namespace's file
# lists exactly its own devices -- never another namespace's.
. "$(dirname "$0")/../lib.sh"

ktap_plan 14

field() { sed -n "s/^$1: //p"; }	# field KEY < file
devs() { awk 'f { print $2 } /^ifindex /{ f = 1 }' | sort | tr '\n' ' '; }
ip_devs() { ip -j link show | jq -r '.[].ifname' | sort | tr '\n' ' '; }

init=$(cat /proc/net/netnsight 2>&1)
check "file exists and reads in init_net" test -n "$init"
check_eq "init_net: netns_inode is readlink /proc/self/ns/net" \
	"$(readlink /proc/self/ns/net | tr -dc 0-9)" "$(field netns_inode <<< "$init")"
check_eq "init_net: userns_inode is /proc/self/ns/user" \
	"$(stat -L -c %i /proc/self/ns/user)" "$(field userns_inode <<< "$init")"

modprobe dummy 2>/dev/null
prev_seq=$(field seq <<< "$init")
ok_ino=0 ok_seq=0 ok_devs=0
for n in nsa nsb nsc; do
	nsi_netns_add "$n"
	# one device of a distinctive name in each, to catch any leak between files
	ip -n "$n" link add "d_$n" type dummy
	text=$(ip netns exec "$n" cat /proc/net/netnsight)
	truth=$(ip netns exec "$n" readlink /proc/self/ns/net | tr -dc 0-9)
	[ "$(field netns_inode <<< "$text")" = "$truth" ] && ok_ino=$((ok_ino + 1))
	seq=$(field seq <<< "$text")
	[ "$seq" -gt "$prev_seq" ] && ok_seq=$((ok_seq + 1))
	prev_seq=$seq
	[ "$(devs <<< "$text")" = "$(ip netns exec "$n" bash -c "$(declare -f ip_devs); ip_devs")" ] &&
		ok_devs=$((ok_devs + 1))
	eval "text_$n=\$text"
done
check_eq "each new namespace's netns_inode matches its readlink" 3 "$ok_ino"
check_eq "seq strictly increases in creation order" 3 "$ok_seq"
check_eq "each file's device table is exactly 'ip link' in that namespace" 3 "$ok_devs"

leak=0
for n in nsa nsb nsc; do
	eval "text=\$text_$n"
	for other in nsa nsb nsc; do
		[ "$n" = "$other" ] && continue
		grep -qw "d_$other" <<< "$text" && leak=1
	done
done
check_eq "no namespace's file mentions another namespace's devices" 0 "$leak"
check_eq "init_net's file mentions none of the new devices" 0 \
	"$(cat /proc/net/netnsight | grep -c 'd_ns')"

text=$(ip netns exec nsa cat /proc/net/netnsight)
check_eq "new namespace: dev_registered counts lo and d_nsa" 2 "$(field dev_registered <<< "$text")"
check_eq "new namespace: nothing moved in" 0 "$(field dev_moved_in <<< "$text")"
check_eq "new namespace: seen_at_load is no" no "$(field seen_at_load <<< "$text")"
check_eq "devices: line counts the table rows" "$(field devices <<< "$text")" \
	"$(devs <<< "$text" | wc -w)"

ip -n nsa link set d_nsa up
state=$(ip netns exec nsa cat /proc/net/netnsight | awk '$2 == "d_nsa" { print $3 }')
check_eq "device state follows ip link set up" up "$state"

# A process in an unshared namespace reads its own file, not its parent's.
own=$(unshare -n sh -c 'echo "$(readlink /proc/self/ns/net | tr -dc 0-9) $(sed -n "s/^netns_inode: //p" /proc/net/netnsight)"')
check_eq "unshare -n: the file shows the reader's namespace" "${own% *}" "${own#* }"

ktap_finish
