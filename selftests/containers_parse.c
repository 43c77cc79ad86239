// SPDX-License-Identifier: GPL-2.0
/*
 * containers_parse - the container parsers (user/lib/containers.c) on the
 * shapes each runtime writes, documented in docs/holders.md: cgroup paths
 * of docker, containerd (CRI, systemd and cgroupfs drivers), CRI-O,
 * podman, systemd-nspawn and lxc; OCI annotations; crun's and runc's
 * state; conmon's command line; and hostile names.  Runs anywhere (no
 * kernel feature needed): on the build host as in the guest.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "containers.h"

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "1b2c3d4e-1111-2222-3333-444455556666"
#define UID_ "1b2c3d4e_1111_2222_3333_444455556666"

static int cg(const char *text, struct ctr_info *c)
{
	return ctr_parse_cgroup(text, strlen(text), c);
}

TEST(cgroup_docker)
{
	struct ctr_info c;

	ASSERT_EQ(0, cg("0::/system.slice/docker-" ID64 ".scope\n", &c));
	EXPECT_STREQ("docker", c.runtime);
	EXPECT_STREQ(ID64, c.id);
	ASSERT_EQ(0, cg("12:pids:/docker/" ID64 "\n11:cpu:/docker/" ID64 "\n", &c));
	EXPECT_STREQ("docker", c.runtime);
	EXPECT_STREQ(ID64, c.id);
}

TEST(cgroup_kubernetes)
{
	struct ctr_info c;

	ASSERT_EQ(0, cg("0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
			UID_ ".slice/cri-containerd-" ID64 ".scope\n", &c));
	EXPECT_STREQ("containerd", c.runtime);
	EXPECT_STREQ(ID64, c.id);
	EXPECT_STREQ(UID, c.pod_uid);
	ASSERT_EQ(0, cg("0::/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID64 ".scope", &c));
	EXPECT_STREQ("crio", c.runtime);
	EXPECT_STREQ(UID, c.pod_uid);
	/* kubelet's cgroupfs driver: the runtime is not in the path */
	ASSERT_EQ(0, cg("0::/kubepods/burstable/pod" UID "/" ID64 "\n", &c));
	EXPECT_STREQ("kubernetes", c.runtime);
	EXPECT_STREQ(ID64, c.id);
	EXPECT_STREQ(UID, c.pod_uid);
}

TEST(cgroup_others)
{
	struct ctr_info c;

	ASSERT_EQ(0, cg("0::/libpod_parent/libpod-" ID64 "\n", &c));
	EXPECT_STREQ("podman", c.runtime);
	ASSERT_EQ(0, cg("0::/machine.slice/libpod-" ID64 ".scope/container\n", &c));
	EXPECT_STREQ("podman", c.runtime);
	EXPECT_STREQ(ID64, c.id);
	ASSERT_EQ(0, cg("0::/machine.slice/machine-my\\x2dvm.scope\n", &c));
	EXPECT_STREQ("nspawn", c.runtime);
	EXPECT_STREQ("my-vm", c.name);
	ASSERT_EQ(0, cg("0::/lxc.payload.web1\n", &c));
	EXPECT_STREQ("lxc", c.runtime);
	EXPECT_STREQ("web1", c.name);
	ASSERT_EQ(0, cg("4:memory:/lxc/web2\n", &c));
	EXPECT_STREQ("web2", c.name);
}

TEST(cgroup_none)
{
	struct ctr_info c;

	EXPECT_EQ(-1, cg("0::/user.slice/user-0.slice/session-1.scope\n", &c));
	EXPECT_STREQ("", c.runtime);
	/* conmon's own scope is not a container */
	EXPECT_EQ(-1, cg("0::/machine.slice/libpod-conmon-" ID64 ".scope\n", &c));
	/* too short, not hex, no path */
	EXPECT_EQ(-1, cg("0::/docker-0123.scope\n", &c));
	EXPECT_EQ(-1, cg("0::/docker-" ID64 "x.scope\n", &c));
	EXPECT_EQ(-1, cg("garbage", &c));
	EXPECT_EQ(-1, cg("", &c));
}

TEST(annotations)
{
	static const char containerd[] = "{\"annotations\":{"
		"\"io.kubernetes.cri.container-type\":\"sandbox\","
		"\"io.kubernetes.cri.sandbox-name\":\"web-0\","
		"\"io.kubernetes.cri.sandbox-namespace\":\"prod\","
		"\"io.kubernetes.cri.sandbox-uid\":\"" UID "\"}}";
	static const char crio[] = "{\"annotations\":{"
		"\"io.kubernetes.pod.name\":\"db-1\",\"io.kubernetes.pod.namespace\":\"dev\","
		"\"io.kubernetes.pod.uid\":\"" UID "\",\"io.kubernetes.container.name\":\"pg\"}}";
	static const char evil[] = "{\"annotations\":{"
		"\"io.kubernetes.pod.name\":\"a\\u001b[2Jb c\"}}";
	struct ctr_info c = { 0 };

	ASSERT_EQ(0, ctr_parse_oci_config(containerd, strlen(containerd), &c));
	EXPECT_STREQ("web-0", c.pod_name);
	EXPECT_STREQ("prod", c.pod_namespace);
	EXPECT_STREQ(UID, c.pod_uid);
	memset(&c, 0, sizeof(c));
	ASSERT_EQ(0, ctr_parse_oci_config(crio, strlen(crio), &c));
	EXPECT_STREQ("db-1 dev pg", strcat(strcat(strcat(strcat(c.pod_name, " "),
		c.pod_namespace), " "), c.name));
	memset(&c, 0, sizeof(c));
	ASSERT_EQ(0, ctr_parse_oci_config(evil, strlen(evil), &c));
	EXPECT_STREQ("a??2Jb?c", c.pod_name);	/* no escape, no blank */
	EXPECT_EQ(-1, ctr_parse_oci_config("{", 1, &c));
	EXPECT_EQ(-1, ctr_parse_oci_config("[1]", 3, &c));
}

TEST(state_and_names)
{
	static const char crun[] = "{\"pid\":42,\"bundle\":\"/tmp/b\",\"rootfs\":\"/tmp/b/r\"}";
	static const char runc[] = "{\"id\":\"x\",\"config\":{\"labels\":"
		"[\"io.kubernetes.pod.name=p1\",\"bundle=/run/b2\"]}}";
	static const char docker[] = "{\"ID\":\"x\",\"Name\":\"/web\"}";
	static const char conmon[] = "/usr/bin/conmon\0--api-version\0" "1\0-c\0" ID64
		"\0-u\0" ID64 "\0-n\0web1\0--exit-dir\0/x\0";
	char b[256], id[CTR_ID_LEN], name[CTR_NAME_LEN];
	struct ctr_info c = { 0 };

	ASSERT_EQ(0, ctr_parse_state_bundle(crun, strlen(crun), b, sizeof(b)));
	EXPECT_STREQ("/tmp/b", b);
	ASSERT_EQ(0, ctr_parse_state_bundle(runc, strlen(runc), b, sizeof(b)));
	EXPECT_STREQ("/run/b2", b);
	ctr_parse_oci_config(runc, strlen(runc), &c);
	EXPECT_STREQ("p1", c.pod_name);
	EXPECT_EQ(-1, ctr_parse_state_bundle("{\"bundle\":\"rel\"}", 16, b, sizeof(b)));
	ASSERT_EQ(0, ctr_parse_docker_name(docker, strlen(docker), name, sizeof(name)));
	EXPECT_STREQ("web", name);
	ASSERT_EQ(0, ctr_parse_conmon_cmdline(conmon, sizeof(conmon) - 1, id, sizeof(id),
					      name, sizeof(name)));
	EXPECT_STREQ(ID64, id);
	EXPECT_STREQ("web1", name);
	/* a cut command line: no name */
	EXPECT_EQ(-1, ctr_parse_conmon_cmdline(conmon, 40, id, sizeof(id), name, sizeof(name)));
}

TEST(short_form)
{
	struct ctr_info c = { .runtime = "podman", .id = ID64, .name = "web1" };
	char buf[64];

	ctr_short(&c, buf, sizeof(buf));
	EXPECT_STREQ("0123456789ab web1", buf);
	c.name[0] = '\0';
	ctr_short(&c, buf, sizeof(buf));
	EXPECT_STREQ("0123456789ab", buf);
	c.runtime[0] = '\0';
	ctr_short(&c, buf, sizeof(buf));
	EXPECT_STREQ("-", buf);
}

TEST_HARNESS_MAIN
