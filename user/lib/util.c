// SPDX-License-Identifier: GPL-2.0
/* netnsight - small helpers shared by every subcommand. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "util.h"

const char *prog_name = "netnsight";

static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", prog_name, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void errmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void warnmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

int parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull() skips any white space and takes a sign: digits only */
	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(s, &v) || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* A decimal number with an optional fraction, then a unit suffix. */
static int parse_scaled(const char *s, const char *const *units,
			const uint64_t *scale, size_t nunits, uint64_t dflt,
			uint64_t *out)
{
	uint64_t whole = 0, frac = 0, div = 1, mul = dflt;
	const char *p = s;
	size_t i;

	if (!s || *p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (div < 1000000000) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				div *= 10;
			}
		}
	}
	if (*p) {
		for (i = 0; i < nunits; i++)
			if (!strcmp(p, units[i]))
				break;
		if (i == nunits)
			return -EINVAL;
		mul = scale[i];
	}
	if (whole && mul > UINT64_MAX / whole)
		return -EINVAL;
	if (whole * mul > UINT64_MAX - frac * mul / div)
		return -EINVAL;	/* the fraction would wrap the sum */
	*out = whole * mul + frac * mul / div;
	return 0;
}

int parse_duration_ms(const char *s, uint64_t *out)
{
	static const char *const units[] = { "ms", "s", "m", "h" };
	static const uint64_t scale[] = { 1, 1000, 60000, 3600000 };

	return parse_scaled(s, units, scale, ARRAY_SIZE(units), 1000, out);
}

int parse_size(const char *s, uint64_t *out)
{
	static const char *const units[] = { "k", "K", "m", "M", "g", "G" };
	static const uint64_t scale[] = { 1ULL << 10, 1ULL << 10, 1ULL << 20,
					  1ULL << 20, 1ULL << 30, 1ULL << 30 };

	return parse_scaled(s, units, scale, ARRAY_SIZE(units), 1, out);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t boottime_ns(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

uint64_t monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

char *read_file(const char *path, size_t *len)
{
	return read_file_at(AT_FDCWD, path, len);
}

char *read_file_at(int dfd, const char *path, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf, *nbuf;
	ssize_t r;
	int fd;

	fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	if (!buf)
		goto fail;
	for (;;) {
		if (n + 1 >= cap) {
			cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf)
				goto fail;
			buf = nbuf;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:
	r = errno;
	free(buf);
	close(fd);
	errno = (int)r;
	return NULL;
}

bool copy_str(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size);

	if (!size)
		return false;
	if (n == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return false;
	}
	memcpy(dst, src, n + 1);
	return true;
}

bool cap_effective(int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};

	if (cap < 0 || cap > 63)
		return false;
	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	return data[cap / 32].effective & (1U << (cap % 32));
}

int write_ready_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, "ready\n", 6) != 6) {
		errmsg("cannot create --ready-file %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return close(fd);
}
