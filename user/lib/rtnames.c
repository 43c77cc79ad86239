// SPDX-License-Identifier: GPL-2.0
/*
 * netnsight - words for route types and reserved table ids (rtnames.h).
 */
#include <string.h>
#include <linux/rtnetlink.h>

#include "rtnames.h"
#include "util.h"

const char *rt_type_name(unsigned int type)
{
	/*
	 * include/uapi/linux/rtnetlink.h: enum RTN_*; fib_props[] gives
	 * each its scope and error (fib_semantics.c).  A lookup that
	 * succeeds never returns RTN_UNSPEC: fib_table_lookup() only
	 * matches aliases of real types.
	 */
	static const char *const names[] = {
		[RTN_UNSPEC] = "none",
		[RTN_UNICAST] = "unicast",
		[RTN_LOCAL] = "local",
		[RTN_BROADCAST] = "broadcast",
		[RTN_ANYCAST] = "anycast",
		[RTN_MULTICAST] = "multicast",
		[RTN_BLACKHOLE] = "blackhole",
		[RTN_UNREACHABLE] = "unreachable",
		[RTN_PROHIBIT] = "prohibit",
		[RTN_THROW] = "throw",
		[RTN_NAT] = "nat",
		[RTN_XRESOLVE] = "xresolve",
	};

	return type < ARRAY_SIZE(names) ? names[type] : NULL;
}

/* include/uapi/linux/rtnetlink.h, enum rt_class_t */
static const struct {
	const char *name;
	uint32_t id;
} table_names[] = {
	{ "default", RT_TABLE_DEFAULT },
	{ "main", RT_TABLE_MAIN },
	{ "local", RT_TABLE_LOCAL },
};

const char *rt_table_name(uint32_t id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(table_names); i++)
		if (table_names[i].id == id)
			return table_names[i].name;
	return NULL;
}

uint32_t rt_table_id(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(table_names); i++)
		if (!strcmp(name, table_names[i].name))
			return table_names[i].id;
	return 0;
}
