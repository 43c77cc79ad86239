# SPDX-License-Identifier: GPL-2.0
#
# selftests/lib.sh - KTAP output and namespace housekeeping for netnsight's
# shell selftests.  Source it from a test:
#
#   . "$(dirname "$0")/../lib.sh"
#   ktap_plan 3
#   check "loopback is up" ip link show lo up
#   check_eq "one device" 1 "$(ls /sys/class/net | wc -l)"
#   ktap_skip "needs 6.12" "kernel too old"
#   ktap_finish
#
# Each test runs in the guest as root.  Namespaces and devices created with
# the helpers below are removed on exit, however the test ends.

NSI_ROOT=${NSI_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
NETNSIGHT=${NETNSIGHT:-$NSI_ROOT/user/netnsight}
NSI_KO=${NSI_KO:-$NSI_ROOT/kmod/netnsight.ko}
NSI_HOLDREF_KO=${NSI_HOLDREF_KO:-$NSI_ROOT/selftests/kmod/nsi_holdref.ko}
NSI_TMP=$(mktemp -d /tmp/nsi-test.XXXXXX)

_ktap_n=0
_ktap_plan=0
_ktap_failed=0
_nsi_netns=()
_nsi_links=()
_nsi_pids=()

ktap_plan()
{
	_ktap_plan=$1
	echo "TAP version 13"
	echo "1..$1"
}

ktap_diag()
{
	local line
	while IFS= read -r line; do echo "# $line"; done <<< "$*"
}

ktap_ok()
{
	_ktap_n=$((_ktap_n + 1))
	echo "ok $_ktap_n $1"
}

ktap_fail()
{
	_ktap_n=$((_ktap_n + 1))
	_ktap_failed=$((_ktap_failed + 1))
	echo "not ok $_ktap_n $1"
	[ $# -ge 2 ] && ktap_diag "$2"
	return 0
}

ktap_skip()
{
	_ktap_n=$((_ktap_n + 1))
	echo "ok $_ktap_n $1 # SKIP $2"
}

# ktap_result DESC COND_STATUS [DIAG]: ok when COND_STATUS is 0
ktap_result()
{
	if [ "$2" = 0 ]; then ktap_ok "$1"; else ktap_fail "$1" "${3:-}"; fi
}

# check DESC CMD...: ok when CMD succeeds; its output is shown on failure
check()
{
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc = 0 ]; then
		ktap_ok "$desc"
	else
		ktap_fail "$desc" "command failed ($rc): $*
$out"
	fi
}

# check_eq DESC EXPECTED ACTUAL -- an empty EXPECTED is a failure: it means
# the ground truth could not be obtained, and "" = "" proves nothing.
check_eq()
{
	if [ -z "$2" ]; then
		ktap_fail "$1" "no expected value (ground truth missing); actual: $3"
	elif [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "expected: $2
actual:   $3"
	fi
}

# check_match DESC REGEX TEXT
check_match()
{
	if grep -Eq -- "$2" <<< "$3"; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "no line matches /$2/ in:
$3"
	fi
}

# the runner's summary line, for scripts run on their own (make stress)
ktap_summary()
{
	echo "$((_ktap_n - _ktap_failed)) passed, $_ktap_failed failed"
}

ktap_finish()
{
	if [ "$_ktap_n" != "$_ktap_plan" ]; then
		echo "# planned $_ktap_plan tests but ran $_ktap_n"
		exit 1
	fi
	[ "$_ktap_failed" = 0 ]
	exit $?
}

# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
# Teardown in the kernel is asynchronous: never sleep a fixed time.
wait_until()
{
	local deadline=$(( $(date +%s%N) + $1 * 1000000000 ))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# --- namespaces, devices and processes that are cleaned up on exit ---------

# nsi_netns_add NAME: ip netns add, removed on exit
nsi_netns_add()
{
	ip netns add "$1" && _nsi_netns+=("$1")
}

# nsi_link_track NAME: an init-namespace device to delete on exit
nsi_link_track()
{
	_nsi_links+=("$1")
}

# nsi_bg CMD...: start CMD in the background, killed on exit; pid in $!
nsi_bg()
{
	"$@" &
	_nsi_pids+=($!)
}

# nsi_bg_stop: kill what nsi_bg started and reap it.  The redirection is
# on the group: bash reports "PID Killed CMD" for a reaped job on the
# shell's stderr, which a "wait 2>/dev/null" alone does not cover.
nsi_bg_stop()
{
	local p
	for p in "${_nsi_pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	{ for p in "${_nsi_pids[@]}"; do wait "$p"; done; } 2>/dev/null
	_nsi_pids=()
}

nsi_ino()	# nsi_ino PATH -> namespace inode
{
	stat -L -c %i "$1"
}

# nsi_netns_del_all: delete the namespaces nsi_netns_add made (mid-test)
nsi_netns_del_all()
{
	local n
	for n in "${_nsi_netns[@]}"; do ip netns del "$n" 2>/dev/null; done
	_nsi_netns=()
}

nsi_cleanup()
{
	local l
	nsi_bg_stop
	nsi_netns_del_all
	for l in "${_nsi_links[@]}"; do ip link del "$l" 2>/dev/null; done
	rm -rf "$NSI_TMP"
}
trap nsi_cleanup EXIT

# nsi_module_loaded: is netnsight.ko loaded?
nsi_module_loaded()
{
	[ -e /proc/net/netnsight ]
}

# nsi_proc_reader NS: read both module files, and NS's, in a loop (run it in
# the background with nsi_bg; errors while the module is away are expected)
nsi_proc_reader()
{
	while :; do
		cat /proc/net/netnsight_all /proc/net/netnsight >/dev/null 2>&1
		ip netns exec "$1" cat /proc/net/netnsight >/dev/null 2>&1
	done
}

# nsi_churn_reloading WORKERS PER MIN_CYCLES OUT: nsi_churn WORKERS PER (its
# output in OUT) while the module is unloaded and loaded again in a loop --
# until the churn is over and at least MIN_CYCLES cycles ran (no more than
# 1000, unless MIN_CYCLES asks for more).
# Sets NSI_CYCLES, NSI_LOAD_FAILS and NSI_CHURN_RC.
nsi_churn_reloading()
{
	local churn

	"$NSI_ROOT/build/selftests/nsi_churn" "$1" "$2" > "$4" 2>&1 &
	churn=$!
	NSI_CYCLES=0 NSI_LOAD_FAILS=0
	while kill -0 $churn 2>/dev/null || [ $NSI_CYCLES -lt "$3" ]; do
		rmmod netnsight || NSI_LOAD_FAILS=$((NSI_LOAD_FAILS + 1))
		insmod "$NSI_KO" || NSI_LOAD_FAILS=$((NSI_LOAD_FAILS + 1))
		NSI_CYCLES=$((NSI_CYCLES + 1))
		[ $NSI_CYCLES -ge 1000 ] && [ "$3" -lt 1000 ] && break
	done
	wait $churn
	NSI_CHURN_RC=$?
}

# nsi_podman_setup: rootful podman kept inside $NSI_TMP -- vfs storage,
# cgroupfs, netavark's configuration, events in a file -- because the
# guest's root is read-only.  Sets PODMAN (the command with its storage
# options) and exports CONTAINERS_CONF.
nsi_podman_setup()
{
	PODMAN=(podman --root "$NSI_TMP/podman/root" --runroot "$NSI_TMP/podman/runroot"
		--storage-driver vfs)
	export CONTAINERS_CONF=$NSI_TMP/containers.conf
	mkdir -p "$NSI_TMP/podman/net" "$NSI_TMP/podman/tmp"
	cat > "$CONTAINERS_CONF" <<-CONF
	[engine]
	cgroup_manager = "cgroupfs"
	events_logger = "file"
	events_logfile_path = "$NSI_TMP/podman/events.log"
	runtime = "crun"
	tmp_dir = "$NSI_TMP/podman/tmp"
	static_dir = "$NSI_TMP/podman/static"
	[network]
	network_backend = "netavark"
	network_config_dir = "$NSI_TMP/podman/net"
	CONF
}

# nsi_start_ready WHAT OUT CMD...: CMD --ready-file F in the background
# (killed on exit), stdout in OUT, stderr in OUT.err; returns once F exists
# (pid in $NSI_READY_PID), or 1 after showing CMD's stderr
nsi_start_ready()
{
	local what=$1 out=$2 ready
	shift 2
	ready=$(mktemp -u "$NSI_TMP/ready.XXXXXX")
	"$@" --ready-file "$ready" > "$out" 2> "$out.err" &
	NSI_READY_PID=$!
	_nsi_pids+=($NSI_READY_PID)
	if ! wait_until 90 test -e "$ready"; then
		echo "# $what did not start:"; sed 's/^/# /' "$out.err"
		return 1
	fi
}

# nsi_trace_start FILE ARGS...: netnsight trace in the background, output in
# FILE, returns once it is attached (pid in $NSI_TRACE_PID)
nsi_trace_start()
{
	local out=$1
	shift
	nsi_start_ready tracer "$out" "$NETNSIGHT" trace "$@" || return 1
	NSI_TRACE_PID=$NSI_READY_PID
}

# nsi_trace_stop: SIGINT the tracer and wait for it to flush
nsi_trace_stop()
{
	kill -INT "$NSI_TRACE_PID" 2>/dev/null
	wait "$NSI_TRACE_PID"
}
