// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - make network namespaces visible.
 *
 * A table of subcommands, each a small function (as iproute2's ip/ipnetns.c
 * does it); unambiguous prefixes are accepted ("netnsight tr").
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "util.h"

#ifndef NETNSIGHT_VERSION
#define NETNSIGHT_VERSION "dev"
#endif

static int cmd_help(int argc, char **argv);

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("netnsight %s\n", NETNSIGHT_VERSION);
	return 0;
}

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "trace", cmd_trace, "stream namespace lifecycle, device moves, fib lookups" },
	{ "ls", cmd_ls, "list every network namespace, its holders and orphans" },
	{ "show", cmd_show, "the struct net view of one namespace" },
	{ "exporter", cmd_exporter, "serve per-namespace metrics to Prometheus (/metrics)" },
	{ "lab", cmd_lab, "replay the veth walkthrough live, step by step" },
	{ "version", cmd_version, "print the version" },
	{ "help", cmd_help, "this text" },
};

static int cmd_help(int argc, char **argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	printf("Usage: netnsight COMMAND [OPTIONS]   (netnsight COMMAND --help)\n\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		printf("  %-8s %s\n", cmds[i].name, cmds[i].help);
	printf("\nSee netnsight(8) and docs/ for the details.\n");
	return 0;
}

int main(int argc, char **argv)
{
	const struct cmd *match = NULL;
	size_t i, len;

	if (argc < 2)
		return cmd_help(argc, argv);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return cmd_help(argc, argv);
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))
		return cmd_version(argc, argv);
	len = strlen(argv[1]);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!strcmp(argv[1], cmds[i].name)) {
			match = &cmds[i];
			break;
		}
		if (len && !strncmp(argv[1], cmds[i].name, len)) {
			if (match) {
				errmsg("'%s' is ambiguous (see 'netnsight help')", argv[1]);
				return EXIT_USAGE;
			}
			match = &cmds[i];
		}
	}
	if (!match) {
		errmsg("unknown command '%s' (see 'netnsight help')", argv[1]);
		return EXIT_USAGE;
	}
	return match->fn(argc - 1, argv + 1);
}
