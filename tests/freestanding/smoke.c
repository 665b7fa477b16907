// SPDX-License-Identifier: MIT
/*
 * A freestanding smoke test: the arm64_defconfig objects of the OS layer
 * (os_freestanding, heap, fmt, string), exactly as they go into
 * libvscmi.a, linked with -nostdlib into a static aarch64 Linux program
 * and run under qemu-aarch64 (tests/integration/freestanding_smoke.sh).
 * No C library at all: _start below calls main() and exits through a
 * system call, and the vscmi_plat_*() hooks are a few Linux system calls
 * (write, clock_gettime, mmap, munmap), standing in for a bare-metal
 * kernel's console, timer and page allocator.
 *
 * It checks on real aarch64 code, built -Os -ffreestanding, what the host
 * unit tests check on x86-64: formatting, parsing, the string functions
 * (and that gcc did not compile them into calls to themselves), the heap,
 * completions with a timeout, deferred work run by the poll hook, and
 * logging to the console. Prints "ok NAME" / "not ok NAME" lines.
 */
#include <vscmi/os.h>

int main(void);

/* Entry: no C runtime. The stack is set up by the kernel (qemu). */
__asm__(".text\n"
	".global _start\n"
	"_start:\n"
	"	mov x29, #0\n"
	"	mov x30, #0\n"
	"	bl main\n"
	"	mov x8, #93\n"		/* exit(main()) */
	"	svc #0\n");

/* ---- Linux system calls as the platform -------------------------------- */

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ __volatile__("svc #0"
			     : "+r"(x0)
			     : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			     : "memory");
	return x0;
}

#define SYS_write 64
#define SYS_clock_gettime 113
#define SYS_munmap 215
#define SYS_mmap 222

void vscmi_plat_console_write(const char *s, size_t len)
{
	sys6(SYS_write, 1, (long)s, (long)len, 0, 0, 0);
}

uint64_t vscmi_plat_now_ns(void)
{
	struct { long sec, nsec; } ts;

	sys6(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, (long)&ts, 0, 0, 0, 0);
	return (uint64_t)ts.sec * OS_NSEC_PER_SEC + (uint64_t)ts.nsec;
}

static unsigned plat_polls;
static size_t plat_pages;

void vscmi_plat_poll(void)
{
	plat_polls++;
}

void *vscmi_plat_alloc_pages(size_t npages)
{
	long p = sys6(SYS_mmap, 0, (long)(npages * OS_PAGE_SIZE),
		      3 /* PROT_READ | PROT_WRITE */,
		      0x22 /* MAP_PRIVATE | MAP_ANONYMOUS */, -1, 0);

	if (p < 0 && p > -4096)
		return NULL;
	plat_pages += npages;
	return (void *)p;
}

void vscmi_plat_free_pages(void *p, size_t npages)
{
	plat_pages -= npages;
	sys6(SYS_munmap, (long)p, (long)(npages * OS_PAGE_SIZE), 0, 0, 0, 0);
}

/* ---- reporting ---------------------------------------------------------- */

static int failures;

static void report(const char *name, bool ok, const char *detail)
{
	char line[200];
	int n = os_snprintf(line, sizeof(line), "%s %s%s%s\n", ok ? "ok" : "not ok",
			    name, detail ? " # " : "", detail ? detail : "");

	vscmi_plat_console_write(line, (size_t)OS_MIN(n, (int)sizeof(line) - 1));
	if (!ok)
		failures++;
}

/* ---- the checks -------------------------------------------------------- */

static void check_fmt(void)
{
	static const char want[] =
		"-42|  abc|ff  |18446744073709551615|0x1000|xyz|Q|%";
	char buf[96];
	int n = os_snprintf(buf, sizeof(buf), "%d|%5s|%-4x|%llu|%p|%.3s|%c|%%",
			    -42, "abc", 255u, 18446744073709551615ull,
			    (void *)0x1000, "xyzzy", 'Q');
	bool ok = n == (int)sizeof(want) - 1 && !strcmp(buf, want);

	/* Truncation returns the full length and terminates. */
	n = os_snprintf(buf, 5, "%8.3d|%+i|%#o", 7, 5, 8);
	ok = ok && n == 15 && !strcmp(buf, "    ");
	n = os_snprintf(buf, sizeof(buf), "%8.3d|%+i|%#o|%hhu|%zx|%-6.2s|",
			7, 5, 8, 300, (size_t)0xabc, "hello");
	ok = ok && !strcmp(buf, "     007|+5|010|44|abc|he    |");
	report("fmt_snprintf", ok, ok ? NULL : buf);
}

static void check_parse(void)
{
	uint64_t v = 0;
	bool ok = os_parse_u64("0x1f", 0, UINT64_MAX, &v) == 0 && v == 31 &&
		  os_parse_u64("18446744073709551615", 10, UINT64_MAX, &v) == 0 &&
		  v == UINT64_MAX &&
		  os_parse_u64("18446744073709551616", 10, UINT64_MAX, &v) == -ERANGE &&
		  os_parse_u64("12x", 10, UINT64_MAX, &v) == -EINVAL &&
		  os_parse_u64("300", 10, 255, &v) == -ERANGE;

	report("fmt_parse_u64", ok, NULL);
}

static void check_string(void)
{
	static char a[300], b[300];
	bool ok = true;

	/* Big enough that the word loops and tails all run. */
	memset(a, 0x5a, sizeof(a));
	for (size_t i = 0; i < sizeof(a); i++)
		ok = ok && a[i] == 0x5a;
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (char)i;
	memcpy(a + 3, b + 1, 250);
	ok = ok && !memcmp(a + 3, b + 1, 250) && a[2] == 0x5a && a[253] == 0x5a;
	memmove(b + 10, b, 100);	/* overlapping, backwards */
	ok = ok && b[10] == 0 && b[109] == 99;
	memmove(b, b + 10, 100);	/* overlapping, forwards */
	ok = ok && b[0] == 0 && b[99] == 99;
	ok = ok && strlen("hello") == 5 && strnlen("hello", 3) == 3 &&
	     strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 &&
	     strncmp("abcx", "abcy", 3) == 0 && strchr("hello", 'l') &&
	     *strchr("hello", 'l') == 'l' && !strchr("hello", 'z');
	report("string_functions", ok, NULL);
}

static void check_heap(void)
{
	void *p[64];
	bool ok = true;

	for (size_t round = 0; round < 4; round++) {
		for (size_t i = 0; i < OS_ARRAY_SIZE(p); i++) {
			size_t size = 1 + (i * 97 + round * 13) % 3000;
			unsigned char *q = os_zalloc(size);

			ok = ok && q && ((uintptr_t)q % 16) == 0;
			for (size_t j = 0; ok && j < size; j++)
				ok = q[j] == 0;
			if (q)
				memset(q, 0xee, size);
			p[i] = q;
		}
		for (size_t i = 0; i < OS_ARRAY_SIZE(p); i += 2)
			os_free(p[i]);
		for (size_t i = 1; i < OS_ARRAY_SIZE(p); i += 2)
			os_free(p[i]);
	}
	/* Everything freed: at most the one kept arena (4 pages) remains. */
	ok = ok && plat_pages <= 4;
	void *big = os_zalloc(100000);
	ok = ok && big && plat_pages >= 4 + 25;
	os_free(big);
	ok = ok && plat_pages <= 4;
	report("heap", ok, NULL);
}

static struct os_completion work_done;

static void work_fn(struct os_work *w)
{
	os_complete(&work_done);
}

static void check_completion_and_work(void)
{
	struct os_completion c;
	struct os_work w;
	uint64_t t0 = os_now_ns();
	unsigned polls0 = plat_polls;
	bool ok;

	os_completion_init(&c);
	ok = os_completion_wait(&c, 2 * OS_NSEC_PER_MSEC) == -ETIMEDOUT;
	ok = ok && os_now_ns() - t0 >= 2 * OS_NSEC_PER_MSEC && plat_polls > polls0;
	report("completion_timeout", ok, NULL);

	os_completion_init(&work_done);
	os_work_init(&w, work_fn);
	ok = os_work_queue(&w) && !os_completion_done(&work_done);
	ok = ok && os_completion_wait(&work_done, OS_NSEC_PER_SEC) == 0;
	ok = ok && atomic_load(&w.state) == OS_WORK_IDLE;
	report("deferred_work", ok, NULL);
}

static void check_log(void)
{
	/* The script looks for this exact line on the console. */
	os_info("smoke log %d %s", 42, "line");
	report("log_printed", true, "see the 'vscmi: info:' line");
}

int main(void)
{
	check_fmt();
	check_parse();
	check_string();
	check_heap();
	check_completion_and_work();
	check_log();
	return failures ? 1 : 0;
}
