#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/host/completion.sh - the bash completion (completion/netnsight),
# driven in a real non-interactive bash with bash-completion loaded: for a
# command line, COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT are set as
# readline would set them, the completion function is called, and COMPREPLY
# is compared with what the system says independently of the completion:
#   subcommands   the "Commands:" of "netnsight help"
#   options       the --long options "netnsight SUB --help" prints
#   event kinds   the --events line of "netnsight trace --help"
#   probe modes   the --probe-mode line, table names the --fib-table line
#   namespaces    "ip netns list" after "ip netns add" of two namespaces,
#                 inodes from lsns (processes) and, for each name, the
#                 inode seen from inside it ("ip netns exec NAME stat")
# TAP output; exit status 1 if anything failed.  Root (ip netns add).
#
#   NETNSIGHT=BIN     the command (default: user/netnsight of this tree)
#   COMPLETION=FILE   the completion (default: completion/netnsight), or
#                     "installed": loaded by bash-completion itself from its
#                     completions folder, as an interactive shell would
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NETNSIGHT=${NETNSIGHT:-$ROOT/user/netnsight}
COMPLETION=${COMPLETION:-$ROOT/completion/netnsight}
BASH_COMPLETION=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

[ -x "$NETNSIGHT" ] || { echo "Bail out! no netnsight at $NETNSIGHT"; exit 1; }
[ -r "$BASH_COMPLETION" ] || { echo "Bail out! bash-completion is not installed"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "Bail out! needs root (ip netns add)"; exit 1; }

# --- the completion, run in a fresh bash ---------------------------------------
# complete LINE: the completions for LINE (the cursor at its end), one a
# line, sorted.  Words are split as readline does: at blanks, and around
# the COMP_WORDBREAKS characters netnsight's words contain (= and :).
complete_line()
{
	bash --norc --noprofile -c '
		line=$1 completion=$2
		. "$3" || exit 1
		if [ "$completion" = installed ]; then
			__load_completion netnsight || exit 1
		else
			. "$completion" || exit 1
		fi
		spec=$(complete -p netnsight) || exit 1
		fn=${spec#*-F }
		fn=${fn%% *}
		words=()
		for w in $line; do
			while [[ $w =~ ^([^=:]*)([=:]+)(.*)$ ]]; do
				[ -n "${BASH_REMATCH[1]}" ] && words+=("${BASH_REMATCH[1]}")
				words+=("${BASH_REMATCH[2]}")
				w=${BASH_REMATCH[3]}
			done
			[ -n "$w" ] && words+=("$w")
		done
		[[ $line == *" " || ${line: -1} == [=:] ]] && words+=("")
		COMP_WORDS=("${words[@]}")
		COMP_CWORD=$(( ${#words[@]} - 1 ))
		COMP_LINE=$line
		COMP_POINT=${#line}
		COMPREPLY=()
		"$fn" netnsight "${words[COMP_CWORD]}" "${words[COMP_CWORD-1]}"
		[ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}"
	' complete_line "$1" "$COMPLETION" "$BASH_COMPLETION" | sort -u
}

# check LABEL LINE EXPECTED: the completions of LINE are exactly EXPECTED
# (one a line)
check()
{
	local label=$1 line=$2 want got
	want=$(printf '%s\n' "$3" | sed '/^$/d' | sort -u)
	got=$(complete_line "$line")
	if [ "$got" = "$want" ]; then
		ok "$label ($(printf '%s' "$got" | grep -c .) completions)"
	else
		not_ok "$label"
		echo "#   line: '$line'"
		diff <(echo "$want") <(echo "$got") | sed -n 's/^[<>]/#   &/p'
		echo "#   (< expected, > completed)"
	fi
}

# the --long options a help text names ("--fib-*" in prose is not one)
long_options() { grep -oP -- '(?<![\w-])--[a-z][a-z0-9-]*[a-z0-9](?![\w*-])' | sort -u; }
only_prefix() { grep -- "^$1" || true; }

# --- the truth: what netnsight says about itself --------------------------------
commands=$("$NETNSIGHT" help | sed -n '/^Commands:/,/^$/s/^  \([a-z]\+\) .*/\1/p')
[ -n "$commands" ] || { echo "Bail out! no commands in 'netnsight help'"; exit 1; }
trace_help=$("$NETNSIGHT" trace --help)
field() { echo "$trace_help" | grep -- "$1" | head -n1 | sed "s/.*$1 *[A-Z]* *//"; }
kinds=$(field '--events' | sed 's/ or /,/' | tr ', ' '\n\n' | sed '/^$/d')
modes=$(field '--probe-mode' | sed 's/(default)//' | sed 's/ or /,/' | tr ', ' '\n\n' | sed '/^$/d')
tables=$(field '--fib-table' | sed 's/.*(number, *//; s/).*//' | tr ', ' '\n\n' | sed '/^$/d')
[ -n "$kinds" ] && [ -n "$modes" ] && [ -n "$tables" ] ||
	{ echo "Bail out! cannot read kinds/modes/tables from 'netnsight trace --help'"; exit 1; }
echo "# truth: commands $(echo $commands); kinds $(echo $kinds); modes $(echo $modes); tables $(echo $tables)"

check "subcommands" "netnsight " "$commands"
check "subcommand prefix" "netnsight l" "$(echo "$commands" | only_prefix l)"

# every subcommand with its own --help: its options (and --help itself,
# which each accepts -- the help text just printed proves it)
for sub in $commands; do
	help=$("$NETNSIGHT" "$sub" --help 2>/dev/null) || continue
	grep -q "^Usage: netnsight $sub" <<< "$help" || continue
	opts=$( (echo "$help" | long_options; echo --help) | sort -u)
	check "$sub: options" "netnsight $sub --" "$opts"
	check "$sub: options, by its prefix" "netnsight ${sub:0:2} -" "$opts"
	[ "$sub" = trace ] && trace_opts=$opts
done
check "trace: --fib- options" "netnsight trace --fib-" "$(echo "$trace_opts" | only_prefix --fib-)"
check "trace: options after a value" "netnsight trace --json --count 3 --n" \
	"$(echo "$trace_opts" | only_prefix --n)"

# --events: the kinds, as a comma list
check "--events kinds" "netnsight trace --events " "$kinds"
check "--events=kinds" "netnsight trace --events=" "$kinds"
rest=$(echo "$kinds" | grep -vx -e all -e create | sed 's/^/create,/')
check "-e create,<kinds left>" "netnsight trace -e create," "$rest"
second=$(echo "$kinds" | grep -vx -e all | sed -n 2p)
third=$(echo "$kinds" | grep -vx -e all -e create -e "$second" | head -n1)
check "--events create,$second,${third:0:1}" "netnsight trace --events create,$second,${third:0:1}" \
	"$(echo "$kinds" | grep -vx -e all -e create -e "$second" | only_prefix "${third:0:1}" |
		sed "s/^/create,$second,/")"
check "--events all,: nothing more" "netnsight trace --events all," ""
check "--probe-mode" "netnsight trace --probe-mode " "$modes"
check "--fib-table names" "netnsight trace --fib-table " "$tables"
check "ls takes no argument" "netnsight ls --json " ""

# --- namespaces: made here, listed by ip and lsns ---------------------------------
NS1=nsicomp-a$$ NS2=nsicomp-b$$
cleanup() { ip netns del "$NS1" 2>/dev/null; ip netns del "$NS2" 2>/dev/null; }
trap cleanup EXIT
if ! ip netns add "$NS1" || ! ip netns add "$NS2"; then
	not_ok "ip netns add (the namespace tests need it)"
	echo "1..$n"
	exit 1
fi
ino_of() { ip netns exec "$1" stat -L -c %i /proc/self/ns/net; }
namespaces()	# names, then net:[INODE] of every namespace: ip and lsns
{
	local name
	ip netns list | awk '{ print $1 }'
	{
		lsns -t net -n -o NS
		for name in $(ip netns list | awk '{ print $1 }'); do ino_of "$name"; done
	} | sed 's/^ *\(.*\)$/net:[\1]/'
}
# A process may start or end while we look: what both looks saw must be
# completed, and nothing neither saw.
within()	# within LABEL LINE: completions between truth before and after
{
	local label=$1 line=$2 before got after missing extra
	before=$(namespaces | sort -u)
	got=$(complete_line "$line")
	after=$(namespaces | sort -u)
	missing=$(comm -12 <(echo "$before") <(echo "$after") | only_prefix "$3" |
		sed "s/^${4:-}//" | comm -23 - <(echo "$got"))
	extra=$(sort -u <(echo "$before") <(echo "$after") | only_prefix "$3" |
		sed "s/^${4:-}//" | comm -13 - <(echo "$got"))
	if [ -z "$missing$extra" ] && grep -q . <<< "$got"; then
		ok "$label ($(echo "$got" | grep -c .) completions)"
	else
		not_ok "$label"
		echo "#   line: '$line'"
		[ -z "$missing" ] || echo "$missing" | sed 's/^/#   missing: /'
		[ -z "$extra" ] || echo "$extra" | sed 's/^/#   not a namespace: /'
	fi
}
within "show NS: names and net:[INODE]" "netnsight show " ""
within "trace --netns NS" "netnsight trace --netns " ""
within "trace -n NS after options" "netnsight trace -j -n " ""
check "show: names by prefix" "netnsight show nsicomp-" \
	"$(ip netns list | awk '{ print $1 }' | only_prefix nsicomp-)"
# "net:" is a word of its own to readline (COMP_WORDBREAKS has ':'): the
# completions are what follows it
within "show net:[INODE]" "netnsight show net:[" "net:\[" "net:"
ino=$(ino_of "$NS1")
check "show net:[${ino:0:8}: the namespace made here" "netnsight show --json net:[${ino:0:8}" \
	"$(namespaces | only_prefix "net:\[${ino:0:8}" | sed 's/^net://' | sort -u)"
check "show: one namespace only" "netnsight show $NS1 " ""

if [ "$COMPLETION" = installed ]; then
	spec=$(bash --norc --noprofile -c '. "$1" && __load_completion netnsight && complete -p netnsight' \
		_ "$BASH_COMPLETION" 2>&1)
	if [[ $spec == "complete -F "*" netnsight" ]]; then
		ok "bash-completion loads it from its folder: $spec"
	else
		not_ok "bash-completion loads it from its folder: '$spec'"
	fi
fi

echo "1..$n"
[ "$failed" = 0 ]
