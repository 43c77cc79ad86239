#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/run_tests.sh - run netnsight's selftests (inside the guest, as
# root), kselftest style: each test prints KTAP; this runner nests them in
# one KTAP document and ends with the line "N passed, N failed".
#
#   selftests/run_tests.sh [PATTERN...]   only tests whose name matches
#
# The module is loaded first and unloaded last; afterwards the kernel log
# must hold no BUG/WARNING/Oops/refcount line and no netnsight file may
# remain -- both are reported as test results of their own.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export NSI_ROOT=$ROOT
export NETNSIGHT=${NETNSIGHT:-$ROOT/user/netnsight}
TIMEOUT=${NSI_TEST_TIMEOUT:-900}

tests=()
while read -r t _; do
	case "$t" in ''|'#'*) continue ;; esac
	if [ $# -gt 0 ]; then
		keep=0
		for p in "$@"; do [[ "$t" == *$p* ]] && keep=1; done
		[ $keep = 1 ] || continue
	fi
	tests+=("$t")
done < "$ROOT/selftests/TESTS"

passed=0 failed=0 skipped=0 n=0
echo "TAP version 13"
extra=2
[ -n "${NSI_SANITIZER_LOGS:-}" ] && extra=3
echo "1..$(( ${#tests[@]} + extra ))"
[ -n "${NSI_SANITIZER_LOGS:-}" ] && mkdir -p "$NSI_SANITIZER_LOGS"
echo "# kernel $(uname -r), $("$NETNSIGHT" version 2>/dev/null)"

dmesg -C
if ! grep -q '^netnsight ' /proc/modules; then
	insmod "$ROOT/kmod/netnsight.ko" || echo "# cannot load kmod/netnsight.ko"
fi

result()	# result NAME STATUS
{
	n=$((n + 1))
	if [ "$2" = 0 ]; then echo "ok $n $1"; else echo "not ok $n $1"; fi
}

for t in "${tests[@]}"; do
	case "$t" in
	bin/*) exe=$ROOT/build/selftests/${t#bin/} ;;
	*) exe=$ROOT/selftests/$t ;;
	esac
	out=$(mktemp /tmp/nsi-run.XXXXXX)
	echo "# --- $t"
	start=$(date +%s)
	if [ -x "$exe" ]; then
		(cd "$ROOT" && timeout -k 10 "$TIMEOUT" "$exe") > "$out" 2>&1
		rc=$?
	else
		echo "not ok 1 $t is missing (not built?)" > "$out"
		rc=1
	fi
	sed 's/^/    /' "$out"
	p=$(grep -Ec '^ok [0-9]+' "$out" | head -n1)
	s=$(grep -Ec '^ok [0-9]+.*# SKIP' "$out" | head -n1)
	f=$(grep -Ec '^not ok [0-9]+' "$out" | head -n1)
	p=$((p - s))
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		# crashed, timed out (124) or broke its plan
		echo "    # exited with status $rc"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	echo "# $t: $p passed, $f failed, $s skipped in $(( $(date +%s) - start ))s"
	result "$t" "$f"
	rm -f "$out"
done

# Unload, and nothing of ours may be left behind.
if grep -q '^netnsight ' /proc/modules; then
	rmmod netnsight 2>&1 | sed 's/^/# /'
fi
left=$(ls /proc/net/netnsight* 2>/dev/null; grep -E '^(netnsight|nsi_holdref) ' /proc/modules)
if [ -z "$left" ]; then
	passed=$((passed + 1)); result "module unloads and leaves nothing behind" 0
else
	failed=$((failed + 1)); result "module unloads and leaves nothing behind" 1
	echo "# left: $left"
fi

bad=$(dmesg | grep -E 'BUG:|WARNING:|Oops|refcount_t|general protection|UBSAN|KASAN|kernel BUG|leak' |
      grep -v 'module verification failed')
if [ -z "$bad" ]; then
	passed=$((passed + 1)); result "kernel log has no BUG, WARNING, Oops or refcount line" 0
else
	failed=$((failed + 1)); result "kernel log has no BUG, WARNING, Oops or refcount line" 1
	echo "$bad" | head -n 30 | sed 's/^/# /'
fi

if [ -n "${NSI_SANITIZER_LOGS:-}" ]; then
	reports=$(cat "$NSI_SANITIZER_LOGS"/* 2>/dev/null)
	if [ -z "$reports" ]; then
		passed=$((passed + 1)); result "no AddressSanitizer/UBSan/LeakSanitizer report from $NETNSIGHT" 0
	else
		failed=$((failed + 1)); result "no AddressSanitizer/UBSan/LeakSanitizer report from $NETNSIGHT" 1
		echo "$reports" | head -n 60 | sed 's/^/# /'
	fi
fi

echo "# $skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
