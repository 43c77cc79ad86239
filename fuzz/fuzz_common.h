/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared bits of the libFuzzer harnesses (fuzz/README.md).
 *
 * CHECK() is how a harness states an invariant: on failure it names the
 * harness line and aborts, which libFuzzer reports as a crash and saves
 * the input.  The code under test prints its one-line errors to stderr on
 * every bad input; fuzz_quiet() sends stdio's stdout/stderr to /dev/null
 * (FUZZ_VERBOSE=1 keeps them).  Sanitizer reports and CHECK() messages
 * write to file descriptor 2 directly, so they are never lost.
 */
#ifndef NETNSIGHT_FUZZ_COMMON_H
#define NETNSIGHT_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline void fuzz_fail(const char *file, int line, const char *what,
			     const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "%s:%d: invariant failed: %s", file, line, what);
	if (fmt && n >= 0 && (size_t)n < sizeof(msg)) {
		va_start(ap, fmt);
		n += vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	if (n < 0 || (size_t)n >= sizeof(msg) - 1)
		n = (int)sizeof(msg) - 2;
	msg[n++] = '\n';
	if (write(2, msg, (size_t)n) < 0)
		abort();
	abort();
}

#define CHECK(cond) \
	do { if (!(cond)) fuzz_fail(__FILE__, __LINE__, #cond, NULL); } while (0)
/* CHECKF(cond, "fmt", ...): the same with details */
#define CHECKF(cond, ...) \
	do { if (!(cond)) fuzz_fail(__FILE__, __LINE__, #cond, " -- " __VA_ARGS__); } while (0)

static inline void fuzz_quiet(void)
{
	const char *v = getenv("FUZZ_VERBOSE");
	FILE *null;

	if (v && *v && strcmp(v, "0"))
		return;
	null = fopen("/dev/null", "w");
	if (!null)
		return;
	stdout = null;
	stderr = null;
}

/* A NUL-terminated heap copy of @size bytes (ASan sees reads past it). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Is @s NUL-terminated within @size bytes? */
static inline int fuzz_terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

#define TERMINATED(arr) fuzz_terminated((arr), sizeof(arr))

/* The usual LLVMFuzzerInitialize(): just fuzz_quiet().  Once per harness. */
#define FUZZ_QUIET_INIT						\
int LLVMFuzzerInitialize(int *argc, char ***argv)		\
{								\
	(void)argc;						\
	(void)argv;						\
	fuzz_quiet();						\
	return 0;						\
}

#endif
