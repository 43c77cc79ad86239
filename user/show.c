// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight show - the struct net view of one namespace.
 *
 *   netnsight show [--json] NS
 *
 * Options here; the asking is in show_gather.c, the parsing in
 * show_parse.c, the printing in show_text.c and show_json.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "commands.h"
#include "netns.h"
#include "procfs.h"
#include "show.h"
#include "util.h"

struct show_opts {
	bool json;
	const char *spec;
};

static void show_usage(FILE *f)
{
	fprintf(f,
"Usage: netnsight show [--json] NS\n"
"Show one network namespace as the kernel sees it, section by section, each\n"
"named after the struct net members it shows: identity, devices, addresses,\n"
"IPv4 routing tables, policy rules, netfilter tables, socket counts, and the\n"
"netnsight module's facts when it is loaded.  Everything is asked over\n"
"netlink from inside the namespace.\n"
"\n"
"  NS           an ip-netns name, an inode, a pid, or a path such as\n"
"               /proc/PID/ns/net or /run/netns/NAME\n"
"  -j, --json   one JSON document (keys: docs/show.md)\n"
"  -h, --help\n");
}

static const struct option show_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{}
};

/* 0: go on; 1: done (help printed); -1: usage error, already reported */
static int show_parse_args(int argc, char **argv, struct show_opts *o)
{
	int c;

	GETOPT_RESET();
	while ((c = getopt_long(argc, argv, "jh", show_options, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'h':
			show_usage(stdout);
			return 1;
		default:
			errmsg("unknown option '%s' (see 'netnsight show --help')",
			       argv[optind - 1]);
			return -1;
		}
	}
	if (optind == argc) {
		errmsg("which namespace? (see 'netnsight show --help')");
		return -1;
	}
	if (argc - optind > 1) {
		errmsg("unexpected argument '%s' (see 'netnsight show --help')",
		       argv[optind + 1]);
		return -1;
	}
	o->spec = argv[optind];
	return 0;
}

/*
 * A stuck teardown is worth a line on stderr whatever is shown: stdout
 * stays the view alone.  No module, or not ours to read: nothing to say.
 */
static void warn_stuck(void)
{
	struct nsi_proc_all all;

	if (nsi_proc_all_read(&all))
		return;
	nsi_proc_all_warn_stuck(&all);
	nsi_proc_all_free(&all);
}

int cmd_show(int argc, char **argv)
{
	struct show_opts o = { 0 };
	struct netns_handle h;
	struct show_ns ns;
	int ret;

	prog_name = "netnsight show";
	ret = show_parse_args(argc, argv, &o);
	if (ret)
		return ret > 0 ? EXIT_SUCCESS : EXIT_USAGE;
	if (netns_resolve(o.spec, true, &h))
		return EXIT_USAGE;
	ret = show_gather(&ns, h.fd, h.ino);
	close(h.fd);
	if (!ret) {
		show_gather_holders(&ns);
		warn_stuck();
		copy_str(ns.how, h.how, sizeof(ns.how));
		if (o.json)
			show_print_json(&ns, stdout);
		else
			show_print_text(&ns, stdout);
	}
	show_free(&ns);
	if (ret)
		return EXIT_FAILURE;
	return fflush(stdout) ? EXIT_FAILURE : EXIT_SUCCESS;
}
