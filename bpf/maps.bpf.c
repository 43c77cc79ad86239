// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * netnsight trace - the one definition of every map and global of the
 * tracer; the other objects of the link declare them extern (maps.bpf.h,
 * and the configuration in common.bpf.h).  No program here.
 */
#define NSI_DEFINE_MAPS
#include "common.bpf.h"

/* configuration, written by user space before load (trace_session.c) */
const volatile __u32 cfg_events = NSI_EV_ALL;
const volatile __u32 cfg_self_tgid;
const volatile __u32 cfg_tgid;
const volatile bool cfg_comm_set;
const volatile char cfg_comm[NSI_COMM_LEN];
const volatile bool cfg_netns_set;
const volatile bool cfg_fib_dst_set;
const volatile __u32 cfg_fib_dst;
const volatile __u32 cfg_fib_mask;
const volatile bool cfg_fib_table_set;
const volatile __u32 cfg_fib_table;
const volatile bool cfg_fib_errors;
const volatile bool cfg_fib_summary;
const volatile bool cfg_fib_count_fast;
const volatile __u64 cfg_wakeup_bytes;
const volatile __u32 cfg_fib_slots = NSI_FIB_SLOTS;

/* state shared by the programs */
__u32 fib_next_slot = 1;
bool priming;
__u64 table_gen;
