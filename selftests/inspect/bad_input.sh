#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input to the inspector: a one-line error and exit status 2; missing
# privilege: a one-line error and exit status 1.
. "$(dirname "$0")/../lib.sh"

cases=(
	"frobnicate"
	"ls --bogus"
	"ls extra"
	"show"
	"show no-such-namespace"
	"show 4294967295"
	"show pid:999999"
	"show /etc/passwd"
	"show --bogus lo"
	"lab --bogus"
	"lab extra"
	"trace --bogus"
)
ktap_plan $(( ${#cases[@]} + 4 ))

for c in "${cases[@]}"; do
	# shellcheck disable=SC2086
	"$NETNSIGHT" $c > "$NSI_TMP/out" 2> "$NSI_TMP/err"
	rc=$?
	lines=$(wc -l < "$NSI_TMP/err")
	if [ $rc = 2 ] && [ "$lines" = 1 ]; then
		ktap_ok "netnsight $c: exit 2, one line: $(cat "$NSI_TMP/err")"
	else
		ktap_fail "netnsight $c" "exit $rc, $lines stderr lines: $(cat "$NSI_TMP/err")"
	fi
done

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
"${NOBODY[@]}" "$NETNSIGHT" ls > "$NSI_TMP/out" 2> "$NSI_TMP/err"
check_eq "ls without privilege: exit 1" 1 $?
check_match "ls without privilege: one line saying it needs root" \
	"^netnsight ls: .*needs root" "$(cat "$NSI_TMP/err")"
"${NOBODY[@]}" "$NETNSIGHT" lab > "$NSI_TMP/out" 2> "$NSI_TMP/err"
check_eq "lab without privilege: exit 1" 1 $?
check_eq "lab without privilege: one line" 1 "$(wc -l < "$NSI_TMP/err")"

ktap_finish
