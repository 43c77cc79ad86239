#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netnsight show: build a namespace with a veth to the init namespace, two
# extra routing tables and a policy rule, then check `netnsight show --json`
# field by field against what iproute2, stat(1), /proc and the module say
# about the same namespace.
#
# Each side is normalized by one jq run printing one line per assertion
# (starting jq costs about half a second in the guest).

. "$(dirname "$0")/../lib.sh"

NS=nsi-show-$$
IF_NS=nsisn$$		# the veth end inside NS
IF_HOST=nsish$$		# its peer, in the init namespace
OUT=$NSI_TMP/show.json
TABLES="255 254 100 200"

# jq: iproute2's table words as numbers (rt_tables: local, main, default)
JQ_TID='def tid: if . == null or . == "main" then 254
		elif . == "local" then 255 elif . == "default" then 253
		else tonumber end;'
# jq: a prefix as "a.b.c.d/len" (iproute2 leaves out /32, says "default"
# and "all", and gives rules' lengths apart: pass them as $len)
JQ_PFX='def pfx($len): if . == null or . == "all" then null
		elif . == "default" then "0.0.0.0/0"
		elif test("/") then .
		else "\(.)/\($len // 32)" end;'
# jq: routes of each table in $TABLES, one line each, after the table set
JQ_BY_TABLE='def by_table: . as $r | ([$r[].table] | unique),
		($tables | split(" ")[] | tonumber as $t | $r | map(select(.table == $t)));'

setup()
{
	modprobe veth || return 1
	nsi_netns_add "$NS" || return 1
	ip link add "$IF_HOST" type veth peer name "$IF_NS" netns "$NS" || return 1
	nsi_link_track "$IF_HOST"
	ip -batch - <<-EOF || return 1
		link set $IF_HOST up
		addr add 10.9.0.1/24 dev $IF_HOST
	EOF
	ip -n "$NS" -batch - <<-EOF || return 1
		link set lo up
		link set $IF_NS up
		addr add 10.9.0.2/24 dev $IF_NS
		route add default via 10.9.0.1
		route add 10.50.0.0/16 via 10.9.0.1 table 100
		route add blackhole 10.60.0.0/16 table 100
		route add 10.70.0.0/16 dev $IF_NS table 200 metric 7
		route add unreachable 10.80.0.0/16 table 200
		rule add from 10.9.0.0/24 table 100 priority 1000
	EOF
	# the address set must be settled before two tools read it: wait
	# for the link-local address addrconf adds once the carrier is up
	wait_until 10 sh -c "ip -n $NS -6 addr show dev $IF_NS scope link | grep -q inet6"
}

# A process in NS that holds a UDP socket there (for "by pid" and sockstat)
start_holder()
{
	nsi_bg ip netns exec "$NS" bash -c \
		'exec 3<>/dev/udp/10.9.0.1/9 && exec sleep 600'	# killed on exit
	HOLDER=$!
	wait_until 10 sh -c "[ \"\$(stat -L -c %i /proc/$HOLDER/ns/net)\" = $NS_INO ] &&
			     readlink /proc/$HOLDER/fd/3 | grep -q '^socket:'"
}

# check_same DESC EXPECTED ACTUAL: and EXPECTED must say something -- an
# assertion over nothing could not fail
check_same()
{
	case "$2" in
	''|'[]'|null|*'[]'|*null)
		ktap_fail "$1" "no ground truth: '$2'"
		return
		;;
	esac
	check_eq "$1" "$2" "$3"
}

ktap_plan 29

if ! setup; then
	echo "Bail out! cannot build the test namespace"
	exit 1
fi
NS_INO=$(nsi_ino "/run/netns/$NS")
# our own namespaces: the veth's peer side and NS's owner
read -r OUR_NET OUR_USER <<< "$(stat -L -c %i /proc/self/ns/net /proc/self/ns/user | tr '\n' ' ')"

"$NETNSIGHT" show --json "$NS" > "$OUT" 2> "$NSI_TMP/show.err"
rc=$?

# --- ground truth ---------------------------------------------------------

# ip link: devices, loopback, the veth's netnsid, "ifindex name" rows
mapfile -t IP_LINK <<< "$(ip -n "$NS" -d -j link show | jq -r -S -c --arg dev "$IF_NS" '
	([.[] | {ifindex, name: .ifname, kind: (.linkinfo.info_kind // null),
		state: .operstate, up: (.flags | any(. == "UP")), mtu,
		mac: (.address // null)}] | sort_by(.ifindex)),
	([.[] | select(.link_type == "loopback") | .ifname]),
	([.[] | select(.ifname == $dev) | .link_netnsid] | first),
	([.[] | "\(.ifindex) \(.ifname)"] | join(","))')"
IP_ADDRS=$(ip -n "$NS" -j addr show | jq -S -c '[.[] | .ifname as $d | .addr_info[] |
	{dev: $d, family, local, prefixlen, scope}] | sort')
mapfile -t IP_ROUTES <<< "$(ip -4 -n "$NS" -d -j route show table all |
	jq -S -c --arg tables "$TABLES" "$JQ_TID $JQ_PFX $JQ_BY_TABLE"'
	[.[] | {table: (.table | tid), dst: (.dst | pfx(null)),
		type: (.type // "unicast"), dev: (.dev // null),
		gateway: (.gateway // null), prefsrc: (.prefsrc // null),
		protocol: (.protocol // null), scope: (.scope // null),
		metric: (.metric // null)}] | sort | by_table')"
mapfile -t IP_RULES <<< "$(ip -n "$NS" -j rule show | jq -S -c "$JQ_TID $JQ_PFX"'
	([.[] | {priority, table: (.table | tid),
		from: (.srclen as $l | .src | pfx($l)),
		to: (.dstlen as $l | .dst | pfx($l)),
		iif: (.iif // null), oif: (.oif // null)}] | sort),
	(length > 3)')"
# the init side of the veth
HOST_DEV=$(ip -j link show "$IF_HOST" | jq -c '[.[0].ifindex, .[0].ifname]')
# the id our (init) namespace has for NS, as ip netns list shows it
nsid=$(ip netns list | sed -n "s/^$NS (id: \([0-9]*\))\$/\1/p")

# --- our view, in the same shapes, one line each ----------------------------

{
	read -r O_DOCS; read -r O_DEVS; read -r O_LO; read -r O_ADDRS
	read -r O_RULES; read -r O_CUSTOM; read -r O_INO; read -r O_NAMES_NSID
	read -r O_USERNS; read -r O_PEER_DEV; read -r O_PEER_NS
	mapfile -t O_ROUTES	# the table set, then one line per table
} <<< "$(jq -s -r -S -c --arg dev "$IF_NS" --arg tables "$TABLES" "$JQ_BY_TABLE"'
	length, (.[0] |
	([.devices[] | {ifindex, name, kind, state: .oper_state, up: .admin_up,
		mtu, mac}] | sort_by(.ifindex)),
	([.devices[] | select(.loopback) | .name]),
	([.addresses[] | {dev, family, local, prefixlen, scope}] | sort),
	([.rules[] | {priority, table,
		from: (if .src then "\(.src)/\(.src_len)" else null end),
		to: (if .dst then "\(.dst)/\(.dst_len)" else null end),
		iif, oif}] | sort),
	.routing.custom_rules,
	.identity.inode,
	"\(.identity.names) \(.identity.nsid)",
	.identity.userns_inode,
	([.devices[] | select(.name == $dev)] | first // {} |
		[.link.ifindex, .link.ifname], [.link.netns_inode, .link.netnsid]),
	([.routing.tables[] | .id as $t | .routes[] | {table: $t,
		dst: "\(.dst)/\(.dst_len)", type, dev, gateway, prefsrc,
		protocol, scope, metric}] | sort | by_table))' "$OUT")"

# --- assertions -------------------------------------------------------------

check_eq "show --json NS exits 0, quiet, one JSON document" \
	"0 0 1" "$rc $(stat -c %s "$NSI_TMP/show.err") $O_DOCS"

check_same "devices: ifindex, name, kind, state, admin, mtu, MAC match ip link" \
	"${IP_LINK[0]}" "$O_DEVS"
check_same "loopback_dev is the device ip calls loopback" "${IP_LINK[1]}" "$O_LO"
check_same "addresses (IPv4 and IPv6) match ip addr" "$IP_ADDRS" "$O_ADDRS"

check_same "the same routing tables as ip route show table all" \
	"${IP_ROUTES[0]}" "${O_ROUTES[0]}"
i=1
for t in $TABLES; do
	check_same "table $t: every route (dst, type, dev, gateway, src, metric)" \
		"${IP_ROUTES[$i]}" "${O_ROUTES[$i]}"
	i=$((i + 1))
done

# three rules are the defaults (fib_default_rules_init()); we add one
check_same "policy rules: priority, table, selectors match ip rule" \
	"${IP_RULES[0]}" "$O_RULES"
check_eq "custom rules reported when ip rule lists more than the defaults" \
	"${IP_RULES[1]}" "$O_CUSTOM"

check_eq "identity: inode is that of /run/netns/NS" "$NS_INO" "$O_INO"
check_same "identity: ip-netns name and nsid match ip netns list" \
	"[\"$NS\"] ${nsid:-null}" "$O_NAMES_NSID"
# ip netns add creates it in our own user namespace
check_eq "identity: owning user namespace is ours" "$OUR_USER" "$O_USERNS"

# the veth's peer, against the init side
check_same "veth: peer ifindex and name are the init-side device's" \
	"$HOST_DEV" "$O_PEER_DEV"
check_same "veth: peer namespace is ours, under the netnsid ip link reports" \
	"[$OUR_NET,${IP_LINK[2]}]" "$O_PEER_NS"

# other ways to name NS
start_holder
inodes=$({
	"$NETNSIGHT" show --json "$HOLDER"
	"$NETNSIGHT" show --json "/proc/$HOLDER/ns/net"
	"$NETNSIGHT" show --json "$NS_INO"
} | jq -s -r '[.[].identity.inode] | join(" ")')
check_eq "show by pid (a process in NS) gives the same inode" "$NS_INO" "${inodes%% *}"
check_eq "show by path and by inode give the same inode" "$NS_INO $NS_INO" \
	"${inodes#* }"

# --- show by inode: every kind of holder ls finds, and which one was used --
# "INODE RESOLVED_BY" of show --json INODE; fd 7 is not passed on, so a
# namespace our fd 7 holds has that one fd holder only
resolved()
{
	"$NETNSIGHT" show --json "$1" 7<&- 2> "$NSI_TMP/resolved.err" |
		jq -r '.identity | "\(.inode) \(.resolved_by)"'
	sed 's/^/# /' "$NSI_TMP/resolved.err"
}
check_eq "by inode, named: resolved by its mount /run/netns/NS" \
	"$NS_INO mount /run/netns/$NS" "$(resolved "$NS_INO")"

# a process alone
nsi_bg unshare -n sleep 600
P_PID=$!
wait_until 10 test "$(nsi_ino /proc/$P_PID/ns/net)" != "$OUR_NET"
P_INO=$(nsi_ino /proc/$P_PID/ns/net)
check_eq "by inode, held by a process only: resolved by process PID" \
	"$P_INO process $P_PID" "$(resolved "$P_INO")"
text=$("$NETNSIGHT" show "$P_INO" 2>&1 | head -n1)
check_eq "by inode, text: the first line says which process" \
	"net:[$P_INO]  (resolved by process $P_PID)" "$text"

# one thread of a process alone: /proc/PID/ns/net is the main thread's
"$NSI_ROOT/build/selftests/nsi_thread" > "$NSI_TMP/thread" &
_nsi_pids+=($!)
wait_until 10 test -s "$NSI_TMP/thread"
read -r T_PID T_TID T_INO <<< "$(sed 's/[a-z]*=//g' "$NSI_TMP/thread")"
ktap_diag "thread: /proc/$T_PID/task/$T_TID/ns/net $(nsi_ino /proc/$T_PID/task/$T_TID/ns/net), /proc/$T_PID/ns/net $(nsi_ino /proc/$T_PID/ns/net)"
check_eq "by inode, held by one thread only: resolved by process PID (thread TID)" \
	"$(nsi_ino /proc/$T_PID/task/$T_TID/ns/net) process $T_PID (thread $T_TID)" \
	"$(resolved "$T_INO")"

# an fd opened on an ip-netns path (its link is the path), then unmounted
ip netns add "$NS-fd"
exec 7< "/run/netns/$NS-fd"
ip netns del "$NS-fd"
F_INO=$(nsi_ino /proc/self/fd/7)
check_eq "by inode, held by a path-opened fd only: resolved by fd /proc/PID/fd/N" \
	"$F_INO fd /proc/$$/fd/7" "$(resolved "$F_INO")"

# a bind mount alone, with a blank in its path (mountinfo says \040)
nsi_bg unshare -n sleep 600
m_pid=$!
wait_until 10 test "$(nsi_ino /proc/$m_pid/ns/net)" != "$OUR_NET"
touch "$NSI_TMP/held here"
mount --bind "/proc/$m_pid/ns/net" "$NSI_TMP/held here"
kill -9 $m_pid; { wait $m_pid; } 2>/dev/null
M_INO=$(nsi_ino "$NSI_TMP/held here")
check_eq "by inode, held by a mount only (a blank in its path): resolved by that mount" \
	"$M_INO mount $NSI_TMP/held\\040here" "$(resolved "$M_INO")"
umount "$NSI_TMP/held here"
exec 7<&-

# the holder's UDP socket is counted, our own sockets are not; the
# module's facts are those of /proc/net/netnsight (if it is loaded)
"$NETNSIGHT" show --json "$NS" > "$OUT"
{
	read -r O_SOCKETS
	read -r O_MODULE
} <<< "$(jq -r '"\(.sockets.used) \(.sockets.inuse.UDP)",
	"\(.module.loaded) \(.module.seq) \(.module.state) \(.identity.net_cookie)"' "$OUT")"
used="" udp="" seq="" state="" cookie=""
while read -r key a b _; do
	case "$key" in
	sockets:) used=$b ;;	# sockets: used N
	UDP:) udp=$b ;;		# UDP: inuse N mem M
	seq:) seq=$a ;;
	state:) state=$a ;;
	net_cookie:) cookie=$a ;;
	esac
done <<< "$(ip netns exec "$NS" sh -c 'cat /proc/net/sockstat; cat /proc/net/netnsight 2>/dev/null')"
[ "${udp:-0}" -gt 0 ] || used=""
check_same "sockets: used and UDP inuse match /proc/net/sockstat in NS" \
	"$used $udp" "$O_SOCKETS"
if nsi_module_loaded; then
	check_same "module: loaded; seq, state and net_cookie are /proc/net/netnsight's" \
		"true $seq $state $cookie" "$O_MODULE"
else
	ktap_skip "module: loaded; seq, state and net_cookie are /proc/net/netnsight's" \
		"module not loaded"
fi

# the human view, one titled section each, a row per device
"$NETNSIGHT" show "$NS" > "$NSI_TMP/show.txt"
rc=$?
text=$(< "$NSI_TMP/show.txt")
missing=""
for title in 'identity  \(struct net: ns.inum' \
	     'devices  \(struct net: dev_base_head.*loopback_dev' \
	     'addresses  \(struct net_device: ip_ptr' \
	     'routing tables  \(struct net: ipv4.fib_table_hash' \
	     'policy rules  \(struct net: ipv4.rules_ops' \
	     'netfilter  \(struct net: nft' \
	     'sockets  \(struct net: core.prot_inuse' \
	     'netnsight module  '; do
	re=$'(^|\n)'"$title"
	[[ $text =~ $re ]] || missing="$missing [$title]"
done
IFS=, read -ra rows <<< "${IP_LINK[3]}"
[ ${#rows[@]} -ge 2 ] || missing="$missing [ip link listed ${#rows[@]} devices]"
for row in "${rows[@]}"; do
	re=$'\n'"  ${row% *} +${row#* } "
	[[ $text =~ $re ]] || missing="$missing [device $row]"
done
check_eq "text output: exit 0, every section titled, a row per device" \
	"0" "$rc$missing"

# usage errors: exit 2, exactly one line on stderr, nothing on stdout
errcase()	# errcase ARGS...: "STATUS STDERR_LINES STDOUT_BYTES"
{
	local rc lines

	"$NETNSIGHT" show "$@" > "$NSI_TMP/e.out" 2> "$NSI_TMP/e.err"
	rc=$?
	mapfile -t lines < "$NSI_TMP/e.err"
	echo "$rc ${#lines[@]} $(stat -c %s "$NSI_TMP/e.out")"
}
check_eq "unknown namespace name: exit 2, one stderr line" \
	"2 1 0" "$(errcase "nsi-no-such-ns-$$")"
check_eq "unknown option, missing NS: exit 2, one stderr line each" \
	"2 1 0|2 1 0" "$(errcase --bogus "$NS")|$(errcase)"

ktap_finish
