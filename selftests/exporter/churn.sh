#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scrapes while namespaces churn: nsi_churn creates and destroys 1000
# namespaces while curl scrapes /metrics in a loop.  Every scrape must be
# answered -- HTTP 200 and a body promtool accepts -- the exporter must
# still be running after, and netnsight_namespaces_created_total must have
# risen by what nsi_churn itself says it created (destroyed_total too, once
# the teardowns are over).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

CHURN=${CHURN:-1000}

ktap_plan 7

trap exp_cleanup EXIT
exp_start || exit 1
scrape() { curl -sf "$EXP_URL/metrics"; }
value()	# value NAME: the sample of an unlabelled family
{
	scrape | awk -v n="$1" '$1 == n { print $2; exit }'
}

# parseable SCRAPE-FILE: "" if promtool (or, without it, our own reading of
# the format) finds nothing wrong, else what it says
parseable()
{
	if command -v promtool > /dev/null; then
		promtool check metrics < "$1" 2>&1
	else
		tail -n 1 "$1" | grep -q '^netnsight_scrape_duration_seconds [0-9.e-]*$' ||
			echo "the last line is not netnsight_scrape_duration_seconds"
	fi
}

created0=$(value netnsight_namespaces_created_total)
destroyed0=$(value netnsight_namespaces_destroyed_total)
"$NSI_ROOT/build/selftests/nsi_churn" 1 "$CHURN" > "$NSI_TMP/churn.out" 2>&1 &
churn=$!
_nsi_pids+=($churn)
tries=0 answered=0 failures=
while kill -0 "$churn" 2>/dev/null; do
	tries=$((tries + 1))
	code=$(curl -s -o "$NSI_TMP/scrape" -w '%{http_code}' --max-time 30 "$EXP_URL/metrics")
	why=
	[ "$code" = 200 ] || why="HTTP $code"
	[ -z "$why" ] && why=$(parseable "$NSI_TMP/scrape")
	if [ -z "$why" ]; then
		answered=$((answered + 1))
	elif [ -z "$failures" ]; then
		failures="scrape $tries: $why"
	fi
done
wait "$churn"
churn_rc=$?
created=$(sed -n 's/^created=\([0-9]*\) .*/\1/p' "$NSI_TMP/churn.out")

check_eq "nsi_churn created $CHURN namespaces" "$CHURN" "$created"
check "scrapes ran during the churn ($tries)" test "$tries" -ge 2
check_eq "every scrape during the churn answered: HTTP 200, a body promtool accepts${failures:+ ($failures)}" \
	"$tries" "$answered"
check "the exporter is still running" kill -0 "$EXP_PID"
# the last events may still be in the ring buffer (read every 50 ms)
rose_by() { [ "$(( $(value "$1") - $2 ))" = "$3" ]; }
wait_until 10 rose_by netnsight_namespaces_created_total "$created0" "$created"
check_eq "netnsight_namespaces_created_total rose by what nsi_churn created" \
	"$created" "$(( $(value netnsight_namespaces_created_total) - created0 ))"
# all of them are released once nsi_churn exits; teardown is asynchronous
wait_until 30 rose_by netnsight_namespaces_destroyed_total "$destroyed0" "$created"
check_eq "netnsight_namespaces_destroyed_total: as many, once torn down" \
	"$created" "$(( $(value netnsight_namespaces_destroyed_total) - destroyed0 ))"
check_eq "nsi_churn exited 0" 0 "$churn_rc"

ktap_finish
