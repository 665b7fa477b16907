// SPDX-License-Identifier: MIT
/*
 * The OS layer on POSIX threads: libc allocation, pthread mutexes and
 * condition variables, CLOCK_MONOTONIC, and one lazily started worker thread
 * for deferred work.
 */
#include <vscmi/os.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* ---- memory ---------------------------------------------------------- */

void *os_zalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void *os_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void os_free(void *p)
{
	free(p);
}

void *os_alloc_pages(size_t npages)
{
	void *p;

	if (!npages || npages > SIZE_MAX / OS_PAGE_SIZE)
		return NULL;
	p = mmap(NULL, npages * OS_PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void os_free_pages(void *p, size_t npages)
{
	if (p)
		munmap(p, npages * OS_PAGE_SIZE);
}

/* ---- locks ------------------------------------------------------------- */

void os_spin_init(os_spinlock_t *l)
{
	atomic_flag_clear(&l->flag);
}

/* Spins before yielding: past this, the holder was most likely preempted. */
#define OS_SPIN_BEFORE_YIELD 128

void os_spin_lock(os_spinlock_t *l)
{
	unsigned spins = 0;

	while (atomic_flag_test_and_set_explicit(&l->flag, memory_order_acquire)) {
		/*
		 * A thread, unlike a CPU, can be preempted holding the lock:
		 * with more threads than CPUs, spinning out a time slice then
		 * only delays the holder. Let it run.
		 */
		if (++spins < OS_SPIN_BEFORE_YIELD) {
			os_cpu_relax();
		} else {
			sched_yield();
			spins = 0;
		}
	}
}

void os_spin_unlock(os_spinlock_t *l)
{
	atomic_flag_clear_explicit(&l->flag, memory_order_release);
}

void os_mutex_init(struct os_mutex *m)
{
	pthread_mutex_init(&m->m, NULL);
}

void os_mutex_destroy(struct os_mutex *m)
{
	pthread_mutex_destroy(&m->m);
}

void os_mutex_lock(struct os_mutex *m)
{
	pthread_mutex_lock(&m->m);
}

void os_mutex_unlock(struct os_mutex *m)
{
	pthread_mutex_unlock(&m->m);
}

/* ---- completions ------------------------------------------------------- */

void os_completion_init(struct os_completion *c)
{
	pthread_condattr_t attr;

	atomic_init(&c->done, 0);
	pthread_mutex_init(&c->m, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &attr);
	pthread_condattr_destroy(&attr);
}

void os_completion_destroy(struct os_completion *c)
{
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->m);
}

void os_completion_reinit(struct os_completion *c)
{
	pthread_mutex_lock(&c->m);
	atomic_store(&c->done, 0);
	pthread_mutex_unlock(&c->m);
}

void os_complete(struct os_completion *c)
{
	pthread_mutex_lock(&c->m);
	atomic_store(&c->done, 1);
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->m);
}

bool os_completion_done(struct os_completion *c)
{
	return atomic_load(&c->done) != 0;
}

int os_completion_wait(struct os_completion *c, uint64_t timeout_ns)
{
	uint64_t deadline = os_now_ns() + timeout_ns;
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / OS_NSEC_PER_SEC),
		.tv_nsec = (long)(deadline % OS_NSEC_PER_SEC),
	};
	int ret = 0;

	if (atomic_load(&c->done))
		return 0;
	pthread_mutex_lock(&c->m);
	while (!atomic_load(&c->done)) {
		if (pthread_cond_timedwait(&c->cv, &c->m, &ts) == ETIMEDOUT) {
			ret = atomic_load(&c->done) ? 0 : -ETIMEDOUT;
			break;
		}
	}
	pthread_mutex_unlock(&c->m);
	return ret;
}

/* ---- time -------------------------------------------------------------- */

uint64_t os_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * OS_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

void os_sleep_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / OS_NSEC_PER_SEC),
		.tv_nsec = (long)(ns % OS_NSEC_PER_SEC),
	};

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* ---- deferred work ----------------------------------------------------- */

/*
 * One worker thread, started on first use, drains a FIFO of work items.
 * wq.lock protects head/tail, every item's next pointer and the state
 * transitions QUEUED <-> RUNNING <-> IDLE; wq.cv wakes the worker, wq.idle_cv
 * wakes flushers.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	pthread_cond_t idle_cv;
	struct os_work *head, *tail;
	bool started;
} wq = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
	.idle_cv = PTHREAD_COND_INITIALIZER,
};

static void *os_worker(void *arg)
{
	pthread_mutex_lock(&wq.lock);
	for (;;) {
		struct os_work *w;

		while (!wq.head)
			pthread_cond_wait(&wq.cv, &wq.lock);
		w = wq.head;
		wq.head = w->next;
		if (!wq.head)
			wq.tail = NULL;
		w->next = NULL;
		atomic_store(&w->state, OS_WORK_RUNNING);
		pthread_mutex_unlock(&wq.lock);
		w->fn(w);
		pthread_mutex_lock(&wq.lock);
		/* A re-queue during fn() moved it to QUEUED: leave it so. */
		if (atomic_load(&w->state) == OS_WORK_RUNNING)
			atomic_store(&w->state, OS_WORK_IDLE);
		pthread_cond_broadcast(&wq.idle_cv);
	}
	return NULL;
}

void os_work_init(struct os_work *w, os_work_fn fn)
{
	w->fn = fn;
	w->next = NULL;
	atomic_init(&w->state, OS_WORK_IDLE);
}

static void os_work_append_locked(struct os_work *w)
{
	w->next = NULL;
	if (wq.tail)
		wq.tail->next = w;
	else
		wq.head = w;
	wq.tail = w;
}

bool os_work_queue(struct os_work *w)
{
	bool queued = false;

	pthread_mutex_lock(&wq.lock);
	if (!wq.started) {
		pthread_t t;
		pthread_attr_t attr;

		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &attr, os_worker, NULL) == 0)
			wq.started = true;
		pthread_attr_destroy(&attr);
		if (!wq.started) {
			pthread_mutex_unlock(&wq.lock);
			os_err("os: cannot start the work thread; running work inline");
			w->fn(w);
			return true;
		}
	}
	if (atomic_load(&w->state) != OS_WORK_QUEUED) {
		/* A running item may be queued again: it runs once more later. */
		atomic_store(&w->state, OS_WORK_QUEUED);
		os_work_append_locked(w);
		pthread_cond_signal(&wq.cv);
		queued = true;
	}
	pthread_mutex_unlock(&wq.lock);
	return queued;
}

static void os_work_unlink_locked(struct os_work *w)
{
	struct os_work **pp, *prev = NULL;

	for (pp = &wq.head; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			if (wq.tail == w)
				wq.tail = prev;
			w->next = NULL;
			return;
		}
	}
}

void os_work_flush(struct os_work *w)
{
	pthread_mutex_lock(&wq.lock);
	while (atomic_load(&w->state) != OS_WORK_IDLE)
		pthread_cond_wait(&wq.idle_cv, &wq.lock);
	pthread_mutex_unlock(&wq.lock);
}

void os_work_cancel_sync(struct os_work *w)
{
	pthread_mutex_lock(&wq.lock);
	if (atomic_load(&w->state) == OS_WORK_QUEUED) {
		os_work_unlink_locked(w);
		atomic_store(&w->state, OS_WORK_IDLE);
	}
	while (atomic_load(&w->state) == OS_WORK_RUNNING)
		pthread_cond_wait(&wq.idle_cv, &wq.lock);
	/* If it re-queued itself while running, take it off again. */
	if (atomic_load(&w->state) == OS_WORK_QUEUED) {
		os_work_unlink_locked(w);
		atomic_store(&w->state, OS_WORK_IDLE);
	}
	pthread_mutex_unlock(&wq.lock);
}

void os_poll_hook(void)
{
}

/* ---- logging ----------------------------------------------------------- */

static _Atomic int log_level = CONFIG_LOG_LEVEL;
static _Atomic(os_log_sink) log_sink;

enum os_log_level os_log_set_level(enum os_log_level level)
{
	return (enum os_log_level)atomic_exchange(&log_level, (int)level);
}

void os_log_set_sink(os_log_sink sink)
{
	atomic_store(&log_sink, sink);
}

void os_vlog(enum os_log_level level, const char *fmt, va_list ap)
{
	static const char *const tag[] = { "error", "warning", "info", "debug" };
	char line[512];
	os_log_sink sink;

	if ((int)level > atomic_load(&log_level))
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	sink = atomic_load(&log_sink);
	if (sink)
		sink(level, line);
	else
		fprintf(stderr, "vscmi: %s: %s\n", tag[level & 3], line);
}

void os_log(enum os_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	os_vlog(level, fmt, ap);
	va_end(ap);
}
