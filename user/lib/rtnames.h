/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netnsight - the one set of words for routing numbers that every command
 * prints: route types (RTN_*) and the reserved table ids, spelled as
 * iproute2 spells them (lib/rt_names.c there) so output compares with `ip`.
 */
#ifndef NETNSIGHT_RTNAMES_H
#define NETNSIGHT_RTNAMES_H

#include <stdint.h>

/* "unicast", "local", ...; RTN_UNSPEC is "none"; NULL past RTN_MAX */
const char *rt_type_name(unsigned int type);
/* "local", "main", "default" for 255, 254, 253; NULL for any other id */
const char *rt_table_name(uint32_t id);
/* The id of a reserved table's name; 0 (never a table) if @name is none */
uint32_t rt_table_id(const char *name);

#endif
