#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/stress.sh - `make stress`, run in the guest: 10 000 namespaces
# created and destroyed by several processes while netnsight.ko is loaded
# and unloaded 100 times, the tracer runs with fib events on (and a fib load
# keeps it busy), and readers loop over both proc files.  Afterwards the
# kernel log has no BUG/WARNING/Oops/leak line, no netnsight file or BPF
# program remains, and the kernel's namespace count is back where it began.
#
# NSI_STRESS_NS, NSI_STRESS_WORKERS, NSI_STRESS_CYCLES override the sizes.
. "$(dirname "$0")/lib.sh"

NS=${NSI_STRESS_NS:-10000}
WORKERS=${NSI_STRESS_WORKERS:-4}
CYCLES=${NSI_STRESS_CYCLES:-100}
PER=$(( (NS + WORKERS - 1) / WORKERS ))
ALL=/proc/net/netnsight_all

ktap_plan 9
dmesg -C
grep -q '^netnsight ' /proc/modules || insmod "$NSI_KO"
count_ns() { awk '$1 == "total:" { print $2 }' $ALL; }

# a namespace with a blackhole route for the fib load, and one to read in
nsi_netns_add sload
ip -n sload route add blackhole 10.99.0.0/16
base=$(count_ns)
progs_before=$(bpftool prog show -j | jq length)

fibload()
{
	while :; do
		ip netns exec sload "$NSI_ROOT/build/selftests/nsi_fibload" 2000 10.99.1.1 >/dev/null
	done
}

nsi_trace_start "$NSI_TMP/trace.json" --json --events all || exit 1
tracer=$NSI_TRACE_PID
nsi_bg nsi_proc_reader sload
nsi_bg nsi_proc_reader sload
nsi_bg fibload

start=$(date +%s)
nsi_churn_reloading "$WORKERS" "$PER" "$CYCLES" "$NSI_TMP/churn"
cycles=$NSI_CYCLES fails=$NSI_LOAD_FAILS churn_rc=$NSI_CHURN_RC
took=$(( $(date +%s) - start ))
kill -INT "$tracer"
wait "$tracer"
trace_rc=$?
nsi_bg_stop

created=$(sed -n 's/^created=\([0-9]*\).*/\1/p' "$NSI_TMP/churn")
check_eq "nsi_churn created and released $((WORKERS * PER)) namespaces ($WORKERS processes)" \
	"$((WORKERS * PER))" "$created"
check_eq "churn processes exited cleanly" 0 "$churn_rc"
check "the module went through at least $CYCLES load/unload cycles, all succeeded" \
	test "$cycles" -ge "$CYCLES" -a "$fails" = 0
check_eq "the tracer ran throughout and exited 0" 0 "$trace_rc"
# Two million lines: jq took minutes of the guest's time over them.  The
# tracer writes compact JSON with "event" first, so an anchored grep counts.
sum=$(grep '^{"event":"summary",' "$NSI_TMP/trace.json")
creates=$(grep -c '^{"event":"create",' "$NSI_TMP/trace.json")
destroys=$(grep -c '^{"event":"destroy",' "$NSI_TMP/trace.json")
ktap_diag "tracer: $creates create, $destroys destroy events; summary $sum"

back() { [ "$(count_ns)" = "$base" ]; }
check "the namespace count returns to $base" wait_until 300 back
ip netns del sload; _nsi_netns=()
wait_until 60 test "$(count_ns)" = $((base - 1))
rmmod netnsight
check_eq "after the last unload no netnsight file remains" none \
	"$(ls /proc/net/netnsight* 2>/dev/null || echo none)"
check "no BPF program of the tracer remains" \
	wait_until 30 test "$(bpftool prog show -j | jq length)" = "$progs_before"
bad=$(dmesg | grep -E 'BUG:|WARNING:|Oops|refcount_t|general protection|kernel BUG|leak' |
      grep -v 'module verification failed')
check "the kernel log has no BUG, WARNING, Oops, refcount or leak line" test -z "$bad"; [ -n "$bad" ] && ktap_diag "$bad"
check "trace events: one create per churned namespace at least" test "$creates" -ge "$created"

echo "# stress figures: $created namespaces churned by $WORKERS processes in ${took}s," \
	"$cycles module load/unload cycles, tracer $creates creates / $destroys destroys"
ktap_summary
ktap_finish
