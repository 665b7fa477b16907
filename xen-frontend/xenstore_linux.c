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
#include "xenbus_watch.h"
#include "xen_plat.h"

struct xenbus {
	struct xs_handle *xs;
	uint64_t timeout_ns;
	pthread_t thread;
	int stop_pipe[2];
	struct xb_watchset ws;
	/* Protects st. */
	os_spinlock_t lock;
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
			int r = xb_watchset_event(&xb->ws, vec[XS_WATCH_TOKEN], vec[XS_WATCH_PATH],
						  strlen(vec[XS_WATCH_PATH]));

			if (r > 0) {
				os_spin_lock(&xb->lock);
				xb->st.watch_events++;
				os_spin_unlock(&xb->lock);
			} else if (r < 0) {
				os_warn("xenstore: out of memory, watch event on %s lost",
					vec[XS_WATCH_PATH]);
			}
			free(vec);
		}
	}
	return NULL;
}

int xenbus_open(struct xen_plat *plat, struct xenbus **out)
{
	struct xenbus *xb = os_zalloc(sizeof(*xb));

	if (!xb)
		return -ENOMEM;
	os_spin_init(&xb->lock);
	xb_watchset_init(&xb->ws);
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
	while (xb->ws.watches)
		xenbus_unwatch(xb, xb->ws.watches);
	if (write(xb->stop_pipe[1], "x", 1) != 1)
		os_err("linux: cannot stop the xenstore watch thread");
	pthread_join(xb->thread, NULL);
	xb_watchset_destroy(&xb->ws);
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
	xb_watchset_add(&xb->ws, w);
	if (!xs_watch(xb->xs, path, w->token)) {
		int ret = xb_err(xb);

		xenbus_unwatch(xb, w);
		return ret;
	}
	return 0;
}

void xenbus_unwatch(struct xenbus *xb, struct xenbus_watch *w)
{
	if (!xb_watchset_remove(&xb->ws, w))
		return;
	if (w->path)
		xs_unwatch(xb->xs, w->path, w->token);
	xb_watchset_flush(&xb->ws);
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
