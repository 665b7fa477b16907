// SPDX-License-Identifier: MIT
/*
 * xensim-xenstored's server: one poll(2) loop around the engine.
 *
 * Theory of operation: dom0 clients connect to <dir>/xenstored.sock; each
 * accepted socket is a privileged engine connection (as Xen's socket
 * connections are). Guests are served through their xenstore ring page,
 * mapped through libxensim as Xen's xenstored maps the reserved xenstore
 * grant, and an interdomain event channel bound to the port INTRODUCE
 * names. The loop waits on the listening socket, the clients, the
 * event-channel fd and a self-pipe that signals (stop, freeze) write to.
 * After anything happened it moves bytes both ways on every ring and
 * flushes every socket, because one client's request can queue watch
 * events for any other.
 *
 * The ring is the guest's memory: indices are read once per pass and
 * checked (a producer more than a ring ahead is a protocol error, reported
 * in the page's error field, as Xen does), our own indices are kept in a
 * private shadow, and a broken guest only loses its own connection.
 *
 * Fault injection: while frozen (CONTROL freeze|MS, or SIGUSR1 with the
 * milliseconds in <dir>/xenstored.freeze) the loop serves nothing - no
 * accept, no reads, no ring - and then resumes where it was.
 *
 * Every few hundred milliseconds the server checks, as Xen's xenstored does
 * on VIRQ_DOM_EXC, whether an introduced domain died, and releases it.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <vscmi/os.h>
#include <vscmi/xensim.h>

#include "server.h"

#define DOMAIN_CHECK_NS (250 * OS_NSEC_PER_MSEC)

struct sock_client {
	int fd;
	struct xsd_conn *c;
};

/** A guest served through its ring. */
struct ring_dom {
	uint16_t domid;
	bool dead;			/* protocol error: ignored */
	uint32_t local_port;		/* our end of the event channel */
	struct xenstore_domain_interface *intf;
	XENSTORE_RING_IDX req_cons;	/* private shadows of our indices */
	XENSTORE_RING_IDX rsp_prod;
	struct xsd_conn *c;
};

struct xsd_server {
	char dir[256];
	char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct xsd_engine *e;
	struct xsim *x;			/* NULL with socket_only */
	int listen_fd;
	int wake[2];			/* self-pipe: 'q' stop, 'f' freeze */
	struct sock_client *cl;
	unsigned nr_cl, cap_cl;
	struct ring_dom *rd[XSIM_MAX_DOMAINS];
	uint64_t frozen_until;		/* os_now_ns(); 0: not frozen */
	uint64_t next_check;
	bool stop;
	size_t out_limit;
};

/* ---- the guest door ---------------------------------------------------- */

static void ring_notify(struct xsd_server *s, struct ring_dom *r)
{
	/* The guest sees our index updates before the event (send is a
	 * full barrier in libxensim). */
	xsim_evtchn_send(s->x, r->local_port);
}

static void ring_fail(struct xsd_server *s, struct ring_dom *r, uint32_t err)
{
	os_warn("xenstored: domain %u broke the ring protocol (error %u); "
		"ignoring it", r->domid, err);
	r->dead = true;
	OS_WRITE_ONCE(r->intf->error, err);
	ring_notify(s, r);
}

static void ring_reset(struct ring_dom *r)
{
	xsd_conn_reset(r->c);
	r->req_cons = r->rsp_prod = 0;
	OS_WRITE_ONCE(r->intf->req_cons, 0);
	OS_WRITE_ONCE(r->intf->req_prod, 0);
	OS_WRITE_ONCE(r->intf->rsp_cons, 0);
	OS_WRITE_ONCE(r->intf->rsp_prod, 0);
	/* The guest sees the zeroed indices before anything we write next. */
	os_wmb();
}

/* Move what we can both ways; true if the guest should be notified. */
static bool ring_pass(struct xsd_server *s, struct ring_dom *r)
{
	struct xenstore_domain_interface *intf = r->intf;
	char buf[XENSTORE_RING_SIZE];
	bool kick = false;

	if (r->dead)
		return false;
	if (OS_READ_ONCE(intf->connection) == XENSTORE_RECONNECT) {
		/* The guest asked to start over (docs/misc/xenstore-ring.txt). */
		ring_reset(r);
		OS_WRITE_ONCE(intf->error, XENSTORE_ERROR_NONE);
		OS_WRITE_ONCE(intf->connection, XENSTORE_CONNECTED);
		return true;
	}
	/* Requests in, unless the guest is not reading our answers. */
	while (xsd_conn_out_pending(r->c) <= s->out_limit) {
		XENSTORE_RING_IDX prod = OS_READ_ONCE(intf->req_prod);
		XENSTORE_RING_IDX avail = prod - r->req_cons;
		size_t off = MASK_XENSTORE_IDX(r->req_cons), n;

		if (avail > XENSTORE_RING_SIZE) {
			ring_fail(s, r, XENSTORE_ERROR_RINGIDX);
			return false;
		}
		if (!avail)
			break;
		/* We see the request bytes the guest wrote before req_prod. */
		os_rmb();
		n = OS_MIN((size_t)avail, XENSTORE_RING_SIZE - off);
		memcpy(buf, intf->req + off, n);
		/* Our copy is complete before the guest sees the space free. */
		os_mb();
		r->req_cons += (XENSTORE_RING_IDX)n;
		OS_WRITE_ONCE(intf->req_cons, r->req_cons);
		kick = true;
		if (xsd_conn_feed(r->c, buf, n) < 0) {
			ring_fail(s, r, XENSTORE_ERROR_PROTO);
			return false;
		}
	}
	/* Replies and events out. */
	for (;;) {
		const void *data;
		size_t len = xsd_conn_out_peek(r->c, &data), off, n;
		XENSTORE_RING_IDX cons, used;

		if (!len)
			break;
		cons = OS_READ_ONCE(intf->rsp_cons);
		used = r->rsp_prod - cons;
		if (used > XENSTORE_RING_SIZE) {
			ring_fail(s, r, XENSTORE_ERROR_RINGIDX);
			return false;
		}
		if (used == XENSTORE_RING_SIZE)
			break;
		/* We see the guest's rsp_cons before reusing the slots. */
		os_mb();
		off = MASK_XENSTORE_IDX(r->rsp_prod);
		n = OS_MIN(len, (size_t)(XENSTORE_RING_SIZE - used));
		n = OS_MIN(n, XENSTORE_RING_SIZE - off);
		memcpy(intf->rsp + off, data, n);
		/* The guest sees the response bytes before rsp_prod moves. */
		os_wmb();
		r->rsp_prod += (XENSTORE_RING_IDX)n;
		OS_WRITE_ONCE(intf->rsp_prod, r->rsp_prod);
		xsd_conn_out_consume(r->c, n);
		kick = true;
	}
	return kick;
}

static void ring_free(struct xsd_server *s, struct ring_dom *r)
{
	if (!r)
		return;
	if (r->local_port)
		xsim_evtchn_close(s->x, r->local_port);
	if (r->intf)
		xsim_gnttab_unmap(s->x, r->intf);
	s->rd[r->domid] = NULL;
	free(r);
}

/* Engine up-call: INTRODUCE of a new domain. */
static struct xsd_conn *cb_introduce(void *arg, uint16_t domid, uint64_t mfn,
				     uint32_t port, int *err)
{
	struct xsd_server *s = arg;
	struct ring_dom *r;
	int16_t st = 0;
	int rc;

	if (!s->x || domid >= XSIM_MAX_DOMAINS) {
		*err = s->x ? EINVAL : ENOSYS;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		*err = ENOMEM;
		return NULL;
	}
	r->domid = domid;
	s->rd[domid] = r;
	r->intf = xsim_xenstore_map_ring(s->x, domid, NULL, &st);
	if (!r->intf) {
		os_warn("xenstored: cannot map domain %u's ring (GNTST %d)",
			domid, st);
		*err = st == GNTST_bad_domain ? ENOENT : EINVAL;
		goto fail;
	}
	rc = xsim_evtchn_bind_interdomain(s->x, domid, port, &r->local_port);
	if (rc) {
		os_warn("xenstored: cannot bind domain %u's port %u: %d",
			domid, port, rc);
		*err = EINVAL;
		goto fail;
	}
	r->c = xsd_conn_new(s->e, domid);
	if (!r->c) {
		*err = ENOMEM;
		goto fail;
	}
	xsd_conn_set_priv(r->c, r);
	r->intf->server_features = XENSTORE_SERVER_FEATURE_RECONNECTION |
				   XENSTORE_SERVER_FEATURE_ERROR;
	/* Xen resets the ring indices on INTRODUCE. */
	ring_reset(r);
	OS_WRITE_ONCE(r->intf->error, XENSTORE_ERROR_NONE);
	OS_WRITE_ONCE(r->intf->connection, XENSTORE_CONNECTED);
	ring_notify(s, r);
	os_info("xenstored: domain %u introduced (port %u)", domid, port);
	return r->c;
fail:
	ring_free(s, r);
	return NULL;
}

static void cb_reintroduce(void *arg, struct xsd_conn *c, uint32_t port)
{
	struct xsd_server *s = arg;
	struct ring_dom *r = xsd_conn_priv(c);
	uint32_t local;

	if (!r)
		return;
	if (r->local_port)
		xsim_evtchn_close(s->x, r->local_port);
	r->local_port = 0;
	if (!xsim_evtchn_bind_interdomain(s->x, r->domid, port, &local))
		r->local_port = local;
	ring_reset(r);
	r->dead = false;
}

static void cb_conn_gone(void *arg, struct xsd_conn *c)
{
	struct xsd_server *s = arg;
	struct ring_dom *r = xsd_conn_priv(c);

	if (r) {
		os_info("xenstored: domain %u released", r->domid);
		ring_free(s, r);
	}
}

static void cb_freeze(void *arg, unsigned ms)
{
	struct xsd_server *s = arg;

	os_info("xenstored: frozen for %u ms", ms);
	s->frozen_until = os_now_ns() + ms * OS_NSEC_PER_MSEC;
}

/* Release domains that died, as Xen does on VIRQ_DOM_EXC. */
static void check_domains(struct xsd_server *s)
{
	uint16_t ids[XSIM_MAX_DOMAINS];
	unsigned i, n = xsd_domain_list(s->e, ids, XSIM_MAX_DOMAINS);

	for (i = 0; i < n && i < XSIM_MAX_DOMAINS; i++) {
		struct xsim_domain_info info;
		int rc = xsim_domain_info(s->x, ids[i], &info);

		if (rc == -ESRCH || (!rc && (info.state == XSIM_DOM_DYING ||
					     info.state == XSIM_DOM_FREE)))
			xsd_domain_release(s->e, ids[i]);
	}
}

/* ---- the dom0 door ----------------------------------------------------- */

static void client_drop(struct xsd_server *s, unsigned i)
{
	close(s->cl[i].fd);
	xsd_conn_free(s->cl[i].c);
	s->cl[i] = s->cl[--s->nr_cl];
}

static void client_accept(struct xsd_server *s)
{
	struct sock_client *ncl;
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return;
	if (s->nr_cl == s->cap_cl) {
		unsigned cap = s->cap_cl ? s->cap_cl * 2 : 8;

		ncl = realloc(s->cl, cap * sizeof(*ncl));
		if (!ncl) {
			close(fd);
			return;
		}
		s->cl = ncl;
		s->cap_cl = cap;
	}
	s->cl[s->nr_cl].fd = fd;
	s->cl[s->nr_cl].c = xsd_conn_new(s->e, 0);
	if (!s->cl[s->nr_cl].c) {
		close(fd);
		return;
	}
	s->nr_cl++;
}

/* false: the client is gone. */
static bool client_read(struct xsd_server *s, struct sock_client *k)
{
	char buf[4096 + sizeof(struct xsd_sockmsg)];
	ssize_t n = read(k->fd, buf, sizeof(buf));

	if (n == 0)
		return false;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	return xsd_conn_feed(k->c, buf, (size_t)n) == 0;
}

static bool client_flush(struct sock_client *k)
{
	const void *data;
	size_t len;

	while ((len = xsd_conn_out_peek(k->c, &data))) {
		ssize_t n = send(k->fd, data, len, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		xsd_conn_out_consume(k->c, (size_t)n);
	}
	return true;
}

static int listen_on(struct xsd_server *s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, rc;

	if (strlen(s->sock_path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, s->sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A socket file nobody answers on is stale: replace it. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		close(fd);
		return -EADDRINUSE;
	}
	close(fd);
	unlink(s->sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(s->sock_path, 0600) < 0 || listen(fd, 64) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	s->listen_fd = fd;
	return 0;
}

/* ---- lifetime and loop ------------------------------------------------- */

int xsd_server_new(const struct xsd_server_opts *o, struct xsd_server **out)
{
	struct xsd_engine_cb cb = {
		.introduce = cb_introduce, .reintroduce = cb_reintroduce,
		.conn_gone = cb_conn_gone, .freeze = cb_freeze,
	};
	struct xsd_server *s;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->listen_fd = -1;
	s->wake[0] = s->wake[1] = -1;
	if (snprintf(s->dir, sizeof(s->dir), "%s", o->dir) >=
		    (int)sizeof(s->dir) ||
	    snprintf(s->sock_path, sizeof(s->sock_path), "%s/" XSD_SOCKET_NAME,
		     o->dir) >= (int)sizeof(s->sock_path)) {
		rc = -ENAMETOOLONG;
		goto fail;
	}
	if (pipe2(s->wake, O_NONBLOCK | O_CLOEXEC) < 0) {
		rc = -errno;
		goto fail;
	}
	cb.arg = s;
	s->e = xsd_engine_new(o->quota, &cb);
	if (!s->e) {
		rc = -ENOMEM;
		goto fail;
	}
	s->out_limit = o->quota ? o->quota->out_bytes : 256 * 1024;
	if (!o->socket_only) {
		rc = xsim_attach(o->dir, 0, &s->x);
		if (rc) {
			os_err("xenstored: cannot attach to machine %s as dom0: "
			       "%s", o->dir, strerror(-rc));
			goto fail;
		}
	}
	rc = listen_on(s);
	if (rc) {
		os_err("xenstored: cannot listen on %s: %s", s->sock_path,
		       strerror(-rc));
		goto fail;
	}
	*out = s;
	return 0;
fail:
	xsd_server_free(s);
	return rc;
}

void xsd_server_free(struct xsd_server *s)
{
	unsigned i;

	if (!s)
		return;
	while (s->nr_cl)
		client_drop(s, 0);
	free(s->cl);
	for (i = 0; i < XSIM_MAX_DOMAINS; i++) {
		if (!s->rd[i])
			continue;
		/* The engine frees the connection itself, below. */
		xsd_conn_set_priv(s->rd[i]->c, NULL);
		ring_free(s, s->rd[i]);
	}
	xsd_engine_free(s->e);
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		unlink(s->sock_path);
	}
	if (s->wake[0] >= 0)
		close(s->wake[0]);
	if (s->wake[1] >= 0)
		close(s->wake[1]);
	xsim_detach(s->x);
	free(s);
}

struct xsd_engine *xsd_server_engine(struct xsd_server *s)
{
	return s->e;
}

void xsd_server_stop(struct xsd_server *s)
{
	char c = 'q';

	if (write(s->wake[1], &c, 1) < 0) {
		/* the pipe is full: the loop wakes up anyway */
	}
}

void xsd_server_freeze_signal(struct xsd_server *s)
{
	char c = 'f';

	if (write(s->wake[1], &c, 1) < 0) {
		/* the pipe is full: the loop wakes up anyway */
	}
}

static void read_freeze_file(struct xsd_server *s)
{
	char path[300], buf[32];
	uint64_t ms;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/" XSD_FREEZE_NAME, s->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		os_warn("xenstored: SIGUSR1 without %s", path);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	if (os_parse_u64(buf, 10, 600000, &ms)) {
		os_warn("xenstored: bad freeze time '%s' in %s", buf, path);
		return;
	}
	cb_freeze(s, (unsigned)ms);
}

static void drain_wake(struct xsd_server *s)
{
	char buf[64];
	ssize_t n, i;

	while ((n = read(s->wake[0], buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] == 'q')
				s->stop = true;
			else if (buf[i] == 'f')
				read_freeze_file(s);
		}
	}
}

/* One pass over every door after something happened. */
static void serve_all(struct xsd_server *s)
{
	unsigned i;
	bool again;

	do {
		again = false;
		for (i = 0; i < XSIM_MAX_DOMAINS && !s->frozen_until; i++) {
			struct ring_dom *r = s->rd[i];

			if (r && ring_pass(s, r)) {
				ring_notify(s, r);
				again = true;	/* replies may wake others */
			}
		}
	} while (again && !s->frozen_until);
	for (i = 0; i < s->nr_cl;) {
		if (!client_flush(&s->cl[i]))
			client_drop(s, i);
		else
			i++;
	}
}

int xsd_server_run(struct xsd_server *s)
{
	struct pollfd *pf = NULL;
	unsigned cap = 0;

	while (!s->stop) {
		unsigned n = 0, i, base = 0;
		uint64_t now = os_now_ns();
		int timeout, rc;

		if (s->frozen_until && now >= s->frozen_until) {
			s->frozen_until = 0;
			os_info("xenstored: thawed");
		}
		if (cap < s->nr_cl + 3) {
			struct pollfd *np = realloc(pf, (s->nr_cl + 8) *
						    sizeof(*np));

			if (!np) {
				free(pf);
				return -ENOMEM;
			}
			pf = np;
			cap = s->nr_cl + 8;
		}
		pf[n++] = (struct pollfd){ .fd = s->wake[0], .events = POLLIN };
		if (s->frozen_until) {
			timeout = (int)OS_DIV_ROUND_UP(s->frozen_until - now,
						       OS_NSEC_PER_MSEC);
		} else {
			pf[n++] = (struct pollfd){ .fd = s->listen_fd,
						   .events = POLLIN };
			pf[n++] = (struct pollfd){
				.fd = s->x ? xsim_evtchn_fd(s->x) : -1,
				.events = POLLIN };
			base = n;
			for (i = 0; i < s->nr_cl; i++) {
				short ev = 0;

				if (xsd_conn_out_pending(s->cl[i].c) <=
				    s->out_limit)
					ev |= POLLIN;
				if (xsd_conn_out_pending(s->cl[i].c))
					ev |= POLLOUT;
				pf[n++] = (struct pollfd){ .fd = s->cl[i].fd,
							   .events = ev };
			}
			timeout = s->x ? (int)(DOMAIN_CHECK_NS /
					       OS_NSEC_PER_MSEC) : -1;
		}
		rc = poll(pf, n, timeout);
		if (rc < 0 && errno != EINTR) {
			rc = -errno;
			free(pf);
			return rc;
		}
		if (rc > 0 && (pf[0].revents & POLLIN))
			drain_wake(s);
		if (s->stop || s->frozen_until || rc < 0)
			continue;
		if (s->x && os_now_ns() >= s->next_check) {
			check_domains(s);
			s->next_check = os_now_ns() + DOMAIN_CHECK_NS;
		}
		if (rc > 0) {
			uint32_t port;

			if (pf[2].revents & POLLIN)
				while (!xsim_evtchn_next_pending(s->x, &port))
					;	/* every ring is served below */
			/* Clients first (indices stay valid: accept after). */
			for (i = s->nr_cl; i-- > 0;) {
				short re = pf[base + i].revents;

				if ((re & (POLLIN | POLLHUP | POLLERR)) &&
				    !client_read(s, &s->cl[i]))
					client_drop(s, i);
			}
			if (pf[1].revents & POLLIN)
				client_accept(s);
		}
		serve_all(s);
	}
	free(pf);
	return 0;
}
