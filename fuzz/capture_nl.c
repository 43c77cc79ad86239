// SPDX-License-Identifier: GPL-2.0
/*
 * capture_nl - record real kernel replies as seeds for fuzz_show_nl: run
 * (as root, in a guest) by fuzz/capture.sh, never by the fuzzers.
 *
 *   capture_nl dump OUTDIR PREFIX   dump links, addresses, routes, rules,
 *                                   nsids and nf_tables tables of the
 *                                   current namespace: each reply message
 *                                   into OUTDIR/PREFIX-KIND-N, exactly
 *                                   nlmsg_len bytes
 *   capture_nl nft-table NAME FAMILY  create nf_tables table NAME (there
 *                                   is no nft(8) on the build machine)
 *   capture_nl xt-table NAME...     ask iptables for table NAME, which
 *                                   instantiates it in this namespace
 *                                   (so ip_tables_names lists it)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/rtnetlink.h>
#include <linux/net_namespace.h>
#include <linux/fib_rules.h>

static char buf[1 << 16];

struct sink {
	const char *dir, *prefix, *kind;
	int n;
};

static int save(const struct nlmsghdr *nlh, void *data)
{
	struct sink *s = data;
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%s-%02d", s->dir, s->prefix, s->kind, s->n++);
	f = fopen(path, "w");
	if (!f || fwrite(nlh, 1, nlh->nlmsg_len, f) != nlh->nlmsg_len || fclose(f)) {
		perror(path);
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int dump(int bus, uint16_t type, const void *hdr, size_t hdrlen,
		struct sink *s)
{
	struct mnl_socket *nl = mnl_socket_open(bus);
	unsigned int seq = (unsigned int)time(NULL), port;
	struct nlmsghdr *nlh;
	int ret;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink");
		return -1;
	}
	port = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	memcpy(mnl_nlmsg_put_extra_header(nlh, hdrlen), hdr, hdrlen);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("send");
		return -1;
	}
	do {
		ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret <= 0)
			break;
		ret = mnl_cb_run(buf, (size_t)ret, seq, port, save, s);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		fprintf(stderr, "dump %s: %s\n", s->kind, strerror(errno));
	mnl_socket_close(nl);
	return ret < 0 ? -1 : 0;
}

static int cmd_dump(const char *dir, const char *prefix)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct ifaddrmsg ifa = { .ifa_family = AF_UNSPEC };
	struct rtmsg rtm4 = { .rtm_family = AF_INET }, rtm6 = { .rtm_family = AF_INET6 };
	struct fib_rule_hdr fr4 = { .family = AF_INET }, fr6 = { .family = AF_INET6 };
	struct rtgenmsg gen = { .rtgen_family = AF_UNSPEC };
	struct nfgenmsg nfg = { .nfgen_family = NFPROTO_UNSPEC, .version = NFNETLINK_V0 };
	struct sink s[] = {
		{ dir, prefix, "link", 0 }, { dir, prefix, "addr", 0 },
		{ dir, prefix, "route4", 0 }, { dir, prefix, "route6", 0 },
		{ dir, prefix, "rule4", 0 }, { dir, prefix, "rule6", 0 },
		{ dir, prefix, "nsid", 0 }, { dir, prefix, "nfttable", 0 },
	};
	int err = 0;

	err |= dump(NETLINK_ROUTE, RTM_GETLINK, &ifi, sizeof(ifi), &s[0]);
	err |= dump(NETLINK_ROUTE, RTM_GETADDR, &ifa, sizeof(ifa), &s[1]);
	err |= dump(NETLINK_ROUTE, RTM_GETROUTE, &rtm4, sizeof(rtm4), &s[2]);
	err |= dump(NETLINK_ROUTE, RTM_GETROUTE, &rtm6, sizeof(rtm6), &s[3]);
	err |= dump(NETLINK_ROUTE, RTM_GETRULE, &fr4, sizeof(fr4), &s[4]);
	err |= dump(NETLINK_ROUTE, RTM_GETRULE, &fr6, sizeof(fr6), &s[5]);
	err |= dump(NETLINK_ROUTE, RTM_GETNSID, &gen, sizeof(gen), &s[6]);
	err |= dump(NETLINK_NETFILTER, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE,
		    &nfg, sizeof(nfg), &s[7]);
	return err ? 1 : 0;
}

/* a batch: begin, NEWTABLE, end (as nft(8) sends it) */
static struct nlmsghdr *nfput(char *b, uint16_t type, uint8_t family, uint16_t resid,
			      uint32_t seq)
{
	struct nlmsghdr *n = mnl_nlmsg_put_header(b);
	struct nfgenmsg *g;

	n->nlmsg_type = type;
	n->nlmsg_flags = NLM_F_REQUEST;
	n->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(n, sizeof(*g));
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = htons(resid);
	return n;
}

static int cmd_nft_table(const char *name, int family)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	struct nlmsghdr *n;
	size_t off = 0;
	int ret;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink");
		return 1;
	}
	memset(buf, 0, sizeof(buf));
	n = nfput(buf, NFNL_MSG_BATCH_BEGIN, AF_UNSPEC, NFNL_SUBSYS_NFTABLES, 1);
	off += n->nlmsg_len;
	n = nfput(buf + off, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE,
		  (uint8_t)family, 0, 2);
	n->nlmsg_flags |= NLM_F_CREATE | NLM_F_ACK;
	mnl_attr_put_strz(n, NFTA_TABLE_NAME, name);
	off += n->nlmsg_len;
	n = nfput(buf + off, NFNL_MSG_BATCH_END, AF_UNSPEC, NFNL_SUBSYS_NFTABLES, 3);
	off += n->nlmsg_len;
	if (mnl_socket_sendto(nl, buf, off) < 0) {
		perror("send");
		return 1;
	}
	ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	ret = mnl_cb_run(buf, (size_t)ret, 0, 0, NULL, NULL);
	mnl_socket_close(nl);
	if (ret < 0) {
		perror("nft table");
		return 1;
	}
	return 0;
}

static int cmd_xt_table(int argc, char **argv)
{
	int i, fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW), err = 0;

	if (fd < 0) {
		perror("socket");
		return 1;
	}
	for (i = 0; i < argc; i++) {
		struct ipt_getinfo info;
		socklen_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		snprintf(info.name, sizeof(info.name), "%s", argv[i]);
		if (getsockopt(fd, SOL_IP, IPT_SO_GET_INFO, &info, &len)) {
			fprintf(stderr, "iptables table %s: %s\n", argv[i], strerror(errno));
			err = 1;
		}
	}
	close(fd);
	return err;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "dump"))
		return cmd_dump(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "nft-table"))
		return cmd_nft_table(argv[2], atoi(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "xt-table"))
		return cmd_xt_table(argc - 2, argv + 2);
	fprintf(stderr, "usage: capture_nl dump OUTDIR PREFIX | nft-table NAME FAMILY | "
		"xt-table NAME...\n");
	return 2;
}
