// SPDX-License-Identifier: MIT
/* Unit tests of the POSIX OS layer: completions, deferred work, time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <vscmi/os.h>

static void test_completion_timeout(void **state)
{
	struct os_completion c;
	uint64_t t0 = os_now_ns();

	os_completion_init(&c);
	assert_int_equal(os_completion_wait(&c, 20 * OS_NSEC_PER_MSEC), -ETIMEDOUT);
	assert_true(os_now_ns() - t0 >= 20 * OS_NSEC_PER_MSEC);
	os_complete(&c);
	assert_int_equal(os_completion_wait(&c, 0), 0);
	assert_true(os_completion_done(&c));
	os_completion_reinit(&c);
	assert_false(os_completion_done(&c));
	os_completion_destroy(&c);
}

struct counted_work {
	struct os_work work;
	atomic_int runs;
	struct os_completion ran;
};

static void count_fn(struct os_work *w)
{
	struct counted_work *cw = os_container_of(w, struct counted_work, work);

	atomic_fetch_add(&cw->runs, 1);
	os_complete(&cw->ran);
}

static void test_work_runs_and_flushes(void **state)
{
	struct counted_work cw = { .runs = 0 };

	os_completion_init(&cw.ran);
	os_work_init(&cw.work, count_fn);
	assert_true(os_work_queue(&cw.work));
	assert_int_equal(os_completion_wait(&cw.ran, OS_NSEC_PER_SEC), 0);
	os_work_flush(&cw.work);
	assert_int_equal(atomic_load(&cw.runs), 1);
	os_work_cancel_sync(&cw.work);
	assert_int_equal(atomic_load(&cw.work.state), OS_WORK_IDLE);
	os_completion_destroy(&cw.ran);
}

static void test_calloc_overflow(void **state)
{
	assert_null(os_calloc(SIZE_MAX / 2, 4));
	void *p = os_calloc(3, 5);
	assert_non_null(p);
	assert_int_equal(((char *)p)[14], 0);
	os_free(p);
	os_free(NULL);
}

static void test_monotonic(void **state)
{
	uint64_t a = os_now_ns();

	os_sleep_ns(OS_NSEC_PER_MSEC);
	assert_true(os_now_ns() > a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_completion_timeout),
		cmocka_unit_test(test_work_runs_and_flushes),
		cmocka_unit_test(test_calloc_overflow),
		cmocka_unit_test(test_monotonic),
	};

	return cmocka_run_group_tests_name("os", tests, NULL, NULL);
}
