// SPDX-License-Identifier: MIT
/*
 * The xenstore client on a Linux domU's userspace: the xenbus_* API of
 * xenbus.h on libxenstore (/dev/xen/xenbus). libxenstore validates the
 * wire; we add the same watch delivery as the ring client (a thread reads
 * watch events, callbacks run in deferred work) and errno conversion.
 * libxenstore has no request timeout: xenbus_set_timeout() only records it.
 */
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <xenstore.h>

#include "xenbus.h"
#include "xen_plat.h"

struct xb_event {
	struct xb_event *next;
	struct xenbus_watch *w;
	char path[];
};

struct xenbus {
	struct xs_handle *xs;
	uint64_t timeout_ns;
	pthread_t thread;
	int stop_pipe[2];
	/* Protects watches, the event queue, watch_id and st. */
	os_spinlock_t lock;
	struct xenbus_watch *watches;
	struct xb_event *ev_head, *ev_tail;
	uint32_t watch_id;
	struct os_work watch_work;
	struct xenbus_stats st;
};

static int xb_err(struct xenbus *xb)
{
	int e = errno ? errno : EIO;

	os_spin_lock(&xb->lock);
	xb->st.requests++;
	xb->st.errors++;
	os_spin_unlock(&xb->lock);
	return -e;
}

static void xb_count(struct xenbus *xb)
{
	os_spin_lock(&xb->lock);
	xb->st.requests++;
	os_spin_unlock(&xb->lock);
}

static void *xb_watch_thread(void *arg)
{
	struct xenbus *xb = arg;
	struct pollfd fds[2] = {
		{ .fd = xs_fileno(xb->xs), .events = POLLIN },
		{ .fd = xb->stop_pipe[0], .events = POLLIN },
	};

	for (;;) {
		char **vec;

		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			break;
		if (fds[1].revents)
			break;
		while ((vec = xs_check_watch(xb->xs))) {
			struct xenbus_watch *w;
			struct xb_event *ev = NULL;
			size_t len = strlen(vec[XS_WATCH_PATH]);

			os_spin_lock(&xb->lock);
			for (w = xb->watches; w; w = w->next)
				if (!strcmp(w->token, vec[XS_WATCH_TOKEN]))
					break;
			if (w)
				ev = os_zalloc(sizeof(*ev) + len + 1);
			if (ev) {
				ev->w = w;
				memcpy(ev->path, vec[XS_WATCH_PATH], len + 1);
				if (xb->ev_tail)
					xb->ev_tail->next = ev;
				else
					xb->ev_head = ev;
				xb->ev_tail = ev;
				xb->st.watch_events++;
			}
			os_spin_unlock(&xb->lock);
			free(vec);
			if (ev)
				os_work_queue(&xb->watch_work);
		}
	}
	return NULL;
}

static void xb_watch_work(struct os_work *work)
{
	struct xenbus *xb = os_container_of(work, struct xenbus, watch_work);

	for (;;) {
		struct xb_event *ev;

		os_spin_lock(&xb->lock);
		ev = xb->ev_head;
		if (ev) {
			xb->ev_head = ev->next;
			if (!xb->ev_head)
				xb->ev_tail = NULL;
		}
		os_spin_unlock(&xb->lock);
		if (!ev)
			break;
		ev->w->fn(ev->w, ev->path);
		os_free(ev);
	}
}

int xenbus_open(struct xen_plat *plat, struct xenbus **out)
{
	struct xenbus *xb = os_zalloc(sizeof(*xb));

	if (!xb)
		return -ENOMEM;
	os_spin_init(&xb->lock);
	os_work_init(&xb->watch_work, xb_watch_work);
	xb->xs = xs_open(0);
	if (!xb->xs) {
		int ret = -errno;

		os_err("linux: cannot open xenstore: %s", strerror(-ret));
		os_free(xb);
		return ret ? ret : -ENODEV;
	}
	if (pipe(xb->stop_pipe) || pthread_create(&xb->thread, NULL, xb_watch_thread, xb)) {
		xs_close(xb->xs);
		os_free(xb);
		return -EAGAIN;
	}
	*out = xb;
	return 0;
}

void xenbus_close(struct xenbus *xb)
{
	if (!xb)
		return;
	while (xb->watches)
		xenbus_unwatch(xb, xb->watches);
	if (write(xb->stop_pipe[1], "x", 1) != 1)
		os_err("linux: cannot stop the xenstore watch thread");
	pthread_join(xb->thread, NULL);
	os_work_cancel_sync(&xb->watch_work);
	while (xb->ev_head) {
		struct xb_event *ev = xb->ev_head;

		xb->ev_head = ev->next;
		os_free(ev);
	}
	close(xb->stop_pipe[0]);
	close(xb->stop_pipe[1]);
	xs_close(xb->xs);
	os_free(xb);
}

void xenbus_set_timeout(struct xenbus *xb, uint64_t timeout_ns)
{
	xb->timeout_ns = timeout_ns;
}

void xenbus_get_stats(struct xenbus *xb, struct xenbus_stats *st)
{
	os_spin_lock(&xb->lock);
	*st = xb->st;
	os_spin_unlock(&xb->lock);
}

int xenbus_read(struct xenbus *xb, xenbus_tx_t tx, const char *path, char *buf,
		size_t size)
{
	unsigned int len = 0;
	char *v = xs_read(xb->xs, tx, path, &len);
	int ret;

	if (!v)
		return xb_err(xb);
	xb_count(xb);
	if (len >= size) {
		ret = -EOVERFLOW;
	} else {
		memcpy(buf, v, len);
		buf[len] = '\0';
		ret = (int)len;
	}
	free(v);
	return ret;
}

int xenbus_write(struct xenbus *xb, xenbus_tx_t tx, const char *path,
		 const char *val)
{
	if (!xs_write(xb->xs, tx, path, val, (unsigned)strlen(val)))
		return xb_err(xb);
	xb_count(xb);
	return 0;
}

int xenbus_mkdir(struct xenbus *xb, xenbus_tx_t tx, const char *path)
{
	if (!xs_mkdir(xb->xs, tx, path))
		return xb_err(xb);
	xb_count(xb);
	return 0;
}

int xenbus_rm(struct xenbus *xb, xenbus_tx_t tx, const char *path)
{
	if (!xs_rm(xb->xs, tx, path) && errno != ENOENT)
		return xb_err(xb);
	xb_count(xb);
	return 0;
}

int xenbus_directory(struct xenbus *xb, xenbus_tx_t tx, const char *path,
		     char *buf, size_t size)
{
	unsigned int n = 0;
	char **list = xs_directory(xb->xs, tx, path, &n);
	size_t used = 0;

	if (!list)
		return xb_err(xb);
	xb_count(xb);
	for (unsigned i = 0; i < n; i++) {
		size_t l = strlen(list[i]) + 1;

		if (used + l > size) {
			free(list);
			return -EOVERFLOW;
		}
		memcpy(buf + used, list[i], l);
		used += l;
	}
	free(list);
	return (int)n;
}

int xenbus_watch(struct xenbus *xb, struct xenbus_watch *w, const char *path)
{
	w->path = os_zalloc(strlen(path) + 1);
	if (!w->path)
		return -ENOMEM;
	memcpy(w->path, path, strlen(path) + 1);
	os_spin_lock(&xb->lock);
	os_snprintf(w->token, sizeof(w->token), "vscmi-w%u", ++xb->watch_id);
	w->next = xb->watches;
	xb->watches = w;
	os_spin_unlock(&xb->lock);
	if (!xs_watch(xb->xs, path, w->token)) {
		int ret = xb_err(xb);

		xenbus_unwatch(xb, w);
		return ret;
	}
	return 0;
}

void xenbus_unwatch(struct xenbus *xb, struct xenbus_watch *w)
{
	struct xenbus_watch **pp;
	struct xb_event **ep, *ev;
	bool found = false;

	os_spin_lock(&xb->lock);
	for (pp = &xb->watches; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			found = true;
			break;
		}
	}
	for (ep = &xb->ev_head; (ev = *ep);) {
		if (ev->w == w) {
			*ep = ev->next;
			os_free(ev);
		} else {
			ep = &ev->next;
		}
	}
	xb->ev_tail = NULL;
	for (ev = xb->ev_head; ev; ev = ev->next)
		xb->ev_tail = ev;
	os_spin_unlock(&xb->lock);
	if (!found)
		return;
	if (w->path)
		xs_unwatch(xb->xs, w->path, w->token);
	os_work_flush(&xb->watch_work);
	os_free(w->path);
	w->path = NULL;
}

int xenbus_transaction_start(struct xenbus *xb, xenbus_tx_t *tx)
{
	xs_transaction_t t = xs_transaction_start(xb->xs);

	if (t == XBT_NULL)
		return xb_err(xb);
	xb_count(xb);
	*tx = (xenbus_tx_t)t;
	return 0;
}

int xenbus_transaction_end(struct xenbus *xb, xenbus_tx_t tx, bool abort)
{
	if (!xs_transaction_end(xb->xs, (xs_transaction_t)tx, abort))
		return xb_err(xb);
	xb_count(xb);
	return 0;
}
