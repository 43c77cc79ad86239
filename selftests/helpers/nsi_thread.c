// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_thread - a process tied to a new network namespace by one thread
 * only: that thread unshare(CLONE_NEWNET)s, the main thread stays where it
 * was.  /proc/PID/ns/net is the main thread's namespace; the new one shows
 * only in /proc/PID/task/TID/ns/net.
 *
 * Prints "pid=PID tid=TID ino=INODE" once the thread is in it (INODE read
 * by the thread itself), then sleeps until killed.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void *in_new_netns(void *arg)
{
	struct stat st;

	(void)arg;
	if (unshare(CLONE_NEWNET) || stat("/proc/thread-self/ns/net", &st)) {
		perror("nsi_thread: unshare");
		_exit(1);
	}
	printf("pid=%d tid=%d ino=%lu\n", getpid(), gettid(), (unsigned long)st.st_ino);
	fflush(stdout);
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, in_new_netns, NULL))
		return 1;
	pthread_join(t, NULL);
	return 0;
}
