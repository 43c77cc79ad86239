// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - RTM_GETNSID: rtnl_net_getid() (net/core/net_namespace.c)
 * answers with the nsid the asking socket's namespace uses for the target
 * (peernet2id()), or NETNSA_NSID_NOT_ASSIGNED.  Nsids are assigned lazily,
 * e.g. when a veth peer or `ip netns set` needs one.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

#include "nsid.h"

struct mnl_socket *nsid_socket(void)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);

	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

static int nsid_attr(const struct nlattr *attr, void *data)
{
	int32_t *nsid = data;

	if (mnl_attr_get_type(attr) == NETNSA_NSID &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
		*nsid = (int32_t)mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int nsid_reply(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type != RTM_NEWNSID)
		return MNL_CB_OK;
	return mnl_attr_parse(nlh, sizeof(struct rtgenmsg), nsid_attr, data);
}

int nsid_of_fd(struct mnl_socket *nl, int netns_fd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	int32_t nsid = -2;
	unsigned int seq = (unsigned int)time(NULL);
	ssize_t n;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNSID;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)netns_fd);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -2;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n <= 0)
		return -2;
	if (mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(nl), nsid_reply, &nsid) < 0)
		return -2;
	return nsid;
}
