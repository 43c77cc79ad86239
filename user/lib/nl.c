// SPDX-License-Identifier: GPL-2.0
/* netnsight - small libmnl helpers (see nl.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <endian.h>
#include <sys/socket.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

#include "netns.h"
#include "nl.h"
#include "util.h"

struct nl_open_args {
	int bus;
	struct mnl_socket *mnl;
};

static int nl_open_here(void *arg)
{
	struct nl_open_args *a = arg;

	a->mnl = mnl_socket_open2(a->bus, SOCK_CLOEXEC);
	if (!a->mnl)
		return -errno;
	if (mnl_socket_bind(a->mnl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		mnl_socket_close(a->mnl);
		a->mnl = NULL;
		return err;
	}
	return 0;
}

int nl_open(struct nl_sock *s, int bus, int netns_fd)
{
	struct nl_open_args a = { .bus = bus };
	int err;

	memset(s, 0, sizeof(*s));
	s->buf = malloc(NL_RECV_SIZE);
	if (!s->buf)
		return -ENOMEM;
	err = netns_run_in(netns_fd, nl_open_here, &a);
	if (err) {
		free(s->buf);
		s->buf = NULL;
		return err;
	}
	s->mnl = a.mnl;
	s->portid = mnl_socket_get_portid(s->mnl);
	s->seq = (unsigned int)time(NULL);
	return 0;
}

void nl_close(struct nl_sock *s)
{
	if (s->mnl)
		mnl_socket_close(s->mnl);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

/*
 * Note and clear NLM_F_DUMP_INTR in the @len bytes of replies at @buf.
 * mnl_cb_run() would stop at the first flagged message, leaving the rest
 * of the dump to be read as the reply to our next request; we read the
 * dump to its end and report the interruption then.
 */
static bool nl_take_dump_intr(char *buf, size_t len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	int left = (int)len;
	bool intr = false;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			intr = true;
		nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
	}
	return intr;
}

int nl_talk(struct nl_sock *s, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	bool intr = false;
	ssize_t n;
	int ret;

	req->nlmsg_seq = ++s->seq;
	if (mnl_socket_sendto(s->mnl, req, req->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(s->mnl, s->buf, NL_RECV_SIZE);
		if (n < 0)
			return -errno;
		if (nl_take_dump_intr(s->buf, (size_t)n))
			intr = true;
		/*
		 * mnl_cb_run() checks sequence and port, turns NLMSG_ERROR
		 * into errno, and stops at NLMSG_DONE or at the ack (an
		 * NLMSG_ERROR with error 0).
		 */
		errno = 0;
		ret = mnl_cb_run(s->buf, (size_t)n, s->seq, s->portid, cb, data);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return errno ? -errno : -EIO;
	return intr ? -EINTR : 0;
}

const void *nl_msg_hdr(const struct nlmsghdr *nlh, size_t len, size_t hdrlen)
{
	if (!nlh || len < NLMSG_HDRLEN || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + hdrlen)
		return NULL;
	return (const char *)nlh + NLMSG_HDRLEN;
}

struct nl_attr_table {
	const struct nlattr **tb;
	unsigned int max;
};

static int nl_attr_index(const struct nlattr *a, void *data)
{
	struct nl_attr_table *t = data;
	unsigned int type = mnl_attr_get_type(a);

	/* newer kernels add attributes: skip what we do not know */
	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

int nl_parse_attrs(const struct nlmsghdr *nlh, size_t len, size_t hdrlen,
		   const struct nlattr **tb, unsigned int max)
{
	size_t off = NLMSG_HDRLEN + MNL_ALIGN(hdrlen);

	if (!nl_msg_hdr(nlh, len, hdrlen)) {
		memset(tb, 0, (max + 1) * sizeof(*tb));
		return -EINVAL;
	}
	/*
	 * The family header is padded to 4 bytes before the first
	 * attribute.  Walk exactly [off, nlmsg_len): mnl_attr_parse() would
	 * go up to the 4-byte aligned end, past what we may have been given.
	 */
	if (nlh->nlmsg_len <= off)
		return nl_parse_payload(NULL, 0, tb, max);
	return nl_parse_payload((const char *)nlh + off, nlh->nlmsg_len - off,
				tb, max);
}

int nl_parse_payload(const void *p, size_t len, const struct nlattr **tb,
		     unsigned int max)
{
	struct nl_attr_table t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (!len)
		return 0;
	/* mnl_attr_ok() stops at the first attribute that does not fit */
	if (mnl_attr_parse_payload(p, len, nl_attr_index, &t) < 0)
		return -EINVAL;
	return 0;
}

int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    unsigned int max)
{
	if (!nest) {
		memset(tb, 0, (max + 1) * sizeof(*tb));
		return -EINVAL;
	}
	/* nest itself was bounds-checked when its parent was walked */
	return nl_parse_payload(mnl_attr_get_payload(nest),
				mnl_attr_get_payload_len(nest), tb, max);
}

bool nl_attr_bytes(const struct nlattr *a, void *v, size_t size)
{
	if (!a || mnl_attr_get_payload_len(a) != size)
		return false;
	memcpy(v, mnl_attr_get_payload(a), size);
	return true;
}

bool nl_attr_u8(const struct nlattr *a, uint8_t *v)
{
	return nl_attr_bytes(a, v, sizeof(*v));
}

bool nl_attr_u32(const struct nlattr *a, uint32_t *v)
{
	return nl_attr_bytes(a, v, sizeof(*v));
}

bool nl_attr_s32(const struct nlattr *a, int32_t *v)
{
	return nl_attr_bytes(a, v, sizeof(*v));
}

bool nl_attr_be32(const struct nlattr *a, uint32_t *v)
{
	uint32_t be;

	if (!nl_attr_bytes(a, &be, sizeof(be)))
		return false;
	*v = ntohl(be);
	return true;
}

bool nl_attr_be64(const struct nlattr *a, uint64_t *v)
{
	uint64_t be;

	if (!nl_attr_bytes(a, &be, sizeof(be)))
		return false;
	*v = be64toh(be);
	return true;
}

bool nl_attr_str(const struct nlattr *a, char *v, size_t size)
{
	const char *p;
	size_t len;

	if (!a || !size)
		return false;
	p = mnl_attr_get_payload(a);
	len = strnlen(p, mnl_attr_get_payload_len(a));
	if (len >= size)
		return false;
	memcpy(v, p, len);
	v[len] = '\0';
	return true;
}

/* --- requests ---------------------------------------------------------------- */

struct nlmsghdr *nl_req_init(union nl_req *r, uint16_t type, uint16_t flags,
			     const void *hdr, size_t hdrlen)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(r->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	memcpy(mnl_nlmsg_put_extra_header(nlh, hdrlen), hdr, hdrlen);
	return nlh;
}

/* --- RTM_GETNSID: rtnl_net_getid() ------------------------------------------- */

int nl_parse_nsid(const struct nlmsghdr *nlh, size_t len, int32_t *nsid)
{
	const struct nlattr *tb[NETNSA_MAX + 1];

	*nsid = NETNSA_NSID_NOT_ASSIGNED;
	if (!nl_msg_hdr(nlh, len, sizeof(struct rtgenmsg)) ||
	    nlh->nlmsg_type != RTM_NEWNSID)
		return -EINVAL;
	if (nl_parse_attrs(nlh, len, sizeof(struct rtgenmsg), tb, NETNSA_MAX))
		return -EINVAL;
	if (!nl_attr_s32(tb[NETNSA_NSID], nsid))
		return -EINVAL;
	if (*nsid < 0)
		*nsid = NETNSA_NSID_NOT_ASSIGNED;
	return 0;
}

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	nl_parse_nsid(nlh, nlh->nlmsg_len, data);
	return MNL_CB_OK;
}

int nl_query_nsid(struct nl_sock *s, int netns_fd, int32_t *nsid)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nlmsghdr *nlh;
	union nl_req r;

	nlh = nl_req_init(&r, RTM_GETNSID, NLM_F_REQUEST | NLM_F_ACK, &g, sizeof(g));
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)netns_fd);
	*nsid = NETNSA_NSID_NOT_ASSIGNED;
	return nl_talk(s, nlh, nsid_cb, nsid);
}
