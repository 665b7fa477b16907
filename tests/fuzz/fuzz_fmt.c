// SPDX-License-Identifier: MIT
/*
 * Differential fuzz target for os/fmt.c. The input is read as a script:
 * either a series of conversion specifications (flags, width, precision,
 * length modifier, conversion, value, buffer size), each formatted by
 * os_snprintf and by the C library's snprintf, whose results, return values
 * and truncated buffers must match byte for byte; or a string, base and
 * limit for os_parse_u64, checked against a reference built on strtoull.
 *
 * Only combinations C defines are generated (no '#' on %d, no precision on
 * %c or %p...), so any difference is a bug in os/fmt.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>

#include "tests/fuzz/fuzz.h"

/* Reads bytes off the input; zeros once it runs out. */
struct cursor {
	const uint8_t *p;
	size_t left;
};

static uint8_t take(struct cursor *c)
{
	if (!c->left)
		return 0;
	c->left--;
	return *c->p++;
}

static uint64_t take64(struct cursor *c)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | take(c);
	return v;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* Format one value both ways into @size bytes; compare everything. */
static void both(size_t size, const char *fmt, ...)
{
	char want[160], got[160];
	va_list ap, ap2;
	int nw, ng;

	memset(want, 'X', sizeof(want));
	memset(got, 'X', sizeof(got));
	va_start(ap, fmt);
	va_copy(ap2, ap);
	nw = vsnprintf(want, size, fmt, ap);
	ng = os_vsnprintf(got, size, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if (nw != ng || memcmp(want, got, sizeof(want))) {
		fprintf(stderr, "fmt \"%s\" size %zu: libc %d \"%.*s\", os %d \"%.*s\"\n",
			fmt, size, nw, (int)size, want, ng, (int)size, got);
		abort();
	}
}
#pragma GCC diagnostic pop

static void fuzz_one_spec(struct cursor *c)
{
	static const char *const lens[] = { "", "hh", "h", "l", "ll", "z", "j", "t" };
	static const char convs[] = "diuxXocsp";
	uint8_t fl = take(c), wb = take(c), pb = take(c), lb = take(c);
	char conv = convs[take(c) % (sizeof(convs) - 1)];
	const char *len = lens[lb % OS_ARRAY_SIZE(lens)];
	size_t size = take(c) % 140;
	bool integer = strchr("diuxXo", conv) != NULL;
	char fmt[48], str[24];
	int pos = 0;

	pos += snprintf(fmt + pos, sizeof(fmt) - (size_t)pos, "[%%");
	if (fl & 1)
		fmt[pos++] = '-';
	if (integer) {
		if (fl & 2)
			fmt[pos++] = '0';
		if (fl & 4)
			fmt[pos++] = '+';
		if (fl & 8)
			fmt[pos++] = ' ';
		if ((fl & 16) && strchr("xXo", conv))
			fmt[pos++] = '#';
	}
	if (wb & 1)
		pos += snprintf(fmt + pos, sizeof(fmt) - (size_t)pos, "%d", (wb >> 1) % 48);
	if ((pb & 1) && conv != 'c' && conv != 'p')
		pos += snprintf(fmt + pos, sizeof(fmt) - (size_t)pos, ".%d", (pb >> 1) % 40);
	if (integer)
		pos += snprintf(fmt + pos, sizeof(fmt) - (size_t)pos, "%s", len);
	snprintf(fmt + pos, sizeof(fmt) - (size_t)pos, "%c]", conv);

	uint64_t v = take64(c);

	switch (conv) {
	case 'c':
		both(size, fmt, (int)(v & 0x7f) ? (int)(v & 0x7f) : 'a');
		return;
	case 's':
		/* A string of input bytes, NUL-free. */
		for (size_t i = 0; i < sizeof(str); i++) {
			char ch = (char)((v >> (i % 8 * 8)) & 0x7f);

			str[i] = ch ? ch : '.';
		}
		str[v % sizeof(str)] = '\0';
		both(size, fmt, str);
		return;
	case 'p':
		both(size, fmt, (void *)(uintptr_t)(v >> (take(c) % 64)));
		return;
	default:
		break;
	}
	if (!strcmp(len, "l"))
		both(size, fmt, (long)v);
	else if (!strcmp(len, "ll"))
		both(size, fmt, (long long)v);
	else if (!strcmp(len, "z"))
		both(size, fmt, (size_t)v);
	else if (!strcmp(len, "j"))
		both(size, fmt, (intmax_t)v);
	else if (!strcmp(len, "t"))
		both(size, fmt, (ptrdiff_t)v);
	else
		both(size, fmt, (int)v);
}

/* os_parse_u64's contract, spelled out with strtoull. */
static int ref_parse(const char *s, unsigned base, uint64_t max, uint64_t *out)
{
	unsigned b = base;
	char *end;
	unsigned long long v;

	if (!*s || !((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		     (*s >= 'A' && *s <= 'Z')))
		return -EINVAL;
	if (b == 0)
		b = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10;
	errno = 0;
	v = strtoull(s, &end, (int)b);
	if (*end || end == s)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static void fuzz_parse(struct cursor *c)
{
	static const unsigned bases[] = { 0, 10, 16, 8, 2, 36 };
	unsigned base = bases[take(c) % OS_ARRAY_SIZE(bases)];
	uint64_t max = take(c) & 1 ? UINT64_MAX : take64(c);
	uint64_t got = 1234, want = 5678;
	char s[48];
	size_t n = 0;
	int rg, rw;

	while (c->left && n < sizeof(s) - 1) {
		char ch = (char)take(c);

		if (!ch)
			break;
		s[n++] = ch;
	}
	s[n] = '\0';
	rg = os_parse_u64(s, base, max, &got);
	rw = ref_parse(s, base, max, &want);
	FUZZ_CHECK(rg == rw);
	FUZZ_CHECK(rg != 0 || got == want);
	FUZZ_CHECK(rg == 0 || got == 1234);	/* untouched on error */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = { .p = data, .left = size };

	if (!size)
		return 0;
	if (take(&c) & 1) {
		fuzz_parse(&c);
		return 0;
	}
	for (int i = 0; i < 16 && c.left; i++)
		fuzz_one_spec(&c);
	return 0;
}
