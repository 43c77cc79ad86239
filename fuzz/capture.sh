#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz/capture.sh OUTDIR [MODULE.ko [HOLDREF.ko]] - record real kernel output as fuzz
# seeds.  Runs as root inside a guest (it changes the network setup):
#
#   make -f Makefile -f fuzz/fuzz.mk build/fuzz/capture_nl
#   cp kmod/netnsight.ko selftests/kmod/nsi_holdref.ko /some/dir/  # copies
#   tools/vm run --rw /some/dir -- fuzz/capture.sh /some/dir/out \
#           /some/dir/netnsight.ko /some/dir/nsi_holdref.ko
#
# With nsi_holdref.ko (the selftests' helper) a namespace is kept dying,
# then stuck, for rows in those states.
#
# Then pick seeds from OUTDIR into fuzz/regress/NAME/ (fuzz/README.md).
# OUTDIR/nl/*: one netlink message each (fuzz_show_nl), OUTDIR/proc/*:
# /proc files (fuzz_procfs, fuzz_show_text).
set -euo pipefail

OUT=$1 MOD=${2:-} HOLDREF=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
CAP=$HERE/../build/fuzz/capture_nl
mkdir -p "$OUT/nl" "$OUT/proc"

[ -n "$MOD" ] && insmod "$MOD"

# --- a small but varied network setup ---------------------------------------
ip link set lo up
ip netns add fz1
ip netns add fz2
ip link add fzv0 type veth peer name fzv1 netns fz1
ip link add fzd0 type dummy
ip link add fzvrf type vrf table 10
ip link set fzd0 master fzvrf
ip link add fzbr0 type bridge
for l in fzv0 fzd0 fzvrf fzbr0; do ip link set "$l" up; done
ip -n fz1 link set lo up
ip -n fz1 link set fzv1 up
ip link set fzv0 mtu 1400 address 02:00:00:00:7a:01

ip addr add 10.7.0.1/24 dev fzv0
ip addr add 10.8.0.1 peer 10.8.0.2/32 dev fzv0
ip addr add 192.0.2.1/24 brd + dev fzbr0 label fzbr0:lbl
ip addr add fd00:7::1/64 dev fzv0 nodad
ip addr add fd00:8::1 peer fd00:8::2/128 dev fzv0 nodad
ip -n fz1 addr add 10.7.0.2/24 dev fzv1
ip -n fz1 addr add fd00:7::2/64 dev fzv1 nodad

ip route add 198.51.100.0/24 via 10.7.0.2 table 100
ip route add 203.0.113.0/24 metric 50 proto static \
	nexthop via 10.7.0.2 dev fzv0 weight 1 nexthop via 10.8.0.2 dev fzv0 weight 3
ip route add blackhole 100.64.0.0/10
ip route add unreachable 100.65.0.0/16 table 4000000
ip route add 172.16.0.0/12 dev fzv0 src 10.7.0.1 scope link
ip -6 route add 2001:db8::/64 via fd00:7::2 dev fzv0
ip -6 route add 2001:db8:1::/64 nexthop via fd00:7::2 dev fzv0 nexthop via fd00:8::2 dev fzv0

ip rule add from 10.7.0.0/24 table 100 pref 100
ip rule add iif fzv0 fwmark 0x10/0xff lookup 100 pref 200
ip rule add oif fzd0 to 198.51.100.0/24 tos 0x10 goto 300 pref 250
ip rule add pref 300 lookup main
ip rule add not from all ipproto udp sport 53 lookup 100 pref 400 2>/dev/null ||
	ip rule add not from all lookup 100 pref 400
ip rule add pref 500 protocol static prohibit
ip -6 rule add from fd00:7::/64 table 100 pref 100

ip netns set fz1 5 || true	# the veth may have given it one
ip netns set fz2 17 || true
ip -n fz1 netns set fz2 3 || true

"$CAP" nft-table fzfilter 2
"$CAP" nft-table fzinet 1
"$CAP" nft-table fzbridge 7
"$CAP" nft-table a_name_of_forty_characters_for_the_test 10
modprobe -a iptable_filter iptable_nat iptable_mangle iptable_raw || true
"$CAP" xt-table filter nat mangle raw || true
ip netns exec fz1 "$CAP" xt-table filter || true

# --- capture --------------------------------------------------------------
"$CAP" dump "$OUT/nl" init
ip netns exec fz1 "$CAP" dump "$OUT/nl" fz1

for f in sockstat sockstat6 ip_tables_names ip6_tables_names arp_tables_names; do
	cat "/proc/net/$f" > "$OUT/proc/init-$f" 2>/dev/null || true
	ip netns exec fz1 cat "/proc/net/$f" > "$OUT/proc/fz1-$f" 2>/dev/null || true
done
if [ -n "$MOD" ]; then
	cat /proc/net/netnsight > "$OUT/proc/init-netnsight"
	ip netns exec fz1 cat /proc/net/netnsight > "$OUT/proc/fz1-netnsight"
	ip netns exec fz2 cat /proc/net/netnsight > "$OUT/proc/fz2-netnsight"
	cat /proc/net/netnsight_all > "$OUT/proc/netnsight_all-3ns"
	# a namespace on its way out: its veth keeps it busy for a moment
	ip link add fzv2 type veth peer name fzv3 netns fz2
	ip netns del fz2
	for i in 1 2 3 4 5; do
		cat /proc/net/netnsight_all > "$OUT/proc/netnsight_all-del-$i"
	done
	sleep 1
	cat /proc/net/netnsight_all > "$OUT/proc/netnsight_all-after"
fi
if [ -n "$HOLDREF" ]; then
	# as selftests/kmod/stuck.sh: a held device keeps fz3 from dying
	echo 2 > /sys/module/netnsight/parameters/stuck_secs
	ip netns add fz3
	ip -n fz3 link add fzhold type dummy
	ip netns exec fz3 insmod "$HOLDREF" ifname=fzhold
	ip netns del fz3
	sleep 1
	cat /proc/net/netnsight_all > "$OUT/proc/netnsight_all-dying"
	sleep 3
	cat /proc/net/netnsight_all > "$OUT/proc/netnsight_all-stuck"
	rmmod nsi_holdref
fi
echo "capture: $(ls "$OUT/nl" | wc -l) messages, $(ls "$OUT/proc" | wc -l) files"
