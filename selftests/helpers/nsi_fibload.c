// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_fibload - a fixed number of IPv4 route lookups, for the selftests and
 * `make bench`.
 *
 *   nsi_fibload COUNT ADDR [PORT]
 *
 * Each sendto() on an unconnected UDP socket makes the kernel route the
 * datagram: ip_route_output_flow() -> fib_lookup() -> one
 * fib_table_lookup() on the namespace's main table.  With ADDR under a
 * `blackhole` route the lookup fails with -EINVAL and nothing is sent, so
 * COUNT calls cost COUNT lookups and nothing else.  Prints the calls made
 * and the elapsed time (CLOCK_MONOTONIC) as "calls=N ns=T".
 */
#include <arpa/inet.h>
#include <errno.h>
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

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	unsigned long long count, i, start, took;
	char *end;
	int sk;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: nsi_fibload COUNT ADDR [PORT]\n");
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
	for (i = 0; i < count; i++)
		sendto(sk, "x", 1, 0, (struct sockaddr *)&dst, sizeof(dst));
	took = now_ns() - start;
	close(sk);
	printf("calls=%llu ns=%llu\n", count, took);
	return 0;
}
