/* SPDX-License-Identifier: GPL-2.0 */
/* netnsight - small helpers shared by every subcommand. */
#ifndef NETNSIGHT_UTIL_H
#define NETNSIGHT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses, documented in netnsight.8. */
#define EXIT_USAGE	2	/* bad input: options, specs, names */
/* EXIT_FAILURE (1): the system refused (privilege, BTF, kernel) */

extern const char *prog_name;	/* "netnsight" or "netnsight trace" ... */

/* One-line error "netnsight: ...", no exit. */
void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warnmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Strict number parsing: whole string, no sign surprises, range checked. */
int parse_u32(const char *s, uint32_t *out);
int parse_u64(const char *s, uint64_t *out);
/* "1.5", "200ms", "2s", "1m" -> milliseconds */
int parse_duration_ms(const char *s, uint64_t *out);
/* "4096", "64k", "1M" -> bytes */
int parse_size(const char *s, uint64_t *out);

uint64_t boottime_ns(void);
uint64_t monotonic_ns(void);

/*
 * Time from @then to @now, 0 if @now is earlier.  The tracer formats events
 * stamped in the past (their BPF timestamp) against marks taken from the
 * clock now: a plain "now - then" would wrap to a huge age.
 */
static inline uint64_t ns_since(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

/* Read a whole (small, /proc) file; NUL-terminated; caller frees. */
char *read_file(const char *path, size_t *len);
/* The same, @path relative to directory @dfd (AT_FDCWD: as read_file()) */
char *read_file_at(int dfd, const char *path, size_t *len);

/*
 * Create @path holding "ready\n": --ready-file, how scripts learn that a
 * long-running command is attached or serving.  0, or -1 after one line.
 */
int write_ready_file(const char *path);

/* strscpy-like: always terminates, returns false if truncated. */
bool copy_str(char *dst, const char *src, size_t size);

/* Is capability @cap (linux/capability.h number) in our effective set? */
bool cap_effective(int cap);

/*
 * Before a command parses its argv with getopt_long(): optind = 0, not 1,
 * is glibc's full reset.  With 1 a second parse in the same process (the
 * lab running trace's parser, the fuzz harnesses calling a parser again and
 * again) resumes inside the last argv: a cluster like "-fx" left half read
 * is glibc's private nextchar.  opterr = 0: we print our own one-line errors.
 */
#define GETOPT_RESET()	do { optind = 0; opterr = 0; } while (0)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif
