// SPDX-License-Identifier: MIT
/*
 * xensim's xenstored through its guest door: a real xensim machine, the
 * server (tools/xenstored/server.c) on a thread of the dom0 test process,
 * dom0 acting as the toolstack through libxenstore on the socket, and
 * guests that are forked processes talking xs_wire on their xenstore ring
 * page + event channel, as a guest kernel does. Also: domain death is
 * noticed (@releaseDomain, nodes cleaned up) and a guest that corrupts its
 * ring indices is cut off with the error reported in the page.
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
#include <unistd.h>
#include <cmocka.h>

#include <xenstore.h>

#include <vscmi/os.h>
#include <vscmi/xensim.h>

#include "tests/unit/xsim_test_util.h"
#include "tools/xenstored/server.h"

static struct xt_machine M;
static struct xsd_server *srv;
static pthread_t thr;

static void *run(void *arg)
{
	xsd_server_run(srv);
	return NULL;
}

static int setup(void **state)
{
	struct xsd_server_opts o = { 0 };
	char sock[128];

	if (xt_machine_start(&M))
		return -1;
	o.dir = M.dir;
	if (xsd_server_new(&o, &srv))
		return -1;
	snprintf(sock, sizeof(sock), "%s/xenstored.sock", M.dir);
	setenv("XENSTORED_PATH", sock, 1);
	return pthread_create(&thr, NULL, run, NULL) ? -1 : 0;
}

static int teardown(void **state)
{
	xsd_server_stop(srv);
	pthread_join(thr, NULL);
	xsd_server_free(srv);
	xt_machine_stop(&M);
	return 0;
}

/* ---- a minimal guest-side ring client ---------------------------------- */

struct gring {
	struct xsim *x;
	struct xenstore_domain_interface *intf;
	uint32_t port;
	uint32_t req_id;
	unsigned nr_events;
	char last_event[XENSTORE_PAYLOAD_MAX + 1];
};

static void g_wait(struct gring *g)
{
	uint32_t p;

	xsim_evtchn_wait(g->x, 100 * OS_NSEC_PER_MSEC);
	while (!xsim_evtchn_next_pending(g->x, &p))
		;
}

static int g_put(struct gring *g, const void *buf, size_t len)
{
	const char *p = buf;
	int spins = 0;

	while (len) {
		XENSTORE_RING_IDX prod = g->intf->req_prod;
		XENSTORE_RING_IDX cons = OS_READ_ONCE(g->intf->req_cons);
		size_t space = XENSTORE_RING_SIZE - (prod - cons);
		size_t off = MASK_XENSTORE_IDX(prod), n;

		if (!space) {
			if (++spins > 50)
				return -1;
			g_wait(g);
			continue;
		}
		n = OS_MIN(space, len);
		n = OS_MIN(n, XENSTORE_RING_SIZE - off);
		memcpy(g->intf->req + off, p, n);
		/* xenstored sees the bytes before req_prod. */
		os_wmb();
		OS_WRITE_ONCE(g->intf->req_prod, prod + (XENSTORE_RING_IDX)n);
		xsim_evtchn_send(g->x, g->port);
		p += n;
		len -= n;
	}
	return 0;
}

static int g_get(struct gring *g, void *buf, size_t len)
{
	char *p = buf;
	int spins = 0;

	while (len) {
		XENSTORE_RING_IDX cons = g->intf->rsp_cons;
		XENSTORE_RING_IDX prod = OS_READ_ONCE(g->intf->rsp_prod);
		size_t off = MASK_XENSTORE_IDX(cons), n;

		if (prod == cons) {
			if (++spins > 50)
				return -1;	/* 5 s without an answer */
			g_wait(g);
			continue;
		}
		/* We see the bytes xenstored wrote before rsp_prod. */
		os_rmb();
		n = OS_MIN((size_t)(prod - cons), len);
		n = OS_MIN(n, XENSTORE_RING_SIZE - off);
		memcpy(p, g->intf->rsp + off, n);
		/* Our copy is done before xenstored sees the space. */
		os_mb();
		OS_WRITE_ONCE(g->intf->rsp_cons, cons + (XENSTORE_RING_IDX)n);
		xsim_evtchn_send(g->x, g->port);
		p += n;
		len -= n;
	}
	return 0;
}

/* One message in; NULL-terminated strings; value bytes after a WRITE path. */
static int g_req(struct gring *g, uint32_t type, uint32_t tx,
		 const void *payload, size_t len, char *out, uint32_t *rtype)
{
	struct xsd_sockmsg h = { .type = type, .req_id = ++g->req_id,
				 .tx_id = tx, .len = (uint32_t)len };
	char buf[XENSTORE_PAYLOAD_MAX + 1];

	if (g_put(g, &h, sizeof(h)) || g_put(g, payload, len))
		return -1;
	for (;;) {
		struct xsd_sockmsg r;

		if (g_get(g, &r, sizeof(r)) || r.len > XENSTORE_PAYLOAD_MAX ||
		    g_get(g, buf, r.len))
			return -1;
		buf[r.len] = '\0';
		if (r.type == XS_WATCH_EVENT) {
			g->nr_events++;
			snprintf(g->last_event, sizeof(g->last_event), "%s", buf);
			continue;
		}
		if (r.req_id != h.req_id)
			return -1;
		memcpy(out, buf, r.len + 1);
		*rtype = r.type;
		return (int)r.len;
	}
}

/* Wait for one watch event; its path into last_event. */
static int g_event(struct gring *g)
{
	unsigned before = g->nr_events;
	struct xsd_sockmsg r;
	char buf[XENSTORE_PAYLOAD_MAX + 1];

	while (g->nr_events == before) {
		if (g_get(g, &r, sizeof(r)) || r.len > XENSTORE_PAYLOAD_MAX ||
		    g_get(g, buf, r.len) || r.type != XS_WATCH_EVENT)
			return -1;
		buf[r.len] = '\0';
		g->nr_events++;
		snprintf(g->last_event, sizeof(g->last_event), "%s", buf);
	}
	return 0;
}

#define S(lit) lit, sizeof(lit)

static int guest_main(struct xsim *x, struct xt_chan *c, void *arg)
{
	struct gring g = { .x = x };
	char out[XENSTORE_PAYLOAD_MAX + 1], big[2001], wr[2100];
	uint32_t t, tx;
	int n;

	g.intf = xsim_xenstore_ring(x, &g.port);
	XT_CHECK(g.intf);
	XT_CHECK(g.intf->server_features & XENSTORE_SERVER_FEATURE_ERROR);
	n = g_req(&g, XS_WRITE, 0, S("data/hello\0world") - 1, out, &t);
	XT_CHECK(n == 3 && t == XS_WRITE && !strcmp(out, "OK"));
	n = g_req(&g, XS_READ, 0, S("data/hello"), out, &t);
	XT_CHECK(t == XS_READ && n == 5 && !memcmp(out, "world", 5));
	n = g_req(&g, XS_READ, 0, S("/tool"), out, &t);
	XT_CHECK(t == XS_ERROR && !strcmp(out, "EACCES"));
	n = g_req(&g, XS_GET_DOMAIN_PATH, 0, S("5"), out, &t);
	XT_CHECK(t == XS_GET_DOMAIN_PATH && !strcmp(out, "/local/domain/5"));
	/* A relative watch: initial event, then our own change. */
	n = g_req(&g, XS_WATCH, 0, S("data\0g"), out, &t);
	XT_CHECK(t == XS_WATCH);
	if (!g.nr_events)
		XT_CHECK(!g_event(&g));
	XT_CHECK(!strcmp(g.last_event, "data"));
	/* A value bigger than the ring (wraps both ways), under the quota. */
	memset(big, 'z', 2000);
	big[2000] = '\0';
	n = snprintf(wr, sizeof(wr), "data/big%c%s", 0, big);
	n = g_req(&g, XS_WRITE, 0, wr, (size_t)n, out, &t);
	XT_CHECK(t == XS_WRITE);
	n = g_req(&g, XS_READ, 0, S("data/big"), out, &t);
	XT_CHECK(t == XS_READ && n == 2000 && !memcmp(out, big, 2000));
	/* A transaction. */
	n = g_req(&g, XS_TRANSACTION_START, 0, S(""), out, &t);
	XT_CHECK(t == XS_TRANSACTION_START);
	tx = (uint32_t)strtoul(out, NULL, 10);
	n = g_req(&g, XS_WRITE, tx, S("data/tx\0in") - 1, out, &t);
	XT_CHECK(t == XS_WRITE);
	n = g_req(&g, XS_TRANSACTION_END, tx, S("T"), out, &t);
	XT_CHECK(t == XS_TRANSACTION_END);
	/* Tell dom0 we are done; it writes data/fromdom0 for our watch. */
	XT_CHECK(!xt_send(c, 0, 1));
	for (n = 0; n < 10 && !strstr(g.last_event, "fromdom0"); n++)
		XT_CHECK(!g_event(&g));
	XT_CHECK(!strcmp(g.last_event, "data/fromdom0"));
	XT_CHECK(xt_recv(c, 0) == 2);
	return -1;	/* stay attached: dom0 destroys us */
}

static int bad_guest_main(struct xsim *x, struct xt_chan *c, void *arg)
{
	struct xenstore_domain_interface *intf;
	uint32_t port;
	int i;

	intf = xsim_xenstore_ring(x, &port);
	XT_CHECK(intf);
	/* A producer 5000 bytes ahead of the consumer. */
	OS_WRITE_ONCE(intf->req_prod, intf->req_cons + 5000);
	xsim_evtchn_send(x, port);
	for (i = 0; i < 50 && OS_READ_ONCE(intf->error) == 0; i++) {
		uint32_t p;

		xsim_evtchn_wait(x, 100 * OS_NSEC_PER_MSEC);
		while (!xsim_evtchn_next_pending(x, &p))
			;
	}
	XT_CHECK(intf->error == XENSTORE_ERROR_RINGIDX);
	return 0;
}

/* docs/misc/xenstore-ring.txt: the guest asks to start over. */
static int reconnect_guest_main(struct xsim *x, struct xt_chan *c, void *arg)
{
	struct gring g = { .x = x };
	char out[XENSTORE_PAYLOAD_MAX + 1];
	unsigned events;
	uint32_t t;
	int i, n;

	g.intf = xsim_xenstore_ring(x, &g.port);
	XT_CHECK(g.intf);
	XT_CHECK(g.intf->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION);
	n = g_req(&g, XS_WATCH, 0, S("data\0w"), out, &t);
	XT_CHECK(t == XS_WATCH);
	OS_WRITE_ONCE(g.intf->connection, XENSTORE_RECONNECT);
	/* xenstored sees the request after our store. */
	os_mb();
	xsim_evtchn_send(x, g.port);
	for (i = 0; i < 50 && OS_READ_ONCE(g.intf->connection) !=
				XENSTORE_CONNECTED; i++)
		g_wait(&g);
	XT_CHECK(g.intf->connection == XENSTORE_CONNECTED);
	XT_CHECK(g.intf->req_prod == 0 && g.intf->req_cons == 0);
	XT_CHECK(g.intf->rsp_prod == 0 && g.intf->rsp_cons == 0);
	/* The watch is gone: dom0's write below sends us nothing. */
	XT_CHECK(!xt_send(c, 0, 1));
	XT_CHECK(xt_recv(c, 0) == 2);
	events = g.nr_events;
	n = g_req(&g, XS_READ, 0, S("data/after"), out, &t);
	XT_CHECK(t == XS_READ && n == 1 && out[0] == 'y');
	XT_CHECK(g.nr_events == events);
	return 0;
}

/* The toolstack's part, as xl and `xensim create` do it. */
static void toolstack_introduce(struct xs_handle *h, uint16_t domid)
{
	struct xs_permissions dirp[2] = { { .id = 0, .perms = XS_PERM_NONE },
					  { .id = domid, .perms = XS_PERM_READ } };
	struct xs_permissions datap[1] = { { .id = domid, .perms = XS_PERM_NONE } };
	struct xsim_domain_info info;
	char path[64];

	assert_int_equal(xsim_domain_info(M.dom0, domid, &info), 0);
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	assert_true(xs_mkdir(h, XBT_NULL, path));
	assert_true(xs_set_permissions(h, XBT_NULL, path, dirp, 2));
	snprintf(path, sizeof(path), "/local/domain/%u/data", domid);
	assert_true(xs_mkdir(h, XBT_NULL, path));
	assert_true(xs_set_permissions(h, XBT_NULL, path, datap, 1));
	assert_true(xs_introduce_domain(h, domid, info.xenstore_gfn,
					info.xenstore_port));
}

static bool wait_event(struct xs_handle *h, const char *path, int ms)
{
	struct pollfd p = { .fd = xs_fileno(h), .events = POLLIN };
	unsigned n;
	char **ev;

	while (poll(&p, 1, ms) == 1) {
		bool hit;

		ev = xs_read_watch(h, &n);
		if (!ev)
			return false;
		hit = !strcmp(ev[XS_WATCH_PATH], path);
		free(ev);
		if (hit)
			return true;
	}
	return false;
}

static void test_guest_ring(void **state)
{
	struct xs_handle *h = xs_open(XS_OPEN_SOCKETONLY), *w;
	struct xt_chan ch;
	uint16_t domid;
	char path[64], *v;
	unsigned len;
	pid_t pid;

	assert_non_null(h);
	w = xs_open(XS_OPEN_SOCKETONLY);
	assert_non_null(w);
	assert_int_equal(xsim_domain_create(M.dom0, "guest", 0, 0, &domid), 0);
	assert_true(xs_watch(w, "@introduceDomain", "in"));
	assert_true(xs_watch(w, "@releaseDomain", "out"));
	assert_true(wait_event(w, "@releaseDomain", 1000));	/* initial */
	toolstack_introduce(h, domid);
	assert_true(wait_event(w, "@introduceDomain", 1000));
	assert_true(xs_is_domain_introduced(h, domid));

	pid = xt_spawn(M.dir, domid, &ch, guest_main, NULL);
	assert_true(pid > 0);
	assert_int_equal(xt_recv(&ch, 1), 1);
	snprintf(path, sizeof(path), "/local/domain/%u/data/hello", domid);
	v = xs_read(h, XBT_NULL, path, &len);
	assert_non_null(v);
	assert_string_equal(v, "world");
	free(v);
	snprintf(path, sizeof(path), "/local/domain/%u/data/tx", domid);
	v = xs_read(h, XBT_NULL, path, &len);
	assert_non_null(v);
	free(v);
	snprintf(path, sizeof(path), "/local/domain/%u/data/fromdom0", domid);
	assert_true(xs_write(h, XBT_NULL, path, "hi", 2));
	assert_int_equal(xt_send(&ch, 1, 2), 0);
	assert_int_equal(xt_wait(pid), 0);

	/* Domain death: xenstored notices, fires @releaseDomain, cleans up. */
	assert_int_equal(xsim_domain_destroy(M.dom0, domid), 0);
	assert_true(wait_event(w, "@releaseDomain", 3000));
	assert_false(xs_is_domain_introduced(h, domid));
	snprintf(path, sizeof(path), "/local/domain/%u/data", domid);
	assert_null(xs_read(h, XBT_NULL, path, &len));
	xs_close(w);
	xs_close(h);
}

static void test_bad_guest(void **state)
{
	struct xs_handle *h = xs_open(XS_OPEN_SOCKETONLY);
	struct xt_chan ch;
	uint16_t domid;
	unsigned len;
	char *v;
	pid_t pid;

	assert_non_null(h);
	assert_int_equal(xsim_domain_create(M.dom0, "bad", 0, 0, &domid), 0);
	toolstack_introduce(h, domid);
	pid = xt_spawn(M.dir, domid, &ch, bad_guest_main, NULL);
	assert_true(pid > 0);
	assert_int_equal(xt_wait(pid), 0);
	/* Only that guest lost xenstore: dom0 is still served. */
	v = xs_read(h, XBT_NULL, "/tool", &len);
	assert_non_null(v);
	free(v);
	assert_true(xs_release_domain(h, domid));
	assert_int_equal(xsim_domain_destroy(M.dom0, domid), 0);
	xs_close(h);
}

static void test_reconnect(void **state)
{
	struct xs_handle *h = xs_open(XS_OPEN_SOCKETONLY);
	struct xt_chan ch;
	uint16_t domid;
	char path[64];
	pid_t pid;

	assert_non_null(h);
	assert_int_equal(xsim_domain_create(M.dom0, "again", 0, 0, &domid), 0);
	toolstack_introduce(h, domid);
	pid = xt_spawn(M.dir, domid, &ch, reconnect_guest_main, NULL);
	assert_true(pid > 0);
	assert_int_equal(xt_recv(&ch, 1), 1);
	snprintf(path, sizeof(path), "/local/domain/%u/data/after", domid);
	assert_true(xs_write(h, XBT_NULL, path, "y", 1));
	assert_int_equal(xt_send(&ch, 1, 2), 0);
	assert_int_equal(xt_wait(pid), 0);
	assert_true(xs_release_domain(h, domid));
	assert_int_equal(xsim_domain_destroy(M.dom0, domid), 0);
	xs_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_ring),
		cmocka_unit_test(test_bad_guest),
		cmocka_unit_test(test_reconnect),
	};

	return cmocka_run_group_tests_name("xenstored guest ring", tests,
					   setup, teardown);
}
