// SPDX-License-Identifier: MIT
/*
 * xensim event channels: ports with Xen's states, pending and mask bits,
 * and cross-process wake-ups.
 *
 * Theory of operation: each domain has XSIM_NR_PORTS ports and two bitmaps,
 * pending and mask, like the 2-level ABI's shared_info. Port state changes
 * happen under the machine lock; EVTCHNOP_send is lock-free: it reads the
 * local port, sets the remote pending bit and, if that bit was clear and
 * the port is unmasked, wakes the process that owns the remote port.
 *
 * Wake-ups go through one eventfd per attached process. A sender takes a
 * duplicate of the receiver's eventfd once and caches it, so a notification
 * costs one write(2), as the suggested design asks: directly with
 * pidfd_getfd(2) where the kernel lets us (same user, no Yama ptrace
 * restriction), else from the machine daemon, which received every
 * attachment's eventfd over SCM_RIGHTS when it registered. The
 * per-attachment wake_flag makes it at most one write per wake-up, however
 * many ports fire.
 *
 * The flag protocol is a Dekker pair: the sender sets a pending bit, then
 * exchanges wake_flag to 1 and writes a byte only if it was 0; the
 * receiver, after consuming a byte, stores wake_flag = 0 and then re-reads
 * the pending bits. Both use sequentially consistent atomics, so either the
 * receiver sees the bit or the sender sees the flag at 0 and writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "xsim_priv.h"

void xsim_evtchn_local_init(struct xsim *x)
{
	/* Blocking, so that xsim_evtchn_wait() sleeps in one read(2); the
	 * non-blocking reads use RWF_NOWAIT. */
	x->evt_fd = eventfd(0, EFD_CLOEXEC);
	x->no_pidfd = getenv("XENSIM_NO_PIDFD") != NULL;
}

void xsim_evtchn_publish(struct xsim *x)
{
	/* After the daemon registration: a sender that sees the number may
	 * ask the daemon for the descriptor. */
	if (x->evt_fd >= 0)
		atomic_store(&x->shm->att[x->att].efd, x->evt_fd);
}

void xsim_evtchn_local_fini(struct xsim *x)
{
	if (x->evt_fd >= 0)
		close(x->evt_fd);
	for (int i = 0; i < XSIM_MAX_ATTACH; i++) {
		int fd = atomic_load(&x->wake_fd[i].fd);

		if (fd >= 0)
			close(fd);
	}
}

/* A duplicate of attachment @slot's eventfd, or -1. */
static int take_efd(struct xsim *x, struct xsim_att *a, int slot, uint32_t gen)
{
	int32_t pid = a->pid, efd = atomic_load(&a->efd);
	int pidfd, fd = -1;

	if (efd < 0 || pid <= 0)
		return -1;
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_getfd)
	pidfd = x->no_pidfd ? -1 : (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, efd, 0);
		close(pidfd);
	}
	/* The pid may have been reused: trust the fd only if the slot is
	 * still the same attachment. */
	if (fd >= 0 && (atomic_load(&a->gen) != gen || a->pid != pid)) {
		close(fd);
		return -1;
	}
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
#endif
	if (fd < 0)
		fd = xsim_daemon_getfd(x, slot, gen);
	return fd;
}

static bool port_ok(uint32_t port)
{
	return port > 0 && port < XSIM_NR_PORTS;
}

static uint64_t bit(uint32_t port)
{
	return 1ull << (port % 64);
}

/* Wake the process in attachment @slot. Lock not needed. */
void xsim_evtchn_wake(struct xsim *x, int slot)
{
	static const uint64_t one = 1;
	struct xsim_att *a;
	uint32_t gen;
	int fd;

	if (slot < 0 || slot >= XSIM_MAX_ATTACH)
		return;
	a = &x->shm->att[slot];
	if (atomic_exchange(&a->wake_flag, 1) != 0)
		return;		/* a wake-up is already on its way */
	if (slot == x->att) {
		fd = x->evt_fd;
	} else {
		gen = atomic_load(&a->gen);
		fd = atomic_load(&x->wake_fd[slot].fd);
		if (fd < 0 || atomic_load(&x->wake_fd[slot].gen) != gen) {
			int old;

			pthread_mutex_lock(&x->lock);
			fd = take_efd(x, a, slot, gen);
			if (fd >= 0) {
				old = atomic_exchange(&x->wake_fd[slot].fd, fd);
				atomic_store(&x->wake_fd[slot].gen, gen);
				if (old >= 0)
					close(old);
			}
			pthread_mutex_unlock(&x->lock);
		}
	}
	if (fd < 0) {
		/* Not set up yet or gone: it checks the pending bits when it
		 * starts waiting anyway. */
		atomic_store(&a->wake_flag, 0);
		return;
	}
	/* The receiver sees the pending bit before the wake-up. */
	if (write(fd, &one, sizeof(one)) == sizeof(one))
		atomic_fetch_add(&x->shm->dom[a->domid].ctr.evtchn_wakeups, 1);
}

/* Set @port of @domid pending; wake its owner if it was not pending and
 * is unmasked (Xen's evtchn_set_pending on the 2-level ABI). */
static void set_pending(struct xsim *x, uint16_t domid, uint32_t port)
{
	struct xsim_dom *d = &x->shm->dom[domid];
	uint64_t old = atomic_fetch_or(&d->pending[port / 64], bit(port));

	if (old & bit(port))
		return;
	if (atomic_load(&d->mask[port / 64]) & bit(port))
		return;
	xsim_evtchn_wake(x, atomic_load(&d->ports[port].owner));
}

static int alloc_port_locked(struct xsim_dom *d, uint32_t *port)
{
	for (uint32_t p = 1; p < XSIM_NR_PORTS; p++) {
		if (atomic_load(&d->ports[p].state) == XSIM_ECS_FREE) {
			atomic_fetch_and(&d->pending[p / 64], ~bit(p));
			atomic_fetch_and(&d->mask[p / 64], ~bit(p));
			d->ports[p].toolstack = 0;
			*port = p;
			return 0;
		}
	}
	return -ENOSPC;
}

int xsim_evtchn_alloc_unbound(struct xsim *x, uint16_t remote, uint32_t *port)
{
	struct xsim_dom *d = &x->shm->dom[x->domid];
	struct xsim_port *p;
	int rc;

	if (remote == DOMID_SELF)
		remote = x->domid;
	if (remote >= XSIM_MAX_DOMAINS)
		return -ESRCH;
	rc = xsim_lock(x->shm);
	if (rc)
		return rc;
	if (!xsim_dom_live(&x->shm->dom[remote])) {
		rc = -ESRCH;
		goto out_unlock;
	}
	rc = alloc_port_locked(d, port);
	if (rc)
		goto out_unlock;
	p = &d->ports[*port];
	atomic_store(&p->remote_dom, remote);
	atomic_store(&p->remote_port, 0);
	atomic_store(&p->owner, x->att);
	atomic_store(&p->state, XSIM_ECS_UNBOUND);
out_unlock:
	xsim_unlock(x->shm);
	return rc;
}

int xsim_evtchn_bind_interdomain(struct xsim *x, uint16_t remote,
				 uint32_t remote_port, uint32_t *port)
{
	struct xsim_dom *d = &x->shm->dom[x->domid], *rd;
	struct xsim_port *lp, *rp;
	int rc;

	if (remote == DOMID_SELF)
		remote = x->domid;
	if (remote >= XSIM_MAX_DOMAINS)
		return -ESRCH;
	rc = xsim_lock(x->shm);
	if (rc)
		return rc;
	rd = &x->shm->dom[remote];
	if (!xsim_dom_live(rd)) {
		rc = -ESRCH;
		goto out_unlock;
	}
	if (!port_ok(remote_port)) {
		rc = -EINVAL;
		goto out_unlock;
	}
	rp = &rd->ports[remote_port];
	if (atomic_load(&rp->state) != XSIM_ECS_UNBOUND ||
	    atomic_load(&rp->remote_dom) != x->domid) {
		rc = -EINVAL;
		goto out_unlock;
	}
	rc = alloc_port_locked(d, port);
	if (rc)
		goto out_unlock;
	lp = &d->ports[*port];
	atomic_store(&lp->remote_dom, remote);
	atomic_store(&lp->remote_port, remote_port);
	atomic_store(&lp->owner, x->att);
	atomic_store(&lp->state, XSIM_ECS_INTERDOMAIN);
	atomic_store(&rp->remote_dom, x->domid);
	atomic_store(&rp->remote_port, *port);
	atomic_store(&rp->state, XSIM_ECS_INTERDOMAIN);
out_unlock:
	xsim_unlock(x->shm);
	/* As Xen: notifications sent to the unbound remote port were dropped,
	 * so the new local port starts pending. */
	if (!rc)
		set_pending(x, x->domid, *port);
	return rc;
}

void xsim_port_close_locked(struct xsim *x, uint16_t domid, uint32_t port)
{
	struct xsim_dom *d = &x->shm->dom[domid];
	struct xsim_port *p = &d->ports[port];

	if (atomic_load(&p->state) == XSIM_ECS_INTERDOMAIN) {
		uint16_t rdom = atomic_load(&p->remote_dom);
		uint32_t rport = atomic_load(&p->remote_port);

		if (rdom < XSIM_MAX_DOMAINS && port_ok(rport)) {
			struct xsim_port *rp = &x->shm->dom[rdom].ports[rport];

			/* The peer's port falls back to unbound, for us. */
			if (atomic_load(&rp->state) == XSIM_ECS_INTERDOMAIN &&
			    atomic_load(&rp->remote_dom) == domid &&
			    atomic_load(&rp->remote_port) == port) {
				atomic_store(&rp->state, XSIM_ECS_UNBOUND);
				atomic_store(&rp->remote_port, 0);
			}
		}
	}
	atomic_store(&p->state, XSIM_ECS_FREE);
	atomic_store(&p->owner, XSIM_NO_OWNER);
	atomic_store(&p->remote_dom, 0);
	atomic_store(&p->remote_port, 0);
	p->toolstack = 0;
	atomic_fetch_and(&d->pending[port / 64], ~bit(port));
	atomic_fetch_and(&d->mask[port / 64], ~bit(port));
	atomic_fetch_and(&d->redeliver[port / 64], ~bit(port));
}

int xsim_evtchn_close(struct xsim *x, uint32_t port)
{
	struct xsim_dom *d = &x->shm->dom[x->domid];
	uint8_t st;
	int rc;

	if (!port_ok(port))
		return -EINVAL;
	rc = xsim_lock(x->shm);
	if (rc)
		return rc;
	st = atomic_load(&d->ports[port].state);
	if (st == XSIM_ECS_UNBOUND || st == XSIM_ECS_INTERDOMAIN)
		xsim_port_close_locked(x, x->domid, port);
	else
		rc = -EINVAL;
	xsim_unlock(x->shm);
	return rc;
}

static void sleep_us(uint32_t us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Take one from a fault counter; true if a fault fires. */
static bool fault_take(_Atomic uint32_t *ctr)
{
	uint32_t n = atomic_load(ctr);

	while (n && !atomic_compare_exchange_weak(ctr, &n, n - 1))
		;
	return n != 0;
}

int xsim_evtchn_send(struct xsim *x, uint32_t port)
{
	struct xsim_dom *d = &x->shm->dom[x->domid];
	struct xsim_fault_state *f = &d->fault;
	struct xsim_port *p;
	uint16_t rdom;
	uint32_t rport, fport, delay;
	bool dup = false;

	if (!port_ok(port))
		return -EINVAL;
	p = &d->ports[port];
	switch (atomic_load(&p->state)) {
	case XSIM_ECS_INTERDOMAIN:
		break;
	case XSIM_ECS_UNBOUND:
		return 0;	/* as Xen: silently dropped */
	default:
		return -EINVAL;
	}
	rdom = atomic_load(&p->remote_dom);
	rport = atomic_load(&p->remote_port);
	if (rdom >= XSIM_MAX_DOMAINS || !port_ok(rport))
		return -EINVAL;
	atomic_fetch_add(&d->ctr.evtchn_sends, 1);

	fport = atomic_load(&f->evt_port);
	if (!fport || fport == port) {
		delay = atomic_load(&f->evt_delay_us);
		if (delay)
			sleep_us(delay);
		if (fault_take(&f->evt_drop)) {
			atomic_fetch_add(&d->ctr.evtchn_dropped, 1);
			return 0;
		}
		dup = fault_take(&f->evt_dup);
	}
	/* A duplicate is delivered again once the receiver took the first:
	 * receivers must tolerate events that bring no news. */
	if (dup)
		atomic_fetch_or(&x->shm->dom[rdom].redeliver[rport / 64], bit(rport));
	set_pending(x, rdom, rport);
	return 0;
}

static int own_port(struct xsim *x, uint32_t port, struct xsim_dom **d)
{
	uint8_t st;

	if (!port_ok(port))
		return -EINVAL;
	*d = &x->shm->dom[x->domid];
	st = atomic_load(&(*d)->ports[port].state);
	return st == XSIM_ECS_UNBOUND || st == XSIM_ECS_INTERDOMAIN ? 0 : -EINVAL;
}

int xsim_evtchn_mask(struct xsim *x, uint32_t port)
{
	struct xsim_dom *d;
	int rc = own_port(x, port, &d);

	if (!rc)
		atomic_fetch_or(&d->mask[port / 64], bit(port));
	return rc;
}

int xsim_evtchn_unmask(struct xsim *x, uint32_t port)
{
	struct xsim_dom *d;
	int rc = own_port(x, port, &d);

	if (rc)
		return rc;
	atomic_fetch_and(&d->mask[port / 64], ~bit(port));
	/* As Xen's evtchn_unmask: a pending port raises the upcall now. */
	if (atomic_load(&d->pending[port / 64]) & bit(port))
		xsim_evtchn_wake(x, atomic_load(&d->ports[port].owner));
	return 0;
}

int xsim_evtchn_clear(struct xsim *x, uint32_t port)
{
	struct xsim_dom *d;
	int rc = own_port(x, port, &d);

	if (!rc)
		atomic_fetch_and(&d->pending[port / 64], ~bit(port));
	return rc;
}

int xsim_evtchn_status(struct xsim *x, uint16_t domid, uint32_t port,
		       struct xsim_evtchn_status *st)
{
	struct xsim_dom *d;

	if (domid == DOMID_SELF)
		domid = x->domid;
	if (domid != x->domid && x->domid != 0)
		return -EPERM;
	if (domid >= XSIM_MAX_DOMAINS || atomic_load(&x->shm->dom[domid].state) == XSIM_DOM_FREE)
		return -ESRCH;
	if (port >= XSIM_NR_PORTS)
		return -EINVAL;
	d = &x->shm->dom[domid];
	st->state = atomic_load(&d->ports[port].state);
	st->remote_dom = atomic_load(&d->ports[port].remote_dom);
	st->remote_port = atomic_load(&d->ports[port].remote_port);
	st->pending = atomic_load(&d->pending[port / 64]) & bit(port);
	st->masked = atomic_load(&d->mask[port / 64]) & bit(port);
	return 0;
}

int xsim_evtchn_fd(struct xsim *x)
{
	return x->evt_fd >= 0 ? x->evt_fd : -ENODEV;
}

/* A pending, unmasked port we own, or 0. With @take, clear its bit. */
static uint32_t scan_pending(struct xsim *x, bool take)
{
	struct xsim_dom *d = &x->shm->dom[x->domid];

	for (unsigned w = 0; w < XSIM_PORT_WORDS; w++) {
		uint64_t bits = atomic_load(&d->pending[w]) & ~atomic_load(&d->mask[w]);

		while (bits) {
			uint32_t port = w * 64 + (uint32_t)__builtin_ctzll(bits);

			bits &= bits - 1;
			if (atomic_load(&d->ports[port].owner) != x->att)
				continue;
			if (!take)
				return port;
			if (atomic_fetch_and(&d->pending[w], ~bit(port)) & bit(port))
				return port;
		}
	}
	return 0;
}

/* Read the eventfd without blocking; > 0 if it held a wake-up. */
static int read_nowait(struct xsim *x)
{
	uint64_t v;
	struct iovec iov = { .iov_base = &v, .iov_len = sizeof(v) };
	ssize_t n = preadv2(x->evt_fd, &iov, 1, -1, RWF_NOWAIT);

	if (n < 0 && errno == EOPNOTSUPP) {
		struct pollfd p = { .fd = x->evt_fd, .events = POLLIN };

		n = poll(&p, 1, 0) == 1 ? read(x->evt_fd, &v, sizeof(v)) : 0;
	}
	return n > 0;
}

/* Consume a wake-up without blocking and re-arm the wake flag. Only a
 * raised flag promises one: otherwise skip the syscall (the wait path has
 * consumed it already). */
static void drain(struct xsim *x)
{
	if (!atomic_load(&x->shm->att[x->att].wake_flag))
		return;
	if (read_nowait(x))
		atomic_store(&x->shm->att[x->att].wake_flag, 0);
}

int xsim_evtchn_next_pending(struct xsim *x, uint32_t *port)
{
	uint32_t p;

	if (x->evt_fd < 0)
		return -ENODEV;
	drain(x);
	p = scan_pending(x, true);
	if (!p)
		return -EAGAIN;
	if (atomic_fetch_and(&x->shm->dom[x->domid].redeliver[p / 64], ~bit(p)) & bit(p))
		set_pending(x, x->domid, p);
	*port = p;
	return 0;
}

int xsim_evtchn_block(struct xsim *x)
{
	uint64_t v;

	if (x->evt_fd < 0)
		return -ENODEV;
	if (read(x->evt_fd, &v, sizeof(v)) < 0)
		return -errno;
	/* The sender sees the flag at 0 before we re-check the bits. */
	atomic_store(&x->shm->att[x->att].wake_flag, 0);
	return 0;
}

void xsim_evtchn_rearm(struct xsim *x)
{
	/* The sender sees the flag at 0 before we re-check the bits (our
	 * caller's next_pending); the eventfd's count is never read: an
	 * edge-triggered poller is woken by every write. */
	atomic_store(&x->shm->att[x->att].wake_flag, 0);
}

int xsim_evtchn_wait(struct xsim *x, uint64_t timeout_ns)
{
	struct timespec start, now;
	uint64_t v;

	if (x->evt_fd < 0)
		return -ENODEV;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (scan_pending(x, false))
			return 0;
		if (timeout_ns == UINT64_MAX) {
			/* One syscall per wake-up: a blocking read. */
			ssize_t n = read(x->evt_fd, &v, sizeof(v));

			if (n < 0 && errno == EINTR)
				return -EINTR;
			if (n < 0)
				return -errno;
		} else {
			struct pollfd pfd = { .fd = x->evt_fd, .events = POLLIN };
			uint64_t el;
			int ms, rc;

			clock_gettime(CLOCK_MONOTONIC, &now);
			el = (uint64_t)(now.tv_sec - start.tv_sec) * 1000000000ull +
			     (uint64_t)(now.tv_nsec - start.tv_nsec);
			if (el >= timeout_ns)
				return -ETIMEDOUT;
			ms = (int)((timeout_ns - el + 999999) / 1000000);
			rc = poll(&pfd, 1, ms);
			if (rc < 0 && errno == EINTR)
				return -EINTR;
			if (rc <= 0 || !read_nowait(x))
				continue;
		}
		/* The sender sees the flag at 0 before we re-check the bits. */
		atomic_store(&x->shm->att[x->att].wake_flag, 0);
	}
}
