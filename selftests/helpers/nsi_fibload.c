// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_fibload - a fixed number of IPv4 route lookups, for the selftests and
 * `make bench`.
 *
 *   nsi_fibload [-r RATE] COUNT ADDR [PORT]
 *
 * Each sendto() on an unconnected UDP socket makes the kernel route the
 * datagram: ip_route_output_flow() -> fib_lookup() -> one
 * fib_table_lookup() on the namespace's main table.  With ADDR under a
 * `blackhole` route the lookup fails with -EINVAL and nothing is sent, so
 * COUNT calls cost COUNT lookups and nothing else.  With -r, calls are
 * paced to RATE per second.  Prints the calls made and the elapsed time
 * (CLOCK_MONOTONIC) as "calls=N ns=T".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

/* Sleep until call @i of a paced run is due. */
static void pace(unsigned long long start, unsigned long long i, unsigned long long rate)
{
	unsigned long long due = start + i * 1000000000ULL / rate, now = now_ns();
	struct timespec ts;

	if (due <= now)
		return;
	ts.tv_sec = (time_t)((due - now) / 1000000000ULL);
	ts.tv_nsec = (long)((due - now) % 1000000000ULL);
	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	unsigned long long count, i, start, took, rate = 0;
	char *end;
	int sk, c;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c != 'r' || !(rate = strtoull(optarg, &end, 10)) || *end) {
			fprintf(stderr, "usage: nsi_fibload [-r RATE] COUNT ADDR [PORT]\n");
			return 2;
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: nsi_fibload [-r RATE] COUNT ADDR [PORT]\n");
		return 2;
	}
	count = strtoull(argv[1], &end, 10);
	if (*end || !count || inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1) {
		fprintf(stderr, "nsi_fibload: bad COUNT or ADDR\n");
		return 2;
	}
	dst.sin_port = htons(argc == 4 ? (unsigned short)atoi(argv[3]) : 9);
	sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0) {
		perror("nsi_fibload: socket");
		return 1;
	}
	start = now_ns();
	for (i = 0; i < count; i++) {
		if (rate && !(i & 63))
			pace(start, i, rate);
		sendto(sk, "x", 1, 0, (struct sockaddr *)&dst, sizeof(dst));
	}
	took = now_ns() - start;
	close(sk);
	printf("calls=%llu ns=%llu\n", count, took);
	return 0;
}
