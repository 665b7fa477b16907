// SPDX-License-Identifier: MIT
/*
 * Unit tests of os/string.c, the freestanding build's string functions.
 * The production file is compiled into this test unchanged, its functions
 * renamed (t_memcpy, ...) so they sit beside the C library's, which serve
 * as the reference: every alignment and length combination, overlap in
 * both directions, sign of comparisons, NUL handling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <vscmi/os.h>

#define memcpy t_memcpy
#define memmove t_memmove
#define memset t_memset
#define memcmp t_memcmp
#define strlen t_strlen
#define strnlen t_strnlen
#define strcmp t_strcmp
#define strncmp t_strncmp
#define strchr t_strchr
void *t_memcpy(void *dst, const void *src, size_t n);
void *t_memmove(void *dst, const void *src, size_t n);
void *t_memset(void *dst, int c, size_t n);
int t_memcmp(const void *a, const void *b, size_t n);
size_t t_strlen(const char *s);
size_t t_strnlen(const char *s, size_t max);
int t_strcmp(const char *a, const char *b);
int t_strncmp(const char *a, const char *b, size_t n);
char *t_strchr(const char *s, int c);
#include "os/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr

#define BUF 96

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static void test_memcpy_memset(void **state)
{
	_Alignas(16) unsigned char src[BUF], a[BUF], b[BUF];

	fill_pattern(src, BUF, 1);
	for (size_t so = 0; so < 9; so++)
		for (size_t doff = 0; doff < 9; doff++)
			for (size_t n = 0; n + so < BUF - 8 && n + doff < BUF - 8; n += 1 + n / 8) {
				memset(a, 0x11, BUF);
				memset(b, 0x11, BUF);
				assert_ptr_equal(t_memcpy(a + doff, src + so, n), a + doff);
				memcpy(b + doff, src + so, n);
				assert_memory_equal(a, b, BUF);
			}
	for (size_t off = 0; off < 9; off++)
		for (size_t n = 0; n + off < BUF; n++) {
			memset(a, 0x22, BUF);
			memset(b, 0x22, BUF);
			assert_ptr_equal(t_memset(a + off, 0x1ab, n), a + off);
			memset(b + off, 0x1ab, n);	/* converted to 0xab */
			assert_memory_equal(a, b, BUF);
		}
}

static void test_memmove_overlap(void **state)
{
	unsigned char a[BUF], b[BUF];

	for (size_t from = 0; from < 24; from++)
		for (size_t to = 0; to < 24; to++)
			for (size_t n = 0; n + OS_MAX(from, to) <= BUF; n += 3) {
				fill_pattern(a, BUF, (unsigned)(from + to));
				fill_pattern(b, BUF, (unsigned)(from + to));
				assert_ptr_equal(t_memmove(a + to, a + from, n), a + to);
				memmove(b + to, b + from, n);
				assert_memory_equal(a, b, BUF);
			}
}

static void test_memcmp(void **state)
{
	unsigned char a[32], b[32];

	fill_pattern(a, sizeof(a), 3);
	memcpy(b, a, sizeof(b));
	assert_int_equal(t_memcmp(a, b, sizeof(a)), 0);
	assert_int_equal(t_memcmp(a, b, 0), 0);
	for (size_t i = 0; i < sizeof(a); i++) {
		b[i] = (unsigned char)(a[i] + 0x80);	/* compares unsigned */
		assert_int_equal(sign(t_memcmp(a, b, sizeof(a))),
				 sign(memcmp(a, b, sizeof(a))));
		assert_int_equal(sign(t_memcmp(b, a, sizeof(a))),
				 sign(memcmp(b, a, sizeof(a))));
		assert_int_equal(t_memcmp(a, b, i), 0);
		b[i] = a[i];
	}
}

static void test_strings(void **state)
{
	static const char *const s[] = { "", "a", "ab", "abc", "abd", "b",
					 "\xff", "a\xff", "abcdefgh", "abcdefg" };
	char raw[4] = { 'x', 'y', 'z', 'w' };	/* no NUL */

	for (size_t i = 0; i < OS_ARRAY_SIZE(s); i++) {
		assert_int_equal(t_strlen(s[i]), strlen(s[i]));
		for (size_t m = 0; m < 10; m++)
			assert_int_equal(t_strnlen(s[i], m), strnlen(s[i], m));
		for (size_t j = 0; j < OS_ARRAY_SIZE(s); j++) {
			assert_int_equal(sign(t_strcmp(s[i], s[j])),
					 sign(strcmp(s[i], s[j])));
			for (size_t n = 0; n < 10; n++)
				assert_int_equal(sign(t_strncmp(s[i], s[j], n)),
						 sign(strncmp(s[i], s[j], n)));
		}
	}
	/* strnlen stops at max without reading further (ASan checks). */
	assert_int_equal(t_strnlen(raw, sizeof(raw)), 4);
	assert_int_equal(t_strncmp(raw, "xyzq", 3), 0);
}

static void test_strchr(void **state)
{
	const char *s = "hello, world";

	assert_ptr_equal(t_strchr(s, 'h'), s);
	assert_ptr_equal(t_strchr(s, 'o'), s + 4);
	assert_ptr_equal(t_strchr(s, 'd'), s + 11);
	assert_null(t_strchr(s, 'z'));
	assert_ptr_equal(t_strchr(s, '\0'), s + 12);
	/* c is converted to char: 'o' + 256 still finds 'o'. */
	assert_ptr_equal(t_strchr(s, 'o' + 256), s + 4);
	assert_ptr_equal(t_strchr("", '\0'), t_strchr("", 0));
	assert_null(t_strchr("", 'a'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy_memset),
		cmocka_unit_test(test_memmove_overlap),
		cmocka_unit_test(test_memcmp),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_strchr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
