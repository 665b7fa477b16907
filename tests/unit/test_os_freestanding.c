// SPDX-License-Identifier: MIT
/*
 * Unit tests of os/os_freestanding.c, the single-CPU polling OS layer, run
 * on the host: this file and os_freestanding.o are both compiled with
 * -ffreestanding (os/build.mk) so they share the freestanding os.h, and the
 * vscmi_plat_*() hooks below stand in for a bare-metal platform: a fake
 * clock that advances on every read, a scripted event poll, a counting
 * page allocator and a captured console.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include <vscmi/os.h>

char *strstr(const char *haystack, const char *needle);

/* ---- the fake platform -------------------------------------------------- */

static uint64_t fake_now;		/* ns */
static uint64_t fake_tick = 1000;	/* added on every clock read */
static unsigned polls;			/* vscmi_plat_poll() calls */
static void (*on_poll)(void);		/* an "upcall" run by the poll */
static size_t pages_out;
static char console[4096];
static size_t console_len;

uint64_t vscmi_plat_now_ns(void)
{
	fake_now += fake_tick;
	return fake_now;
}

void vscmi_plat_poll(void)
{
	polls++;
	if (on_poll)
		on_poll();
}

void *vscmi_plat_alloc_pages(size_t npages)
{
	void *p = aligned_alloc(OS_PAGE_SIZE, npages * OS_PAGE_SIZE);

	assert_non_null(p);
	/* Dirty, so os_zalloc/os_alloc_pages must clear. */
	memset(p, 0xcc, npages * OS_PAGE_SIZE);
	pages_out += npages;
	return p;
}

void vscmi_plat_free_pages(void *p, size_t npages)
{
	pages_out -= npages;
	free(p);
}

void vscmi_plat_console_write(const char *s, size_t len)
{
	assert_true(console_len + len < sizeof(console));
	memcpy(console + console_len, s, len);
	console_len += len;
	console[console_len] = '\0';
}

static int setup(void **state)
{
	fake_tick = 1000;
	polls = 0;
	on_poll = NULL;
	console_len = 0;
	console[0] = '\0';
	os_log_set_level(OS_LOG_INFO);
	os_log_set_sink(NULL);
	return 0;
}

/* ---- completions and time --------------------------------------------- */

static struct os_completion upcall_done;
static unsigned complete_at_poll;

static void complete_on_nth_poll(void)
{
	if (polls == complete_at_poll)
		os_complete(&upcall_done);
}

static void test_completion_timeout(void **state)
{
	struct os_completion c;
	uint64_t t0 = os_now_ns();

	os_completion_init(&c);
	assert_false(os_completion_done(&c));
	assert_int_equal(os_completion_wait(&c, 1000000), -ETIMEDOUT);
	/* It polled while waiting and waited the full timeout. */
	assert_true(polls > 10);
	assert_true(fake_now - t0 >= 1000000);
	os_completion_destroy(&c);
}

static void test_completion_by_upcall(void **state)
{
	os_completion_init(&upcall_done);
	complete_at_poll = 5;
	on_poll = complete_on_nth_poll;
	assert_int_equal(os_completion_wait(&upcall_done, OS_NSEC_PER_SEC), 0);
	assert_int_equal(polls, 5);
	assert_true(os_completion_done(&upcall_done));

	/* Already done: returns at once, no polling. */
	assert_int_equal(os_completion_wait(&upcall_done, 0), 0);
	assert_int_equal(polls, 5);

	/* Rearmed: waits again; a zero timeout still polls once. */
	os_completion_reinit(&upcall_done);
	assert_false(os_completion_done(&upcall_done));
	on_poll = NULL;
	assert_int_equal(os_completion_wait(&upcall_done, 0), -ETIMEDOUT);
	assert_int_equal(polls, 6);
}

static void test_completion_huge_timeout(void **state)
{
	/* now + UINT64_MAX must not wrap into "already expired". */
	fake_now = UINT64_MAX / 2;
	os_completion_init(&upcall_done);
	complete_at_poll = 100;
	on_poll = complete_on_nth_poll;
	assert_int_equal(os_completion_wait(&upcall_done, UINT64_MAX), 0);
	assert_int_equal(polls, 100);
	fake_now = 0;
}

static void test_sleep_polls(void **state)
{
	uint64_t t0 = os_now_ns();

	os_sleep_ns(50000);
	assert_true(os_now_ns() - t0 >= 50000);
	assert_true(polls >= 10);
}

/* ---- deferred work ----------------------------------------------------- */

static char order[32];
static size_t order_len;

struct tagged_work {
	struct os_work work;
	char tag;
	int runs;
	int requeue;		/* queue itself again this many times */
	struct os_completion *wait_for;	/* wait on this inside fn */
	int wait_ret;
};

static void tagged_fn(struct os_work *w)
{
	struct tagged_work *t = os_container_of(w, struct tagged_work, work);

	t->runs++;
	order[order_len++] = t->tag;
	if (t->requeue > 0) {
		t->requeue--;
		assert_true(os_work_queue(w));
	}
	if (t->wait_for)
		t->wait_ret = os_completion_wait(t->wait_for, OS_NSEC_PER_SEC);
}

static void tagged_init(struct tagged_work *t, char tag)
{
	*t = (struct tagged_work){ .tag = tag };
	os_work_init(&t->work, tagged_fn);
}

static void test_work_fifo_once(void **state)
{
	struct tagged_work a, b, c;

	order_len = 0;
	tagged_init(&a, 'a');
	tagged_init(&b, 'b');
	tagged_init(&c, 'c');
	assert_true(os_work_queue(&b.work));
	assert_true(os_work_queue(&a.work));
	assert_false(os_work_queue(&b.work));	/* already queued */
	assert_true(os_work_queue(&c.work));
	assert_int_equal(order_len, 0);		/* nothing runs until a poll */
	os_poll_hook();
	assert_int_equal(order_len, 3);
	assert_memory_equal(order, "bac", 3);
	assert_int_equal(b.runs, 1);
	assert_int_equal(polls, 1);		/* work, then the platform */
	assert_int_equal(atomic_load(&a.work.state), OS_WORK_IDLE);
	os_poll_hook();
	assert_int_equal(order_len, 3);
}

static void test_work_requeue_does_not_starve(void **state)
{
	struct tagged_work a;

	order_len = 0;
	tagged_init(&a, 'a');
	a.requeue = 3;
	os_work_queue(&a.work);
	/* Each hook runs it once and still polls the platform. */
	for (int i = 1; i <= 4; i++) {
		os_poll_hook();
		assert_int_equal(a.runs, i);
		assert_int_equal(polls, (unsigned)i);
	}
	os_poll_hook();
	assert_int_equal(a.runs, 4);
	assert_int_equal(atomic_load(&a.work.state), OS_WORK_IDLE);
}

static struct os_completion b_done;

static void complete_b_done(struct os_work *w)
{
	os_complete(&b_done);
}

static void test_work_waits_on_other_work(void **state)
{
	/* a waits for a completion that b, queued behind it, completes. */
	struct tagged_work a;
	struct os_work b;

	os_completion_init(&b_done);
	order_len = 0;
	tagged_init(&a, 'a');
	a.wait_for = &b_done;
	os_work_queue(&a.work);
	os_poll_hook();			/* nobody completes it: times out */
	assert_int_equal(a.wait_ret, -ETIMEDOUT);

	/* Now with b behind it: the nested poll in a's wait runs b. */
	os_work_init(&b, complete_b_done);
	os_work_queue(&a.work);
	os_work_queue(&b);
	os_poll_hook();
	assert_int_equal(a.wait_ret, 0);
	assert_int_equal(a.runs, 2);
	assert_int_equal(atomic_load(&b.state), OS_WORK_IDLE);

	/* And an upcall from the platform poll completes it too. */
	os_completion_init(&upcall_done);
	a.wait_for = &upcall_done;
	complete_at_poll = polls + 3;
	on_poll = complete_on_nth_poll;
	os_work_queue(&a.work);
	os_poll_hook();
	assert_int_equal(a.wait_ret, 0);
	assert_int_equal(a.runs, 3);
}

static void test_work_flush_and_cancel(void **state)
{
	struct tagged_work a, b;

	order_len = 0;
	tagged_init(&a, 'a');
	tagged_init(&b, 'b');
	os_work_queue(&a.work);
	os_work_queue(&b.work);
	/* Flush runs b now, ahead of a; a stays queued. */
	os_work_flush(&b.work);
	assert_int_equal(b.runs, 1);
	assert_int_equal(a.runs, 0);
	assert_int_equal(atomic_load(&b.work.state), OS_WORK_IDLE);
	/* Cancel takes a off the queue: it never runs. */
	os_work_cancel_sync(&a.work);
	assert_int_equal(atomic_load(&a.work.state), OS_WORK_IDLE);
	os_poll_hook();
	assert_int_equal(a.runs, 0);
	/* Flushing or cancelling idle work is a no-op. */
	os_work_flush(&a.work);
	os_work_cancel_sync(&a.work);
	assert_int_equal(console_len, 0);
}

static void self_flush_fn(struct os_work *w)
{
	os_work_flush(w);		/* would hang on one CPU */
	os_work_cancel_sync(w);
}

static void test_work_flush_from_itself(void **state)
{
	struct os_work w;

	os_work_init(&w, self_flush_fn);
	os_work_queue(&w);
	os_poll_hook();
	assert_non_null(strstr(console, "flushed from inside itself"));
	assert_non_null(strstr(console, "cancelled from inside itself"));
	assert_int_equal(atomic_load(&w.state), OS_WORK_IDLE);
}

static int self_runs, self_nested;
static bool self_inside;

static void requeue_and_wait_fn(struct os_work *w)
{
	struct os_completion never;

	if (self_inside)
		self_nested++;
	self_inside = true;
	self_runs++;
	if (self_runs == 1) {
		/* Queued again, then a wait that polls: must not re-enter. */
		assert_true(os_work_queue(w));
		os_completion_init(&never);
		assert_int_equal(os_completion_wait(&never, 100000), -ETIMEDOUT);
		assert_int_equal(atomic_load(&w->state), OS_WORK_QUEUED);
	}
	self_inside = false;
}

static void test_work_never_reentered(void **state)
{
	struct os_work w;

	self_runs = self_nested = 0;
	os_work_init(&w, requeue_and_wait_fn);
	os_work_queue(&w);
	os_poll_hook();
	assert_int_equal(self_runs, 1);
	assert_int_equal(self_nested, 0);
	assert_int_equal(atomic_load(&w.state), OS_WORK_QUEUED);
	os_poll_hook();			/* the second run, after the first */
	assert_int_equal(self_runs, 2);
	assert_int_equal(self_nested, 0);
	assert_int_equal(atomic_load(&w.state), OS_WORK_IDLE);
	assert_int_equal(console_len, 0);
}

/* ---- locks ------------------------------------------------------------- */

static void test_spinlock(void **state)
{
	os_spinlock_t l = OS_SPINLOCK_INIT;
	os_spinlock_t m;

	os_spin_init(&m);
	os_spin_lock(&l);
	os_spin_lock(&m);
	os_spin_unlock(&m);
	os_spin_unlock(&l);
	assert_int_equal(console_len, 0);
	/* Recursion is a bug: reported, and it returns instead of hanging. */
	os_spin_lock(&l);
	os_spin_lock(&l);
	os_spin_unlock(&l);
	assert_non_null(strstr(console, "vscmi: error: os: spinlock"));
	assert_non_null(strstr(console, "taken recursively"));
}

static void test_mutex(void **state)
{
	struct os_mutex m;

	os_mutex_init(&m);
	os_mutex_lock(&m);
	assert_int_equal(m.held, 1);
	os_mutex_unlock(&m);
	assert_int_equal(m.held, 0);
	assert_int_equal(console_len, 0);
	/* Taken again down its holder's own stack: a bug, reported. */
	os_mutex_lock(&m);
	os_mutex_lock(&m);
	assert_int_equal(m.held, 2);
	assert_non_null(strstr(console, "vscmi: error: os: mutex"));
	assert_non_null(strstr(console, "taken recursively"));
	os_mutex_unlock(&m);
	os_mutex_unlock(&m);
	assert_int_equal(m.held, 0);
	os_mutex_unlock(&m);
	assert_int_equal(m.held, 0);
	assert_non_null(strstr(console, "unlocked but not held"));
	os_mutex_destroy(&m);
}

static struct os_mutex shared_lock;
static int locker_runs;

static void locker_fn(struct os_work *w)
{
	os_mutex_lock(&shared_lock);
	locker_runs++;
	os_mutex_unlock(&shared_lock);
}

static void test_no_work_under_mutex(void **state)
{
	/*
	 * A caller waits with a mutex held (a xenstore request waiting for
	 * its reply); work that needs the same mutex is queued meanwhile (a
	 * watch callback). It must not run inside the wait, but the platform
	 * is still polled, so the reply's upcall can end the wait.
	 */
	struct os_work w;

	locker_runs = 0;
	os_mutex_init(&shared_lock);
	os_work_init(&w, locker_fn);
	os_completion_init(&upcall_done);
	complete_at_poll = 5;
	on_poll = complete_on_nth_poll;

	os_mutex_lock(&shared_lock);
	os_work_queue(&w);
	assert_int_equal(os_completion_wait(&upcall_done, OS_NSEC_PER_SEC), 0);
	assert_int_equal(polls, 5);
	assert_int_equal(locker_runs, 0);
	assert_int_equal(atomic_load(&w.state), OS_WORK_QUEUED);
	os_mutex_unlock(&shared_lock);

	/* The first poll after the last unlock runs it. */
	os_poll_hook();
	assert_int_equal(locker_runs, 1);
	assert_int_equal(console_len, 0);	/* no recursion reported */
	os_mutex_destroy(&shared_lock);
}

/* ---- logging ----------------------------------------------------------- */

static char sunk[512];
static enum os_log_level sunk_level;

static void test_sink(enum os_log_level level, const char *line)
{
	sunk_level = level;
	memcpy(sunk, line, strlen(line) + 1);
}

static void test_log_console_and_levels(void **state)
{
	char longmsg[400];

	os_info("hello %d %s", 42, "world");
	assert_string_equal(console, "vscmi: info: hello 42 world\n");
	console_len = 0;
	os_dbg("hidden");
	assert_int_equal(console_len, 0);
	assert_int_equal(os_log_set_level(OS_LOG_DEBUG), OS_LOG_INFO);
	os_dbg("shown %x", 255u);
	assert_string_equal(console, "vscmi: debug: shown ff\n");
	assert_int_equal(os_log_set_level(OS_LOG_ERR), OS_LOG_DEBUG);
	console_len = 0;
	os_warn("hidden");
	os_err("e");
	assert_string_equal(console, "vscmi: error: e\n");

	/* A long line is cut to the buffer and says so. */
	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	console_len = 0;
	os_err("%s", longmsg);
	assert_int_equal(console_len, 256);
	assert_memory_equal(console + 252, "...\n", 4);
	assert_memory_equal(console, "vscmi: error: xxx", 17);

	/* A sink gets the bare line, and the console nothing. */
	console_len = 0;
	console[0] = '\0';
	os_log_set_sink(test_sink);
	os_err("to %s", "sink");
	assert_string_equal(sunk, "to sink");
	assert_int_equal(sunk_level, OS_LOG_ERR);
	assert_int_equal(console_len, 0);
	os_log_set_sink(NULL);
	os_log_set_level(OS_LOG_INFO);
}

/* ---- memory ------------------------------------------------------------ */

static void test_memory(void **state)
{
	unsigned char *p[50];
	unsigned char *pg;

	for (size_t i = 0; i < OS_ARRAY_SIZE(p); i++) {
		size_t size = 1 + i * 37;

		p[i] = os_zalloc(size);
		assert_non_null(p[i]);
		for (size_t j = 0; j < size; j++)
			assert_int_equal(p[i][j], 0);
		memset(p[i], 0xee, size);
	}
	for (size_t i = 0; i < OS_ARRAY_SIZE(p); i++)
		os_free(p[i]);
	os_free(NULL);
	/* Freed memory comes back zeroed by os_zalloc/os_calloc. */
	p[0] = os_calloc(10, 30);
	assert_non_null(p[0]);
	for (size_t j = 0; j < 300; j++)
		assert_int_equal(p[0][j], 0);
	os_free(p[0]);
	assert_null(os_calloc(SIZE_MAX / 2, 4));
	assert_non_null(p[0] = os_zalloc(0));
	os_free(p[0]);

	size_t before = pages_out;

	pg = os_alloc_pages(3);
	assert_non_null(pg);
	assert_int_equal((uintptr_t)pg % OS_PAGE_SIZE, 0);
	for (size_t j = 0; j < 3 * OS_PAGE_SIZE; j++)
		assert_int_equal(pg[j], 0);
	assert_int_equal(pages_out, before + 3);
	os_free_pages(pg, 3);
	assert_int_equal(pages_out, before);
	assert_null(os_alloc_pages(0));
	assert_null(os_alloc_pages(SIZE_MAX));
	os_free_pages(NULL, 1);
	assert_int_equal(console_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_completion_timeout, setup),
		cmocka_unit_test_setup(test_completion_by_upcall, setup),
		cmocka_unit_test_setup(test_completion_huge_timeout, setup),
		cmocka_unit_test_setup(test_sleep_polls, setup),
		cmocka_unit_test_setup(test_work_fifo_once, setup),
		cmocka_unit_test_setup(test_work_requeue_does_not_starve, setup),
		cmocka_unit_test_setup(test_work_waits_on_other_work, setup),
		cmocka_unit_test_setup(test_work_flush_and_cancel, setup),
		cmocka_unit_test_setup(test_work_flush_from_itself, setup),
		cmocka_unit_test_setup(test_work_never_reentered, setup),
		cmocka_unit_test_setup(test_spinlock, setup),
		cmocka_unit_test_setup(test_mutex, setup),
		cmocka_unit_test_setup(test_no_work_under_mutex, setup),
		cmocka_unit_test_setup(test_log_console_and_levels, setup),
		cmocka_unit_test_setup(test_memory, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
