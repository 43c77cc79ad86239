#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On the build machine's own kernel (not the guest): whatever this kernel
# allows, `netnsight trace` either runs, or ends with one line that says
# which kernel feature is missing -- never a failure to load the object
# because of a kernel symbol it cannot resolve.  The machines this runs on
# lack CONFIG_KALLSYMS_ALL (per-CPU variables are not in /proc/kallsyms),
# and refuse BPF tracing: the case the preempt_count-free build is for.
# TAP lines; exit 1 if any check failed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NETNSIGHT=${NETNSIGHT:-$ROOT/user/netnsight}
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; printf '# %s\n' "$@"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what" "${DIAG:-}"; fi; }

vv=$(timeout 60 "$NETNSIGHT" trace -vv --duration 1 2>&1 >/dev/null)
DIAG=$(grep -m3 -E "ldimm64|failed to find the address|cannot load the BPF" <<< "$vv")
check "-vv: no kernel symbol the loader could not resolve" \
	test -z "$DIAG"
err=$(timeout 60 "$NETNSIGHT" trace --duration 1 2>&1 >/dev/null)
rc=$?
if [ $rc = 0 ]; then
	DIAG=$err
	check "the tracer ran on this kernel, without a warning" test -z "$err"
else
	DIAG="rc=$rc: $err"
	check "refused: exactly one line on stderr" test "$(grep -c . <<< "$err")" = 1
	check "refused: the line names the missing kernel feature (BTF, tracing, kprobes, root)" \
		grep -qE "BTF|BPF trampoline|kprobes|needs root|lockdown" <<< "$err"
fi
echo "1..$n"
[ $failed = 0 ]
