// SPDX-License-Identifier: GPL-2.0
/*
 * nsi_arp - send ARP duplicate-address probes, for the selftests.
 *
 *   nsi_arp IFNAME TARGET COUNT
 *
 * COUNT ARP requests out of IFNAME asking who has TARGET, with sender IP
 * 0.0.0.0 (an RFC 5227 probe, what `arping -D` sends).  The receiver's
 * arp_process() (net/ipv4/arp.c) answers such a probe only for its own
 * addresses, and to know that it calls inet_addr_type_dev_table(): a route
 * lookup in its *local* table, in softirq, on the sender's task.  For a
 * TARGET the receiver has no route to, that lookup fails -- the one kind
 * of lookup only the table -> namespace map can place.
 */
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/if_ether.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int die(const char *what)
{
	perror(what);
	return 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = ETH_ALEN };
	struct { struct ether_header eth; struct ether_arp arp; } pkt;
	struct in_addr tip;
	struct ifreq ifr;
	int sk, i, count;

	if (argc != 4 || !inet_aton(argv[2], &tip) || (count = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: nsi_arp IFNAME TARGET COUNT\n");
		return 2;
	}
	sk = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ARP));
	if (sk < 0)
		return die("socket");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (ioctl(sk, SIOCGIFHWADDR, &ifr))
		return die("SIOCGIFHWADDR");
	to.sll_ifindex = (int)if_nametoindex(argv[1]);
	to.sll_protocol = htons(ETH_P_ARP);
	memset(to.sll_addr, 0xff, ETH_ALEN);

	memset(&pkt, 0, sizeof(pkt));
	memset(pkt.eth.ether_dhost, 0xff, ETH_ALEN);
	memcpy(pkt.eth.ether_shost, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	pkt.eth.ether_type = htons(ETH_P_ARP);
	pkt.arp.arp_hrd = htons(ARPHRD_ETHER);
	pkt.arp.arp_pro = htons(ETH_P_IP);
	pkt.arp.arp_hln = ETH_ALEN;
	pkt.arp.arp_pln = 4;
	pkt.arp.arp_op = htons(ARPOP_REQUEST);
	memcpy(pkt.arp.arp_sha, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	memcpy(pkt.arp.arp_tpa, &tip, 4);	/* arp_spa stays 0.0.0.0 */
	for (i = 0; i < count; i++)
		if (sendto(sk, &pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
			return die("sendto");
	close(sk);
	printf("sent=%d\n", count);
	return 0;
}
