#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input: a one-line error and exit status 2; no privilege: a one-line
# error and exit status 1.  Nothing is attached in either case.
. "$(dirname "$0")/../lib.sh"

cases=(
	"--events bogus"
	"--events create,,fib"
	"--fib-dst 10.0.0.0/33"
	"--fib-dst not-an-ip"
	"--fib-table 0"
	"--netns no-such-namespace"
	"--netns /etc/passwd"
	"--netns pid:999999"
	"--pid abc"
	"--comm this-name-is-far-too-long"
	"--ringbuf-size 1000"
	"--ringbuf-size 3M"
	"--count 0"
	"--duration soon"
	"--fib-summary=0"
	"--probe-mode magic"
	"--events create --fib-errors"
	"--no-such-option"
	"stray-argument"
)
ktap_plan $(( ${#cases[@]} + 2 ))

for c in "${cases[@]}"; do
	# shellcheck disable=SC2086
	"$NETNSIGHT" trace $c > "$NSI_TMP/out" 2> "$NSI_TMP/err"
	rc=$?
	lines=$(wc -l < "$NSI_TMP/err")
	if [ $rc = 2 ] && [ "$lines" = 1 ] && [ ! -s "$NSI_TMP/out" ]; then
		ktap_ok "trace $c: exit 2, one line: $(cat "$NSI_TMP/err")"
	else
		ktap_fail "trace $c" "exit $rc, $lines stderr lines: $(cat "$NSI_TMP/err")"
	fi
done

setpriv --reuid=65534 --regid=65534 --clear-groups "$NETNSIGHT" trace \
	> "$NSI_TMP/out" 2> "$NSI_TMP/err"
rc=$?
check_eq "trace without privilege: exit 1" 1 "$rc"
check_match "trace without privilege: one line saying it needs root" \
	"^netnsight trace: .*needs root" "$(cat "$NSI_TMP/err")"

ktap_finish
