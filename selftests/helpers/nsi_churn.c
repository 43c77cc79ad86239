// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_churn - create and destroy network namespaces fast, from several
 * processes at once.
 *
 *   nsi_churn WORKERS PER_WORKER
 *
 * Each worker calls unshare(CLONE_NEWNET) PER_WORKER times: every call
 * creates a namespace (copy_net_ns()) and drops the worker's reference on
 * the previous one, whose teardown cleanup_net() then runs.  Prints the
 * namespaces created and the elapsed time as "created=N ns=T".
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static int worker(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (unshare(CLONE_NEWNET)) {
			fprintf(stderr, "nsi_churn: unshare: %s\n", strerror(errno));
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long workers, per, i, failed = 0;
	unsigned long long start;
	int status;

	if (argc != 3 || !(workers = strtoul(argv[1], NULL, 10)) ||
	    !(per = strtoul(argv[2], NULL, 10))) {
		fprintf(stderr, "usage: nsi_churn WORKERS PER_WORKER\n");
		return 2;
	}
	start = now_ns();
	for (i = 0; i < workers; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("nsi_churn: fork");
			return 1;
		}
		if (!pid)
			_exit(worker(per));
	}
	while (wait(&status) > 0)
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	printf("created=%lu ns=%llu\n", workers * per, now_ns() - start);
	return failed ? 1 : 0;
}
