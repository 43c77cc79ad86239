// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nullprobe - the floor: a do-nothing fentry program on fib_table_lookup().
 * What any BPF tracer on that function pays before doing any work: the
 * trampoline, __bpf_prog_enter()/__bpf_prog_exit(), the call.  `make bench`
 * compares netnsight's costs against it.
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
