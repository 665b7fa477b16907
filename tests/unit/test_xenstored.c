// SPDX-License-Identifier: MIT
/*
 * Unit tests of xensim's xenstored engine (tools/xenstored), driven through
 * its byte-stream interface exactly as the socket and ring doors drive it:
 * permissions (denial, inheritance, owner change, dom0 bypass), watches
 * (prefix match, initial event, unwatch, relative paths, special watches),
 * transactions (isolation, conflict -> EAGAIN), quotas and framing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tools/xenstored/xenstored.h"

#define MAXMSG 64

struct msg {
	uint32_t type, req_id, tx_id, len;
	char data[XENSTORE_PAYLOAD_MAX + 1];
};

static struct xsd_engine *E;
static struct xsd_conn *domc[16];	/* introduced domains' connections */
static unsigned frozen_ms;
static uint32_t next_req = 100;

/* Last reply of req(), and the events seen per connection. */
static struct msg R;
static struct msg ev[MAXMSG];
static unsigned nr_ev;

static struct xsd_conn *cb_introduce(void *arg, uint16_t domid, uint64_t mfn,
				     uint32_t port, int *err)
{
	if (domid >= 16) {
		*err = EINVAL;
		return NULL;
	}
	domc[domid] = xsd_conn_new(E, domid);
	return domc[domid];
}

static void cb_gone(void *arg, struct xsd_conn *c)
{
	domc[xsd_conn_domid(c)] = NULL;
}

static void cb_freeze(void *arg, unsigned ms)
{
	frozen_ms = ms;
}

static void new_engine(const struct xsd_quota *q)
{
	struct xsd_engine_cb cb = {
		.introduce = cb_introduce, .conn_gone = cb_gone,
		.freeze = cb_freeze,
	};

	memset(domc, 0, sizeof(domc));
	E = xsd_engine_new(q, &cb);
	assert_non_null(E);
}

static int teardown(void **state)
{
	assert_int_equal(xsd_engine_check(E), 0);
	xsd_engine_free(E);
	E = NULL;
	return 0;
}

static int setup(void **state)
{
	new_engine(NULL);
	return 0;
}

/* Pull every queued message of @c; events go to ev[], the rest to R. */
static unsigned drain(struct xsd_conn *c, uint32_t want_req)
{
	unsigned replies = 0;
	const void *p;
	size_t n;

	while ((n = xsd_conn_out_peek(c, &p))) {
		struct msg m;

		assert_true(n >= 16);
		memcpy(&m, p, 16);
		assert_true(m.len <= XENSTORE_PAYLOAD_MAX);
		assert_int_equal(n, 16 + m.len);
		memcpy(m.data, (const char *)p + 16, m.len);
		m.data[m.len] = '\0';
		xsd_conn_out_consume(c, n);
		if (m.type == XS_WATCH_EVENT) {
			assert_int_equal(m.req_id, 0);
			assert_true(nr_ev < MAXMSG);
			ev[nr_ev++] = m;
		} else {
			assert_int_equal(m.req_id, want_req);
			R = m;
			replies++;
		}
	}
	return replies;
}

/* Send one request; payload is the strings, each with its NUL. */
static void send_raw(struct xsd_conn *c, uint32_t type, uint32_t tx,
		     const void *payload, size_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = ++next_req,
				 .tx_id = tx, .len = (uint32_t)len };

	assert_int_equal(xsd_conn_feed(c, &h, sizeof(h)), 0);
	if (len)
		assert_int_equal(xsd_conn_feed(c, payload, len), 0);
	assert_int_equal(drain(c, next_req), 1);
	assert_int_equal(R.tx_id, tx);
}

/* Request with NULL-terminated string arguments; returns R.data. */
static const char *reqv(struct xsd_conn *c, uint32_t type, uint32_t tx,
			va_list ap)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t len = 0;
	const char *s;

	while ((s = va_arg(ap, const char *))) {
		size_t l = strlen(s) + 1;

		memcpy(buf + len, s, l);
		len += l;
	}
	send_raw(c, type, tx, buf, len);
	return R.data;
}

static const char *req(struct xsd_conn *c, uint32_t type, uint32_t tx, ...)
{
	const char *r;
	va_list ap;

	va_start(ap, tx);
	r = reqv(c, type, tx, ap);
	va_end(ap);
	return r;
}

/* Expect success (the reply type echoes the request). */
#define OK(c, t_, ...) do { \
	req(c, t_, 0, __VA_ARGS__, NULL); \
	assert_int_equal(R.type, t_); \
} while (0)
#define ERR(c, t_, err, ...) do { \
	req(c, t_, 0, __VA_ARGS__, NULL); \
	assert_int_equal(R.type, XS_ERROR); \
	assert_string_equal(R.data, err); \
} while (0)

static void write_val(struct xsd_conn *c, uint32_t tx, const char *path,
		      const char *val)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t pl = strlen(path) + 1, vl = strlen(val);

	memcpy(buf, path, pl);
	memcpy(buf + pl, val, vl);
	send_raw(c, XS_WRITE, tx, buf, pl + vl);
}

static void expect_read(struct xsd_conn *c, const char *path, const char *v)
{
	req(c, XS_READ, 0, path, NULL);
	assert_int_equal(R.type, XS_READ);
	assert_int_equal(R.len, strlen(v));
	assert_memory_equal(R.data, v, R.len);
}

/* Directory reply as "a,b,c". */
static const char *dir_list(struct xsd_conn *c, const char *path)
{
	static char out[XENSTORE_PAYLOAD_MAX + 1];
	size_t i, o = 0;

	req(c, XS_DIRECTORY, 0, path, NULL);
	if (R.type == XS_ERROR)
		return R.data;
	for (i = 0; i < R.len; i++)
		out[o++] = R.data[i] ? R.data[i] : ',';
	if (o)
		o--;
	out[o] = '\0';
	return out;
}

static void introduce(struct xsd_conn *d0, unsigned domid)
{
	char id[8];

	snprintf(id, sizeof(id), "%u", domid);
	OK(d0, XS_INTRODUCE, id, "1234", "3");
	assert_non_null(domc[domid]);
}

/* /local/domain/<id> owned by the domain, as a toolstack prepares it. */
static void make_domain_dir(struct xsd_conn *d0, unsigned domid)
{
	char path[64], perm[8];

	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	snprintf(perm, sizeof(perm), "n%u", domid);
	OK(d0, XS_MKDIR, path);
	OK(d0, XS_SET_PERMS, path, perm);
	introduce(d0, domid);
}

static bool has_event(const char *path, const char *token)
{
	unsigned i;

	for (i = 0; i < nr_ev; i++) {
		const char *p = ev[i].data, *t = p + strlen(p) + 1;

		if (!strcmp(p, path) && !strcmp(t, token))
			return true;
	}
	return false;
}

/* ---- tests ------------------------------------------------------------ */

static void test_initial_store(void **state)
{
	struct xsd_conn *d0 = xsd_conn_new(E, 0);

	expect_read(d0, "/", "");
	assert_string_equal(dir_list(d0, "/"), "tool");
	assert_string_equal(dir_list(d0, "/tool"), "xenstored");
	req(d0, XS_GET_PERMS, 0, "/tool", NULL);
	assert_int_equal(R.type, XS_GET_PERMS);
	assert_string_equal(R.data, "n0");
	req(d0, XS_GET_PERMS, 0, "@releaseDomain", NULL);
	assert_string_equal(R.data, "n0");
	req(d0, XS_GET_DOMAIN_PATH, 0, "7", NULL);
	assert_string_equal(R.data, "/local/domain/7");
	req(d0, XS_IS_DOMAIN_INTRODUCED, 0, "0", NULL);
	assert_string_equal(R.data, "T");
	req(d0, XS_IS_DOMAIN_INTRODUCED, 0, "9", NULL);
	assert_string_equal(R.data, "F");
}

static void test_data_requests(void **state)
{
	struct xsd_conn *d0 = xsd_conn_new(E, 0);

	write_val(d0, 0, "/a/b/c", "value");
	assert_string_equal(R.data, "OK");
	expect_read(d0, "/a/b/c", "value");
	expect_read(d0, "/a/b", "");	/* parents made empty */
	write_val(d0, 0, "/a/b/c", "");
	expect_read(d0, "/a/b/c", "");
	write_val(d0, 0, "/a/d", "x");
	assert_string_equal(dir_list(d0, "/a"), "b,d");
	OK(d0, XS_MKDIR, "/a/e");
	OK(d0, XS_MKDIR, "/a/e");	/* exists: fine, value kept */
	write_val(d0, 0, "/a/d", "binary\001\377");
	req(d0, XS_READ, 0, "/a/d", NULL);
	assert_int_equal(R.len, 8);
	/* Relative paths of dom0 live below /local/domain/0. */
	write_val(d0, 0, "rel", "1");
	expect_read(d0, "/local/domain/0/rel", "1");
	OK(d0, XS_RM, "/a/b");
	ERR(d0, XS_READ, "ENOENT", "/a/b/c");
	OK(d0, XS_RM, "/a/b");		/* gone, parent there: OK */
	ERR(d0, XS_RM, "ENOENT", "/nope/x");
	ERR(d0, XS_RM, "EINVAL", "/");
	ERR(d0, XS_READ, "EINVAL", "/a//b");
	ERR(d0, XS_READ, "EINVAL", "/a/");
	ERR(d0, XS_READ, "EINVAL", "/a b");
	ERR(d0, XS_READ, "EINVAL", "@releaseDomain");
	ERR(d0, XS_WRITE, "EINVAL", "/a/d\001");
	ERR(d0, XS_READ, "ENOENT", "/zzz");
	/* onearg: exactly one string. */
	send_raw(d0, XS_READ, 0, "/a\0/b", 6);
	assert_string_equal(R.data, "EINVAL");
	send_raw(d0, XS_READ, 0, "/a", 2);
	assert_string_equal(R.data, "EINVAL");
	assert_string_equal(dir_list(d0, "/a"), "d,e");
}

static void test_permissions(void **state)
{
	struct xsd_conn *d0 = xsd_conn_new(E, 0), *d5, *d7;

	make_domain_dir(d0, 5);
	make_domain_dir(d0, 7);
	d5 = domc[5];
	d7 = domc[7];
	/* A guest creates below its own directory and owns the node. */
	write_val(d5, 0, "data/x", "1");
	assert_string_equal(R.data, "OK");
	req(d5, XS_GET_PERMS, 0, "data/x", NULL);
	assert_string_equal(R.data, "n5");
	/* Denial: no read of dom0's nodes, and no existence probing. */
	ERR(d5, XS_READ, "EACCES", "/tool");
	ERR(d5, XS_READ, "EACCES", "/tool/nothing");
	ERR(d5, XS_READ, "ENOENT", "/local/domain/5/nothing");
	ERR(d5, XS_WRITE, "EACCES", "/tool/x");
	ERR(d7, XS_READ, "EACCES", "/local/domain/5/data/x");
	ERR(d5, XS_DIRECTORY, "EACCES", "/local/domain");
	/* dom0 bypasses everything. */
	expect_read(d0, "/local/domain/5/data/x", "1");
	/* Owner grants read to 7; inheritance copies the ACL to children. */
	OK(d5, XS_SET_PERMS, "data", "n5", "r7");
	write_val(d5, 0, "data/y", "2");
	req(d5, XS_GET_PERMS, 0, "data/y", NULL);
	assert_memory_equal(R.data, "n5\0r7", 6);
	expect_read(d7, "/local/domain/5/data/y", "2");
	ERR(d7, XS_WRITE, "EACCES", "/local/domain/5/data/y");
	ERR(d7, XS_WRITE, "EACCES", "/local/domain/5/data/z");
	/* x was created before: still private. */
	ERR(d7, XS_READ, "EACCES", "/local/domain/5/data/x");
	/* Unprivileged owners cannot give nodes away... */
	ERR(d5, XS_SET_PERMS, "EPERM", "data/y", "n7");
	/* ... nor may a non-owner with write access change permissions. */
	OK(d5, XS_SET_PERMS, "data/y", "n5", "b7");
	write_val(d7, 0, "/local/domain/5/data/y", "from7");
	assert_string_equal(R.data, "OK");
	ERR(d7, XS_SET_PERMS, "EACCES", "/local/domain/5/data/y", "b7");
	/* A node 7 creates in 5's writable dir is 7's, with the ACL. */
	OK(d5, XS_SET_PERMS, "data", "n5", "b7");
	write_val(d7, 0, "/local/domain/5/data/by7", "z");
	req(d0, XS_GET_PERMS, 0, "/local/domain/5/data/by7", NULL);
	assert_memory_equal(R.data, "n7\0b7", 6);
	/* dom0 creating keeps the parent's owner. */
	write_val(d0, 0, "/local/domain/5/data/by0", "z");
	req(d0, XS_GET_PERMS, 0, "/local/domain/5/data/by0", NULL);
	assert_memory_equal(R.data, "n5\0b7", 6);
	/* dom0 changes the owner: 5 loses access, 7 gains all of it. */
	OK(d0, XS_SET_PERMS, "/local/domain/5/data/x", "n7");
	ERR(d5, XS_READ, "EACCES", "/local/domain/5/data/x");
	expect_read(d7, "/local/domain/5/data/x", "1");
	OK(d7, XS_SET_PERMS, "/local/domain/5/data/x", "r7", "b5");
	expect_read(d5, "/local/domain/5/data/x", "1");
	/* Malformed permission strings. */
	ERR(d0, XS_SET_PERMS, "EINVAL", "/tool", "x0");
	ERR(d0, XS_SET_PERMS, "EINVAL", "/tool", "r");
	ERR(d0, XS_SET_PERMS, "EINVAL", "/tool");
	/* dom0-only requests. */
	ERR(d5, XS_INTRODUCE, "EACCES", "9", "1", "2");
	ERR(d5, XS_IS_DOMAIN_INTRODUCED, "EACCES", "5");
	ERR(d5, XS_CONTROL, "EACCES", "check");
	ERR(d5, XS_RELEASE, "EACCES", "7");
	/* SET_TARGET: 7 acts for 5 on 5's nodes. */
	ERR(d7, XS_READ, "EACCES", "/local/domain/5");
	OK(d0, XS_SET_TARGET, "7", "5");
	expect_read(d7, "/local/domain/5", "");
	ERR(d0, XS_SET_TARGET, "ENOENT", "7", "9");
}

static void test_watches(void **state)
{
	struct xsd_conn *d0 = xsd_conn_new(E, 0), *d5;

	nr_ev = 0;
	OK(d0, XS_WATCH, "/a", "tok");
	assert_int_equal(nr_ev, 1);	/* fired once when set up */
	assert_true(has_event("/a", "tok"));
	ERR(d0, XS_WATCH, "EEXIST", "/a", "tok");
	OK(d0, XS_WATCH, "/a", "tok2");	/* another token is another watch */
	nr_ev = 0;
	write_val(d0, 0, "/a/b/c", "1");
	assert_true(has_event("/a/b/c", "tok"));
	assert_true(has_event("/a/b/c", "tok2"));
	nr_ev = 0;
	write_val(d0, 0, "/ab", "1");	/* not below /a */
	assert_int_equal(nr_ev, 0);
	OK(d0, XS_UNWATCH, "/a", "tok2");
	ERR(d0, XS_UNWATCH, "ENOENT", "/a", "tok2");
	/* Removing a parent fires watches set on its children, exactly. */
	OK(d0, XS_WATCH, "/a/b/c", "deep");
	nr_ev = 0;
	OK(d0, XS_RM, "/a");
	assert_true(has_event("/a/b/c", "deep"));
	assert_true(has_event("/a", "tok"));
	/* Identical events still queued for a watcher are merged. */
	{
		struct xsd_conn *w = xsd_conn_new(E, 0);

		OK(w, XS_WATCH, "/m", "merge");
		nr_ev = 0;
		write_val(d0, 0, "/m", "1");
		write_val(d0, 0, "/m", "2");
		drain(w, 0);
		assert_int_equal(nr_ev, 1);
	}
	OK(d0, XS_UNWATCH, "/a", "tok");
	OK(d0, XS_UNWATCH, "/a/b/c", "deep");

	/* A guest's relative watch gets relative paths. */
	make_domain_dir(d0, 5);
	d5 = domc[5];
	nr_ev = 0;
	OK(d5, XS_WATCH, "device", "dev");
	assert_true(has_event("device", "dev"));
	nr_ev = 0;
	write_val(d5, 0, "device/vif/0", "x");
	assert_true(has_event("device/vif/0", "dev"));
	/* Watches do not leak nodes the guest cannot read. */
	OK(d5, XS_WATCH, "/tool", "t");
	nr_ev = 0;
	write_val(d0, 0, "/tool/secret", "s");
	assert_int_equal(nr_ev, 0);
	/* RESET_WATCHES forgets them all. */
	OK(d5, XS_RESET_WATCHES, "");
	nr_ev = 0;
	write_val(d5, 0, "device/vif/1", "x");
	assert_int_equal(nr_ev, 0);
	/* WATCH ignores tx_id; it needs exactly two strings. */
	ERR(d0, XS_WATCH, "EINVAL", "/x");
	ERR(d0, XS_WATCH, "EINVAL", "/x", "t", "extra");
}

static void test_special_watches(void **state)
{
	struct xsd_conn *d0 = xsd_conn_new(E, 0), *d5;

	nr_ev = 0;
	OK(d0, XS_WATCH, "@introduceDomain", "in");
	OK(d0, XS_WATCH, "@releaseDomain", "out");
	assert_int_equal(nr_ev, 2);
	nr_ev = 0;
	make_domain_dir(d0, 5);
	d5 = domc[5];
	drain(d0, 0);
	assert_true(has_event("@introduceDomain", "in"));
	assert_false(has_event("@releaseDomain", "out"));
	req(d0, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL);
	assert_string_equal(R.data, "T");
	assert_true(xsd_domain_introduced(E, 5));
	assert_false(xsd_domain_introduced(E, 6));
	/* A guest watching @releaseDomain hears nothing until allowed. */
	OK(d5, XS_WATCH, "@releaseDomain", "g");
	introduce(d0, 6);
	nr_ev = 0;
	OK(d0, XS_RELEASE, "6");
	drain(d5, 0);
	assert_true(has_event("@releaseDomain", "out"));
	assert_false(has_event("@releaseDomain", "g"));
	OK(d0, XS_SET_PERMS, "@releaseDomain", "n0", "r5");
	introduce(d0, 6);
	nr_ev = 0;
	OK(d0, XS_RELEASE, "6");
	drain(d5, 0);
	assert_true(has_event("@releaseDomain", "g"));
	ERR(d0, XS_RELEASE, "ENOENT", "6");
	ERR(d0, XS_RELEASE, "EINVAL", "0");
	ERR(d0, XS_INTRODUCE, "EINVAL", "0", "1", "1");
	ERR(d0, XS_INTRODUCE, "EINVAL", "8", "1", "0");
	ERR(d0, XS_INTRODUCE, "EINVAL", "20", "1", "3");	/* hook says no */
	OK(d0, XS_RESUME, "5");
	ERR(d0, XS_RESUME, "ENOENT", "9");
	/* The server's path for a domain that died. */
	assert_int_equal(xsd_domain_release(E, 5), 0);
	assert_false(xsd_domain_introduced(E, 5));
	assert_int_equal(xsd_domain_release(E, 5), -ENOENT);
}

static void test_release_cleanup(void **state)
{
	struct xsd_conn *d0 = xsd_conn_new(E, 0), *d5;

	make_domain_dir(d0, 5);
	d5 = domc[5];
	write_val(d5, 0, "a/b", "1");
	OK(d0, XS_MKDIR, "/backend");
	OK(d0, XS_SET_PERMS, "/backend", "n0", "b5");
	write_val(d5, 0, "/backend/from5", "1");
	OK(d0, XS_SET_PERMS, "/tool", "n0", "r5");
	OK(d0, XS_RELEASE, "5");
	assert_null(domc[5]);
	/* The nodes it owned are gone, its ACL entries too. */
	ERR(d0, XS_READ, "ENOENT", "/local/domain/5");
	ERR(d0, XS_READ, "ENOENT", "/backend/from5");
	req(d0, XS_GET_PERMS, 0, "/backend", NULL);
	assert_string_equal(R.data, "n0");
	req(d0, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL);
	assert_string_equal(R.data, "F");
}

static void test_transactions(void **state)
{
	struct xsd_conn *a = xsd_conn_new(E, 0), *b = xsd_conn_new(E, 0);
	uint32_t t;

	write_val(a, 0, "/a/b", "0");
	/* Isolation: a transaction's writes show only inside it. */
	req(a, XS_TRANSACTION_START, 0, "", NULL);
	assert_int_equal(R.type, XS_TRANSACTION_START);
	t = (uint32_t)strtoul(R.data, NULL, 10);
	assert_true(t != 0);
	write_val(a, t, "/a/new", "1");
	assert_int_equal(R.tx_id, t);	/* tx id echoed */
	req(a, XS_READ, t, "/a/new", NULL);
	assert_string_equal(R.data, "1");
	ERR(b, XS_READ, "ENOENT", "/a/new");
	ERR(a, XS_READ, "ENOENT", "/a/new");	/* outside the transaction */
	nr_ev = 0;
	OK(b, XS_WATCH, "/a", "w");
	nr_ev = 0;
	/* Someone else writes elsewhere: no conflict. */
	write_val(b, 0, "/other", "x");
	req(a, XS_TRANSACTION_END, t, "T", NULL);
	assert_string_equal(R.data, "OK");
	drain(b, 0);
	assert_true(has_event("/a/new", "w"));	/* fired at commit */
	expect_read(b, "/a/new", "1");

	/* Conflict: what we read changed under us. */
	req(a, XS_TRANSACTION_START, 0, "", NULL);
	t = (uint32_t)strtoul(R.data, NULL, 10);
	req(a, XS_READ, t, "/a/b", NULL);
	write_val(a, t, "/a/c", "mine");
	write_val(b, 0, "/a/b", "theirs");
	req(a, XS_TRANSACTION_END, t, "T", NULL);
	assert_int_equal(R.type, XS_ERROR);
	assert_string_equal(R.data, "EAGAIN");
	ERR(a, XS_READ, "ENOENT", "/a/c");
	{
		struct xsd_stats st;

		xsd_engine_stats(E, &st);
		assert_int_equal(st.txn_conflicts, 1);
		assert_int_equal(st.txn_commits, 1);
	}
	/* The transaction is gone after END, whatever the result. */
	req(a, XS_READ, t, "/a/b", NULL);
	assert_string_equal(R.data, "ENOENT");

	/* Conflict: a directory we listed got a new child. */
	req(a, XS_TRANSACTION_START, 0, "", NULL);
	t = (uint32_t)strtoul(R.data, NULL, 10);
	req(a, XS_DIRECTORY, t, "/a", NULL);
	write_val(b, 0, "/a/late", "1");
	req(a, XS_TRANSACTION_END, t, "T", NULL);
	assert_string_equal(R.data, "EAGAIN");

	/* Conflict: a node we saw missing was created. */
	req(a, XS_TRANSACTION_START, 0, "", NULL);
	t = (uint32_t)strtoul(R.data, NULL, 10);
	req(a, XS_READ, t, "/a/ghost", NULL);
	assert_string_equal(R.data, "ENOENT");
	write_val(b, 0, "/a/ghost", "boo");
	req(a, XS_TRANSACTION_END, t, "T", NULL);
	assert_string_equal(R.data, "EAGAIN");

	/* Remove and recreate inside one transaction, then commit. */
	write_val(a, 0, "/r/old/deep", "1");
	req(a, XS_TRANSACTION_START, 0, "", NULL);
	t = (uint32_t)strtoul(R.data, NULL, 10);
	req(a, XS_RM, t, "/r", NULL);
	write_val(a, t, "/r/fresh", "2");
	ERR(a, XS_TRANSACTION_END, "ENOENT", "F");	/* no tx id */
	req(a, XS_TRANSACTION_END, t, "T", NULL);
	assert_string_equal(R.data, "OK");
	assert_string_equal(dir_list(a, "/r"), "fresh");

	/* Abort discards. */
	req(a, XS_TRANSACTION_START, 0, "", NULL);
	t = (uint32_t)strtoul(R.data, NULL, 10);
	write_val(a, t, "/aborted", "1");
	req(a, XS_TRANSACTION_END, t, "F", NULL);
	assert_string_equal(R.data, "OK");
	ERR(a, XS_READ, "ENOENT", "/aborted");

	/* Protocol errors. */
	req(a, XS_READ, 12345, "/a", NULL);
	assert_string_equal(R.data, "ENOENT");
	req(a, XS_TRANSACTION_START, 0, "", NULL);
	t = (uint32_t)strtoul(R.data, NULL, 10);
	req(a, XS_TRANSACTION_START, t, "", NULL);
	assert_string_equal(R.data, "EBUSY");
	req(a, XS_TRANSACTION_END, t, "X", NULL);
	assert_string_equal(R.data, "EINVAL");
	req(a, XS_TRANSACTION_END, t, "F", NULL);
	assert_string_equal(R.data, "OK");
}

static void test_quotas(void **state)
{
	struct xsd_quota q = XSD_QUOTA_DEFAULT;
	struct xsd_conn *d0, *d5;
	char big[200];
	int i;

	xsd_engine_free(E);
	q.nodes = 4;		/* /local/domain/5 counts as one */
	q.node_size = 100;
	q.watches = 2;
	q.transactions = 1;
	q.perms = 2;
	q.path_len = 12;
	q.txn_nodes = 3;
	new_engine(&q);
	d0 = xsd_conn_new(E, 0);
	make_domain_dir(d0, 5);
	d5 = domc[5];
	write_val(d5, 0, "a", "1");
	write_val(d5, 0, "b", "1");
	assert_string_equal(R.data, "OK");
	write_val(d5, 0, "c/d", "1");		/* two more: over */
	assert_string_equal(R.data, "ENOSPC");
	write_val(d5, 0, "c", "1");
	assert_string_equal(R.data, "OK");
	write_val(d5, 0, "e", "1");
	assert_string_equal(R.data, "ENOSPC");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	write_val(d5, 0, "a", big);
	assert_string_equal(R.data, "ENOSPC");
	write_val(d0, 0, "/local/domain/5/a", big);	/* dom0: no quota */
	assert_string_equal(R.data, "OK");
	OK(d5, XS_WATCH, "a", "1");
	OK(d5, XS_WATCH, "a", "2");
	ERR(d5, XS_WATCH, "E2BIG", "a", "3");
	req(d5, XS_TRANSACTION_START, 0, "", NULL);
	assert_int_equal(R.type, XS_TRANSACTION_START);
	{
		uint32_t t = (uint32_t)strtoul(R.data, NULL, 10);

		ERR(d5, XS_TRANSACTION_START, "ENOSPC", "");
		req(d5, XS_READ, t, "a", NULL);
		req(d5, XS_READ, t, "b", NULL);
		req(d5, XS_READ, t, "c", NULL);
		assert_int_equal(R.type, XS_READ);
		req(d5, XS_READ, t, "x", NULL);	/* a 4th node: over */
		assert_string_equal(R.data, "ENOSPC");
		req(d5, XS_READ, t, "a", NULL);	/* seen already: fine */
		assert_int_equal(R.type, XS_READ);
		req(d5, XS_TRANSACTION_END, t, "F", NULL);
	}
	ERR(d5, XS_SET_PERMS, "ENOSPC", "a", "n5", "r1", "r2");
	OK(d5, XS_SET_PERMS, "a", "n5", "r1");
	/* Path length counts below /local/domain/5/. */
	ERR(d5, XS_READ, "EINVAL", "abcdefghijklm");
	ERR(d5, XS_READ, "ENOENT", "abcdefghijkl");
	/* Nodes given back by RM can be used again. */
	OK(d5, XS_RM, "c");
	write_val(d5, 0, "e", "1");
	assert_string_equal(R.data, "OK");
	for (i = 0; i < 20; i++)
		write_val(d0, 0, "/local/domain/5/many", "1");
	assert_string_equal(R.data, "OK");
}

static void test_framing(void **state)
{
	struct xsd_conn *d0 = xsd_conn_new(E, 0), *bad = xsd_conn_new(E, 0);
	struct xsd_sockmsg h = { .type = XS_READ, .req_id = 77, .len = 4097 };
	char buf[256], *p;
	unsigned i, total;
	size_t len;

	/* Several messages in one buffer, then byte by byte. */
	len = 0;
	for (i = 0; i < 3; i++) {
		struct xsd_sockmsg m = { .type = XS_READ, .req_id = 900 + i,
					 .len = 2 };

		memcpy(buf + len, &m, sizeof(m));
		memcpy(buf + len + sizeof(m), "/", 2);
		len += sizeof(m) + 2;
	}
	for (i = 0; i < len; i++)
		assert_int_equal(xsd_conn_feed(d0, buf + i, 1), 0);
	for (i = 0; i < 3; i++) {
		const void *q;
		struct xsd_sockmsg m;

		assert_true(xsd_conn_out_peek(d0, &q) > 0);
		memcpy(&m, q, sizeof(m));
		assert_int_equal(m.req_id, 900 + i);
		assert_int_equal(m.type, XS_READ);
		xsd_conn_out_consume(d0, sizeof(m) + m.len);
	}
	/* Unknown and reply-only types: ENOSYS. */
	ERR(d0, 99, "ENOSYS", "x");
	ERR(d0, XS_WATCH_EVENT, "ENOSYS", "x");
	ERR(d0, XS_ERROR, "ENOSYS", "x");
	/* An over-long payload kills the connection. */
	assert_int_equal(xsd_conn_feed(bad, &h, sizeof(h)), -EPROTO);
	assert_true(xsd_conn_broken(bad));
	assert_int_equal(xsd_conn_feed(bad, "x", 1), -EPROTO);
	xsd_conn_free(bad);
	/* A directory too long for one reply: E2BIG, then DIRECTORY_PART. */
	for (i = 0; i < 400; i++) {
		snprintf(buf, sizeof(buf), "/big/child-number-%u", i);
		write_val(d0, 0, buf, "");
	}
	ERR(d0, XS_DIRECTORY, "E2BIG", "/big");
	total = 0;
	for (;;) {
		char off[16];
		size_t gl;

		snprintf(off, sizeof(off), "%u", total);
		req(d0, XS_DIRECTORY_PART, 0, "/big", off, NULL);
		assert_int_equal(R.type, XS_DIRECTORY_PART);
		gl = strlen(R.data) + 1;
		p = R.data + gl;
		if (R.len == gl + 1 && !*p)
			break;
		while (p < R.data + R.len && *p) {
			total += (unsigned)strlen(p) + 1;
			p += strlen(p) + 1;
		}
		if (p < R.data + R.len)
			break;		/* the final extra NUL */
	}
	len = 0;
	for (i = 0; i < 400; i++) {
		snprintf(buf, sizeof(buf), "child-number-%u", i);
		len += strlen(buf) + 1;
	}
	assert_int_equal(total, len);
	ERR(d0, XS_DIRECTORY_PART, "EINVAL", "/big");
}

static void test_control(void **state)
{
	struct xsd_conn *d0 = xsd_conn_new(E, 0);

	OK(d0, XS_CONTROL, "check");
	assert_string_equal(R.data, "OK");
	OK(d0, XS_CONTROL, "freeze", "250");
	assert_int_equal(frozen_ms, 250);
	ERR(d0, XS_CONTROL, "EINVAL", "freeze", "soon");
	ERR(d0, XS_CONTROL, "EINVAL", "no-such-command");
	OK(d0, XS_CONTROL, "help");
	assert_non_null(strstr(R.data, "freeze"));
	OK(d0, XS_CONTROL, "stats");
	assert_non_null(strstr(R.data, "requests:"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_initial_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_special_watches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_cleanup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quotas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_framing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control, setup, teardown),
	};

	return cmocka_run_group_tests_name("xenstored", tests, NULL, NULL);
}
