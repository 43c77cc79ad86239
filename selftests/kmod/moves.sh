#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Device moves: a veth end moved by dev_change_net_namespace() counts as
# moved-out of the old namespace and moved-in to the new one -- not as an
# unregister/register pair -- both ways, and deleting the namespace behaves
# as the kernel does (the veth dies with its peer).
. "$(dirname "$0")/../lib.sh"

ktap_plan 16

modprobe veth
field() { sed -n "s/^$1: //p"; }
init_get() { field "$1" < /proc/net/netnsight; }
ns_get() { ip netns exec mv1 cat /proc/net/netnsight | field "$1"; }
has_dev() { awk -v d="$2" 'f && $2 == d { found = 1 } /^ifindex /{ f = 1 } END { exit !found }' <<< "$1"; }
row_ifindex() { awk -v d="$2" 'f && $2 == d { print $1 } /^ifindex /{ f = 1 }' <<< "$1"; }

nsi_netns_add mv1
reg0=$(init_get dev_registered) unreg0=$(init_get dev_unregistered)
out0=$(init_get dev_moved_out) in0=$(init_get dev_moved_in)

ip link add vmA type veth peer name vmB
nsi_link_track vmB
check_eq "creating a veth pair registers two devices in init_net" 2 \
	$(( $(init_get dev_registered) - reg0 ))

ip link set vmA netns mv1
check_eq "move: init_net dev_moved_out +1" 1 $(( $(init_get dev_moved_out) - out0 ))
check_eq "move: init_net dev_unregistered unchanged" 0 \
	$(( $(init_get dev_unregistered) - unreg0 ))
check_eq "move: mv1 dev_moved_in is 1" 1 "$(ns_get dev_moved_in)"
check_eq "move: mv1 dev_registered is only lo" 1 "$(ns_get dev_registered)"

ns_text=$(ip netns exec mv1 cat /proc/net/netnsight)
init_text=$(cat /proc/net/netnsight)
check "move: mv1's table lists vmA" has_dev "$ns_text" vmA
check_eq "move: vmA's ifindex is the one ip link shows in mv1" \
	"$(ip -n mv1 -j link show vmA | jq '.[0].ifindex')" "$(row_ifindex "$ns_text" vmA)"
has_dev "$init_text" vmA; check_eq "move: init_net's table no longer lists vmA" 1 $?
check "move: init_net's table still lists the peer vmB" has_dev "$init_text" vmB

# and back again
ip -n mv1 link set vmA netns 1
check_eq "move back: mv1 dev_moved_out is 1" 1 "$(ns_get dev_moved_out)"
check_eq "move back: init_net dev_moved_in +1" 1 $(( $(init_get dev_moved_in) - in0 ))
check_eq "move back: no register/unregister counted for it" "0 0" \
	"$(( $(init_get dev_registered) - reg0 - 2 )) $(( $(init_get dev_unregistered) - unreg0 ))"

# a device created inside a namespace is registered there, not moved in
modprobe dummy
ip -n mv1 link add dmv type dummy
check_eq "a device made inside mv1 counts as registered there" 2 "$(ns_get dev_registered)"

# deleting the namespace: veth ends die together (veth_dellink()), so the
# peer left in init_net is unregistered too
ip link set vmA netns mv1
ino=$(nsi_ino /run/netns/mv1)
ip netns del mv1
_nsi_netns=()
gone() { ! grep -q "^$ino " /proc/net/netnsight_all; }
check "delete: mv1's row leaves netnsight_all" wait_until 30 gone
peer_gone() { ! ip link show vmB; }
check "delete: the peer vmB is destroyed with it" wait_until 10 peer_gone
check_eq "delete: init_net dev_unregistered +1 (vmB)" 1 \
	$(( $(init_get dev_unregistered) - unreg0 ))

ktap_finish
