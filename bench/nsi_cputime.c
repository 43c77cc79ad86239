// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_cputime - the CPU time a command takes (user + system, from wait4()),
 * best of REPEAT runs, its output to /dev/null.  Prints "cpu_ns=C wall_ns=W".
 *
 * Why CPU time: under `-icount shift=0,sleep=off` the guest clock jumps to
 * the next timer whenever the vCPU idles, and a process start idles it while
 * 9p reads the binary's pages from the host -- hundreds of ms of "elapsed"
 * time that measure QEMU, not the command.  The scheduler's runtime
 * (sum_exec_runtime, which getrusage() reports) counts only instructions the
 * command executed, in the kernel and in user space.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static unsigned long long tv_ns(const struct timeval *tv)
{
	return (unsigned long long)tv->tv_sec * 1000000000ULL +
	       (unsigned long long)tv->tv_usec * 1000ULL;
}

int main(int argc, char **argv)
{
	unsigned long long best_cpu = ~0ULL, best_wall = ~0ULL, t, cpu;
	struct rusage ru;
	int repeat, i, status, fd;
	pid_t pid;

	if (argc < 3 || (repeat = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: nsi_cputime REPEAT CMD [ARG...]\n");
		return 2;
	}
	for (i = 0; i < repeat; i++) {
		t = now_ns();
		pid = fork();
		if (pid < 0) {
			perror("nsi_cputime: fork");
			return 1;
		}
		if (!pid) {
			fd = open("/dev/null", O_WRONLY);
			if (fd >= 0)
				dup2(fd, STDOUT_FILENO);
			execvp(argv[2], argv + 2);
			perror("nsi_cputime: exec");
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) != pid) {
			perror("nsi_cputime: wait4");
			return 1;
		}
		t = now_ns() - t;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "nsi_cputime: %s failed\n", argv[2]);
			return 1;
		}
		cpu = tv_ns(&ru.ru_utime) + tv_ns(&ru.ru_stime);
		if (cpu < best_cpu)
			best_cpu = cpu;
		if (t < best_wall)
			best_wall = t;
	}
	printf("cpu_ns=%llu wall_ns=%llu\n", best_cpu, best_wall);
	return 0;
}
