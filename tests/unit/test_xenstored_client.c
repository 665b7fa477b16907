// SPDX-License-Identifier: MIT
/*
 * Debian's real libxenstore against xensim's xenstored: the server
 * (tools/xenstored/server.c, socket door only) runs on a thread of this
 * process on a temporary directory, and the client connects through
 * XENSTORED_PATH exactly as dom0 tools do. Covers reads and writes,
 * permissions, transactions with a conflict, watches, DIRECTORY_PART
 * fallback, error mapping and the freeze fault.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <xenstore.h>

#include <vscmi/os.h>

#include "tools/xenstored/server.h"

static char dir[64];
static struct xsd_server *srv;
static pthread_t thr;

static void *run(void *arg)
{
	xsd_server_run(srv);
	return NULL;
}

static int group_setup(void **state)
{
	struct xsd_server_opts o = { .socket_only = true };
	char sock[128];

	snprintf(dir, sizeof(dir), "/tmp/xsd-client-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	o.dir = dir;
	if (xsd_server_new(&o, &srv))
		return -1;
	snprintf(sock, sizeof(sock), "%s/xenstored.sock", dir);
	setenv("XENSTORED_PATH", sock, 1);
	return pthread_create(&thr, NULL, run, NULL) ? -1 : 0;
}

static int group_teardown(void **state)
{
	xsd_server_stop(srv);
	pthread_join(thr, NULL);
	xsd_server_free(srv);
	rmdir(dir);
	return 0;
}

static struct xs_handle *open_xs(void)
{
	struct xs_handle *h = xs_open(XS_OPEN_SOCKETONLY);

	assert_non_null(h);
	return h;
}

static char *read_str(struct xs_handle *h, xs_transaction_t t, const char *p)
{
	unsigned len;

	return xs_read(h, t, p, &len);
}

static void test_read_write(void **state)
{
	struct xs_handle *h = open_xs();
	unsigned n, len;
	char **d, *v;

	assert_true(xs_write(h, XBT_NULL, "/vm/a", "hello", 5));
	v = read_str(h, XBT_NULL, "/vm/a");
	assert_string_equal(v, "hello");
	free(v);
	assert_true(xs_mkdir(h, XBT_NULL, "/vm/b"));
	d = xs_directory(h, XBT_NULL, "/vm", &n);
	assert_non_null(d);
	assert_int_equal(n, 2);
	assert_string_equal(d[0], "a");
	assert_string_equal(d[1], "b");
	free(d);
	assert_true(xs_rm(h, XBT_NULL, "/vm/a"));
	assert_null(xs_read(h, XBT_NULL, "/vm/a", &len));
	assert_int_equal(errno, ENOENT);
	assert_null(xs_read(h, XBT_NULL, "/bad//path", &len));
	assert_int_equal(errno, EINVAL);
	v = xs_get_domain_path(h, 3);
	assert_string_equal(v, "/local/domain/3");
	free(v);
	assert_false(xs_is_domain_introduced(h, 3));
	/* Socket-only: no machine to find a ring in. */
	assert_false(xs_introduce_domain(h, 3, 1, 2));
	assert_int_equal(errno, ENOSYS);
	xs_close(h);
}

static void test_permissions(void **state)
{
	struct xs_handle *h = open_xs();
	struct xs_permissions set[2] = {
		{ .id = 5, .perms = XS_PERM_NONE },
		{ .id = 7, .perms = XS_PERM_READ },
	};
	struct xs_permissions *got;
	unsigned n;

	assert_true(xs_write(h, XBT_NULL, "/p/node", "x", 1));
	assert_true(xs_set_permissions(h, XBT_NULL, "/p/node", set, 2));
	got = xs_get_permissions(h, XBT_NULL, "/p/node", &n);
	assert_non_null(got);
	assert_int_equal(n, 2);
	assert_int_equal(got[0].id, 5);
	assert_int_equal(got[0].perms, XS_PERM_NONE);
	assert_int_equal(got[1].id, 7);
	assert_int_equal(got[1].perms, XS_PERM_READ);
	free(got);
	/* Children inherit. */
	assert_true(xs_write(h, XBT_NULL, "/p/node/kid", "y", 1));
	got = xs_get_permissions(h, XBT_NULL, "/p/node/kid", &n);
	assert_int_equal(n, 2);
	assert_int_equal(got[0].id, 5);
	free(got);
	xs_close(h);
}

static void test_transactions(void **state)
{
	struct xs_handle *a = open_xs(), *b = open_xs();
	xs_transaction_t t;
	char *v;
	unsigned len;

	assert_true(xs_write(a, XBT_NULL, "/tx/n", "0", 1));
	t = xs_transaction_start(a);
	assert_true(t != XBT_NULL);
	assert_true(xs_write(a, t, "/tx/n", "1", 1));
	v = read_str(b, XBT_NULL, "/tx/n");
	assert_string_equal(v, "0");	/* not visible yet */
	free(v);
	assert_true(xs_transaction_end(a, t, false));
	v = read_str(b, XBT_NULL, "/tx/n");
	assert_string_equal(v, "1");
	free(v);

	/* Conflict: b changes what a read; the commit says EAGAIN. */
	t = xs_transaction_start(a);
	v = xs_read(a, t, "/tx/n", &len);
	free(v);
	assert_true(xs_write(a, t, "/tx/m", "mine", 4));
	assert_true(xs_write(b, XBT_NULL, "/tx/n", "2", 1));
	assert_false(xs_transaction_end(a, t, false));
	assert_int_equal(errno, EAGAIN);
	assert_null(xs_read(b, XBT_NULL, "/tx/m", &len));

	/* Abort. */
	t = xs_transaction_start(a);
	assert_true(xs_write(a, t, "/tx/gone", "x", 1));
	assert_true(xs_transaction_end(a, t, true));
	assert_null(xs_read(b, XBT_NULL, "/tx/gone", &len));
	xs_close(a);
	xs_close(b);
}

/* Next watch event within @ms, or NULL. */
static char **next_event(struct xs_handle *h, int ms)
{
	struct pollfd p = { .fd = xs_fileno(h), .events = POLLIN };
	unsigned n;

	if (poll(&p, 1, ms) != 1)
		return NULL;
	return xs_read_watch(h, &n);
}

static void test_watches(void **state)
{
	struct xs_handle *h = open_xs(), *w = open_xs();
	char **ev;

	assert_true(xs_watch(w, "/watched", "tok"));
	ev = next_event(w, 2000);	/* the initial event */
	assert_non_null(ev);
	assert_string_equal(ev[XS_WATCH_PATH], "/watched");
	assert_string_equal(ev[XS_WATCH_TOKEN], "tok");
	free(ev);
	assert_true(xs_write(h, XBT_NULL, "/watched/leaf", "1", 1));
	ev = next_event(w, 2000);
	assert_non_null(ev);
	assert_string_equal(ev[XS_WATCH_PATH], "/watched/leaf");
	free(ev);
	assert_true(xs_write(h, XBT_NULL, "/watchedNOT", "1", 1));
	assert_null(next_event(w, 100));
	assert_true(xs_unwatch(w, "/watched", "tok"));
	assert_true(xs_write(h, XBT_NULL, "/watched/leaf", "2", 1));
	assert_null(next_event(w, 100));
	xs_close(w);
	xs_close(h);
}

static void test_directory_part(void **state)
{
	struct xs_handle *h = open_xs();
	char path[64];
	unsigned i, n;
	char **d;

	for (i = 0; i < 500; i++) {
		snprintf(path, sizeof(path), "/many/entry-number-%04u", i);
		assert_true(xs_write(h, XBT_NULL, path, "", 0));
	}
	/* Too long for DIRECTORY: libxenstore falls back to _PART. */
	d = xs_directory(h, XBT_NULL, "/many", &n);
	assert_non_null(d);
	assert_int_equal(n, 500);
	assert_string_equal(d[0], "entry-number-0000");
	assert_string_equal(d[499], "entry-number-0499");
	free(d);
	assert_true(xs_rm(h, XBT_NULL, "/many"));
	xs_close(h);
}

static void test_freeze(void **state)
{
	struct xs_handle *h = open_xs();
	char *r;
	uint64_t t0, t1;
	unsigned len;

	r = xs_control_command(h, "freeze", "300", 4);
	assert_non_null(r);
	assert_string_equal(r, "OK");
	free(r);
	t0 = os_now_ns();
	r = xs_read(h, XBT_NULL, "/tool", &len);
	t1 = os_now_ns();
	assert_non_null(r);
	free(r);
	/* The read waited for the thaw. */
	assert_true(t1 - t0 >= 200 * OS_NSEC_PER_MSEC);
	r = xs_control_command(h, "check", NULL, 0);
	assert_non_null(r);
	free(r);
	xs_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_write),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_watches),
		cmocka_unit_test(test_directory_part),
		cmocka_unit_test(test_freeze),
	};

	return cmocka_run_group_tests_name("xenstored via libxenstore", tests,
					   group_setup, group_teardown);
}
