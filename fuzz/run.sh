#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz/run.sh - run the libFuzzer harnesses (fuzz/README.md); called by
# fuzz/fuzz.mk.
#
#   fuzz/run.sh regress BINDIR SECONDS NAME...
#       every input in fuzz/regress/NAME/ once, then SECONDS of fuzzing
#       from them into a scratch corpus.
#   fuzz/run.sh long BINDIR SECONDS NAME...
#       SECONDS of fuzzing each, growing fuzz/corpus/NAME/ (gitignored),
#       seeded with fuzz/regress/NAME/.
#
# FUZZ_JOBS harnesses run at once (default: the number of CPUs, at most
# 2).  Prints TAP: "ok N fuzz_NAME: R runs ..." or "not ok N ...", and
# exits non-zero if any failed.  A failing input is kept as
# BINDIR/artifacts/NAME-crash-*: reproduce with BINDIR/fuzz_NAME FILE.
set -uo pipefail

MODE=$1 BINDIR=$2 SECONDS_EACH=$3
shift 3
NAMES=("$@")
FUZZ_DIR=$(cd "$(dirname "$0")" && pwd)
JOBS=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$MODE" = long ] || { [ "$JOBS" -gt 2 ] && JOBS=2; }
[ "$JOBS" -ge 1 ] || JOBS=1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/netnsight-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$BINDIR/artifacts"

# Common flags: inputs up to 4 KiB (a netlink message with many attributes,
# a /proc file with many rows); a hang is a failure after 60 s: inputs take
# microseconds, and a loaded machine (guests running) can stall us for 10 s.
FLAGS=(-max_len=4096 -timeout=60 -rss_limit_mb=2048 -print_final_stats=1)

# one harness: writes $WORK/NAME.result as "ok|not ok<TAB>detail"
run_one() {
	local name=$1 bin=$BINDIR/fuzz_$1 reg=$FUZZ_DIR/regress/$1
	local log=$WORK/$name.log corpus dict=() inputs=() runs
	local art=$BINDIR/artifacts/$name-

	if [ ! -x "$bin" ]; then
		printf 'not ok\tno binary %s (make fuzz-build)\n' "$bin" > "$WORK/$name.result"
		return
	fi
	[ -f "$FUZZ_DIR/fuzz_$name.dict" ] && dict=(-dict="$FUZZ_DIR/fuzz_$name.dict")
	if [ -d "$reg" ]; then
		mapfile -t inputs < <(find "$reg" -type f | sort)
	fi
	if [ "$MODE" = regress ] && [ ${#inputs[@]} -gt 0 ]; then
		# each kept input once: the regression cases
		if ! "$bin" -timeout=60 -rss_limit_mb=2048 -artifact_prefix="$art" "${inputs[@]}" > "$log.regress" 2>&1; then
			printf 'not ok\tregression input failed (see %s)\n' "$log.regress" > "$WORK/$name.result"
			cp "$log.regress" "$BINDIR/artifacts/$name-regress.log"
			return
		fi
	fi
	if [ "$MODE" = long ]; then
		corpus=$FUZZ_DIR/corpus/$name
	else
		corpus=$WORK/corpus-$name
	fi
	mkdir -p "$corpus"
	if ! "$bin" "${FLAGS[@]}" "${dict[@]}" -max_total_time="$SECONDS_EACH" \
		-artifact_prefix="$art" "$corpus" ${inputs:+"$reg"} > "$log" 2>&1; then
		cp "$log" "$BINDIR/artifacts/$name-fuzz.log"
		printf 'not ok\tfuzzing found a failure: %s (log %s)\n' \
			"$(grep -m1 -oE 'Test unit written to .*' "$log" || echo '?')" \
			"$BINDIR/artifacts/$name-fuzz.log" > "$WORK/$name.result"
		return
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	printf 'ok\t%s runs in %ss, %s regression inputs, corpus %s\n' "${runs:-?}" \
		"$SECONDS_EACH" "${#inputs[@]}" "$(find "$corpus" -type f | wc -l)" \
		> "$WORK/$name.result"
}

# at most JOBS at once
running=0
for name in "${NAMES[@]}"; do
	run_one "$name" &
	running=$((running + 1))
	if [ "$running" -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

echo "1..${#NAMES[@]}"
i=0 failed=0
for name in "${NAMES[@]}"; do
	i=$((i + 1))
	IFS=$'\t' read -r status detail < "$WORK/$name.result"
	echo "$status $i fuzz_$name: $detail"
	[ "$status" = ok ] || failed=$((failed + 1))
done
exit $((failed > 0))
