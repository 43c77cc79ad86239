# SPDX-License-Identifier: GPL-2.0
# Included by the top Makefile: the C selftests and the helpers the shell
# selftests and benchmarks drive, built into build/selftests/.
#
# kselftest.h / kselftest_harness.h come from Debian's linux-source-6.1 at
# build time (tools/kernel-source), never from a copy in this repository.

KSFT_DIR = $(dir $(shell tools/kernel-source path tools/testing/selftests/kselftest_harness.h))
ST_OUT := $(BUILD)/selftests
ST_CFLAGS := $(CFLAGS) -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-Wno-missing-field-initializers -Iuser -I$(BUILD)

ST_HELPERS := $(patsubst selftests/helpers/%.c,$(ST_OUT)/%,$(wildcard selftests/helpers/*.c))
ST_HARNESS := $(ST_OUT)/procfs_harness
# user-side code the harness test exercises directly
ST_USER_OBJS := $(BUILD)/user/procfs.o $(BUILD)/user/util.o $(BUILD)/user/netns.o \
	$(BUILD)/user/holders.o

$(ST_OUT)/%: selftests/helpers/%.c $(DEPS_STAMP)
	@mkdir -p $(ST_OUT)
	$(CC) $(ST_CFLAGS) -o $@ $<

$(ST_HARNESS): selftests/procfs_harness.c $(ST_USER_OBJS) $(DEPS_STAMP)
	@mkdir -p $(ST_OUT)
	$(CC) $(ST_CFLAGS) -isystem $(KSFT_DIR) -o $@ $< $(ST_USER_OBJS)

selftests: $(ST_HELPERS) $(ST_HARNESS) kmod
