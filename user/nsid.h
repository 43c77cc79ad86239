/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - nsids: a namespace's numbers for its peers
 * (net->netns_ids, peernet2id()), queried with RTM_GETNSID.
 */
#ifndef NETNSIGHT_NSID_H
#define NETNSIGHT_NSID_H

struct mnl_socket;

/* A NETLINK_ROUTE socket in the caller's current namespace. */
struct mnl_socket *nsid_socket(void);
/*
 * The nsid that @nl's namespace gave the namespace behind @netns_fd:
 * >= 0, -1 when none is assigned (NETNSA_NSID_NOT_ASSIGNED), or -2 on error.
 */
int nsid_of_fd(struct mnl_socket *nl, int netns_fd);

#endif
