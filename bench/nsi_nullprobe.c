// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_nullprobe [--fexit] READY_FILE - attach bpf/nullprobe.bpf.c's
 * do-nothing fentry (or fexit) program on fib_table_lookup(), create
 * READY_FILE, and hold it attached until SIGINT/SIGTERM.  For `make bench`.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "nullprobe.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct nullprobe_bpf *skel;
	bool fexit;
	int fd;

	fexit = argc == 3 && !strcmp(argv[1], "--fexit");
	if (argc != 2 && !fexit) {
		fprintf(stderr, "usage: nsi_nullprobe [--fexit] READY_FILE\n");
		return 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	skel = nullprobe_bpf__open();
	if (skel) {
		bpf_program__set_autoload(skel->progs.null_fentry, !fexit);
		bpf_program__set_autoload(skel->progs.null_fexit, fexit);
	}
	if (!skel || nullprobe_bpf__load(skel) || nullprobe_bpf__attach(skel)) {
		fprintf(stderr, "nsi_nullprobe: cannot load or attach\n");
		nullprobe_bpf__destroy(skel);
		return 1;
	}
	fd = open(argv[argc - 1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	while (!stop)
		pause();
	nullprobe_bpf__destroy(skel);
	return 0;
}
