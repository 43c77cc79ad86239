#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Socket holders: a process in init_net keeps a socket it opened inside a
# namespace, closes its namespace fd, and the namespace's name is deleted.
# Nothing names the namespace any more: ls flags it orphan and names the
# process, pid, fd and protocol that pin it -- checked against the
# helper's own account (its pid, its printed fd, /proc/PID/fd/FD a socket,
# /proc/PID/ns/net still init_net).  Closing the socket lets the namespace
# go (the module's netnsight_all no longer lists it).  UDP and netlink
# holders; a namespace the test module holds with get_net() reads
# "kernel only", with the module's devs and refs.
. "$(dirname "$0")/../lib.sh"

ktap_plan 20

ALL=/proc/net/netnsight_all
HOLD=$NSI_ROOT/build/selftests/nsi_sockhold
listed() { awk -v i="$1" '$1 == i { f = 1 } END { exit !f }' "$ALL"; }
unlisted() { ! listed "$1"; }
col() { awk -v i="$1" -v c="$2" '$1 == i { print $c }' "$ALL"; }
ns() { jq -c --argjson i "$1" '.namespaces[] | select(.inode == $i)' <<< "$J"; }
trap 'rmmod nsi_holdref 2>/dev/null; nsi_cleanup' EXIT

# hold_one KIND NAME: helper enters NAME, opens a KIND socket, comes back,
# then NAME is deleted; sets PID FD INO
hold_one()
{
	local out=$NSI_TMP/$2
	nsi_netns_add "$2"
	INO=$(nsi_ino "/run/netns/$2")
	nsi_bg "$HOLD" "$1" "/run/netns/$2" > "$out"
	PID=$!
	wait_until 20 test -s "$out"
	FD=$(cut -d' ' -f2 "$out")
	[ "$(cut -d' ' -f1 "$out")" = "$INO" ] || echo "# helper in $(cat "$out"), not $INO"
	ip netns del "$2"
}

# check_holder KIND PROTO: the checks for the namespace hold_one made
check_holder()
{
	local truth
	# truth: the helper's fd is a socket, and the helper is back in init_net
	truth=$([[ "$(readlink /proc/$PID/fd/$FD)" == socket:* ]] &&
		[ "$(readlink /proc/$PID/ns/net)" = "$(readlink /proc/1/ns/net)" ] &&
		echo "true 0 0 0 nsi_sockhold/$PID fd $FD ($2)")
	check_eq "$1: orphan, nothing names it, held by the helper's socket" "$truth" \
		"$(ns "$INO" | jq -r '"\(.orphan) \(.processes.count) \(.fds.count) \(.mounts.count) \(.sockets.examples[0] | "\(.comm)/\(.pid) fd \(.fd) (\(.proto))")"')"
	check_eq "$1: one socket holds it" 1 "$(ns "$INO" | jq .sockets.count)"
	check_match "$1: human HOLDERS column names it" \
		"^$INO .* orphan +socket:nsi_sockhold/$PID fd $FD \\($2\\)\$" "$("$NETNSIGHT" ls)"
}

hold_one udp sku
check "udp: the module lists the namespace after its name is gone" wait_until 10 listed "$INO"
J=$("$NETNSIGHT" ls --json)
check_holder udp udp
show=$("$NETNSIGHT" show "$INO")
check_match "udp: show enters it through the socket" "resolved by socket fd $FD of process $PID" "$show"
check_match "udp: show's holders section lists the socket" \
	"^  socket +nsi_sockhold/$PID fd $FD \\(udp\\)" "$show"
check_eq "udp: show --json holders.sockets" "$PID $FD udp" \
	"$("$NETNSIGHT" show --json "$INO" | jq -r '.holders.sockets.examples[0] | "\(.pid) \(.fd) \(.proto)"')"
kill -USR1 "$PID"
check "udp: the helper closed its socket" wait_until 10 grep -q closed "$NSI_TMP/sku"
check "udp: closing the socket destroys the namespace" wait_until 30 unlisted "$INO"
check "udp: the helper itself is still alive" kill -0 "$PID"

hold_one netlink skn
J=$("$NETNSIGHT" ls --json)
check_holder netlink netlink/route
kill -USR1 "$PID"
check "netlink: closing the socket destroys the namespace" wait_until 30 unlisted "$INO"

# pinned by a kernel reference alone (nsi_holdref.ko netref=1: get_net())
nsi_netns_add skk
INO=$(nsi_ino /run/netns/skk)
check "kernel-held: the test module takes a reference on skk" \
	ip netns exec skk insmod "$NSI_HOLDREF_KO" netref=1
ip netns del skk
_nsi_netns=()
J=$("$NETNSIGHT" ls --json)
check_eq "kernel-held: orphan, no socket, still alive" "true 0 alive" \
	"$(ns "$INO" | jq -r '"\(.orphan) \(.sockets.count) \(.state)"')"
check_match "kernel-held: HOLDERS reads kernel only, with the module's devs and refs" \
	"^$INO .* orphan +kernel only \\(devs $(col "$INO" 5), refs $(col "$INO" 6)\\)\$" \
	"$("$NETNSIGHT" ls)"
check_eq "kernel-held: ls --json refcount is the module's" "$(col "$INO" 6)" \
	"$(ns "$INO" | jq .refcount)"
rmmod nsi_holdref
check "kernel-held: rmmod drops the reference, the namespace goes" wait_until 30 unlisted "$INO"
check_eq "no socket scan failed" 0 "$(jq .sockets_unknown <<< "$J")"

ktap_finish
