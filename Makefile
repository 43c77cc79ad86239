# SPDX-License-Identifier: GPL-2.0
#
# netnsight - build, test and demo.  Two commands do everything on a fresh
# Debian 12 machine:
#
#   make demo     the lab, live, in a guest running Debian's stock kernel
#   make check    every selftest in the guest; last line "N passed, N failed"
#
# Every target first runs "make deps" (idempotent): Debian packages, the
# guest kernel, the pieces of Debian's linux-source we build with.
#
# KERNEL=6.1 (default) | 6.12 | a full release: the guest kernel, and the
# headers the module is built against.  KDIR=... builds the module for
# another kernel tree instead (e.g. /lib/modules/$(uname -r)/build on a real
# host).

KERNEL ?= 6.1
export KERNEL
# Resolved at run time from Debian's metapackages: ABI numbers move.
KREL ?= $(shell tools/kernel release $(KERNEL))
KDIR ?= /usr/src/linux-headers-$(KREL)

BUILD := build
CLANG ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL ?= bpftool
VM ?= tools/vm

# BPF ISA v3 (kernel 5.12+): atomic fetch-and-add, for the summary slots.
# The BPF programs are CO-RE: compiled once against the BTF of the oldest
# kernel we support (Debian 12's 6.1) and relocated by libbpf at load time
# on whatever kernel runs them.  Generating vmlinux.h from the oldest kernel
# means every field the programs name exists there; newer kernels' changes
# are handled with CO-RE field/type checks in the program.
BTF_KERNEL := 6.1

VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
CFLAGS ?= -O2 -g
USER_CFLAGS := $(CFLAGS) -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-Wno-missing-field-initializers -I$(BUILD) -Iuser -Iuser/lib \
	-DNETNSIGHT_VERSION='"$(VERSION)"' -MMD -MP $(CPPFLAGS)
USER_LDLIBS := -lbpf -lelf -lz -lmnl -lmicrohttpd -lyaml -lcrypt -lpthread -ljansson

# user/lib/: what is not a command (strings, JSON, netlink, namespace specs,
# the procfs parsers, holders), one static library that the command, the
# C selftests and the fuzz harnesses all link.  user/*.c: the commands.
LIB_SRCS := $(wildcard user/lib/*.c)
LIB_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(LIB_SRCS))
LIB := $(BUILD)/libnetnsight.a
CMD_SRCS := $(wildcard user/*.c)
CMD_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(CMD_SRCS))
SKEL := $(BUILD)/netnsight.skel.h $(BUILD)/netnsight_tp.skel.h $(BUILD)/skel-variants-match

.PHONY: all deps kmod bpf user selftests check check-all check-asan check-matrix demo \
	bench stress fuzz lint clean distclean help install uninstall install-dkms \
	uninstall-dkms deb check-packaging image image-test

all: kmod user selftests

help:
	@sed -n '3,18p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@tools/deps $(KERNEL)

$(BUILD)/.deps-$(KERNEL): tools/deps tools/kernel tools/kernel-source tools/guest-init
	@tools/deps $(KERNEL)
	@mkdir -p $(BUILD) && touch $@

# NO_DEPS=1 builds from what is already there, without "make deps" (no
# apt-get, no downloads): the package build of "make deb" runs offline, from
# a copy of the tree that carries build/vmlinux.h.
ifeq ($(NO_DEPS),1)
DEPS_STAMP :=
else
DEPS_STAMP := $(BUILD)/.deps-$(KERNEL)
endif

# --- kernel module (kmod/) and the test-only helper module ------------------
# Kbuild always runs: it rebuilds on its own when the kernel tree changes.
# KERNEL=7 (trixie-backports) needs gcc-14: built in a trixie chroot.
ifneq ($(filter 7 trixie-backports,$(KERNEL)),)
kmod: $(DEPS_STAMP)
	tools/trixie-build $(KREL)
else
kmod: $(DEPS_STAMP)
	@test -d $(KDIR) || { echo "no kernel headers in $(KDIR)"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
endif

# --- BPF ---------------------------------------------------------------------
$(BUILD)/vmlinux.h: $(DEPS_STAMP)
	@mkdir -p $(BUILD)
	$(BPFTOOL) btf dump file $$(tools/kernel btf $(BTF_KERNEL)) format c > $@.tmp
	mv $@.tmp $@

BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -I$(BUILD) -Ibpf -Wall -Werror

# The tracer: one object per feature (bpf/*.bpf.c), linked into one by
# `bpftool gen object` -- maps and globals defined once (maps.bpf.c),
# extern elsewhere -- and the skeleton made from the linked object.
#
# Built twice: netnsight.bpf.o reads the context (softirq, hardirq) from
# preempt_count, a __ksym the verifier can resolve only with
# CONFIG_KALLSYMS_ALL; netnsight_tp.bpf.o (NSI_IRQ_FROM_TRACEPOINTS) from
# the irq tracepoints instead (bpf/irq_ctx.bpf.c).  Same maps, globals and
# programs, so the one skeleton opens either: user space embeds the second's
# bytes and picks at load time.  skel-variants-match checks that promise.
NSI_BPF_PARTS := maps lifecycle move fib fib_tables irq_ctx
NSI_BPF_OBJS := $(patsubst %,$(BUILD)/bpf/%.bpf.o,$(NSI_BPF_PARTS))
NSI_BPF_TP_OBJS := $(patsubst %,$(BUILD)/bpf-tp/%.bpf.o,$(NSI_BPF_PARTS))

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) $(BUILD)/vmlinux.h
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@	# keep BTF (CO-RE), drop DWARF

$(BUILD)/bpf-tp/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) $(BUILD)/vmlinux.h
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -DNSI_IRQ_FROM_TRACEPOINTS -c $< -o $@
	$(LLVM_STRIP) -g $@

$(BUILD)/netnsight.bpf.o: $(NSI_BPF_OBJS)
	$(BPFTOOL) gen object $@ $^

$(BUILD)/netnsight_tp.bpf.o: $(NSI_BPF_TP_OBJS)
	$(BPFTOOL) gen object $@ $^

# The two skeletons, but for their names and the object bytes, are one.
$(BUILD)/skel-variants-match: $(BUILD)/netnsight.skel.h $(BUILD)/netnsight_tp.skel.h
	@tools/skel-variants $^
	@touch $@

# single-file BPF objects (bench/: the do-nothing probes)
$(BUILD)/%.bpf.o: bpf/%.bpf.c bpf/netnsight_events.h $(BUILD)/vmlinux.h
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@	# keep BTF (CO-RE), drop DWARF

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@.tmp
	mv $@.tmp $@

bpf: $(SKEL)

# --- user side ---------------------------------------------------------------
$(BUILD)/user/%.o: user/%.c $(SKEL)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

user/netnsight: $(CMD_OBJS) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(USER_LDLIBS)

user: user/netnsight

-include $(CMD_OBJS:.o=.d) $(LIB_OBJS:.o=.d)

# The same command built with AddressSanitizer + UndefinedBehaviorSanitizer
# (clang), run through the whole selftest suite by "make check-asan".
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
ASAN_OBJS := $(patsubst user/%.c,$(BUILD)/asan/%.o,$(CMD_SRCS) $(LIB_SRCS))

$(BUILD)/asan/%.o: user/%.c $(SKEL)
	@mkdir -p $(dir $@)
	$(CLANG) $(filter-out -O2,$(USER_CFLAGS)) $(ASAN_FLAGS) -c $< -o $@

$(BUILD)/asan/netnsight: $(ASAN_OBJS)
	$(CLANG) $(ASAN_FLAGS) -o $@ $^ $(USER_LDLIBS)

-include $(ASAN_OBJS:.o=.d)

include selftests/selftests.mk
include fuzz/fuzz.mk

# --- benchmarks: bench/, `make bench` ---------------------------------------------
BENCH_BINS := $(BUILD)/bench/nsi_nullprobe $(BUILD)/bench/nsi_readtime \
	$(BUILD)/bench/nsi_cputime

$(BUILD)/bench/nsi_nullprobe: bench/nsi_nullprobe.c $(BUILD)/nullprobe.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $< $(USER_LDLIBS)

$(BUILD)/bench/nsi_readtime $(BUILD)/bench/nsi_cputime: $(BUILD)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $<

# --- style: checkpatch --strict, W=1, sparse ----------------------------------
# The BPF program uses two libbpf idioms checkpatch was not written for:
# "const volatile" globals (read-only config frozen into .rodata before
# load) and "extern ... __ksym" (typed kernel symbols); and one macro, LD(),
# names its pointer and field twice because it picks a direct load or
# BPF_CORE_READ() at compile time -- only one use survives, and a member
# name cannot be parenthesized.  Those checks are off for bpf/ only;
# everything else must be clean.
CHECKPATCH = perl $$(tools/kernel-source path scripts/checkpatch.pl) --no-tree --strict \
	--quiet --show-types
KMOD_PRODUCT_SRCS := $(filter-out %.mod.c,$(wildcard kmod/*.[ch]))
KMOD_SRCS := $(KMOD_PRODUCT_SRCS) selftests/kmod/nsi_holdref.c

lint: $(DEPS_STAMP)
	$(CHECKPATCH) --file $(KMOD_SRCS)
	$(CHECKPATCH) --ignore VOLATILE,AVOID_EXTERNS,MACRO_ARG_REUSE,MACRO_ARG_PRECEDENCE \
		--file bpf/*.[ch]
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=2 modules 2>&1 | tee $(BUILD)/lint.log
	@! grep -E 'warning:|error:' $(BUILD)/lint.log
	@echo "lint: checkpatch --strict, W=1 and sparse are clean"

# --- installing: make install / make uninstall ---------------------------------
# For packagers of any distribution: the usual GNU variables, DESTDIR for a
# staging root.  The exporter's unit and the alert rules (deploy/) go in when
# the tree has them; the unit's /usr/sbin/netnsight becomes $(SBINDIR)'s.
# "make install-dkms" puts the module's source and dkms.conf where DKMS
# looks (/usr/src/netnsight-VERSION); Debian's netnsight-dkms is made of it.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/netnsight
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
RULESDIR ?= $(DATADIR)/netnsight/prometheus
DKMSDIR ?= /usr/src
INSTALL ?= install

DOC_FILES := README.md $(wildcard docs/*.md)
UNIT_FILES := $(wildcard deploy/systemd/*.service)
RULE_FILES := $(wildcard deploy/prometheus/*.rules.yml)
DKMS_DEST = $(DESTDIR)$(DKMSDIR)/netnsight-$(VERSION)

install: user/netnsight
	$(INSTALL) -D -m 0755 user/netnsight $(DESTDIR)$(SBINDIR)/netnsight
	$(INSTALL) -D -m 0644 docs/netnsight.8 $(DESTDIR)$(MANDIR)/man8/netnsight.8
	$(INSTALL) -D -m 0644 completion/netnsight $(DESTDIR)$(BASHCOMPDIR)/netnsight
	$(INSTALL) -d $(DESTDIR)$(DOCDIR)
	$(INSTALL) -m 0644 $(DOC_FILES) $(DESTDIR)$(DOCDIR)/
	$(foreach f,$(UNIT_FILES),$(INSTALL) -d $(DESTDIR)$(SYSTEMDUNITDIR) && \
		sed 's|/usr/sbin/netnsight|$(SBINDIR)/netnsight|g' $(f) \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/$(notdir $(f)) &&) true
	$(if $(RULE_FILES),$(INSTALL) -D -m 0644 -t $(DESTDIR)$(RULESDIR) $(RULE_FILES))

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/netnsight $(DESTDIR)$(MANDIR)/man8/netnsight.8 \
		$(DESTDIR)$(BASHCOMPDIR)/netnsight \
		$(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOC_FILES))) \
		$(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(notdir $(UNIT_FILES))) \
		$(addprefix $(DESTDIR)$(RULESDIR)/,$(notdir $(RULE_FILES)))
	for d in $(DESTDIR)$(DOCDIR) $(DESTDIR)$(RULESDIR) $(DESTDIR)$(DATADIR)/netnsight; do \
		[ ! -d $$d ] || rmdir --ignore-fail-on-non-empty $$d; done

install-dkms:
	$(INSTALL) -D -m 0644 -t $(DKMS_DEST) kmod/Kbuild $(KMOD_PRODUCT_SRCS)
	sed 's/#MODULE_VERSION#/$(VERSION)/' kmod/dkms.conf > $(DKMS_DEST)/dkms.conf

uninstall-dkms:
	rm -rf $(DKMS_DEST)

# Debian packages (debian/, tools/deb): build/deb/*.deb
deb: $(BUILD)/vmlinux.h
	tools/deb

# The container image (tools/image): a minimal bookworm made of Debian
# packages and ours ("make deb"), no registry: build/image/netnsight.oci.tar.
# Rebuilt when the command, the packaging or the recipe changes.
IMAGE := $(BUILD)/image/netnsight.oci.tar
image: $(IMAGE)

$(IMAGE): user/netnsight tools/image tools/deb $(wildcard debian/* deploy/systemd/*) $(BUILD)/vmlinux.h
	tools/deb
	tools/image

# --- running ------------------------------------------------------------------
# On the host first: lint (checkpatch, W=1, sparse) and a bounded fuzz run
# (HOST_CHECKS=0 skips them); then the guest suite.
check: all $(IMAGE)
	@tools/check --kernel $(KERNEL)

check-asan: all $(IMAGE) $(BUILD)/asan/netnsight
	@HOST_CHECKS=$${HOST_CHECKS:-0} tools/check --kernel $(KERNEL) --asan

# The image run by podman in the guest (exporter/image.sh; also part of
# make check)
image-test: all $(IMAGE)
	@HOST_CHECKS=0 tools/check --kernel $(KERNEL) exporter/image.sh

# The Debian packages built, lintian-clean, installed in a bookworm chroot,
# DKMS-built modules loaded by the 6.1 and 6.12 guests, purged (~12 min;
# not in .ci/run, which must stay within its hour)
check-packaging: all
	selftests/host/packaging.sh

# 6.1 (+ host checks), 6.12, and the sanitizer run; one summary line
check-all: all $(BUILD)/asan/netnsight
	@tools/check-all

# The suite on every kernel (6.1, 6.12, 7; MATRIX="6.1 7" for fewer), one
# kernel x component table, written into docs/kernels.md (~1 h)
check-matrix: all
	@tools/check-matrix --docs $(MATRIX)
# BENCH=quick for a smoke run; results in bench/results/ and docs/performance.md
bench: all $(BENCH_BINS)
	@tools/deps $(KERNEL) --bench
	tools/bench --kernel $(KERNEL)

# 10 000 namespaces churned while the module cycles 100 times (~10 min)
stress: all
	$(VM) run --kernel $(KERNEL) --timeout 5400 -- selftests/stress.sh

demo: all
	$(VM) run --kernel $(KERNEL) -- tools/demo

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null 2>&1
	rm -rf $(BUILD) user/netnsight
	find kmod selftests -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
		-o -name 'modules.order' | xargs rm -f

distclean: clean
	rm -rf .cache
