// SPDX-License-Identifier: MIT
/*
 * The OS layer for bare-metal and RTOS guests: one CPU, no threads, no C
 * library. Everything the platform must provide is the five
 * vscmi_plat_*() hooks declared at the end of include/vscmi/os.h.
 *
 * Theory of operation: nothing here ever blocks. A wait (a completion, a
 * sleep, a work flush) is a loop around os_poll_hook(), which runs the
 * deferred work queued so far and then vscmi_plat_poll(), where the
 * platform delivers event-channel upcalls; those upcalls complete
 * completions or queue more work, and the loop notices. Time comes from
 * vscmi_plat_now_ns(), so every wait with a timeout ends.
 *
 * With one CPU and no preemption, a lock that is already held when someone
 * takes it can only mean the holder is further up the same call stack, and
 * waiting for it would hang forever. A mutex, unlike a spinlock, may be
 * held across a wait, and a wait runs deferred work, which on posix would
 * simply block on that mutex in its own thread until the holder is done
 * (a xenstore watch callback while a request waits for its reply, say).
 * Here the equivalent is not to start deferred work at all while any mutex
 * is held: os_poll_hook() then only polls the platform, whose upcalls
 * (replies, completions) still arrive, and the work runs at the first poll
 * after the last mutex is released. What remains, a lock taken again
 * further down its holder's own stack, is a bug: logged, and the caller
 * goes on rather than hang (mutexes count their holders).
 *
 * Deferred work may itself wait, so os_poll_hook() nests, up to
 * OS_POLL_MAX_DEPTH levels; deeper it only polls the platform. A work item
 * is never run inside itself: one queued again while it runs waits for the
 * next poll after it returns, as on the posix worker thread.
 *
 * Upcalls must be delivered from vscmi_plat_poll(), not from an interrupt
 * handler: there is no interrupt masking here.
 *
 * Memory: os_zalloc() uses the first-fit heap in os/heap.c on arenas of
 * OS_HEAP_ARENA_PAGES pages from vscmi_plat_alloc_pages(); os_alloc_pages()
 * goes to the platform directly.
 */
#include <vscmi/os.h>

#include "os/heap.h"

#define OS_HEAP_ARENA_PAGES 4
#define OS_POLL_MAX_DEPTH 4
#define OS_WORK_NEST_MAX 16
#define OS_LOG_LINE_MAX 256

/* ---- memory ---------------------------------------------------------- */

/* heap_lock protects heap (against re-entry, which would be a bug). */
static os_spinlock_t heap_lock = OS_SPINLOCK_INIT;
static struct os_heap heap = {
	.alloc_pages = vscmi_plat_alloc_pages,
	.free_pages = vscmi_plat_free_pages,
	.arena_pages = OS_HEAP_ARENA_PAGES,
};
/* Most bytes in use at once (protected by heap_lock, as heap). */
static size_t heap_peak;

void *os_zalloc(size_t size)
{
	void *p;

	os_spin_lock(&heap_lock);
	p = os_heap_alloc(&heap, size ? size : 1);
	heap_peak = OS_MAX(heap_peak, heap.st.used_bytes + heap.st.large_pages * OS_PAGE_SIZE);
	os_spin_unlock(&heap_lock);
	if (p)
		memset(p, 0, size);
	return p;
}

void os_heap_usage(struct os_heap_stats *st, size_t *peak_bytes)
{
	os_spin_lock(&heap_lock);
	*st = heap.st;
	*peak_bytes = heap_peak;
	os_spin_unlock(&heap_lock);
}

void *os_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return os_zalloc(n * size);
}

void os_free(void *p)
{
	if (!p)
		return;
	os_spin_lock(&heap_lock);
	os_heap_free(&heap, p);
	os_spin_unlock(&heap_lock);
}

void *os_alloc_pages(size_t npages)
{
	void *p;

	if (!npages || npages > SIZE_MAX / OS_PAGE_SIZE)
		return NULL;
	p = vscmi_plat_alloc_pages(npages);
	if (p)
		memset(p, 0, npages * OS_PAGE_SIZE);
	return p;
}

void os_free_pages(void *p, size_t npages)
{
	if (p)
		vscmi_plat_free_pages(p, npages);
}

/* ---- locks ------------------------------------------------------------- */

void os_spin_init(os_spinlock_t *l)
{
	atomic_flag_clear(&l->flag);
}

void os_spin_lock(os_spinlock_t *l)
{
	/*
	 * One CPU: if it is held, the holder is below us on this stack and
	 * will never run again until we return. Say so and carry on.
	 */
	if (atomic_flag_test_and_set_explicit(&l->flag, memory_order_acquire)) {
		os_err("os: spinlock %p taken recursively (bug); not spinning",
		       (void *)l);
	}
}

void os_spin_unlock(os_spinlock_t *l)
{
	/* The critical section's stores are visible before the lock is free. */
	atomic_flag_clear_explicit(&l->flag, memory_order_release);
}

/* Mutexes held right now, all together: deferred work waits for 0. */
static unsigned mutexes_held;

void os_mutex_init(struct os_mutex *m)
{
	m->held = 0;
}

void os_mutex_destroy(struct os_mutex *m)
{
	if (m->held)
		os_warn("os: mutex %p destroyed while held", (void *)m);
}

void os_mutex_lock(struct os_mutex *m)
{
	if (m->held) {
		/* Its holder is further up this stack (see top): a bug. */
		os_err("os: mutex %p taken recursively (bug); not waiting",
		       (void *)m);
	}
	m->held++;
	mutexes_held++;
}

void os_mutex_unlock(struct os_mutex *m)
{
	if (!m->held) {
		os_err("os: mutex %p unlocked but not held", (void *)m);
		return;
	}
	m->held--;
	mutexes_held--;
}

/* ---- time -------------------------------------------------------------- */

uint64_t os_now_ns(void)
{
	return vscmi_plat_now_ns();
}

/* now + @ns, saturating so a huge timeout means "forever", not "now". */
static uint64_t deadline_after(uint64_t ns)
{
	uint64_t now = os_now_ns();

	return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

void os_sleep_ns(uint64_t ns)
{
	uint64_t deadline = deadline_after(ns);

	do {
		os_poll_hook();
		os_cpu_relax();
	} while (os_now_ns() < deadline);
}

/* ---- completions ------------------------------------------------------- */

void os_completion_init(struct os_completion *c)
{
	atomic_init(&c->done, 0);
}

void os_completion_destroy(struct os_completion *c)
{
}

void os_completion_reinit(struct os_completion *c)
{
	atomic_store(&c->done, 0);
}

void os_complete(struct os_completion *c)
{
	/* The completer's stores are visible before the waiter sees done. */
	atomic_store_explicit(&c->done, 1, memory_order_release);
}

bool os_completion_done(struct os_completion *c)
{
	return atomic_load_explicit(&c->done, memory_order_acquire) != 0;
}

int os_completion_wait(struct os_completion *c, uint64_t timeout_ns)
{
	uint64_t deadline;

	if (os_completion_done(c))
		return 0;
	deadline = deadline_after(timeout_ns);
	for (;;) {
		os_poll_hook();
		if (os_completion_done(c))
			return 0;
		if (os_now_ns() >= deadline)
			return -ETIMEDOUT;
		os_cpu_relax();
	}
}

/* ---- deferred work ----------------------------------------------------- */

/*
 * A FIFO of queued items. wq_lock protects head, tail, every queued item's
 * next pointer and the state transitions (only against re-entry: there is
 * one CPU). poll_depth counts os_poll_hook() frames on the stack.
 */
static os_spinlock_t wq_lock = OS_SPINLOCK_INIT;
static struct os_work *wq_head, *wq_tail;
static unsigned poll_depth;
/* The items whose fn() is on the stack now, innermost last. */
static struct os_work *wq_running[OS_WORK_NEST_MAX];
static unsigned wq_nrunning;

static bool wq_is_running(const struct os_work *w)
{
	for (unsigned i = 0; i < wq_nrunning; i++)
		if (wq_running[i] == w)
			return true;
	return false;
}

void os_work_init(struct os_work *w, os_work_fn fn)
{
	w->fn = fn;
	w->next = NULL;
	atomic_init(&w->state, OS_WORK_IDLE);
}

bool os_work_queue(struct os_work *w)
{
	bool queued = false;

	os_spin_lock(&wq_lock);
	if (atomic_load(&w->state) != OS_WORK_QUEUED) {
		/* A running item may be queued again: it runs once more. */
		atomic_store(&w->state, OS_WORK_QUEUED);
		w->next = NULL;
		if (wq_tail)
			wq_tail->next = w;
		else
			wq_head = w;
		wq_tail = w;
		queued = true;
	}
	os_spin_unlock(&wq_lock);
	return queued;
}

/* Take @w off the queue if it is on it. Called with wq_lock held. */
static bool wq_unlink_locked(struct os_work *w)
{
	struct os_work **pp, *prev = NULL;

	for (pp = &wq_head; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			if (wq_tail == w)
				wq_tail = prev;
			w->next = NULL;
			return true;
		}
	}
	return false;
}

/*
 * Run @w, which the caller took off the queue. Called without wq_lock. If
 * @w is already running further up the stack (it queued itself and then
 * waited), put it back at the tail instead and return false: it runs
 * after it returns.
 */
static bool wq_run(struct os_work *w)
{
	if (wq_is_running(w) || wq_nrunning == OS_WORK_NEST_MAX) {
		atomic_store(&w->state, OS_WORK_IDLE);
		os_work_queue(w);
		return false;
	}
	wq_running[wq_nrunning++] = w;
	atomic_store(&w->state, OS_WORK_RUNNING);
	w->fn(w);
	wq_nrunning--;
	/* A re-queue during fn() moved it to QUEUED: leave it so. */
	os_spin_lock(&wq_lock);
	if (atomic_load(&w->state) == OS_WORK_RUNNING)
		atomic_store(&w->state, OS_WORK_IDLE);
	os_spin_unlock(&wq_lock);
	return true;
}

/* Pop the oldest item, or NULL. */
static struct os_work *wq_pop(void)
{
	struct os_work *w;

	os_spin_lock(&wq_lock);
	w = wq_head;
	if (w) {
		wq_head = w->next;
		if (!wq_head)
			wq_tail = NULL;
		w->next = NULL;
	}
	os_spin_unlock(&wq_lock);
	return w;
}

void os_poll_hook(void)
{
	/* No work under a mutex: its holder is waiting (see top). */
	if (poll_depth < OS_POLL_MAX_DEPTH && !mutexes_held) {
		struct os_work *w;
		size_t n = 0;

		poll_depth++;
		/*
		 * Run as many items as were queued on entry, not what those
		 * items queue: one that re-queues itself must not starve the
		 * platform poll below.
		 */
		os_spin_lock(&wq_lock);
		for (w = wq_head; w; w = w->next)
			n++;
		os_spin_unlock(&wq_lock);
		while (n-- && (w = wq_pop()) != NULL)
			wq_run(w);
		poll_depth--;
	}
	vscmi_plat_poll();
}

void os_work_flush(struct os_work *w)
{
	for (;;) {
		int state = atomic_load(&w->state);

		if (state == OS_WORK_IDLE)
			return;
		if (state == OS_WORK_RUNNING || wq_is_running(w)) {
			/* Only we can be running it: we are inside it. */
			os_err("os: work %p flushed from inside itself", (void *)w);
			return;
		}
		/* Queued: run it now rather than wait for its turn. */
		os_spin_lock(&wq_lock);
		bool mine = wq_unlink_locked(w);
		os_spin_unlock(&wq_lock);
		if (!mine) {
			os_err("os: work %p marked queued but not queued", (void *)w);
			return;
		}
		if (!wq_run(w)) {
			os_err("os: work %p nested too deep to flush", (void *)w);
			return;
		}
	}
}

void os_work_cancel_sync(struct os_work *w)
{
	os_spin_lock(&wq_lock);
	if (atomic_load(&w->state) == OS_WORK_QUEUED) {
		wq_unlink_locked(w);
		atomic_store(&w->state, OS_WORK_IDLE);
	}
	os_spin_unlock(&wq_lock);
	/* Running means it is further up our own stack: cannot wait. */
	if (wq_is_running(w))
		os_warn("os: work %p cancelled from inside itself", (void *)w);
}

/* ---- logging ----------------------------------------------------------- */

static int log_level = CONFIG_LOG_LEVEL;
static os_log_sink log_sink;

enum os_log_level os_log_set_level(enum os_log_level level)
{
	enum os_log_level old = (enum os_log_level)log_level;

	log_level = (int)level;
	return old;
}

void os_log_set_sink(os_log_sink sink)
{
	log_sink = sink;
}

void os_vlog(enum os_log_level level, const char *fmt, va_list ap)
{
	static const char *const tag[] = { "error", "warning", "info", "debug" };
	char line[OS_LOG_LINE_MAX];
	int n, m;

	if ((int)level > log_level)
		return;
	if (log_sink) {
		os_vsnprintf(line, sizeof(line), fmt, ap);
		log_sink(level, line);
		return;
	}
	n = os_snprintf(line, sizeof(line), "vscmi: %s: ", tag[level & 3]);
	m = os_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m < 0 || (size_t)m > sizeof(line) - 1 - (size_t)n) {
		/* Truncated: end with an ellipsis so it shows. */
		n = (int)sizeof(line) - 1;
		memcpy(line + n - 3, "...", 3);
	} else {
		n += m;
	}
	line[n] = '\n';
	vscmi_plat_console_write(line, (size_t)n + 1);
}

void os_log(enum os_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	os_vlog(level, fmt, ap);
	va_end(ap);
}
