#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/host/packaging.sh - the Debian packages, proven by installing
# them: "make deb" builds netnsight and netnsight-dkms and leaves the source
# tree as it was; lintian has no error and no warning (on both and on the
# source package); both install into a clean bookworm root (mmdebstrap,
# from this machine's own apt sources) that has the 6.1 guest kernel's
# headers, DKMS builds the module for them, and again for the 6.12 headers
# when those arrive (the "kernel upgrade"); the 6.1 and the 6.12 guest each
# load their DKMS-built module with modprobe and the packaged netnsight ls
# shows the module's view; the completion test passes against the
# installed completion; apt-get purge leaves no file behind.  TAP; exit
# status 1 if anything failed.  Root.
#
#   GUEST=0          skip the two guest boots (tools/vm, one at a time)
#   UPGRADE=0        skip the 6.12 headers (and the 6.12 guest)
#   REBUILD_BASE=1   remake the cached base root (build/pkg/base-*.tar)
#
# The base root (minbase, linux-headers-<6.1>, bash-completion, iproute2,
# procps) is cached for a day in build/pkg/; each run unpacks a fresh copy
# into build/pkg/root.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PKG=$ROOT/build/pkg
R=$PKG/root
LOG=$PKG/log
start=$(date +%s)
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
# step LABEL CMD...: one TAP line; the output's tail as comments if it failed
step()
{
	local label=$1
	shift
	if "$@" > "$LOG" 2>&1; then
		ok "$label"
	else
		not_ok "$label"
		tail -n 25 "$LOG" | sed 's/^/#   /'
	fi
}
bail() { echo "Bail out! $*"; echo "1..$n"; exit 1; }
finish()
{
	echo "# $(basename "$0"): $(( $(date +%s) - start ))s"
	echo "1..$n"
	[ "$failed" = 0 ]
	exit
}
[ "$(id -u)" = 0 ] || bail "needs root (chroot, apt-get)"
mkdir -p "$PKG"

# in_root CMD...: CMD chrooted into the clean root, with /proc, /sys, /dev,
# a /run of its own and this tree read-only on /mnt, in a mount namespace
# that ends with it (nothing stays mounted).
in_root()
{
	unshare --mount --propagation private --fork sh -ec '
		r=$1 tree=$2
		shift 2
		mount --bind "$r" "$r"	# a mount point, as a root is (ip netns exec)
		mount -t proc proc "$r/proc"
		mount -t sysfs sysfs "$r/sys"
		mount --rbind /dev "$r/dev"
		mount -t tmpfs tmpfs "$r/run"
		mount --bind -o ro "$tree" "$r/mnt"
		exec chroot "$r" "$@"' in_root "$R" "$ROOT" \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}
# The files of the root, but what apt, dpkg and logs keep about themselves.
files_of_root()
{
	(cd "$R" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o \
		-path ./run -o -path ./mnt -o -path ./tmp -o -path ./var/log -o \
		-path ./var/cache -o -path ./var/lib/apt -o -path ./var/lib/dpkg \) -prune \
		-o -print | sort)
}

K61=$(tools/kernel release 6.1) && K612=$(tools/kernel release 6.12) ||
	bail "cannot resolve the guest kernels"

# --- build ----------------------------------------------------------------------
tree_state() { git status --porcelain; git diff HEAD | sha256sum; }
tree_before=$(tree_state)
step "make deb" make -s deb
tree_after=$(tree_state)
if [ "$tree_before" = "$tree_after" ]; then
	ok "the source tree is as it was (git status, git diff)"
else
	not_ok "make deb changed the source tree"
	diff <(echo "$tree_before") <(echo "$tree_after") | sed 's/^/#   /'
fi
DEB=$(ls build/deb/netnsight_*_amd64.deb 2>/dev/null | head -n1)
DKMS_DEB=$(ls build/deb/netnsight-dkms_*_all.deb 2>/dev/null | head -n1)
DSC=$(ls build/deb/netnsight_*.dsc 2>/dev/null | head -n1)
[ -n "$DEB" ] && [ -n "$DKMS_DEB" ] && [ -n "$DSC" ] || bail "make deb made no packages"
VERSION=$(dpkg-deb -f "$DEB" Version)
echo "# version $VERSION"

# --- lintian ----------------------------------------------------------------------
# both packages, and the source package: only there does lintian read
# debian/copyright as DEP-5 and debian/changelog
lintian -I --pedantic --tag-display-limit 0 "$DEB" "$DKMS_DEB" "$DSC" > "$LOG" 2>&1
lintian_rc=$?
sed 's/^/#   /' "$LOG"
if [ "$lintian_rc" = 0 ] && ! grep -q '^[EW]: ' "$LOG"; then
	ok "lintian: no error, no warning ($(grep -c '^[IPX]: ' "$LOG") info/pedantic)"
else
	not_ok "lintian: $(grep -c '^E: ' "$LOG") errors, $(grep -c '^W: ' "$LOG") warnings (exit $lintian_rc)"
fi

# --- what the packages hold ------------------------------------------------------------
contents() { dpkg-deb -c "$1" | awk '{ print $6 }' | sed 's|^\./|/|'; }
has_all()	# has_all DEB PATH...
{
	local deb=$1 p list
	shift
	list=$(contents "$deb")
	for p in "$@"; do
		grep -qx -- "$p" <<< "$list" || { echo "missing: $p"; return 1; }
	done
}
step "netnsight: command, man page, completion, docs" has_all "$DEB" /usr/sbin/netnsight \
	/usr/share/man/man8/netnsight.8.gz /usr/share/bash-completion/completions/netnsight \
	/usr/share/doc/netnsight/copyright /usr/share/doc/netnsight/README.md.gz
for f in deploy/systemd/*.service; do
	[ -e "$f" ] && step "netnsight: $(basename "$f")" has_all "$DEB" "/lib/systemd/system/$(basename "$f")"
done
for f in deploy/prometheus/*.rules.yml; do
	[ -e "$f" ] && step "netnsight: $(basename "$f")" has_all "$DEB" \
		"/usr/share/netnsight/prometheus/$(basename "$f")"
done
SRC=/usr/src/netnsight-$VERSION
step "netnsight-dkms: the module's source and dkms.conf in $SRC" has_all "$DKMS_DEB" \
	"$SRC/dkms.conf" "$SRC/Kbuild" $(printf "$SRC/%s\n" $(cd kmod && ls *.c *.h | grep -v '\.mod\.c$'))

# --- a clean bookworm root -----------------------------------------------------------
# From the machine's own apt sources (deb822 files and sources.list as they
# are: no archive address is written down here).
sources=()
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list; do
	[ -s "$f" ] && sources+=("$f")
done
BASE=$PKG/base-$K61.tar
if [ "${REBUILD_BASE:-0}" = 1 ] || [ ! -s "$BASE" ] || [ -n "$(find "$BASE" -mmin +1440)" ]; then
	step "mmdebstrap: a minimal bookworm with linux-headers-$K61" \
		mmdebstrap --variant=minbase \
		--include="linux-headers-$K61,bash-completion,iproute2,procps" \
		bookworm "$BASE.tmp" "${sources[@]}"
	mv "$BASE.tmp" "$BASE" 2>/dev/null || bail "no base root"
fi
rm -rf "$R"
mkdir -p "$R"
tar -C "$R" -xf "$BASE" || bail "cannot unpack $BASE"
# A machine runs the kernel whose headers it has: its module index exists
# (linux-image makes it; DKMS's depmod only updates it).
depmod -b "$R" "$K61" 2>/dev/null || bail "depmod $K61 in the clean root"
before=$(files_of_root)

# --- install ---------------------------------------------------------------------
install_ours()
{
	mkdir -p "$R/tmp/debs"
	cp "$DEB" "$DKMS_DEB" "$R/tmp/debs/"
	step "apt-get install ./netnsight*.deb into the clean root${1:+ ($1)}" in_root sh -ec '
		apt-get update -q
		apt-get install -y -q --no-install-recommends /tmp/debs/*.deb'
	sed -n '/Building for\|Building initial\|rror/p' "$LOG" | sed 's/^/#   /'
	rm -rf "$R/tmp/debs"
}
# dkms_built KREL...: dkms status says installed for each
dkms_built()
{
	local status k
	status=$(in_root dkms status netnsight 2>/dev/null)
	echo "$status" | sed 's/^/#   dkms status: /'
	for k in "$@"; do
		grep -q "^netnsight/$VERSION, $k, x86_64: installed" <<< "$status" || return 1
	done
}
# Run in the guest, whose root is this machine's (read-only): modprobe from
# the clean root's module tree, the same module loaded (srcversion), the
# module's files, and the packaged command's ls reporting the module.
guest_load()
{
	local kernel=$1 krel=$2
	tools/vm run --kernel "$kernel" --timeout 600 -- bash -ec '
		r=$1 krel=$2
		[ "$(uname -r)" = "$krel" ]
		# DKMS compresses the module as the kernel does its own (6.12: xz)
		ko=$(ls "$r/lib/modules/$krel/updates/dkms/netnsight.ko"*)
		modprobe -d "$r" --show-depends netnsight | grep -qx "insmod $ko *"
		modprobe -d "$r" netnsight
		# the module running is the file DKMS built: the same build ID
		case $ko in
		*.xz) xz -dc "$ko" ;;
		*.zst) zstd -qdc "$ko" ;;
		*) cat "$ko" ;;
		esac > /tmp/netnsight.ko
		want=$(readelf -n /tmp/netnsight.ko | sed -n "s/.*Build ID: *//p")
		got=$(od -An -tx1 -v /sys/module/netnsight/notes/.note.gnu.build-id | tr -d " \n")
		echo "build ID: built $want, loaded note ...${got: -40}"
		[ -n "$want" ] && [ "${got%$want}" != "$got" ]
		test -r /proc/net/netnsight_all
		"$r/usr/sbin/netnsight" ls
		"$r/usr/sbin/netnsight" ls --json | jq -e ".module == true and .total >= 1" >/dev/null
		modprobe -d "$r" -r netnsight' guest_load "$R" "$krel"
}
guest_step()
{
	[ "${GUEST:-1}" = 1 ] || return 0
	step "guest $2: modprobe netnsight (DKMS-built), netnsight ls shows the module's view" \
		guest_load "$1" "$2"
	sed 's/^/#   /' "$LOG" | head -n 12
}

# purge_check [strict]: purge both packages (and, autoremove, what they
# brought); nothing dpkg -L listed is left, no file named *netnsight*
# (DKMS's tree, the modules it built); strict: the root has no file it did
# not have before the install
purge_check()
{
	local owned left="" p named after new
	owned=$(in_root dpkg -L netnsight netnsight-dkms 2>/dev/null | sort -u)
	# autoremove: also what only a recommendation keeps
	step "apt-get purge netnsight netnsight-dkms, autoremove --purge" in_root sh -ec '
		apt-get purge -y -q netnsight netnsight-dkms
		apt-get autoremove --purge -y -q -o APT::AutoRemove::RecommendsImportant=false \
			-o APT::AutoRemove::SuggestsImportant=false'
	while IFS= read -r p; do
		[ -n "$p" ] && [ "$p" != /. ] || continue
		if [ -e "$R$p" ] || [ -L "$R$p" ]; then
			# shared directories (/usr/share/man/man8...) stay as they were
			[ -d "$R$p" ] && [ ! -L "$R$p" ] && grep -qxF ".$p" <<< "$before" && continue
			left+="$p"$'\n'
		fi
	done <<< "$owned"
	if [ -n "$owned" ] && [ -z "$left" ]; then
		ok "purge: none of the $(echo "$owned" | wc -l) paths dpkg -L listed is left"
	else
		not_ok "purge: dpkg -L paths left behind"
		printf '%s' "$left" | head -n 20 | sed 's/^/#   left: /'
	fi
	named=$(cd "$R" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o \
		-path ./mnt \) -prune -o -name '*netnsight*' -print)
	if [ -z "$named" ]; then
		ok "purge: no file named *netnsight* anywhere (DKMS's tree and modules too)"
	else
		not_ok "purge: files named *netnsight* left"
		echo "$named" | head -n 20 | sed 's/^/#   left: /'
	fi
	[ "${1:-}" = strict ] || return 0
	after=$(files_of_root)
	new=$(comm -13 <(echo "$before") <(echo "$after"))
	if [ -z "$new" ]; then
		ok "purge: the root has exactly the files it had before the install"
	else
		not_ok "purge: $(echo "$new" | wc -l) files more than before the install"
		echo "$new" | head -n 20 | sed 's/^/#   new: /'
	fi
}

install_ours
dkms_built "$K61" && ok "DKMS built and installed the module for $K61" ||
	not_ok "DKMS built and installed the module for $K61"
KO=/lib/modules/$K61/updates/dkms/netnsight.ko
step "modinfo: $KO is for $K61" sh -c "modinfo -F vermagic '$R$KO' | grep -q '^$K61 '"
step "the packaged command runs: netnsight version" sh -c \
	"[ \"\$(chroot '$R' /usr/sbin/netnsight version)\" = 'netnsight $VERSION' ]"
step "the completion test, against the installed completion" in_root \
	env COMPLETION=installed NETNSIGHT=/usr/sbin/netnsight /mnt/selftests/host/completion.sh
grep -E '^(not )?ok ' "$LOG" | sed 's/^/#   completion: /'
guest_step 6.1 "$K61"
purge_check strict

# --- a kernel "upgrade": new headers arrive --------------------------------------------
# Installed again, then the 6.12 headers (which bring their image: no
# initramfs for it, INITRD=No -- the guest boots its own).
if [ "${UPGRADE:-1}" = 1 ]; then
	install_ours "again"
	step "apt-get install linux-headers-$K612 (the 'kernel upgrade')" in_root \
		env INITRD=No apt-get install -y -q --no-install-recommends "linux-headers-$K612"
	dkms_built "$K61" "$K612" && ok "DKMS built the module for $K612 too: dkms status lists both" ||
		not_ok "DKMS built the module for $K612 too: dkms status lists both"
	guest_step 6.12 "$K612"
	purge_check
fi
finish
