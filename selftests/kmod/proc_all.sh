#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# /proc/net/netnsight_all lists every namespace the kernel has -- by name,
# by process, and one held by nothing but an open fd -- and rows go away
# when the namespaces do.
. "$(dirname "$0")/../lib.sh"

ktap_plan 11

ALL=/proc/net/netnsight_all
row() { awk -v i="$1" '$1 == i' "$ALL"; }
listed() { [ -n "$(row "$1")" ]; }
unlisted() { [ -z "$(row "$1")" ]; }

inos=()
for i in 1 2 3 4 5; do
	nsi_netns_add "pa$i"
	inos+=("$(nsi_ino /run/netns/pa$i)")
done
n=0
for ino in "${inos[@]}"; do listed "$ino" && n=$((n + 1)); done
check_eq "5 named namespaces are listed by inode" 5 "$n"

# a namespace held only by an open fd: no process in it, no bind mount
unshare -n sleep 600 &
sleeper=$!
wait_until 10 test "$(readlink /proc/$sleeper/ns/net)" != "$(readlink /proc/self/ns/net)"
exec 9< "/proc/$sleeper/ns/net"
fd_ino=$(stat -L -c %i /proc/self/fd/9)
kill -9 $sleeper; { wait $sleeper; } 2>/dev/null
check "a namespace held only by an fd is listed" listed "$fd_ino"
check_eq "its state is alive" alive "$(row "$fd_ino" | awk '{ print $8 }')"
check_eq "its device count is 1 (lo)" 1 "$(row "$fd_ino" | awk '{ print $5 }')"
exec 9<&-
check "closing the fd removes its row" wait_until 30 unlisted "$fd_ino"

check_eq "init_net's row has the inode of readlink /proc/1/ns/net" 1 \
	"$(row "$(readlink /proc/1/ns/net | tr -dc 0-9)" | wc -l)"

rows=$(awk 'NR > 1 && $1 != "total:"' "$ALL" | wc -l)
total=$(awk '$1 == "total:" { print $2 }' "$ALL")
check_eq "the totals line counts every row" "$rows" "$total"
check_eq "the totals line is the last line" "total:" "$(tail -n1 "$ALL" | awk '{ print $1 }')"
alive=$(awk 'NR > 1 && $8 == "alive"' "$ALL" | wc -l)
check_eq "alive in the totals matches the rows" "$alive" \
	"$(awk '$1 == "total:" { print $4 }' "$ALL")"

for i in 1 2 3 4 5; do ip netns del "pa$i"; done
_nsi_netns=()
all_gone() { for ino in "${inos[@]}"; do listed "$ino" && return 1; done; return 0; }
check "rows disappear after ip netns del" wait_until 30 all_gone

# seq is the creation order: the rows are sorted by it and strictly increase
check_eq "rows come in strictly increasing seq" 0 \
	"$(awk 'NR > 1 && $1 != "total:" { if ($3 <= last) bad = 1; last = $3 } END { print bad + 0 }' "$ALL")"

ktap_finish
