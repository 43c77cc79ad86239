# SPDX-License-Identifier: GPL-2.0
# Included by the top Makefile: the C selftests and the helpers the shell
# selftests and benchmarks drive, built into build/selftests/.
#
# kselftest.h / kselftest_harness.h come from Debian's linux-source-6.1 at
# build time (tools/kernel-source), never from a copy in this repository.

KSFT_DIR = $(dir $(shell tools/kernel-source path tools/testing/selftests/kselftest_harness.h))
ST_OUT := $(BUILD)/selftests
ST_CFLAGS := $(CFLAGS) -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-Wno-missing-field-initializers -Iuser/lib -I$(BUILD)

ST_HELPERS := $(patsubst selftests/helpers/%.c,$(ST_OUT)/%,$(wildcard selftests/helpers/*.c))
ST_HARNESS := $(ST_OUT)/procfs_harness
ST_CONTAINERS := $(ST_OUT)/containers_parse

$(ST_OUT)/%: selftests/helpers/%.c $(DEPS_STAMP)
	@mkdir -p $(ST_OUT)
	$(CC) $(ST_CFLAGS) -o $@ $<

# the procfs parsers it exercises come from user/lib (LIB, top Makefile)
$(ST_HARNESS): selftests/procfs_harness.c $(LIB) $(DEPS_STAMP)
	@mkdir -p $(ST_OUT)
	$(CC) $(ST_CFLAGS) -isystem $(KSFT_DIR) -o $@ $< $(LIB)

# the container parsers: pure, so they run on the build host as well
$(ST_CONTAINERS): selftests/containers_parse.c $(LIB) $(DEPS_STAMP)
	@mkdir -p $(ST_OUT)
	$(CC) $(ST_CFLAGS) -isystem $(KSFT_DIR) -o $@ $< $(LIB) -ljansson

selftests: $(ST_HELPERS) $(ST_HARNESS) $(ST_CONTAINERS) kmod
