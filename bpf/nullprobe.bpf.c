// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nullprobe - the floor: a do-nothing program on fib_table_lookup(), as
 * fentry (what any BPF tracer on that function pays before doing any work:
 * the trampoline, __bpf_prog_enter()/__bpf_prog_exit(), the call) or as
 * fexit (the same, plus the trampoline calling the function itself so it
 * can run a program after it returns -- what seeing a result costs).
 * `make bench` compares netnsight's costs against them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("fentry/fib_table_lookup")
int BPF_PROG(null_fentry)
{
	return 0;
}

SEC("fexit/fib_table_lookup")
int BPF_PROG(null_fexit)
{
	return 0;
}
