// SPDX-License-Identifier: MIT
/*
 * Unit tests of os/fmt.c: os_snprintf checked byte for byte, and return
 * value for return value, against the C library's snprintf for every
 * conversion, flag, width, precision and length modifier, at every buffer
 * size from 0 to one past the output (truncation); plus os_parse_u64.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include <vscmi/os.h>

#define OUT_MAX 512

/*
 * Compare one os_snprintf call with snprintf: the full result, then every
 * truncated size, checking the NUL lands at size - 1 and nothing past the
 * given size is touched.
 */
#define CHECK(...)                                                           \
	do {                                                                 \
		char want_[OUT_MAX], got_[OUT_MAX + 8];                      \
		int nw_ = snprintf(want_, sizeof(want_), __VA_ARGS__);       \
		int ng_ = os_snprintf(got_, OUT_MAX, __VA_ARGS__);           \
		assert_true(nw_ >= 0 && nw_ < OUT_MAX);                      \
		assert_int_equal(ng_, nw_);                                  \
		assert_string_equal(got_, want_);                            \
		assert_int_equal(os_snprintf(NULL, 0, __VA_ARGS__), nw_);    \
		for (size_t n_ = 0; n_ <= (size_t)nw_ + 1; n_++) {           \
			memset(got_, 'X', sizeof(got_));                     \
			assert_int_equal(os_snprintf(got_, n_, __VA_ARGS__), \
					 nw_);                               \
			check_truncated(got_, n_, want_);                    \
		}                                                            \
	} while (0)

static void check_truncated(const char *got, size_t size, const char *want)
{
	size_t keep = size ? size - 1 : 0;
	size_t wlen = strlen(want);

	if (keep > wlen)
		keep = wlen;
	assert_memory_equal(got, want, keep);
	if (size)
		assert_int_equal(got[keep], '\0');
	for (size_t i = size; i < size + 8; i++)
		assert_int_equal(got[i], 'X');
}

static void test_plain_and_percent(void **state)
{
	CHECK("hello");
	CHECK("%%");
	CHECK("a%%b%%%%c");
	CHECK("%s", "");
	CHECK("x%sy", "");
}

/*
 * These two deliberately use flag combinations C defines as ignored ('0'
 * with '-' or a precision, '+' and ' ' with %u): gcc warns about them.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
static void test_signed(void **state)
{
	static const int vals[] = { 0, 1, -1, 7, -42, 12345, INT_MAX, INT_MIN };

	for (size_t i = 0; i < OS_ARRAY_SIZE(vals); i++) {
		int v = vals[i];

		CHECK("%d", v);
		CHECK("%i", v);
		CHECK("%5d|%-5d|%05d", v, v, v);
		CHECK("%+d|% d|%+5d|% -6d|%+06d", v, v, v, v, v);
		CHECK("%.0d|%.1d|%.3d|%8.3d|%-8.3d|%08.3d", v, v, v, v, v, v);
		CHECK("%012d|%-012d|%1d", v, v, v);
	}
	CHECK("%ld|%ld|%ld", LONG_MIN, LONG_MAX, 0L);
	CHECK("%lld|%lld|%+lld", LLONG_MIN, LLONG_MAX, -1LL);
	CHECK("%hd|%hd|%hd", (short)-32768, (short)32767, 70000);
	CHECK("%hhd|%hhd|%hhd", (signed char)-128, 300, -129);
	CHECK("%zd|%jd|%td", (ssize_t)-5, (intmax_t)INTMAX_MIN, (ptrdiff_t)-77);
}

static void test_unsigned(void **state)
{
	static const unsigned vals[] = { 0, 1, 8, 9, 15, 16, 255, 0xdeadbeef,
					 UINT_MAX };

	for (size_t i = 0; i < OS_ARRAY_SIZE(vals); i++) {
		unsigned v = vals[i];

		CHECK("%u|%x|%X|%o", v, v, v, v);
		CHECK("%#x|%#X|%#o", v, v, v);
		CHECK("%10u|%-10x|%010X|%#010x|%-#10o", v, v, v, v, v);
		CHECK("%.0u|%.0x|%#.0x|%#.0o|%.5o|%#.5o", v, v, v, v, v, v);
		CHECK("%#8.4x|%08.4x|%+u|% u", v, v, v, v);
	}
	CHECK("%lu|%lx|%lo", ULONG_MAX, ULONG_MAX, ULONG_MAX);
	CHECK("%llu|%llX|%#llo", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	CHECK("%hu|%hx|%hhu|%hhx|%hho", 65535, 65536 + 10, 256 + 3,
	      (unsigned char)0xab, 511);
	CHECK("%zu|%zx|%ju|%tx", SIZE_MAX, (size_t)4096, UINTMAX_MAX,
	      (ptrdiff_t)0x1234);
}

#pragma GCC diagnostic pop

static void test_char(void **state)
{
	CHECK("%c", 'a');
	CHECK("[%5c][%-5c][%1c]", 'b', 'c', 'd');
	CHECK("%c%c%c", 'x', 0x7f, '~');
	/* A NUL char counts towards the length but ends the string. */
	char buf[8];
	assert_int_equal(os_snprintf(buf, sizeof(buf), "a%cb", 0), 3);
	assert_int_equal(buf[0], 'a');
	assert_int_equal(buf[1], '\0');
	assert_int_equal(buf[2], 'b');
}

static void test_string(void **state)
{
	CHECK("%s", "hello");
	CHECK("[%10s][%-10s][%2s]", "abc", "abc", "abcdef");
	CHECK("[%.3s][%.0s][%.10s]", "abcdef", "abcdef", "ab");
	CHECK("[%8.2s][%-8.2s]", "abcdef", "abcdef");
	CHECK("[%*s][%-*s][%*s]", 6, "ab", 6, "ab", -6, "ab");
	CHECK("[%.*s][%.*s]", 2, "abcdef", -1, "abcdef");
	CHECK("[%*.*s]", 7, 3, "abcdef");
}

static void test_string_null_and_unterminated(void **state)
{
	const char *volatile nul = NULL;
	char buf[32];
	/* Not NUL-terminated: precision must stop the read (ASan checks). */
	char raw[4] = { 'w', 'x', 'y', 'z' };

	assert_int_equal(os_snprintf(buf, sizeof(buf), "%s", nul), 6);
	assert_string_equal(buf, "(null)");
	assert_int_equal(os_snprintf(buf, sizeof(buf), "[%8s]", nul), 10);
	assert_string_equal(buf, "[  (null)]");
	assert_int_equal(os_snprintf(buf, sizeof(buf), "%.4s|", raw), 5);
	assert_string_equal(buf, "wxyz|");
	assert_int_equal(os_snprintf(buf, sizeof(buf), "%.2s", raw), 2);
	assert_string_equal(buf, "wx");
}

static void test_pointer(void **state)
{
	int x;
	void *volatile nul = NULL;
	char buf[64];

	CHECK("%p", (void *)&x);
	CHECK("[%20p][%-20p]", (void *)&x, (void *)&x);
	CHECK("%p", (void *)(uintptr_t)0x1000);
	/* glibc prints "(nil)" for NULL; so do we, width included. */
	CHECK("%p|%8p|%-8p|", nul, nul, nul);
	assert_int_equal(os_snprintf(buf, sizeof(buf), "%p", nul), 5);
	assert_string_equal(buf, "(nil)");
}

static void test_star_width_precision(void **state)
{
	CHECK("[%*d][%-*d][%*d]", 5, 42, 5, 42, -5, 42);
	CHECK("[%.*d][%.*d][%*.*x]", 4, 7, -3, 7, 8, 4, 0xab);
	CHECK("[%0*d]", 6, -12);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
static int fmt_nonliteral(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = os_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_unknown_conversion(void **state)
{
	char buf[32];

	/* Not in the subset: copied as written, arguments untouched. */
	assert_int_equal(fmt_nonliteral(buf, sizeof(buf), "a%qb%d", 5), 5);
	assert_string_equal(buf, "a%qb5");
	assert_int_equal(fmt_nonliteral(buf, sizeof(buf), "x%-5.2"), 6);
	assert_string_equal(buf, "x%-5.2");
	assert_int_equal(fmt_nonliteral(buf, sizeof(buf), "end%"), 4);
	assert_string_equal(buf, "end%");
}

/*
 * Random specifications against the C library's vsnprintf: flags, width,
 * precision, every length modifier, every integer conversion.
 */
static int ref_and_ours(char *want, char *got, size_t size, const char *fmt,
			...)
{
	va_list ap, ap2;
	int nw, ng;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	nw = vsnprintf(want, size, fmt, ap);
	ng = os_vsnprintf(got, size, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	assert_int_equal(ng, nw);
	return nw;
}
#pragma GCC diagnostic pop

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static void test_random_specs(void **state)
{
	static const char *const flags[] = { "", "-", "0", "+", " ", "#",
					     "-0", "+0", "#0", "-#", "- +" };
	static const char *const lens[] = { "", "hh", "h", "l", "ll", "z",
					    "j", "t" };
	static const char convs[] = "diuxXo";

	for (int iter = 0; iter < 20000; iter++) {
		char fmt[48], want[128], got[128];
		const char *len = lens[rng() % OS_ARRAY_SIZE(lens)];
		char conv = convs[rng() % (sizeof(convs) - 1)];
		uint64_t v = rng();
		size_t size = (size_t)(rng() % 40);
		int n, w = (int)(rng() % 25) - 2, prec = (int)(rng() % 25) - 3;
		int pos = 0;

		if (rng() & 1)
			v >>= rng() % 64;
		pos += snprintf(fmt + pos, sizeof(fmt) - (size_t)pos, "<%%%s",
				flags[rng() % OS_ARRAY_SIZE(flags)]);
		if (w >= 0)
			pos += snprintf(fmt + pos, sizeof(fmt) - (size_t)pos,
					"%d", w);
		if (prec >= 0)
			pos += snprintf(fmt + pos, sizeof(fmt) - (size_t)pos,
					".%d", prec);
		snprintf(fmt + pos, sizeof(fmt) - (size_t)pos, "%s%c>", len,
			 conv);

		memset(want, 'X', sizeof(want));
		memset(got, 'X', sizeof(got));
		/* Pass the type the length modifier names (after promotion). */
		if (!strcmp(len, "l"))
			n = ref_and_ours(want, got, size, fmt, (long)v);
		else if (!strcmp(len, "ll"))
			n = ref_and_ours(want, got, size, fmt, (long long)v);
		else if (!strcmp(len, "z"))
			n = ref_and_ours(want, got, size, fmt, (size_t)v);
		else if (!strcmp(len, "j"))
			n = ref_and_ours(want, got, size, fmt, (intmax_t)v);
		else if (!strcmp(len, "t"))
			n = ref_and_ours(want, got, size, fmt, (ptrdiff_t)v);
		else
			n = ref_and_ours(want, got, size, fmt, (int)v);
		assert_true(n > 0);
		if (memcmp(want, got, sizeof(want))) {
			print_error("format \"%s\" size %zu: want \"%.*s\" got \"%.*s\"\n",
				    fmt, size, (int)size, want, (int)size, got);
			fail();
		}
	}
}

static void test_long_output(void **state)
{
	char big[300];
	char want[300];
	/* Hidden from gcc, which rejects a constant total past INT_MAX. */
	volatile int wmax = __INT_MAX__;

	/* Width beyond the buffer: truncated, full length returned. */
	assert_int_equal(os_snprintf(big, 10, "%200d", 1), 200);
	assert_string_equal(big, "         ");
	assert_int_equal(os_snprintf(big, sizeof(big), "%-250s|", "z"), 251);
	snprintf(want, sizeof(want), "%-250s|", "z");
	assert_string_equal(big, want);
	/* The widest width, padding far past the buffer: counted, not
	 * written (and quickly: this would take seconds byte by byte). */
	assert_int_equal(os_snprintf(big, 8, "%*d|%-*s|", __INT_MAX__ / 2, 1,
				     __INT_MAX__ / 4, "x"),
			 __INT_MAX__ / 2 + __INT_MAX__ / 4 + 2);
	assert_string_equal(big, "       ");
	/* A total past INT_MAX cannot be returned: -EOVERFLOW. */
	assert_int_equal(os_snprintf(big, sizeof(big), "%*d%*d", wmax, 1, wmax, 2),
			 -EOVERFLOW);
	assert_int_equal(big[sizeof(big) - 1], '\0');
}

/* ---- os_parse_u64 ------------------------------------------------------ */

static void test_parse_ok(void **state)
{
	uint64_t v = 0;

	assert_int_equal(os_parse_u64("0", 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(os_parse_u64("123", 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(os_parse_u64("0x1f", 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(os_parse_u64("0XaBc", 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, 0xabc);
	/* Base 0 is decimal unless 0x: a leading zero is not octal. */
	assert_int_equal(os_parse_u64("010", 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(os_parse_u64("ff", 16, UINT64_MAX, &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(os_parse_u64("0xff", 16, UINT64_MAX, &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(os_parse_u64("777", 8, UINT64_MAX, &v), 0);
	assert_int_equal(v, 0777);
	assert_int_equal(os_parse_u64("1011", 2, UINT64_MAX, &v), 0);
	assert_int_equal(v, 11);
	assert_int_equal(os_parse_u64("zz", 36, UINT64_MAX, &v), 0);
	assert_int_equal(v, 35 * 36 + 35);
	assert_int_equal(os_parse_u64("18446744073709551615", 10, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(os_parse_u64("0xffffffffffffffff", 0, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(os_parse_u64("255", 10, 255, &v), 0);
	assert_int_equal(v, 255);
	/* A NULL @out only validates. */
	assert_int_equal(os_parse_u64("42", 10, 100, NULL), 0);
}

static void test_parse_errors(void **state)
{
	uint64_t v = 0x5a5a;

	assert_int_equal(os_parse_u64("", 0, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64("0x", 0, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64("12a", 10, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64(" 1", 10, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64("1 ", 10, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64("-1", 10, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64("+1", 10, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64("0x10", 10, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64("8", 8, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64("2", 2, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64("0xg", 0, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64(NULL, 0, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64("1", 1, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(os_parse_u64("1", 37, UINT64_MAX, &v), -EINVAL);
	/* Range: above @max, and above 2^64 - 1. */
	assert_int_equal(os_parse_u64("256", 10, 255, &v), -ERANGE);
	assert_int_equal(os_parse_u64("0x100", 0, 0xff, &v), -ERANGE);
	assert_int_equal(os_parse_u64("1", 10, 0, &v), -ERANGE);
	assert_int_equal(os_parse_u64("18446744073709551616", 10, UINT64_MAX, &v),
			 -ERANGE);
	assert_int_equal(os_parse_u64("0x10000000000000000", 0, UINT64_MAX, &v),
			 -ERANGE);
	assert_int_equal(os_parse_u64("99999999999999999999999999", 0, UINT64_MAX, &v),
			 -ERANGE);
	/* Junk wins over range, even after the value overflowed. */
	assert_int_equal(os_parse_u64("99999999999999999999999x", 0, UINT64_MAX, &v),
			 -EINVAL);
	/* @out is left alone on every error. */
	assert_int_equal(v, 0x5a5a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_percent),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_char),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_string_null_and_unterminated),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_star_width_precision),
		cmocka_unit_test(test_unknown_conversion),
		cmocka_unit_test(test_random_specs),
		cmocka_unit_test(test_long_output),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
