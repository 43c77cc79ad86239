/* SPDX-License-Identifier: GPL-2.0 */
/* netnsight - the subcommands; each returns the process exit status. */
#ifndef NETNSIGHT_COMMANDS_H
#define NETNSIGHT_COMMANDS_H

int cmd_trace(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_lab(int argc, char **argv);
int cmd_exporter(int argc, char **argv);

#endif
