// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_clone - start a child in a new network namespace with clone(), the
 * way container runtimes do (copy_namespaces() gives the child its own
 * nsproxy: no setns()/unshare() is involved).
 *
 * Prints "pid=CHILD_PID" and the child's namespace inode "ino=N"; the child
 * waits for the parent to finish printing, then exits.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int pipefd[2];

static int child(void *arg)
{
	char c;

	(void)arg;
	return read(pipefd[0], &c, 1) == 1 ? 0 : 1;
}

int main(void)
{
	static char stack[64 * 1024];
	char path[64];
	struct stat st;
	pid_t pid;
	int status;

	if (pipe(pipefd))
		return 1;
	pid = clone(child, stack + sizeof(stack), CLONE_NEWNET | SIGCHLD, NULL);
	if (pid < 0) {
		perror("nsi_clone: clone");
		return 1;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	if (stat(path, &st))
		return 1;
	printf("pid=%d ino=%lu\n", pid, (unsigned long)st.st_ino);
	fflush(stdout);
	if (write(pipefd[1], "x", 1) != 1)
		return 1;
	waitpid(pid, &status, 0);
	return 0;
}
