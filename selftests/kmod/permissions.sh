#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may read what: netnsight_all needs CAP_NET_ADMIN in the initial user
# namespace (judged on the opener's credentials) and exists only in
# init_net; /proc/net/netnsight is readable by anyone, and shows only the
# reader's own namespace -- also inside a container-like user+net pair,
# and nothing of the host's: the global creation counter (seq) only to
# CAP_NET_ADMIN in the initial user namespace.
. "$(dirname "$0")/../lib.sh"

ktap_plan 13

ALL=/proc/net/netnsight_all
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

err=$("${NOBODY[@]}" cat $ALL 2>&1 >/dev/null)
check_match "an unprivileged reader gets EACCES on netnsight_all" "Permission denied" "$err"
err=$(setpriv --inh-caps=-net_admin --bounding-set=-net_admin cat $ALL 2>&1 >/dev/null)
check_match "root without CAP_NET_ADMIN gets EACCES too" "Permission denied" "$err"
check "root with CAP_NET_ADMIN reads it" cat $ALL

nsi_netns_add pm1
check_eq "netnsight_all does not exist inside a non-init namespace" 1 \
	"$(ip netns exec pm1 sh -c 'test -e /proc/net/netnsight_all; echo $?')"

own=$("${NOBODY[@]}" sed -n 's/^netns_inode: //p' /proc/net/netnsight)
check_eq "an unprivileged reader reads its own namespace's file" \
	"$(readlink /proc/self/ns/net | tr -dc 0-9)" "$own"

# container-like: a new user namespace owning a new network namespace,
# entered as an unprivileged user
out=$("${NOBODY[@]}" unshare --user --map-root-user --net sh -c '
	echo "$(readlink /proc/self/ns/net | tr -dc 0-9)"
	echo "$(readlink /proc/self/ns/user | tr -dc 0-9)"
	sed -n "s/^netns_inode: //p; s/^userns_inode: //p" /proc/net/netnsight
	test -e /proc/net/netnsight_all && echo all-visible || echo all-absent
	cat /proc/1/net/netnsight_all >/dev/null 2>&1 && echo all-readable || echo all-refused
	grep -c "" /proc/net/netnsight >/dev/null && awk "f { print \$2 } /^ifindex /{ f = 1 }" /proc/net/netnsight | tr "\n" " "
	echo; grep -c "^seq:" /proc/net/netnsight' 2>&1)
mapfile -t o <<< "$out"
check_eq "user+net container: its file shows its own namespace" "${o[0]}" "${o[2]}"
check_eq "user+net container: userns_inode is its own user namespace" "${o[1]}" "${o[3]}"
check_eq "user+net container: no netnsight_all inside" all-absent "${o[4]}"
check_eq "user+net container: init_net's netnsight_all is refused" all-refused "${o[5]}"
check_eq "user+net container: sees only its own device (lo)" "lo " "${o[6]}"
check_eq "user+net container: the host's namespace counter (seq) is not shown" 0 "${o[7]}"
check_eq "an unprivileged reader does not see seq either" 0 \
	"$("${NOBODY[@]}" grep -c '^seq:' /proc/net/netnsight)"
check_eq "root with CAP_NET_ADMIN sees seq" 1 "$(grep -c '^seq:' /proc/net/netnsight)"

ktap_finish
