// SPDX-License-Identifier: GPL-2.0
/*
 * procfs_harness - the module's /proc files against what the kernel says
 * through other doors, with the kernel's own kselftest_harness.h.
 *
 * Each TEST runs in a forked child, so a test may unshare() freely.
 * Ground truth: stat()/ioctl(NS_GET_USERNS) on /proc/self/ns/net,
 * getsockopt(SO_NETNS_COOKIE), if_nameindex(), CLOCK_BOOTTIME.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <regex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/nsfs.h>

#include "kselftest_harness.h"
#include "procfs.h"
#include "util.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

static uint32_t self_ino(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : (uint32_t)st.st_ino;
}

static uint64_t self_cookie(void)
{
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);
	int sk = socket(AF_INET, SOCK_DGRAM, 0);

	if (sk < 0)
		return 0;
	if (getsockopt(sk, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len))
		cookie = 0;
	close(sk);
	return cookie;
}

static uint32_t self_userns_ino(void)
{
	struct stat st;
	int ns, user;

	ns = open("/proc/self/ns/net", O_RDONLY);
	if (ns < 0)
		return 0;
	user = ioctl(ns, NS_GET_USERNS);
	close(ns);
	if (user < 0 || fstat(user, &st))
		return 0;
	close(user);
	return (uint32_t)st.st_ino;
}

/* Every device the file lists is one if_nameindex() knows, same index. */
static int devices_match(const struct nsi_proc_net *p)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	unsigned int n = 0, d;

	if (!ifs)
		return 0;
	for (i = ifs; i->if_index; i++)
		n++;
	if (n != p->ndevs || n != p->ndevices)
		goto no;
	for (d = 0; d < p->ndevs; d++) {
		for (i = ifs; i->if_index; i++)
			if ((int)i->if_index == p->devs[d].ifindex &&
			    !strcmp(i->if_name, p->devs[d].name))
				break;
		if (!i->if_index)
			goto no;
	}
	if_freenameindex(ifs);
	return 1;
no:
	if_freenameindex(ifs);
	return 0;
}

static void read_self(struct __test_metadata *_metadata, struct nsi_proc_net *p)
{
	int err = nsi_proc_net_read(-1, p);

	if (err == -ENOENT)
		SKIP(return, "netnsight.ko is not loaded");
	ASSERT_EQ(0, err);
}

static void check_identity(struct __test_metadata *_metadata, const struct nsi_proc_net *p)
{
	uint64_t now = boottime_ns();

	EXPECT_EQ(1U, p->format);
	EXPECT_EQ(self_ino(), p->netns_inode);
	EXPECT_EQ(self_cookie(), p->net_cookie);
	EXPECT_EQ(self_userns_ino(), p->userns_inode);
	EXPECT_STREQ("alive", p->state);
	EXPECT_LE(p->created_boottime_ns, now);
	/* age is now - created, in ms, as of the read just before */
	EXPECT_LE(p->age_ms, (now - p->created_boottime_ns) / 1000000 + 1);
	EXPECT_GE(p->ns_refcount, 1U);
	EXPECT_GE(p->passive_refcount, 1U);
	EXPECT_TRUE(devices_match(p));
}

TEST(own_namespace_file)
{
	struct nsi_proc_net p;

	read_self(_metadata, &p);
	check_identity(_metadata, &p);
	nsi_proc_net_free(&p);
}

TEST(new_namespace_file)
{
	struct nsi_proc_net parent, child;

	read_self(_metadata, &parent);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nsi_proc_net_read(-1, &child));
	check_identity(_metadata, &child);
	EXPECT_NE(parent.netns_inode, child.netns_inode);
	EXPECT_GT(child.seq, parent.seq);
	EXPECT_FALSE(child.seen_at_load);
	/* setup_net() registered exactly one device: lo */
	EXPECT_EQ(1U, child.dev_registered);
	EXPECT_EQ(0U, child.dev_moved_in);
	EXPECT_EQ(1U, child.ndevs);
	EXPECT_STREQ("lo", child.devs[0].name);
	EXPECT_STREQ("loopback", child.devs[0].type);
	nsi_proc_net_free(&parent);
	nsi_proc_net_free(&child);
}

TEST(seq_increases)
{
	struct nsi_proc_net a, b;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	read_self(_metadata, &a);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nsi_proc_net_read(-1, &b));
	EXPECT_GT(b.seq, a.seq);
	EXPECT_GE(b.created_boottime_ns, a.created_boottime_ns);
	nsi_proc_net_free(&a);
	nsi_proc_net_free(&b);
}

static char *slurp_in_chunks(const char *path, size_t chunk, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		if (n + chunk + 1 > cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				break;
		}
		r = read(fd, buf + n, chunk);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

TEST(all_file_lists_us_and_adds_up)
{
	struct nsi_proc_all all;
	uint32_t me;
	size_t i, found = 0, alive = 0;
	int err;

	int init = open("/proc/self/ns/net", O_RDONLY);

	/* a new namespace, then back: netnsight_all exists in init_net only */
	ASSERT_LE(0, init);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	me = self_ino();
	ASSERT_EQ(0, setns(init, CLONE_NEWNET));
	close(init);
	err = nsi_proc_all_read(&all);
	if (err == -ENOENT)
		SKIP(return, "netnsight.ko is not loaded (or this is not init_net)");
	ASSERT_EQ(0, err);
	for (i = 0; i < all.n; i++) {
		found += all.rows[i].inode == me;
		alive += !strcmp(all.rows[i].state, "alive");
	}
	EXPECT_EQ(1U, found);
	EXPECT_EQ(all.n, all.total);
	EXPECT_EQ(alive, all.alive);
	EXPECT_EQ(all.total, all.alive + all.dying + all.stuck + all.blocked);
	nsi_proc_all_free(&all);
}

/*
 * Both netnsight_all formats (docs/procfs.md): 10 columns and four totals,
 * and the newer 11th column blocked_by ("-" or the stuck namespace's
 * inode) with a "blocked:" total; a column after those is ignored.
 */
TEST(all_parse_both_formats)
{
	static const char old_fmt[] =
		"inode      cookie  seq  age_ms  devs  refs  passive state  dying_ms   wait_dev\n"
		"4026531840 1       1    100     1     2     2       alive  0          -\n"
		"4026532179 4097    3    90      0     0     1       stuck  6203       dst1\n"
		"total: 2 alive: 1 dying: 0 stuck: 1\n";
	static const char new_fmt[] =
		"inode      cookie  seq  age_ms  devs  refs  passive state   dying_ms   wait_dev  blocked_by\n"
		"4026531840 1       1    100     1     2     2       alive   0          -         -\n"
		"4026532179 4097    3    90      0     0     1       stuck   6203       dst1      -\n"
		"4026532232 4098    4    80      0     0     1       blocked 6203       -         4026532179 later\n"
		"total: 3 alive: 1 dying: 0 stuck: 1 blocked: 1\n";
	static const char bad_fmt[] =
		"inode      cookie  seq  age_ms  devs  refs  passive state   dying_ms   wait_dev  blocked_by\n"
		"4026532232 4098    4    80      0     0     1       blocked 6203       -         behind\n"
		"total: 1 alive: 0 dying: 0 stuck: 0 blocked: 1\n";
	struct nsi_proc_all all;

	ASSERT_EQ(0, nsi_proc_all_parse(old_fmt, sizeof(old_fmt) - 1, &all));
	EXPECT_EQ(2U, all.n);
	EXPECT_EQ(1U, all.stuck);
	EXPECT_EQ(0U, all.blocked);
	EXPECT_STREQ("stuck", all.rows[1].state);
	EXPECT_STREQ("dst1", all.rows[1].wait_dev);
	EXPECT_EQ(0U, all.rows[1].blocked_by);
	nsi_proc_all_free(&all);

	ASSERT_EQ(0, nsi_proc_all_parse(new_fmt, sizeof(new_fmt) - 1, &all));
	EXPECT_EQ(3U, all.n);
	EXPECT_EQ(1U, all.stuck);
	EXPECT_EQ(1U, all.blocked);
	EXPECT_EQ(0U, all.rows[1].blocked_by);
	EXPECT_STREQ("blocked", all.rows[2].state);
	EXPECT_EQ(4026532179U, all.rows[2].blocked_by);
	nsi_proc_all_free(&all);

	EXPECT_EQ(-EINVAL, nsi_proc_all_parse(bad_fmt, sizeof(bad_fmt) - 1, &all));
}

/* Reading 7 bytes at a time walks seq_file positions one by one. */
TEST(all_file_small_reads)
{
	struct nsi_proc_all all;
	size_t len;
	char *text = slurp_in_chunks(NSI_PROC_ALL_PATH, 7, &len);

	if (!text && errno == ENOENT)
		SKIP(return, "netnsight.ko is not loaded");
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, nsi_proc_all_parse(text, len, &all));
	EXPECT_EQ(all.n, all.total);
	EXPECT_GE(all.n, 1U);
	nsi_proc_all_free(&all);
	free(text);
}

/* Never a raw kernel pointer: no run of 16 hex digits, no 0xffff... */
TEST(no_kernel_pointers)
{
	const char *files[] = { NSI_PROC_NET_PATH, NSI_PROC_ALL_PATH };
	regex_t re;
	size_t i, len;

	ASSERT_EQ(0, regcomp(&re, "[0-9a-fA-F]{16}|0x[fF]{4}", REG_EXTENDED | REG_NOSUB));
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		char *text = slurp_in_chunks(files[i], 4096, &len);

		if (!text)
			continue;
		EXPECT_NE(0, regexec(&re, text, 0, NULL, 0)) {
			TH_LOG("%s contains a pointer-like value", files[i]);
		}
		free(text);
	}
	regfree(&re);
}

TEST_HARNESS_MAIN
