#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Container identity, with real runtimes (docs/holders.md):
#  - crun runs an OCI bundle carrying the annotations containerd's CRI
#    plugin writes for a pod sandbox, in a kubepods.slice/...pod<uid>.slice/
#    cri-containerd-<id>.scope cgroup, joined to a namespace by path: ls
#    shows the pod's namespace/name and UID and the container's id on that
#    namespace's row, and --container finds it by pod name, by
#    NAMESPACE/NAME and by id prefix.
#  - rootful podman (cgroupfs, netavark, vfs storage under the test's
#    temporary directory, --rootfs of a busybox tree: nothing is pulled)
#    runs two named containers: ls shows each one's id and name exactly as
#    `podman ps` prints them, on the row of the namespace `podman inspect`
#    names as its SandboxKey; trace --container nsi-web (filtered in the
#    kernel) shows its namespace's destroy when podman rm removes it.
#  - trace labels events with their namespace's container: a trace started
#    before the containers names nsi-web on events in its namespace (and
#    the crun sandbox's id and pod in nsipod's), nsi-db's never, and the
#    destroy event after podman rm still carries what podman inspect says.
# Everything made here is removed on exit, containers first.
. "$(dirname "$0")/../lib.sh"

ktap_plan 29

ALL=/proc/net/netnsight_all
listed() { awk -v i="$1" '$1 == i { f = 1 } END { exit !f }' "$ALL"; }
unlisted() { ! listed "$1"; }
ns() { jq -c --argjson i "$1" '.namespaces[] | select(.inode == $i)' <<< "$J"; }

ROOTFS=$NSI_TMP/rootfs
mkdir -p "$ROOTFS/bin"
cp /bin/busybox "$ROOTFS/bin/"
for c in sh sleep; do ln -s busybox "$ROOTFS/bin/$c"; done

CID=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
export CID	# for jq's $ENV
POD_UID=$(cat /proc/sys/kernel/random/uuid)
CGPATH="/kubepods.slice/kubepods-pod${POD_UID//-/_}.slice/cri-containerd-$CID.scope"
nsi_podman_setup	# PODMAN, CONTAINERS_CONF

ctr_cleanup()
{
	local c
	crun delete -f "$CID" 2>/dev/null
	# one by one: podman rm stops at the first name it does not know
	for c in nsi-web nsi-db; do
		"${PODMAN[@]}" rm -f -i -t 0 "$c" >/dev/null 2>&1
	done
	# netavark deletes its bridge with the last container; if it did not
	ip link del podman0 2>/dev/null
	rmdir /sys/fs/cgroup"$CGPATH" /sys/fs/cgroup"${CGPATH%/*}" \
		/sys/fs/cgroup/kubepods.slice 2>/dev/null
	nsi_cleanup
}
trap ctr_cleanup EXIT

# --- crun, a CRI pod sandbox --------------------------------------------
nsi_netns_add nsipod
podns=$(nsi_ino /run/netns/nsipod)
mkdir -p "$NSI_TMP/bundle"
(cd "$NSI_TMP/bundle" && crun spec)
jq --arg r "$ROOTFS" --arg cg "$CGPATH" --arg uid "$POD_UID" '
	.root = { path: $r, readonly: true } |
	.process.args = ["sleep", "600"] | .process.terminal = false |
	.linux.cgroupsPath = $cg |
	.linux.namespaces = [ .linux.namespaces[] |
		if .type == "network" then .path = "/run/netns/nsipod" else . end ] |
	.annotations = {
		"io.kubernetes.cri.container-type": "sandbox",
		"io.kubernetes.cri.sandbox-id": $ENV.CID,
		"io.kubernetes.cri.sandbox-name": "web-0",
		"io.kubernetes.cri.sandbox-namespace": "prod",
		"io.kubernetes.cri.sandbox-uid": $uid }' \
	"$NSI_TMP/bundle/config.json" > "$NSI_TMP/config.json" &&
	mv "$NSI_TMP/config.json" "$NSI_TMP/bundle/config.json"
# the container inherits crun's stdio: never check's $(...) pipe, which
# would wait for the container to end
check "crun runs the sandbox bundle in nsipod" sh -c \
	'crun run --detach --bundle "$1" "$2" < /dev/null > "$3" 2>&1 || { cat "$3"; exit 1; }' \
	_ "$NSI_TMP/bundle" "$CID" "$NSI_TMP/crun.log"
cpid=$(crun state "$CID" | jq -r .pid)
ktap_diag "crun: pid $cpid, cgroup $(cat /proc/"$cpid"/cgroup 2>&1)"
check_eq "truth: the sandbox's process is in nsipod" "$podns" "$(nsi_ino /proc/"$cpid"/ns/net)"
J=$("$NETNSIGHT" ls --json)
check_eq "crun: ls --json: runtime, id, pod name, namespace, uid from cgroup and annotations" \
	"containerd $CID web-0 prod $POD_UID" \
	"$(ns "$podns" | jq -r '.container | "\(.runtime) \(.id) \(.pod.name) \(.pod.namespace) \(.pod.uid)"')"
check_match "crun: the human row shows the short id and prod/web-0 with its UID" \
	"^$podns +nsipod +${CID:0:12} +prod/web-0 $POD_UID " "$("$NETNSIGHT" ls)"
for sel in web-0 prod/web-0 "${CID:0:8}"; do
	check_eq "crun: ls --container $sel lists that namespace alone" "$podns" \
		"$("$NETNSIGHT" ls --json --container "$sel" | jq -r '[.namespaces[].inode] | join(" ")')"
done
# the sandbox stays (removed on exit): the listing below shows pods too

# --- podman: two named containers -----------------------------------------
# every event from here on, as a user watching the host would see them
nsi_trace_start "$NSI_TMP/trace_all"
allpid=$NSI_TRACE_PID
for name in nsi-web nsi-db; do
	check "podman runs $name" "${PODMAN[@]}" run -d --name "$name" --rootfs "$ROOTFS" sleep 600
done
# and beside them, a namespace only a socket of a host process pins
nsi_bg "$NSI_ROOT/build/selftests/nsi_sockhold" udp > "$NSI_TMP/sock"
sockpid=$!
wait_until 20 test -s "$NSI_TMP/sock"
read -r sockns sockfd < "$NSI_TMP/sock"
human=$("$NETNSIGHT" ls)
J=$("$NETNSIGHT" ls --json)
ktap_diag "$human"
check_match "the socket-held orphan is listed with the containers, its socket named" \
	"^$sockns .* orphan +socket:nsi_sockhold/$sockpid fd $sockfd \\(udp\\)\$" "$human"
check_eq "podman ps lists the two" 2 "$("${PODMAN[@]}" ps --format '{{.Names}}' | wc -l)"
while read -r id name; do
	key=$("${PODMAN[@]}" inspect --format '{{.NetworkSettings.SandboxKey}}' "$name")
	ino=$(nsi_ino "$key")
	check_match "podman: $name's namespace ($key) row shows '$id $name'" \
		"^$ino .* $id $name " "$human"
	check_eq "podman: ls --json for $name: runtime podman, name, id" "podman $name $id" \
		"$(ns "$ino" | jq -r '.container | "\(.runtime) \(.name) \(.id[0:12])"')"
done < <("${PODMAN[@]}" ps --format '{{.ID}} {{.Names}}')
webns=$(nsi_ino "$("${PODMAN[@]}" inspect --format '{{.NetworkSettings.SandboxKey}}' nsi-web)")
webid=$("${PODMAN[@]}" inspect --format '{{.Id}}' nsi-web)
dbns=$(nsi_ino "$("${PODMAN[@]}" inspect --format '{{.NetworkSettings.SandboxKey}}' nsi-db)")
check_eq "podman: show --json of nsi-db's namespace names the container" \
	"podman nsi-db $("${PODMAN[@]}" inspect --format '{{.Id}}' nsi-db)" \
	"$("$NETNSIGHT" show --json "$dbns" | jq -r '.container | "\(.runtime) \(.name) \(.id)"')"
# the exporter's info series carries the same identity (one collection)
nsi_start_ready exporter "$NSI_TMP/exporter.out" "$NETNSIGHT" exporter --listen 127.0.0.1:19398
info_of() { curl -sf http://127.0.0.1:19398/metrics | grep "^netnsight_namespace_info{netns=\"$1\","; }
info_has() { info_of "$1" | grep -qF "$2"; }
check "exporter: nsi-web's info series says container_runtime, container_id and container as podman does" \
	wait_until 20 info_has "$webns" \
	"container_runtime=\"podman\",container_id=\"$webid\",container=\"nsi-web\""
check "exporter: the crun sandbox's says its id and pod prod/web-0 with the UID of its cgroup" \
	wait_until 20 info_has "$podns" \
	"container_id=\"$CID\",pod=\"web-0\",pod_namespace=\"prod\",pod_uid=\"$POD_UID\""
ktap_diag "$(info_of "$webns"; info_of "$podns")"
check "exporter: the host's namespace has no container label" sh -c \
	'! curl -sf http://127.0.0.1:19398/metrics | grep "^netnsight_namespace_info{netns=\"$1\"," | grep -q container' \
	_ "$(nsi_ino /proc/1/ns/net)"
webname=$(basename "$("${PODMAN[@]}" inspect --format '{{.NetworkSettings.SandboxKey}}' nsi-web)")
dbname=$(basename "$("${PODMAN[@]}" inspect --format '{{.NetworkSettings.SandboxKey}}' nsi-db)")
# a switch into the namespace (ip netns exec), until trace has found its
# container (it looks at most once a second; docs/holders.md)
labelled()	# labelled NETNS-NAME LABEL
{
	ip netns exec "$1" true
	grep -qE "^[0-9.]+ +[0-9]+ +[0-9]+ +ip +switch +$1 .*[^ ] container=$2\$" "$NSI_TMP/trace_all"
}
check "trace: a setns into nsi-web's namespace ($webname) says container=nsi-web" \
	wait_until 20 labelled "$webname" nsi-web
check "trace: a setns into nsipod says the sandbox's short id and pod=prod/web-0" \
	wait_until 20 labelled nsipod "${CID:0:12} pod=prod/web-0"
# trace --container: resolved to nsi-web's namespace, filtered in the kernel
nsi_trace_start "$NSI_TMP/trace" --json --container nsi-web
# a tracer started after the container: it learns the container from the
# first events it sees while the container runs (docs/holders.md, Trace)
json_labelled()
{
	ip netns exec "$webname" true
	# grep, not jq: the tracer may be writing the file's last line
	grep "\"netns\":{\"inode\":$webns," "$NSI_TMP/trace" |
		grep -q "\"container\":{\"runtime\":\"podman\",\"id\":\"$webid\",\"name\":\"nsi-web\""
}
check "trace --json --container nsi-web, started later: a setns names the container" \
	wait_until 20 json_labelled
check "podman rm nsi-web" "${PODMAN[@]}" rm -f -t 0 nsi-web
check "podman rm nsi-web: netnsight_all no longer lists it" wait_until 60 unlisted "$webns"
destroyed() { grep -q "\"event\":\"destroy\".*\"inode\":$webns," "$NSI_TMP/trace"; }
check "trace --container nsi-web: the destroy event of its namespace" wait_until 30 destroyed
ip netns exec "$(basename "$("${PODMAN[@]}" inspect --format '{{.NetworkSettings.SandboxKey}}' nsi-db)")" true
nsi_trace_stop
check_eq "trace --container nsi-web: no event of nsi-db's namespace ($dbns) passed the filter" 0 \
	"$(grep -c "\"inode\":$dbns," "$NSI_TMP/trace")"
check_eq "trace --json: nsi-web's destroy event names the container as podman inspect did" \
	"podman nsi-web $webid" \
	"$(jq -r --argjson i "$webns" 'select(.event == "destroy" and .netns.inode == $i) |
		.container | "\(.runtime) \(.name) \(.id)"' "$NSI_TMP/trace")"
wait_until 10 grep -qE " destroy +$webname .* container=nsi-web\$" "$NSI_TMP/trace_all"
NSI_TRACE_PID=$allpid nsi_trace_stop
ktap_diag "$(grep -E " ($webname|$dbname|nsipod) " "$NSI_TMP/trace_all" | tail -n 12)"
check_match "trace: the destroy line of nsi-web's namespace says container=nsi-web" \
	" destroy +$webname .* container=nsi-web\$" "$(cat "$NSI_TMP/trace_all")"
check "trace: no line of nsi-db's namespace is labelled with another container" test -z \
	"$(grep -E " $dbname .* container=" "$NSI_TMP/trace_all" | grep -v ' container=nsi-db$')"

ktap_finish
