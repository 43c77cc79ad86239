// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_readtime - how long reading a file takes, without a process start in
 * the measurement: open, read to EOF in 64 KiB reads, close; REPEAT times.
 * Prints "bytes=B reads=R ns=T" with T the fastest of the repeats.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	static char buf[65536];
	unsigned long long best = ~0ULL, t, bytes = 0;
	unsigned long reads = 0;
	int repeat, i, fd;
	ssize_t r;

	if (argc != 3 || (repeat = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: nsi_readtime FILE REPEAT\n");
		return 2;
	}
	for (i = 0; i < repeat; i++) {
		bytes = 0;
		reads = 0;
		t = now_ns();
		fd = open(argv[1], O_RDONLY);
		if (fd < 0) {
			perror("nsi_readtime");
			return 1;
		}
		while ((r = read(fd, buf, sizeof(buf))) > 0) {
			bytes += (unsigned long long)r;
			reads++;
		}
		close(fd);
		t = now_ns() - t;
		if (t < best)
			best = t;
	}
	printf("bytes=%llu reads=%lu ns=%llu\n", bytes, reads, best);
	return 0;
}
