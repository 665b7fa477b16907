// SPDX-License-Identifier: MIT
/*
 * The C library string functions the freestanding build needs: the ones
 * os.h declares, plus what gcc itself may call (memcpy, memmove, memset,
 * memcmp for struct copies and clears).
 *
 * Built with -fno-builtin -fno-tree-loop-distribute-patterns (string-cflags
 * in os/build.mk): otherwise gcc recognises the byte loops below as memcpy
 * or memset and compiles them into calls to themselves.
 *
 * memcpy and memset move machine words when the pointers allow it; the
 * rest are plain byte loops, which is all the small strings here need.
 */
#include <vscmi/os.h>

typedef uintptr_t word_t;
#define WORD_SIZE sizeof(word_t)

static inline bool both_aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD_SIZE - 1)) == 0;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (both_aligned(d, s)) {
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			*(word_t *)(void *)d = *(const word_t *)(const void *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	/* Compare as integers: the pointers may be in different objects. */
	if ((uintptr_t)d < (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n) {
		while (n--)
			*d++ = *s++;
	} else {
		/* dst overlaps the tail of src: copy backwards. */
		d += n;
		s += n;
		while (n--)
			*--d = *--s;
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char b = (unsigned char)c;

	if (n >= WORD_SIZE) {
		word_t w = (word_t)-1 / 0xff * b;	/* b in every byte */

		for (; n && ((uintptr_t)d & (WORD_SIZE - 1)); n--)
			*d++ = b;
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			*(word_t *)(void *)d = w;
			d += WORD_SIZE;
		}
	}
	while (n--)
		*d++ = b;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x < *y ? -1 : *x > *y;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
		if (!*x)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	char ch = (char)c;

	/* The terminating NUL counts: strchr(s, 0) finds the end. */
	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
