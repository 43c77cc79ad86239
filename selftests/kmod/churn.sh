#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Churn: namespaces created and destroyed by several processes while the
# module is loaded and unloaded again and again and readers loop over both
# proc files.  No oops/WARN/leak (the runner checks the kernel log), no
# netnsight file left after the last unload, and every namespace created
# is gone at the end.
. "$(dirname "$0")/../lib.sh"

WORKERS=${NSI_CHURN_WORKERS:-4}
PER=${NSI_CHURN_PER:-300}
CYCLES=${NSI_CHURN_CYCLES:-25}
ktap_plan 6

ALL=/proc/net/netnsight_all
count_ns() { awk '$1 == "total:" { print $2 }' $ALL; }

nsi_netns_add chr
base=$(count_ns)
nsi_bg nsi_proc_reader chr
nsi_bg nsi_proc_reader chr

nsi_churn_reloading "$WORKERS" "$PER" "$CYCLES" "$NSI_TMP/churn"
cycles=$NSI_CYCLES load_fail=$NSI_LOAD_FAILS
check_eq "nsi_churn created $((WORKERS * PER)) namespaces from $WORKERS processes" \
	"created=$((WORKERS * PER))" "$(cut -d' ' -f1 "$NSI_TMP/churn")"
check "the module was unloaded and reloaded at least $CYCLES times" test $cycles -ge "$CYCLES"
ktap_diag "$cycles load/unload cycles during the churn"
check_eq "every rmmod/insmod succeeded" 0 "$load_fail"

rmmod netnsight
left=$(ls /proc/net/netnsight* 2>/dev/null; ip netns exec chr ls /proc/net/netnsight 2>/dev/null)
check_eq "after the last unload no netnsight file remains (init_net, chr)" "none" "${left:-none}"
insmod "$NSI_KO"
back() { [ "$(count_ns)" = "$base" ]; }
check "every churned namespace is gone: the count is back to $base" wait_until 120 back
check_eq "and all of them are alive (nothing stuck dying)" "$base" \
	"$(awk 'NR > 1 && $8 == "alive"' $ALL | wc -l)"

ktap_finish
