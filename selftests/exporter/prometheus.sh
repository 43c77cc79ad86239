#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The exporter as Prometheus sees it: a real Prometheus (Debian's) scrapes
# it every second while we create namespaces, make route lookups in one,
# hold one stuck in teardown (nsi_holdref.ko) and delete the rest.  Every
# check asks Prometheus' HTTP API, and compares with what we did or with
# what ip(8) and the namespace's own /proc say -- never with the exporter.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

ktap_plan 24

PARAM=/sys/module/netnsight/parameters/stuck_secs
old_stuck=$(cat $PARAM)
echo 3 > $PARAM
trap 'echo "$old_stuck" > $PARAM; rmmod nsi_holdref 2>/dev/null; exp_cleanup' EXIT
modprobe dummy

links_before=$(bpftool link show -j | jq -r '.[].id' | sort)
exp_start || exit 1
prom_start || exit 1
check "Prometheus scrapes the exporter: up == 1" wait_until 60 pq_is 'up{job="netnsight"}' 1
created0=$(pq netnsight_namespaces_created_total)
destroyed0=$(pq netnsight_namespaces_destroyed_total)
check "the counters are there before we start" test -n "$created0" -a -n "$destroyed0"

# --- four namespaces; lookups and two UDP sockets in the first ----------------
for n in ex1 ex2 ex3 ex4; do nsi_netns_add $n; done
for n in ex1 ex2 ex3 ex4; do eval "ino_$n=$(nsi_ino /run/netns/$n)"; done
ip -n ex1 link set lo up
ip -n ex1 route add blackhole 10.99.0.0/16
ip -n ex1 link add dex1 type dummy
# nothing is sent: each sendto() is one fib_table_lookup() failing -EINVAL
ip netns exec ex1 "$NSI_ROOT/build/selftests/nsi_fibload" 1234 10.99.0.1 >/dev/null
nsi_bg ip netns exec ex1 bash -c 'exec 3<>/dev/udp/127.0.0.1/9 4<>/dev/udp/127.0.0.1/9; exec sleep 600'
created_is() { pq_is "netnsight_namespaces_created_total - $created0" "$1"; }
check "created_total rose by the 4 namespaces made" wait_until 30 created_is 4
fib_q="netnsight_fib_lookups_total{netns=\"$ino_ex1\",table=\"main\",result=\"EINVAL\",via=\"table\"}"
check "ex1: exactly the 1234 lookups nsi_fibload made, table main, EINVAL" \
	wait_until 30 pq_is "$fib_q" 1234
check_eq "ex1's info series carries its name" ex1 \
	"$(pq "netnsight_namespace_info{netns=\"$ino_ex1\"}" '.data.result[0].metric.name // empty')"
devs=$(ip -n ex1 -o link show | wc -l)
check "ex1's devices as ip link counts them ($devs)" \
	wait_until 20 pq_is "netnsight_namespace_devices{netns=\"$ino_ex1\"}" "$devs"
udp_inuse() { ip netns exec ex1 awk '$1 == "UDP:" { print $3 }' /proc/net/sockstat; }
wait_until 20 test "$(udp_inuse)" = 2
check_eq "ex1's own sockstat counts our 2 UDP sockets" 2 "$(udp_inuse)"
check "ex1's UDP sockets as its sockstat says (2)" \
	wait_until 20 pq_is "netnsight_namespace_sockets{netns=\"$ino_ex1\",proto=\"UDP\"}" 2
check "every namespace we made has an info series" wait_until 20 pq_is \
	"count(netnsight_namespace_info{netns=~\"$ino_ex1|$ino_ex2|$ino_ex3|$ino_ex4\"})" 4
check "netnsight_namespaces{state=alive} counts them with the rest ($(($(ls /run/netns | wc -l) + 1)) or more)" \
	test "$(pq 'netnsight_namespaces{state="alive"}')" -ge "$(($(ls /run/netns | wc -l) + 1))"

# --- delete three: destroyed rises, their series go (before the stuck one:
# cleanup_net() would queue them behind it) ------------------------
for n in ex2 ex3 ex4; do ip netns del $n; done
destroyed_is() { pq_is "netnsight_namespaces_destroyed_total - $destroyed0" "$1"; }
check "destroyed_total rose by the 3 deleted" wait_until 40 destroyed_is 3
check "their series are gone from Prometheus" wait_until 20 pq_none \
	"{netns=~\"$ino_ex2|$ino_ex3|$ino_ex4\"}"
check "a teardown time was observed for each" \
	wait_until 20 pq_is netnsight_namespace_teardown_seconds_count 3

# --- one stuck: its device referenced by the helper module --------------------
nsi_netns_add exst
ino_st=$(nsi_ino /run/netns/exst)
ip -n exst link add dst1 type dummy
check "helper module takes a reference on dst1 in exst" \
	ip netns exec exst insmod "$NSI_HOLDREF_KO" ifname=dst1
ip netns del exst
_nsi_netns=("${_nsi_netns[@]/exst}")
stuck_q="netnsight_namespace_stuck_seconds{netns=\"$ino_st\"}"
check "Prometheus sees exst stuck" wait_until 40 pq_is "count($stuck_q)" 1
check_eq "its wait_dev is the held device" dst1 \
	"$(pq "$stuck_q" '.data.result[0].metric.wait_dev // empty')"
check "stuck for at least stuck_secs (3 s)" \
	test "$(pq "$stuck_q >= 3" '.data.result | length')" = 1
check 'netnsight_namespaces{state="stuck"} is 1' pq_is 'netnsight_namespaces{state="stuck"}' 1

rmmod nsi_holdref
check "released: exst finishes dying, destroyed rose by 4" wait_until 60 destroyed_is 4
check "and its stuck series is gone" wait_until 20 pq_none "$stuck_q"
# up == 1 at every scrape: exactly so when the guest keeps up.  A TCG guest
# on an oversubscribed host stalls for seconds at times, and a 1 s scrape
# times out whatever the target -- the control shows it: then the exporter
# must have missed no more scrapes than Prometheus' scrape of itself.
failed() { pq "count_over_time(up{job=\"$1\"}[10m]) - sum_over_time(up{job=\"$1\"}[10m])"; }
f_exp=$(failed netnsight) f_ctl=$(failed control)
for job in netnsight control; do
	ktap_diag "$job: scrapes $(pq "count_over_time(up{job=\"$job\"}[10m])"), failed $(failed $job), slowest $(pq \
		"max_over_time(scrape_duration_seconds{job=\"$job\"}[10m])") s"
done
if [ "$f_ctl" = 0 ]; then
	check_eq "up was 1 at every scrape (the control missed none either)" 0 "$f_exp"
else
	check "up: no more scrapes missed than the control's ($f_exp vs $f_ctl; the guest stalled)" \
		test -n "$f_exp" -a "${f_exp:-1}" -le "$f_ctl"
fi

# --- a raw scrape is clean for promtool; SIGTERM detaches everything ----------
out=$(curl -sf "$EXP_URL/metrics" | promtool check metrics 2>&1)
check_eq "promtool check metrics reports nothing" "ok:" "ok:$out"
exp_stop TERM
check_eq "SIGTERM: the exporter exits 0" 0 "$EXP_RC"
links_left() { [ "$(bpftool link show -j | jq -r '.[].id' | sort)" = "$links_before" ]; }
check "no BPF link of it is left" wait_until 10 links_left

ktap_finish
