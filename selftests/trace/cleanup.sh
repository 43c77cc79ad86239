#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Nothing stays attached: links are owned by the tracer's file descriptors,
# so SIGINT, SIGTERM and even SIGKILL leave no program or link behind.
. "$(dirname "$0")/../lib.sh"

ktap_plan 9

prog_ids() { bpftool prog show -j | jq -r '.[].id' | sort; }
link_progs() { bpftool link show -j | jq -r '.[].prog_id' | sort; }
perf_progs() { bpftool perf show -j 2>/dev/null | jq -r '.[].prog_id' | sort; }

before=$(prog_ids)
# ours: the programs that appear while the tracer runs
ours()
{
	comm -13 <(echo "$before") <(prog_ids)
}
none_left()	# none_left IDS: none of IDS is a program, link or perf event
{
	local now
	now=$( { prog_ids; link_progs; perf_progs; } | sort -u)
	[ -z "$(comm -12 <(tr ' ' '\n' <<< "$1" | sort -u) <(echo "$now"))" ]
}

for sig in KILL INT TERM; do
	mode=$([ $sig = TERM ] && echo kprobe || echo auto)
	OUT=$NSI_TMP/$sig.out
	nsi_trace_start "$OUT" --events all --probe-mode $mode || exit 1
	ids=$(ours)
	check "$sig ($mode): the tracer attached programs" test -n "$ids"
	kill -$sig "$NSI_TRACE_PID"
	{ wait "$NSI_TRACE_PID"; } 2>/dev/null	# no "Killed" line from bash
	rc=$?
	if [ $sig = KILL ]; then
		check_eq "KILL: the tracer died of SIGKILL" 137 "$rc"
	else
		check_eq "$sig: the tracer exits 0" 0 "$rc"
	fi
	check "$sig: no program, link or perf event of it is left" wait_until 10 none_left "$ids"
done

ktap_finish
