/* SPDX-License-Identifier: MIT */
/*
 * The OS layer: the only services the portable vscmi code (virtio-core,
 * xen-frontend, the SCMI agent) may use. Two implementations, chosen at link
 * time: os/os_posix.c (threads) and os/os_freestanding.c (one CPU, polling,
 * no libc). Everything here is safe to call from any thread of the posix
 * build; the freestanding build has no threads and never blocks except by
 * polling (os_poll_hook()).
 *
 * Errors are negative errno values (include/vscmi/errno.h) everywhere.
 */
#ifndef VSCMI_OS_H
#define VSCMI_OS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>

#include <vscmi/errno.h>

#if __STDC_HOSTED__
#include <string.h>
#include <pthread.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

#define OS_PAGE_SIZE 4096u
#define OS_PAGE_SHIFT 12

#define OS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define OS_MIN(a, b) ((a) < (b) ? (a) : (b))
#define OS_MAX(a, b) ((a) > (b) ? (a) : (b))
#define OS_DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define OS_ALIGN_UP(n, a) (((n) + (a) - 1) & ~((__typeof__(n))(a) - 1))
#define os_container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#define os_likely(x) __builtin_expect(!!(x), 1)
#define os_unlikely(x) __builtin_expect(!!(x), 0)
#define OS_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* ---- memory ---------------------------------------------------------- */

/** Allocate @size bytes, zeroed. NULL on failure. */
void *os_zalloc(size_t size);
/** Allocate @n * @size bytes, zeroed; NULL on failure or overflow. */
void *os_calloc(size_t n, size_t size);
/** Free memory from os_zalloc/os_calloc; NULL is fine. */
void os_free(void *p);
/** Allocate @npages page-aligned zeroed pages (private memory). */
void *os_alloc_pages(size_t npages);
/** Free pages from os_alloc_pages. */
void os_free_pages(void *p, size_t npages);

/* ---- barriers (who sees what before what: say so at each call site) --- */

/** Full barrier: loads and stores before it are visible before any after. */
#define os_mb() atomic_thread_fence(memory_order_seq_cst)
/** Read barrier: loads before it complete before loads after it. */
#define os_rmb() atomic_thread_fence(memory_order_acquire)
/** Write barrier: stores before it are visible before stores after it. */
#define os_wmb() atomic_thread_fence(memory_order_release)
/** Single load/store the compiler may not tear, merge or repeat. */
#define OS_READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define OS_WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/* ---- locks ------------------------------------------------------------- */

/** Spinlock: short critical sections, never held across a sleep. */
typedef struct os_spinlock {
	atomic_flag flag;
} os_spinlock_t;
#define OS_SPINLOCK_INIT { ATOMIC_FLAG_INIT }
void os_spin_init(os_spinlock_t *l);
void os_spin_lock(os_spinlock_t *l);
void os_spin_unlock(os_spinlock_t *l);

/** Mutex: may be held across a sleep. */
struct os_mutex {
#if __STDC_HOSTED__
	pthread_mutex_t m;
#else
	int held;
#endif
};
void os_mutex_init(struct os_mutex *m);
void os_mutex_destroy(struct os_mutex *m);
void os_mutex_lock(struct os_mutex *m);
void os_mutex_unlock(struct os_mutex *m);

/* ---- completions ------------------------------------------------------- */

/**
 * A one-shot event a thread can wait for with a timeout. os_complete() may
 * be called before the wait; os_completion_reinit() rearms it.
 */
struct os_completion {
	atomic_uint done;
#if __STDC_HOSTED__
	pthread_mutex_t m;
	pthread_cond_t cv;
#endif
};
void os_completion_init(struct os_completion *c);
void os_completion_destroy(struct os_completion *c);
void os_completion_reinit(struct os_completion *c);
/** Signal the completion; wakes every waiter. */
void os_complete(struct os_completion *c);
/** True once os_complete() was called (and not rearmed since). */
bool os_completion_done(struct os_completion *c);
/**
 * Wait until completed or @timeout_ns passed; 0 or -ETIMEDOUT. The
 * freestanding build polls, calling os_poll_hook() while it waits.
 */
int os_completion_wait(struct os_completion *c, uint64_t timeout_ns);

/* ---- time -------------------------------------------------------------- */

/** Monotonic time in nanoseconds. */
uint64_t os_now_ns(void);
/** Sleep (posix) or busy-wait calling os_poll_hook() (freestanding). */
void os_sleep_ns(uint64_t ns);
/** Spin-wait hint for polling loops. */
static inline void os_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}
#define OS_NSEC_PER_MSEC 1000000ull
#define OS_NSEC_PER_SEC 1000000000ull

/* ---- deferred work ----------------------------------------------------- */

struct os_work;
typedef void (*os_work_fn)(struct os_work *w);

/**
 * A function to run later, outside the caller's context (a worker thread on
 * posix; the next os_poll_hook() on freestanding). Queuing an already
 * queued item does nothing.
 */
struct os_work {
	os_work_fn fn;
	struct os_work *next;	/* protected by the work queue's lock */
	atomic_int state;	/* OS_WORK_IDLE / QUEUED / RUNNING */
};
enum { OS_WORK_IDLE, OS_WORK_QUEUED, OS_WORK_RUNNING };
void os_work_init(struct os_work *w, os_work_fn fn);
/** Queue @w; returns false if it was already queued. */
bool os_work_queue(struct os_work *w);
/** Wait until @w is neither queued nor running. Must not be called from @w. */
void os_work_flush(struct os_work *w);
/** Dequeue @w if queued, then wait for a running instance to finish. */
void os_work_cancel_sync(struct os_work *w);

/**
 * Freestanding only: run queued work and the platform's event polling.
 * Called from every wait loop. The posix build makes it a no-op.
 */
void os_poll_hook(void);

/* ---- logging ----------------------------------------------------------- */

enum os_log_level { OS_LOG_ERR, OS_LOG_WARN, OS_LOG_INFO, OS_LOG_DEBUG };

/** Log one line (no trailing newline needed) if @level is enabled. */
void os_log(enum os_log_level level, const char *fmt, ...) OS_PRINTF(2, 3);
void os_vlog(enum os_log_level level, const char *fmt, va_list ap) OS_PRINTF(2, 0);
/** Change the run-time log level; returns the previous one. */
enum os_log_level os_log_set_level(enum os_log_level level);
/** Where log lines go (default stderr / the platform console). */
typedef void (*os_log_sink)(enum os_log_level level, const char *line);
void os_log_set_sink(os_log_sink sink);

#define os_err(...) os_log(OS_LOG_ERR, __VA_ARGS__)
#define os_warn(...) os_log(OS_LOG_WARN, __VA_ARGS__)
#define os_info(...) os_log(OS_LOG_INFO, __VA_ARGS__)
#define os_dbg(...) os_log(OS_LOG_DEBUG, __VA_ARGS__)

/* ---- formatting and parsing (same code in both builds: os/fmt.c) -------- */

/**
 * snprintf subset: %d %i %u %x %X %o %c %s %p %%, with l/ll/z/h/hh length
 * modifiers, '-' '0' flags, width and precision. Returns the length the
 * full output would have, like C99 snprintf.
 */
int os_snprintf(char *buf, size_t size, const char *fmt, ...) OS_PRINTF(3, 4);
int os_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/**
 * Parse an unsigned integer in @base (0: 0x.. hex, else decimal) from the
 * whole of @s; -EINVAL on junk or empty, -ERANGE above @max.
 */
int os_parse_u64(const char *s, unsigned base, uint64_t max, uint64_t *out);

/* ---- platform hooks the freestanding build leaves to its environment --- */
#if !__STDC_HOSTED__
/** Write @len bytes of console output. */
void vscmi_plat_console_write(const char *s, size_t len);
/** Monotonic nanoseconds from the platform timer. */
uint64_t vscmi_plat_now_ns(void);
/** Poll the platform's pending events (event-channel upcalls). */
void vscmi_plat_poll(void);
/** The platform's page allocator (may return NULL). */
void *vscmi_plat_alloc_pages(size_t npages);
void vscmi_plat_free_pages(void *p, size_t npages);
#endif

#endif /* VSCMI_OS_H */
