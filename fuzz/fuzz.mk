# SPDX-License-Identifier: GPL-2.0
#
# libFuzzer harnesses for the user side's parsers (fuzz/README.md).
# Included by the top Makefile (BUILD is set there), or on its own:
#   make -f Makefile -f fuzz/fuzz.mk fuzz-regress
#
#   fuzz-build    the harnesses, into $(BUILD)/fuzz/
#   fuzz-regress  CI: each harness over its fuzz/regress/NAME/ inputs, then
#                 FUZZ_REGRESS_TIME (15) seconds of fuzzing each; TAP output
#   fuzz          the long run: FUZZ_TIME (600) seconds each, growing
#                 fuzz/corpus/NAME/ (gitignored)
#
# Only clang and its runtime (Debian's clang, libclang-rt-14-dev),
# libmnl-dev, libjansson-dev, and libyaml-dev/libcrypt-dev (the web-config
# harness) are needed: nothing else is built first.

BUILD ?= build
FUZZ_CC ?= clang
FUZZ_OUT := $(BUILD)/fuzz
FUZZ_TIME ?= 600
FUZZ_REGRESS_TIME ?= 15
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer \
	-std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wno-missing-field-initializers \
	-Iuser -Iuser/lib -Ifuzz

FUZZ_NAMES := trace_opts netns_spec procfs show_nl show_text json sbuf expo exporter_route exporter_webcfg containers

# The real code, no stubs: user/lib/ built once with the fuzzer's
# instrumentation into one archive every harness links (the linker takes
# only the objects a harness uses), plus the command files a harness tests.
FUZZ_LIB_SRCS := $(wildcard user/lib/*.c)
FUZZ_LIB_OBJS := $(patsubst user/lib/%.c,$(FUZZ_OUT)/lib/%.o,$(FUZZ_LIB_SRCS))
FUZZ_LIB := $(FUZZ_OUT)/libnetnsight.a
FUZZ_SRCS_trace_opts := user/trace_opts.c
FUZZ_SRCS_show_nl := user/show_parse.c
FUZZ_SRCS_show_text := user/show_parse.c
FUZZ_SRCS_exporter_route := user/exporter_route.c
FUZZ_SRCS_exporter_webcfg := user/exporter_webcfg.c
# libraries beyond libmnl, per harness
FUZZ_LIBS_exporter_webcfg := -lyaml -lcrypt

$(FUZZ_OUT)/lib/%.o: user/lib/%.c $(wildcard user/lib/*.h) fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

FUZZ_BINS := $(patsubst %,$(FUZZ_OUT)/fuzz_%,$(FUZZ_NAMES))

define FUZZ_RULE
$(FUZZ_OUT)/fuzz_$(1): fuzz/fuzz_$(1).c fuzz/fuzz_common.h $$(FUZZ_SRCS_$(1)) \
		$(FUZZ_LIB) $$(wildcard user/*.h) fuzz/fuzz.mk
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) -o $$@ fuzz/fuzz_$(1).c $$(FUZZ_SRCS_$(1)) \
		$(FUZZ_LIB) -lmnl -ljansson $$(FUZZ_LIBS_$(1))
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_RULE,$(n))))

# a tool, not a harness: captures the netlink seeds in a guest (README)
$(FUZZ_OUT)/capture_nl: fuzz/capture_nl.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -o $@ $< -lmnl

.PHONY: fuzz-build fuzz-regress fuzz
fuzz-build: $(FUZZ_BINS)

fuzz-regress: fuzz-build
	@fuzz/run.sh regress $(FUZZ_OUT) $(FUZZ_REGRESS_TIME) $(FUZZ_NAMES)

fuzz: fuzz-build
	@fuzz/run.sh long $(FUZZ_OUT) $(FUZZ_TIME) $(FUZZ_NAMES)
