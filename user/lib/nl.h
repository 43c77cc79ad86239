/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - small libmnl helpers: netlink sockets opened inside a network
 * namespace, request/dump loops, and bounds-checked attribute access.
 *
 * A netlink socket belongs to the namespace its creator was in when it
 * called socket() (netlink_create() -> sk_alloc() records current->nsproxy's
 * net), and every request on it is answered from that namespace, wherever
 * the caller is later.  So we enter, create the socket, and come straight
 * back.
 */
#ifndef NETNSIGHT_NL_H
#define NETNSIGHT_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct nl_sock {
	struct mnl_socket *mnl;
	unsigned int portid;
	unsigned int seq;
	char *buf;		/* receive buffer of NL_RECV_SIZE bytes */
};

/*
 * Dumps are sent in skbs of up to 32 KiB (netlink_dump() sizes them from
 * our earlier reads); a smaller buffer would truncate messages (MSG_TRUNC).
 */
#define NL_RECV_SIZE	65536

/*
 * A netlink socket of @bus (NETLINK_ROUTE, ...) in the namespace behind
 * @netns_fd (-1: ours).  0 or -errno.
 */
int nl_open(struct nl_sock *s, int bus, int netns_fd);
void nl_close(struct nl_sock *s);

/*
 * Send @req (its sequence number is filled in) and feed every reply to
 * @cb until the kernel ends the exchange: NLMSG_DONE for a dump, the ack
 * for a request sent with NLM_F_ACK.  0, or -errno: the kernel's error
 * from NLMSG_ERROR; -EINTR if the dump was read to its end but the kernel
 * flagged it NLM_F_DUMP_INTR (lists changed under it: start over); or
 * what @cb put in errno when it returned MNL_CB_ERROR (the rest of the
 * exchange is then left unread: close the socket).
 */
int nl_talk(struct nl_sock *s, struct nlmsghdr *req, mnl_cb_t cb, void *data);

/*
 * Parsing, for messages we did not build and must not trust: no function
 * here reads outside [@nlh, @nlh + @len).
 *
 * nl_msg_hdr(): the fixed family header (struct ifinfomsg, ...) that
 * follows the netlink header, or NULL if @len or nlmsg_len cannot hold it
 * or nlmsg_len claims more than @len.
 */
const void *nl_msg_hdr(const struct nlmsghdr *nlh, size_t len, size_t hdrlen);

/*
 * Index the attributes after the @hdrlen family header into @tb[0..@max]
 * (NULL where absent; a repeated type keeps the last).  0 or -EINVAL.
 */
int nl_parse_attrs(const struct nlmsghdr *nlh, size_t len, size_t hdrlen,
		   const struct nlattr **tb, unsigned int max);
/*
 * The same for the attributes nested in @nest (which must itself have
 * come out of one of these), and for @len bytes of attributes at @p.
 */
int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    unsigned int max);
int nl_parse_payload(const void *p, size_t len, const struct nlattr **tb,
		     unsigned int max);

/*
 * Typed getters: false (and @v untouched) if @a is NULL or its payload has
 * the wrong size.
 */
bool nl_attr_u8(const struct nlattr *a, uint8_t *v);
bool nl_attr_u32(const struct nlattr *a, uint32_t *v);
bool nl_attr_s32(const struct nlattr *a, int32_t *v);
/* Big-endian integers (nfnetlink's attributes), in host order. */
bool nl_attr_be32(const struct nlattr *a, uint32_t *v);
bool nl_attr_be64(const struct nlattr *a, uint64_t *v);
/* Exactly @size bytes (an address of a known family). */
bool nl_attr_bytes(const struct nlattr *a, void *v, size_t size);
/* A string, NUL-terminated or not, that fits @size with its NUL. */
bool nl_attr_str(const struct nlattr *a, char *v, size_t size);


/* Room for a request: the headers and one small attribute. */
union nl_req {
	struct nlmsghdr nlh;
	char buf[128];
};

/* @r as a request of @type with @flags and the family header @hdr. */
struct nlmsghdr *nl_req_init(union nl_req *r, uint16_t type, uint16_t flags,
			     const void *hdr, size_t hdrlen);

/* RTM_NEWNSID: NETNSA_NSID, -1 (NETNSA_NSID_NOT_ASSIGNED) if none */
int nl_parse_nsid(const struct nlmsghdr *nlh, size_t len, int32_t *nsid);
/*
 * The id that @s's namespace has for the namespace behind @netns_fd, -1 if
 * none: rtnl_net_getid() -> peernet2id(), which looks up and never
 * allocates.  0 or -errno.
 */
int nl_query_nsid(struct nl_sock *s, int netns_fd, int32_t *nsid);

#endif
