// SPDX-License-Identifier: MIT
/*
 * The xenstore client over the guest's xenstore ring (sim, arm64): xs_wire
 * messages on struct xenstore_domain_interface plus its event channel.
 *
 * Theory of operation: one request is outstanding at a time (req_lock
 * serialises callers). A caller frames its request into the req ring,
 * notifies the daemon and sleeps on a completion. The event-channel handler
 * (dispatch context) drains the rsp ring into a private assembly buffer;
 * a complete reply is copied into the waiting caller's buffer, a watch event
 * is queued for deferred delivery (watch callbacks run in os_work, so they
 * may make requests themselves). The daemon is a peer like any other: ring
 * indices are copied once and checked against the ring size, header
 * lengths against XENSTORE_PAYLOAD_MAX, reply types and request ids
 * against what we asked; any violation marks the connection broken and
 * every request then fails with -EIO. A reply that comes after its caller
 * timed out is recognised by its request id and dropped.
 */
#include "xenbus.h"
#include "xenbus_watch.h"
#include "evtchn.h"
#include "xen_plat.h"

/* xs_wire.h's error table names errnos the freestanding errno.h lacks. */
#ifndef EISDIR
#define EISDIR 21
#endif
#ifndef EROFS
#define EROFS 30
#endif

#define XB_DEFAULT_TIMEOUT_NS (10 * OS_NSEC_PER_SEC)
#define XB_MSG_MAX (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)

/* A caller waiting for the reply to req_id. */
struct xb_waiter {
	uint32_t req_id;
	uint32_t type;			/* reply type (XS_ERROR or the request's) */
	char *buf;			/* XENSTORE_PAYLOAD_MAX + 1 bytes */
	uint32_t len;
	bool replied;
};

struct xenbus {
	struct xen_plat *plat;
	struct xenstore_domain_interface *intf;
	uint32_t port;
	uint64_t timeout_ns;

	/* Serialises requests: one outstanding, req ring writer, next_req_id. */
	struct os_mutex req_lock;
	uint32_t next_req_id;
	XENSTORE_RING_IDX req_prod;	/* shadow of intf->req_prod */

	/* Protects the receive side: rx state, waiter, stale_req_id, broken. */
	os_spinlock_t rx_lock;
	XENSTORE_RING_IDX rsp_cons;	/* shadow of intf->rsp_cons */
	uint8_t rx[XB_MSG_MAX];
	uint32_t rx_got;
	struct xb_waiter *waiter;
	uint32_t stale_req_id;		/* a timed-out request's id, or 0 */
	/*
	 * Signalled when the waiter was taken (reply or breakage). It lives
	 * here, not on the caller's stack, because the receive side signals it
	 * after dropping rx_lock, when the caller may already have returned.
	 */
	struct os_completion reply_done;
	atomic_bool broken;

	struct xb_watchset ws;

	struct xenbus_stats st;		/* updated under req_lock / rx_lock */
};

static const struct {
	const char *name;
	int err;
} xb_errors[] = {
	{ "EINVAL", EINVAL }, { "EACCES", EACCES }, { "EEXIST", EEXIST },
	{ "EISDIR", EISDIR }, { "ENOENT", ENOENT }, { "ENOMEM", ENOMEM },
	{ "ENOSPC", ENOSPC }, { "EIO", EIO }, { "ENOTEMPTY", ENOTEMPTY },
	{ "ENOSYS", ENOSYS }, { "EROFS", EROFS }, { "EBUSY", EBUSY },
	{ "EAGAIN", EAGAIN }, { "EISCONN", EISCONN }, { "E2BIG", E2BIG },
	{ "EPERM", EPERM },
};

static int xb_errno(const char *s, uint32_t len)
{
	for (unsigned i = 0; i < OS_ARRAY_SIZE(xb_errors); i++) {
		size_t n = strlen(xb_errors[i].name);

		if (len >= n && !memcmp(s, xb_errors[i].name, n) &&
		    (len == n || s[n] == '\0'))
			return -xb_errors[i].err;
	}
	return -EIO;
}

static void xb_mark_broken(struct xenbus *xb, const char *why)
{
	if (!atomic_exchange(&xb->broken, true))
		os_err("xenstore: the daemon broke the ring protocol (%s); "
		       "xenstore is unusable from now on", why);
}

/* ---- receive side (event-channel dispatch context) ------------------------ */

static void xb_queue_watch_event(struct xenbus *xb, const char *body, uint32_t len)
{
	const char *path = body, *token;
	size_t plen = strnlen(body, len);

	/* "path\0token\0": both strings must be terminated inside the body. */
	if (plen == len) {
		xb_mark_broken(xb, "unterminated watch event");
		return;
	}
	token = body + plen + 1;
	if (strnlen(token, len - plen - 1) == len - plen - 1) {
		xb_mark_broken(xb, "unterminated watch token");
		return;
	}
	switch (xb_watchset_event(&xb->ws, token, path, plen)) {
	case 1:
		xb->st.watch_events++;
		break;
	case 0:
		/* An event racing with xenbus_unwatch(): harmless. */
		break;
	default:
		os_warn("xenstore: out of memory, watch event on %s lost", path);
		break;
	}
}

/* A whole message is in xb->rx. Called with rx_lock held. */
static void xb_rx_message(struct xenbus *xb, struct os_completion **wake)
{
	struct xsd_sockmsg hdr;
	const char *body = (const char *)xb->rx + sizeof(hdr);
	struct xb_waiter *wt = xb->waiter;

	memcpy(&hdr, xb->rx, sizeof(hdr));
	if (hdr.type == XS_WATCH_EVENT) {
		os_spin_unlock(&xb->rx_lock);
		xb_queue_watch_event(xb, body, hdr.len);
		os_spin_lock(&xb->rx_lock);
		return;
	}
	if (wt && hdr.req_id == wt->req_id) {
		wt->type = hdr.type;
		wt->len = hdr.len;
		wt->replied = true;
		memcpy(wt->buf, body, hdr.len);
		wt->buf[hdr.len] = '\0';
		xb->waiter = NULL;
		*wake = &xb->reply_done;
		return;
	}
	if (xb->stale_req_id && hdr.req_id == xb->stale_req_id) {
		xb->stale_req_id = 0;
		return;
	}
	xb_mark_broken(xb, "reply to a request never made");
}

/* Drain the rsp ring. Event-channel handler of the xenstore port. */
static void xb_rx(uint32_t port, void *priv)
{
	struct xenbus *xb = priv;
	struct xenstore_domain_interface *intf = xb->intf;
	struct os_completion *wake = NULL;
	bool consumed = false;

	os_spin_lock(&xb->rx_lock);
	while (!atomic_load(&xb->broken)) {
		XENSTORE_RING_IDX prod = OS_READ_ONCE(intf->rsp_prod);
		XENSTORE_RING_IDX cons = xb->rsp_cons;
		uint32_t avail = prod - cons, want, n;

		if (avail > XENSTORE_RING_SIZE) {
			xb_mark_broken(xb, "rsp_prod out of range");
			break;
		}
		if (!avail)
			break;
		/* We read the bytes only after we saw rsp_prod cover them. */
		os_rmb();
		if (xb->rx_got < sizeof(struct xsd_sockmsg)) {
			want = (uint32_t)sizeof(struct xsd_sockmsg) - xb->rx_got;
		} else {
			struct xsd_sockmsg hdr;

			memcpy(&hdr, xb->rx, sizeof(hdr));
			want = (uint32_t)sizeof(hdr) + hdr.len - xb->rx_got;
		}
		n = OS_MIN(want, avail);
		for (uint32_t i = 0; i < n; i++)
			xb->rx[xb->rx_got + i] =
				(uint8_t)OS_READ_ONCE(intf->rsp[MASK_XENSTORE_IDX(cons + i)]);
		xb->rx_got += n;
		xb->rsp_cons = cons + n;
		/* The daemon sees our reads done before it sees the space. */
		os_mb();
		OS_WRITE_ONCE(intf->rsp_cons, xb->rsp_cons);
		consumed = true;

		if (xb->rx_got == sizeof(struct xsd_sockmsg)) {
			struct xsd_sockmsg hdr;

			memcpy(&hdr, xb->rx, sizeof(hdr));
			if (hdr.len > XENSTORE_PAYLOAD_MAX) {
				xb_mark_broken(xb, "message longer than XENSTORE_PAYLOAD_MAX");
				break;
			}
			if (hdr.type >= XS_TYPE_COUNT) {
				xb_mark_broken(xb, "unknown message type");
				break;
			}
		}
		if (xb->rx_got >= sizeof(struct xsd_sockmsg)) {
			struct xsd_sockmsg hdr;

			memcpy(&hdr, xb->rx, sizeof(hdr));
			if (xb->rx_got == sizeof(hdr) + hdr.len) {
				xb_rx_message(xb, &wake);
				xb->rx_got = 0;
			}
		}
	}
	if (atomic_load(&xb->broken) && xb->waiter) {
		wake = &xb->reply_done;
		xb->waiter = NULL;
	}
	os_spin_unlock(&xb->rx_lock);
	if (wake)
		os_complete(wake);
	/* The daemon sees the freed space (rsp_cons) before this event. */
	if (consumed)
		evtchn_send(xb->plat, xb->port);
}

/* ---- send side --------------------------------------------------------------- */

/* Copy @len bytes into the req ring, waiting for room. req_lock held. */
static int xb_ring_write(struct xenbus *xb, const void *data, uint32_t len,
			 uint64_t deadline)
{
	struct xenstore_domain_interface *intf = xb->intf;
	const uint8_t *p = data;

	while (len) {
		XENSTORE_RING_IDX cons = OS_READ_ONCE(intf->req_cons);
		uint32_t used = xb->req_prod - cons, n;

		if (used > XENSTORE_RING_SIZE) {
			xb_mark_broken(xb, "req_cons out of range");
			return -EIO;
		}
		if (used == XENSTORE_RING_SIZE) {
			if (os_now_ns() > deadline)
				return -ETIMEDOUT;
			evtchn_send(xb->plat, xb->port);
			os_sleep_ns(50 * 1000);
			continue;
		}
		/* We read req_cons before we overwrite the space it freed. */
		os_mb();
		n = OS_MIN(len, XENSTORE_RING_SIZE - used);
		for (uint32_t i = 0; i < n; i++)
			OS_WRITE_ONCE(intf->req[MASK_XENSTORE_IDX(xb->req_prod + i)],
				      (char)p[i]);
		/* The daemon sees the bytes before it sees req_prod cover them. */
		os_wmb();
		xb->req_prod += n;
		OS_WRITE_ONCE(intf->req_prod, xb->req_prod);
		p += n;
		len -= n;
	}
	return 0;
}

struct xb_iov {
	const void *base;
	uint32_t len;
};

/*
 * Send one request and wait for its reply. On success the reply body (NUL
 * terminated) is in @reply (XENSTORE_PAYLOAD_MAX + 1 bytes) and its length
 * is returned; an XS_ERROR reply becomes its negative errno.
 */
static int xb_request(struct xenbus *xb, xenbus_tx_t tx, uint32_t type,
		      const struct xb_iov *iov, unsigned niov, char *reply)
{
	struct xsd_sockmsg hdr = { .type = type, .tx_id = tx };
	struct xb_waiter wt = { .buf = reply };
	uint64_t deadline;
	int ret;

	for (unsigned i = 0; i < niov; i++)
		hdr.len += iov[i].len;
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;

	os_mutex_lock(&xb->req_lock);
	if (atomic_load(&xb->broken)) {
		ret = -EIO;
		goto out_unlock;
	}
	xb->st.requests++;
	if (++xb->next_req_id == 0)
		xb->next_req_id = 1;
	hdr.req_id = wt.req_id = xb->next_req_id;
	os_completion_reinit(&xb->reply_done);
	os_spin_lock(&xb->rx_lock);
	xb->waiter = &wt;
	os_spin_unlock(&xb->rx_lock);

	deadline = os_now_ns() + xb->timeout_ns;
	ret = xb_ring_write(xb, &hdr, sizeof(hdr), deadline);
	for (unsigned i = 0; !ret && i < niov; i++)
		ret = xb_ring_write(xb, iov[i].base, iov[i].len, deadline);
	/* The daemon sees the whole request (req_prod) before this event. */
	if (!ret)
		evtchn_send(xb->plat, xb->port);
	for (;;) {
		uint64_t now = os_now_ns();

		if (!ret)
			ret = os_completion_wait(&xb->reply_done,
						 deadline > now ? deadline - now : 0);
		/* Rearm first: a signal after this is for us and is kept. */
		os_completion_reinit(&xb->reply_done);
		os_spin_lock(&xb->rx_lock);
		if (xb->waiter != &wt) {
			/* Taken by the receive side: a reply, or the ring broke. */
			os_spin_unlock(&xb->rx_lock);
			ret = 0;
			break;
		}
		if (ret || os_now_ns() >= deadline) {
			/* No reply (timeout, write failure): forget the waiter. */
			xb->waiter = NULL;
			xb->stale_req_id = wt.req_id;
			os_spin_unlock(&xb->rx_lock);
			if (!ret)
				ret = -ETIMEDOUT;
			break;
		}
		/* A late signal of an earlier request: wait again. */
		os_spin_unlock(&xb->rx_lock);
	}
	if (ret == -ETIMEDOUT) {
		xb->st.timeouts++;
		os_warn("xenstore: no reply from the daemon in %llu ms",
			(unsigned long long)(xb->timeout_ns / OS_NSEC_PER_MSEC));
	}
	if (ret)
		goto out_unlock;
	if (!wt.replied) {
		ret = -EIO;
	} else if (wt.type == XS_ERROR) {
		ret = xb_errno(reply, wt.len);
		xb->st.errors++;
	} else if (wt.type != type) {
		xb_mark_broken(xb, "reply of the wrong type");
		ret = -EIO;
	} else {
		ret = (int)wt.len;
	}
out_unlock:
	os_mutex_unlock(&xb->req_lock);
	return ret;
}

/* A request whose payload is one NUL-terminated string. */
static int xb_request_str(struct xenbus *xb, xenbus_tx_t tx, uint32_t type,
			  const char *s, char *reply)
{
	struct xb_iov iov = { s, (uint32_t)strlen(s) + 1 };

	if (strlen(s) >= XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	return xb_request(xb, tx, type, &iov, 1, reply);
}

static char *xb_reply_buf(void)
{
	return os_zalloc(XENSTORE_PAYLOAD_MAX + 1);
}

/* ---- the API ---------------------------------------------------------------- */

int xenbus_read(struct xenbus *xb, xenbus_tx_t tx, const char *path, char *buf,
		size_t size)
{
	char *r = xb_reply_buf();
	int ret;

	if (!r)
		return -ENOMEM;
	ret = xb_request_str(xb, tx, XS_READ, path, r);
	if (ret >= 0) {
		if ((size_t)ret >= size)
			ret = -EOVERFLOW;
		else
			memcpy(buf, r, (size_t)ret + 1);
	}
	os_free(r);
	return ret;
}

int xenbus_write(struct xenbus *xb, xenbus_tx_t tx, const char *path,
		 const char *val)
{
	struct xb_iov iov[2] = {
		{ path, (uint32_t)strlen(path) + 1 },
		{ val, (uint32_t)strlen(val) },
	};
	char *r = xb_reply_buf();
	int ret;

	if (!r)
		return -ENOMEM;
	if (strlen(path) + strlen(val) >= XENSTORE_PAYLOAD_MAX)
		ret = -E2BIG;
	else
		ret = xb_request(xb, tx, XS_WRITE, iov, 2, r);
	os_free(r);
	return ret < 0 ? ret : 0;
}

static int xb_simple(struct xenbus *xb, xenbus_tx_t tx, uint32_t type,
		     const char *path)
{
	char *r = xb_reply_buf();
	int ret;

	if (!r)
		return -ENOMEM;
	ret = xb_request_str(xb, tx, type, path, r);
	os_free(r);
	return ret < 0 ? ret : 0;
}

int xenbus_mkdir(struct xenbus *xb, xenbus_tx_t tx, const char *path)
{
	return xb_simple(xb, tx, XS_MKDIR, path);
}

int xenbus_rm(struct xenbus *xb, xenbus_tx_t tx, const char *path)
{
	int ret = xb_simple(xb, tx, XS_RM, path);

	return ret == -ENOENT ? 0 : ret;
}

int xenbus_directory(struct xenbus *xb, xenbus_tx_t tx, const char *path,
		     char *buf, size_t size)
{
	char *r = xb_reply_buf();
	int ret, count = 0;

	if (!r)
		return -ENOMEM;
	ret = xb_request_str(xb, tx, XS_DIRECTORY, path, r);
	if (ret < 0)
		goto out;
	/* Every name must be NUL-terminated inside the reply. */
	if (ret > 0 && r[ret - 1] != '\0') {
		ret = -EPROTO;
		goto out;
	}
	if ((size_t)ret > size) {
		ret = -EOVERFLOW;
		goto out;
	}
	memcpy(buf, r, (size_t)ret);
	for (int i = 0; i < ret; i++)
		if (!r[i])
			count++;
	ret = count;
out:
	os_free(r);
	return ret;
}

int xenbus_transaction_start(struct xenbus *xb, xenbus_tx_t *tx)
{
	char *r = xb_reply_buf();
	uint64_t id;
	int ret;

	if (!r)
		return -ENOMEM;
	ret = xb_request_str(xb, XENBUS_TX_NONE, XS_TRANSACTION_START, "", r);
	if (ret >= 0) {
		ret = xenbus_parse_u64(r, 10, UINT32_MAX, &id);
		if (ret || !id)
			ret = -EPROTO;
		else
			*tx = (xenbus_tx_t)id;
	}
	os_free(r);
	return ret < 0 ? ret : 0;
}

int xenbus_transaction_end(struct xenbus *xb, xenbus_tx_t tx, bool abort)
{
	return xb_simple(xb, tx, XS_TRANSACTION_END, abort ? "F" : "T");
}

int xenbus_watch(struct xenbus *xb, struct xenbus_watch *w, const char *path)
{
	struct xb_iov iov[2];
	char *r;
	int ret;

	w->path = os_zalloc(strlen(path) + 1);
	r = xb_reply_buf();
	if (!w->path || !r) {
		ret = -ENOMEM;
		goto out_free;
	}
	memcpy(w->path, path, strlen(path) + 1);
	xb_watchset_add(&xb->ws, w);

	iov[0] = (struct xb_iov){ path, (uint32_t)strlen(path) + 1 };
	iov[1] = (struct xb_iov){ w->token, (uint32_t)strlen(w->token) + 1 };
	ret = xb_request(xb, XENBUS_TX_NONE, XS_WATCH, iov, 2, r);
	if (ret >= 0) {
		os_free(r);
		return 0;
	}
	os_free(r);
	xenbus_unwatch(xb, w);
	return ret;
out_free:
	os_free(r);
	os_free(w->path);
	w->path = NULL;
	return ret;
}

void xenbus_unwatch(struct xenbus *xb, struct xenbus_watch *w)
{
	if (!xb_watchset_remove(&xb->ws, w))
		return;
	if (w->path) {
		struct xb_iov iov[2] = {
			{ w->path, (uint32_t)strlen(w->path) + 1 },
			{ w->token, (uint32_t)strlen(w->token) + 1 },
		};
		char *r = xb_reply_buf();

		if (r)
			xb_request(xb, XENBUS_TX_NONE, XS_UNWATCH, iov, 2, r);
		os_free(r);
	}
	/* A callback of @w may be running right now: wait for it. */
	xb_watchset_flush(&xb->ws);
	os_free(w->path);
	w->path = NULL;
}

void xenbus_set_timeout(struct xenbus *xb, uint64_t timeout_ns)
{
	xb->timeout_ns = timeout_ns;
}

void xenbus_get_stats(struct xenbus *xb, struct xenbus_stats *st)
{
	os_mutex_lock(&xb->req_lock);
	*st = xb->st;
	os_mutex_unlock(&xb->req_lock);
}

int xenbus_open(struct xen_plat *plat, struct xenbus **out)
{
	struct xenbus *xb;
	int ret;

	xb = os_zalloc(sizeof(*xb));
	if (!xb)
		return -ENOMEM;
	xb->plat = plat;
	xb->timeout_ns = XB_DEFAULT_TIMEOUT_NS;
	os_mutex_init(&xb->req_lock);
	os_spin_init(&xb->rx_lock);
	xb_watchset_init(&xb->ws);
	os_completion_init(&xb->reply_done);
	ret = xen_plat_xs_ring(plat, &xb->intf, &xb->port);
	if (ret)
		goto out_free;
	/* Pick up where a previous client of this ring left off. */
	xb->req_prod = OS_READ_ONCE(xb->intf->req_prod);
	xb->rsp_cons = OS_READ_ONCE(xb->intf->rsp_cons);
	ret = evtchn_open(plat);
	if (ret)
		goto out_free;
	ret = evtchn_bind(plat, xb->port, xb_rx, xb);
	if (ret) {
		evtchn_close_all(plat);
		goto out_free;
	}
	*out = xb;
	return 0;

out_free:
	os_completion_destroy(&xb->reply_done);
	os_mutex_destroy(&xb->req_lock);
	os_free(xb);
	return ret;
}

void xenbus_close(struct xenbus *xb)
{
	if (!xb)
		return;
	while (xb->ws.watches)
		xenbus_unwatch(xb, xb->ws.watches);
	evtchn_unbind(xb->plat, xb->port);
	xb_watchset_destroy(&xb->ws);
	evtchn_close_all(xb->plat);
	os_completion_destroy(&xb->reply_done);
	os_mutex_destroy(&xb->req_lock);
	os_free(xb);
}
