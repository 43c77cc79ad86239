#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The container image (make image: build/image/netnsight.oci.tar), run by
# real podman as the README says, here in the guest:
#  - podman run with the README's flags: the image's default command is the
#    exporter on localhost; from inside the container it reports every
#    namespace of the machine -- the same inodes `netnsight ls` run outside
#    lists, the names `ip netns` gives -- and the module's view (the
#    alive count /proc/net/netnsight_all has); its tracer works there (a
#    namespace made outside is counted in created_total);
#  - after podman rm: no BPF program of ours is left loaded, nothing runs.
# The DaemonSet's pod template (deploy/kubernetes) is not run here: podman
# 4.3.1 with crun 1.8.1 starts no pod in the guest -- the infra container
# of every pod, ours or an empty "podman pod create", fails with "crun:
# mknod /dev/null: Operation not permitted" (pods without one start).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

if [ -n "${NSI_SANITIZER_LOGS:-}" ]; then
	# the image holds the packaged build, never the sanitizer one
	ktap_plan 1
	ktap_skip "the image and the pod template, run by podman" \
		"the ASan run: the image runs the packaged netnsight; the plain run checks it"
	ktap_finish
	exit 0
fi
ktap_plan 10

ARCHIVE=$NSI_ROOT/build/image/netnsight.oci.tar
nsi_podman_setup	# PODMAN, CONTAINERS_CONF

img_cleanup()
{
	"${PODMAN[@]}" rm -f -t 0 nsi-exporter > /dev/null 2>&1
	nsi_cleanup
}
trap img_cleanup EXIT

scrape() { curl -sf "$EXP_URL/metrics"; }
serving() { curl -sf "$EXP_URL/healthz" > /dev/null; }
metric() { scrape | awk -v p="$1" 'index($0, p) == 1 { print $NF; exit }'; }
info_inodes() { scrape | sed -n 's/^netnsight_namespace_info{netns="\([0-9]*\)".*/\1/p' | sort -u; }
ls_inodes() { "$NETNSIGHT" ls --json | jq -r '.namespaces[].inode' | sort -u; }
alive_in_module() { awk 'NR > 1 && $8 == "alive"' /proc/net/netnsight_all | wc -l; }
# tracing programs loaded (fentry/fexit, kprobes, raw tracepoints: ours;
# the guest's systemd has cgroup programs only)
tracing_progs() { bpftool prog list 2>/dev/null | grep -cE '^[0-9]+: (tracing|kprobe|raw_tracepoint) '; }
same_inodes() { [ "$(info_inodes | tr '\n' ' ')" = "$(ls_inodes | tr '\n' ' ')" ]; }
created() { metric netnsight_namespaces_created_total; }

# compare LABEL: what the exporter in the container says vs the machine
compare()
{
	local c0
	check "$1: /healthz answers" wait_until 90 serving
	check "$1: every namespace netnsight ls sees outside, by inode" wait_until 20 same_inodes
	ktap_diag "$1: inodes $(info_inodes | tr '\n' ' ')"
	check_eq "$1: nsi-img's info series carries its ip-netns name" nsi-img \
		"$(scrape | sed -n "s/^netnsight_namespace_info{netns=\"$imgns\".*name=\"\([^\"]*\)\".*/\1/p")"
	check_eq "$1: it reads the module's view (netnsight_module_loaded)" 1 \
		"$(metric netnsight_module_loaded)"
	check_eq "$1: alive namespaces as /proc/net/netnsight_all counts them" \
		"$(alive_in_module)" "$(metric 'netnsight_namespaces{state="alive"}')"
	c0=$(created)
	unshare --net true
	check "$1: its tracer counts a namespace made outside (created_total $c0 -> +1)" \
		wait_until 20 test "$(created)" -ge $((c0 + 1))
}

check "the image archive is built (make image)" test -s "$ARCHIVE"
"${PODMAN[@]}" load -i "$ARCHIVE" > "$NSI_TMP/load.out" 2>&1
ktap_diag "$(tail -n 3 "$NSI_TMP/load.out")"
TAG=$(sed -n 's/^Loaded image[^:]*: *//p' "$NSI_TMP/load.out" | head -n1)
check_match "podman load: the archive's tag" '^localhost/netnsight:' "$TAG"
progs0=$(tracing_progs)
nsi_netns_add nsi-img
imgns=$(nsi_ino /run/netns/nsi-img)

# --- podman run, as README "Install" shows ------------------------------------
"${PODMAN[@]}" run -d --name nsi-exporter --pid=host --network=host \
	--cap-drop=all --cap-add=SYS_ADMIN,SYS_PTRACE,DAC_READ_SEARCH,NET_ADMIN \
	-v /sys/kernel/btf:/sys/kernel/btf:ro -v /run/netns:/run/netns:ro,rslave \
	"$TAG" > "$NSI_TMP/run.out" 2>&1 || cat "$NSI_TMP/run.out"
compare "podman run"
ktap_diag "$("${PODMAN[@]}" logs nsi-exporter 2>&1 | tail -n 5)"
"${PODMAN[@]}" rm -f -t 10 nsi-exporter > /dev/null 2>&1

check "afterwards no container runs" test -z "$("${PODMAN[@]}" ps -q)"
check_eq "afterwards no tracing program is left loaded (bpftool prog list)" "$progs0" "$(tracing_progs)"
ktap_finish
