#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The exporter without netnsight.ko: what /proc can see.  The namespaces it
# reports are compared with lsns(8) and the `ip netns` mounts; devices with
# ip(8); then the module is loaded again and the exporter says so.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

ktap_plan 10

restore() { grep -q '^netnsight ' /proc/modules || insmod "$NSI_KO"; }
trap 'exp_cleanup; restore' EXIT
rmmod netnsight || { ktap_fail "rmmod netnsight" "module busy"; exit 1; }

nsi_netns_add nm1
ip -n nm1 link add dnm1 type dummy 2>/dev/null || { modprobe dummy; ip -n nm1 link add dnm1 type dummy; }
ino=$(nsi_ino /run/netns/nm1)
exp_start --refresh 200ms || exit 1
scrape() { curl -sf "$EXP_URL/metrics"; }
value()	# value SERIES-PREFIX: the value of the first sample line starting so
{
	scrape | awk -v p="$1" 'index($0, p) == 1 { print $NF; exit }'
}

check_eq "netnsight_module_loaded is 0" 0 "$(value 'netnsight_module_loaded ')"
# the truth: namespaces of processes (lsns) and of the ip netns mounts
truth=$( { lsns -t net -n -o NS; for f in /run/netns/*; do stat -L -c %i "$f"; done; } |
	sort -u | tr '\n' ' ')
seen=$(scrape | sed -n 's/^netnsight_namespace_info{netns="\([0-9]*\)".*/\1/p' | sort -u | tr '\n' ' ')
check_eq "the namespaces it reports are those lsns and /run/netns show" "$truth" "$seen"
check_eq "netnsight_namespaces{state=alive} counts them" "$(wc -w <<< "$truth")" \
	"$(value 'netnsight_namespaces{state="alive"}')"
no_states() { ! scrape | grep -qE '^netnsight_namespaces\{state="(dying|stuck|blocked)"'; }
check "no dying/stuck/blocked counts without the module" no_states
check_eq "nm1's devices from its own /proc/net/dev, as ip counts them" \
	"$(ip -n nm1 -o link show | wc -l)" "$(value "netnsight_namespace_devices{netns=\"$ino\"")"
insmod "$NSI_KO"
loaded() { [ "$(value 'netnsight_module_loaded ')" = 1 ]; }
check "the module loaded again: netnsight_module_loaded turns 1" wait_until 20 loaded
exp_stop TERM
check_eq "SIGTERM: exit 0" 0 "$EXP_RC"

# --- the cap: per-namespace series for the lowest inode only -------------------
exp_start --max-namespaces 1 || exit 1
first=$(scrape)
total=$(awk '/^netnsight_namespaces\{state=/ { n += $NF } END { print n }' <<< "$first")
infos=$(sed -n 's/^netnsight_namespace_info{netns="\([0-9]*\)".*/\1/p' <<< "$first")
check_eq "--max-namespaces 1: one info series" 1 "$(wc -l <<< "$infos")"
check_eq "... the lowest inode's" "$(stat -L -c %i /proc/1/ns/net)" "$infos"
check_eq "dropped_total counts the $((total - 1)) left out, at the first scrape" \
	"$((total - 1))" "$(awk '$1 == "netnsight_namespace_series_dropped_total" { print $2 }' <<< "$first")"

ktap_finish
