// SPDX-License-Identifier: MIT
/*
 * The parts of the xenstore client both implementations share (ring:
 * xenstore.c, libxenstore: xenstore_linux.c): formatted writes, strict
 * number parsing, the transaction retry loop and the watch bookkeeping.
 */
#include "xenbus.h"
#include "xenbus_watch.h"

int xenbus_parse_u64(const char *s, unsigned base, uint64_t max, uint64_t *out)
{
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return -EINVAL;
	return os_parse_u64(s, base, max, out);
}

int xenbus_printf(struct xenbus *xb, xenbus_tx_t tx, const char *dir,
		  const char *key, const char *fmt, ...)
{
	char path[256], val[256];
	va_list ap;
	int n;

	if (os_snprintf(path, sizeof(path), "%s/%s", dir, key) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	n = os_vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(val))
		return -E2BIG;
	return xenbus_write(xb, tx, path, val);
}

int xenbus_read_u64(struct xenbus *xb, xenbus_tx_t tx, const char *dir,
		    const char *key, unsigned base, uint64_t max, uint64_t *out)
{
	char path[256], val[32];
	int ret;

	if (os_snprintf(path, sizeof(path), "%s/%s", dir, key) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	ret = xenbus_read(xb, tx, path, val, sizeof(val));
	if (ret == -EOVERFLOW)
		return -EINVAL;		/* longer than any number we accept */
	if (ret < 0)
		return ret;
	return xenbus_parse_u64(val, base, max, out);
}

int xenbus_transact(struct xenbus *xb, unsigned tries,
		    int (*fn)(struct xenbus *xb, xenbus_tx_t tx, void *arg),
		    void *arg)
{
	int ret = -EAGAIN;

	for (unsigned i = 0; i < tries && ret == -EAGAIN; i++) {
		xenbus_tx_t tx;

		ret = xenbus_transaction_start(xb, &tx);
		if (ret)
			return ret;
		ret = fn(xb, tx, arg);
		if (ret) {
			xenbus_transaction_end(xb, tx, true);
			if (ret != -EAGAIN)
				return ret;
			continue;
		}
		ret = xenbus_transaction_end(xb, tx, false);
	}
	return ret;
}

/* ---- watches (both clients) -------------------------------------------- */

/* One watch event waiting for delivery. */
struct xb_event {
	struct xb_event *next;
	struct xenbus_watch *w;
	char path[];
};

/* Deferred work: run the queued watch callbacks, one at a time, in order. */
static void xb_watchset_work(struct os_work *work)
{
	struct xb_watchset *ws = os_container_of(work, struct xb_watchset, work);

	for (;;) {
		struct xb_event *ev;

		os_spin_lock(&ws->lock);
		ev = ws->ev_head;
		if (ev) {
			ws->ev_head = ev->next;
			if (!ws->ev_head)
				ws->ev_tail = NULL;
		}
		os_spin_unlock(&ws->lock);
		if (!ev)
			break;
		ev->w->fn(ev->w, ev->path);
		os_free(ev);
	}
}

void xb_watchset_init(struct xb_watchset *ws)
{
	os_spin_init(&ws->lock);
	ws->watches = NULL;
	ws->ev_head = ws->ev_tail = NULL;
	ws->next_id = 0;
	os_work_init(&ws->work, xb_watchset_work);
}

void xb_watchset_add(struct xb_watchset *ws, struct xenbus_watch *w)
{
	os_spin_lock(&ws->lock);
	os_snprintf(w->token, sizeof(w->token), "vscmi-w%u", ++ws->next_id);
	w->next = ws->watches;
	ws->watches = w;
	os_spin_unlock(&ws->lock);
}

bool xb_watchset_remove(struct xb_watchset *ws, struct xenbus_watch *w)
{
	struct xenbus_watch **pp;
	struct xb_event **ep, *ev;
	bool found = false;

	os_spin_lock(&ws->lock);
	for (pp = &ws->watches; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			found = true;
			break;
		}
	}
	/* Drop the events not delivered yet. */
	for (ep = &ws->ev_head; (ev = *ep);) {
		if (ev->w == w) {
			*ep = ev->next;
			os_free(ev);
		} else {
			ep = &ev->next;
		}
	}
	ws->ev_tail = NULL;
	for (ev = ws->ev_head; ev; ev = ev->next)
		ws->ev_tail = ev;
	os_spin_unlock(&ws->lock);
	return found;
}

int xb_watchset_event(struct xb_watchset *ws, const char *token, const char *path,
		      size_t plen)
{
	struct xenbus_watch *w;
	struct xb_event *ev;

	os_spin_lock(&ws->lock);
	for (w = ws->watches; w; w = w->next)
		if (!strcmp(w->token, token))
			break;
	if (!w) {
		os_spin_unlock(&ws->lock);
		return 0;
	}
	ev = os_zalloc(sizeof(*ev) + plen + 1);
	if (!ev) {
		os_spin_unlock(&ws->lock);
		return -ENOMEM;
	}
	ev->w = w;
	memcpy(ev->path, path, plen);
	ev->path[plen] = '\0';
	if (ws->ev_tail)
		ws->ev_tail->next = ev;
	else
		ws->ev_head = ev;
	ws->ev_tail = ev;
	os_spin_unlock(&ws->lock);
	os_work_queue(&ws->work);
	return 1;
}

void xb_watchset_flush(struct xb_watchset *ws)
{
	os_work_flush(&ws->work);
}

void xb_watchset_destroy(struct xb_watchset *ws)
{
	os_work_cancel_sync(&ws->work);
	while (ws->ev_head) {
		struct xb_event *ev = ws->ev_head;

		ws->ev_head = ev->next;
		os_free(ev);
	}
	ws->ev_tail = NULL;
}
