// SPDX-License-Identifier: MIT
/*
 * xensim event channels, across processes: alloc_unbound / bind_interdomain
 * / send / close with Xen's states and errors, mask and unmask, the
 * pollable descriptor, a ping-pong, closing and domain death as the peer
 * sees them, and fault injection (drop, duplicate, delay).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xsim_test_util.h"

#define MS 1000000ull

struct fixture {
	struct xt_machine m;
	uint16_t d1, d2;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(xt_machine_start(&f->m), 0);
	assert_int_equal(xsim_domain_create(f->m.dom0, "guest1", 2, 0, &f->d1), 0);
	assert_int_equal(xsim_domain_create(f->m.dom0, "guest2", 2, 0, &f->d2), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xt_machine_stop(&f->m);
	free(f);
	return 0;
}

/* Wait for and take exactly @port; anything else is a failure. */
static int take(struct xsim *x, uint32_t port, uint64_t timeout_ns)
{
	uint32_t p;

	if (xsim_evtchn_wait(x, timeout_ns))
		return -ETIMEDOUT;
	if (xsim_evtchn_next_pending(x, &p))
		return -EAGAIN;
	return p == port ? 0 : -EINVAL;
}

#define PINGS 200

/* Child: offer a port to dom0, then echo every event back. */
static int ponger(struct xsim *x, struct xt_chan *c, void *arg)
{
	uint32_t port;

	XT_CHECK(xsim_evtchn_alloc_unbound(x, 0, &port) == 0);
	XT_CHECK(port > 0);
	XT_CHECK(xt_send(c, 0, port) == 0);
	for (int i = 0; i < PINGS; i++) {
		XT_CHECK(take(x, port, 5000 * MS) == 0);
		XT_CHECK(xsim_evtchn_send(x, port) == 0);
	}
	XT_CHECK(xt_recv(c, 0) == 1);
	return 0;
}

static void test_bind_ping_pong(void **state)
{
	struct fixture *f = *state;
	struct xsim *x = f->m.dom0;
	struct xt_chan c;
	pid_t pid = xt_spawn(f->m.dir, f->d1, &c, ponger, NULL);
	int64_t rport = xt_recv(&c, 1);
	struct xsim_evtchn_status st;
	struct xsim_counters k;
	uint32_t port, p;

	assert_true(rport > 0);
	assert_int_equal(xsim_evtchn_status(x, f->d1, (uint32_t)rport, &st), 0);
	assert_int_equal(st.state, XSIM_ECS_UNBOUND);
	assert_int_equal(st.remote_dom, 0);
	assert_int_equal(xsim_evtchn_bind_interdomain(x, f->d1, (uint32_t)rport, &port), 0);
	/* As Xen: a fresh binding starts pending. */
	assert_int_equal(xsim_evtchn_next_pending(x, &p), 0);
	assert_int_equal(p, port);
	assert_int_equal(xsim_evtchn_next_pending(x, &p), -EAGAIN);
	/* The remote port is now taken. */
	assert_int_equal(xsim_evtchn_bind_interdomain(x, f->d1, (uint32_t)rport, &p), -EINVAL);
	assert_int_equal(xsim_evtchn_status(x, 0, port, &st), 0);
	assert_int_equal(st.state, XSIM_ECS_INTERDOMAIN);
	assert_int_equal(st.remote_dom, f->d1);
	assert_int_equal(st.remote_port, rport);

	for (int i = 0; i < PINGS; i++) {
		assert_int_equal(xsim_evtchn_send(x, port), 0);
		assert_int_equal(take(x, port, 5000 * MS), 0);
	}
	xsim_counters(x, f->d1, &k);
	assert_int_equal(k.evtchn_sends, PINGS);
	xt_send(&c, 1, 1);
	assert_int_equal(xt_wait(pid), 0);
	/* The child detached: its port closed, ours fell back to unbound. */
	assert_int_equal(xsim_evtchn_status(x, 0, port, &st), 0);
	assert_int_equal(st.state, XSIM_ECS_UNBOUND);
	assert_int_equal(st.remote_dom, f->d1);
	assert_int_equal(xsim_evtchn_send(x, port), 0);	/* dropped, as Xen */
	assert_int_equal(xsim_evtchn_close(x, port), 0);
	assert_int_equal(xsim_audit(x, NULL), 0);
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	struct xsim *x = f->m.dom0;
	uint32_t port, p2;

	assert_int_equal(xsim_evtchn_send(x, 0), -EINVAL);
	assert_int_equal(xsim_evtchn_send(x, XSIM_NR_PORTS), -EINVAL);
	assert_int_equal(xsim_evtchn_send(x, 5), -EINVAL);	/* never opened */
	assert_int_equal(xsim_evtchn_close(x, 5), -EINVAL);
	assert_int_equal(xsim_evtchn_alloc_unbound(x, 29, &port), -ESRCH);
	assert_int_equal(xsim_evtchn_bind_interdomain(x, 29, 1, &port), -ESRCH);
	/* dom1's xenstore port is unbound for dom0; dom2 may not bind it. */
	assert_int_equal(xsim_evtchn_alloc_unbound(x, f->d2, &port), 0);
	assert_int_equal(xsim_evtchn_send(x, port), 0);		/* unbound: dropped */
	assert_int_equal(xsim_evtchn_bind_interdomain(x, 0, port, &p2), -EINVAL);
	assert_int_equal(xsim_evtchn_bind_interdomain(x, f->d1, 0, &p2), -EINVAL);
	assert_int_equal(xsim_evtchn_close(x, port), 0);
	/* Sends to a closed port fail as on Xen. */
	assert_int_equal(xsim_evtchn_send(x, port), -EINVAL);
	assert_int_equal(xsim_evtchn_close(x, port), -EINVAL);
	assert_int_equal(xsim_evtchn_mask(x, port), -EINVAL);
}

/* Child: bind to dom0's port (from the parent), then follow steps. */
static int binder(struct xsim *x, struct xt_chan *c, void *arg)
{
	uint32_t port;
	int64_t rport = xt_recv(c, 0);
	struct xsim_evtchn_status st;

	XT_CHECK(xsim_evtchn_bind_interdomain(x, 0, (uint32_t)rport, &port) == 0);
	XT_CHECK(take(x, port, 100 * MS) == 0);	/* the bind-time event */
	XT_CHECK(xt_send(c, 0, port) == 0);
	for (;;) {
		int64_t cmd = xt_recv(c, 0);

		if (cmd == 1) {
			XT_CHECK(xsim_evtchn_send(x, port) == 0);
		} else if (cmd == 2) {
			XT_CHECK(xsim_evtchn_status(x, DOMID_SELF, port, &st) == 0);
			XT_CHECK(st.state == XSIM_ECS_UNBOUND && st.remote_dom == 0);
			XT_CHECK(xsim_evtchn_send(x, port) == 0);
			XT_CHECK(xt_send(c, 0, 2) == 0);
		} else if (cmd == 3) {
			return -1;	/* die with the port open */
		} else {
			return 0;
		}
		XT_CHECK(xt_send(c, 0, (uint64_t)cmd) == 0);
	}
}

static void test_mask_unmask_poll(void **state)
{
	struct fixture *f = *state;
	struct xsim *x = f->m.dom0;
	struct xt_chan c;
	struct xsim_evtchn_status st;
	struct pollfd pfd = { .fd = xsim_evtchn_fd(x), .events = POLLIN };
	uint32_t port, p;
	int64_t rport;
	pid_t pid;

	assert_true(pfd.fd >= 0);
	assert_int_equal(xsim_evtchn_alloc_unbound(x, f->d1, &port), 0);
	pid = xt_spawn(f->m.dir, f->d1, &c, binder, NULL);
	xt_send(&c, 1, port);
	rport = xt_recv(&c, 1);
	assert_true(rport > 0);

	assert_int_equal(xsim_evtchn_mask(x, port), 0);
	xt_send(&c, 1, 1);
	assert_int_equal(xt_recv(&c, 1), 1);
	assert_int_equal(xsim_evtchn_wait(x, 30 * MS), -ETIMEDOUT);
	assert_int_equal(xsim_evtchn_status(x, 0, port, &st), 0);
	assert_true(st.pending);
	assert_true(st.masked);
	assert_int_equal(xsim_evtchn_next_pending(x, &p), -EAGAIN);
	/* Unmasking a pending port raises the event, as Xen. */
	assert_int_equal(xsim_evtchn_unmask(x, port), 0);
	assert_int_equal(poll(&pfd, 1, 1000), 1);
	assert_int_equal(xsim_evtchn_next_pending(x, &p), 0);
	assert_int_equal(p, port);
	assert_int_equal(xsim_evtchn_next_pending(x, &p), -EAGAIN);

	/* Through poll() only. */
	xt_send(&c, 1, 1);
	assert_int_equal(xt_recv(&c, 1), 1);
	assert_int_equal(poll(&pfd, 1, 1000), 1);
	assert_int_equal(xsim_evtchn_next_pending(x, &p), 0);
	assert_int_equal(p, port);

	/* Clear drops a pending event. */
	xt_send(&c, 1, 1);
	assert_int_equal(xt_recv(&c, 1), 1);
	assert_int_equal(xsim_evtchn_clear(x, port), 0);
	assert_int_equal(xsim_evtchn_next_pending(x, &p), -EAGAIN);

	/* We close: the child's port becomes unbound, its sends dropped. */
	assert_int_equal(xsim_evtchn_close(x, port), 0);
	xt_send(&c, 1, 2);
	assert_int_equal(xt_recv(&c, 1), 2);
	xt_send(&c, 1, 9);
	assert_int_equal(xt_wait(pid), 0);
	assert_int_equal(xsim_audit(x, NULL), 0);
}

static void test_domain_death_closes_ports(void **state)
{
	struct fixture *f = *state;
	struct xsim *x = f->m.dom0;
	struct xt_chan c;
	struct xsim_evtchn_status st;
	uint32_t port;
	uint64_t destroyed;
	pid_t pid;

	assert_int_equal(xsim_evtchn_alloc_unbound(x, f->d2, &port), 0);
	pid = xt_spawn(f->m.dir, f->d2, &c, binder, NULL);
	xt_send(&c, 1, port);
	assert_true(xt_recv(&c, 1) > 0);
	assert_int_equal(take(x, port, 0), -ETIMEDOUT);
	xt_send(&c, 1, 3);	/* die */
	assert_int_equal(xt_wait(pid), 0);
	/* Not reaped yet: still bound, the audit says a process is dead. */
	assert_int_equal(xsim_evtchn_status(x, 0, port, &st), 0);
	assert_int_equal(st.state, XSIM_ECS_INTERDOMAIN);
	assert_true(xsim_audit(x, NULL) > 0);
	assert_int_equal(xsim_reap(x, &destroyed), 1);
	assert_int_equal(destroyed, 1ull << f->d2);
	assert_int_equal(xsim_evtchn_status(x, 0, port, &st), 0);
	assert_int_equal(st.state, XSIM_ECS_UNBOUND);
	assert_int_equal(st.remote_dom, f->d2);
	assert_int_equal(xsim_evtchn_send(x, port), 0);
	assert_int_equal(xsim_evtchn_close(x, port), 0);
	assert_int_equal(xsim_audit(x, NULL), 0);
	assert_int_equal(xsim_evtchn_alloc_unbound(x, f->d2, &port), -ESRCH);
}

static void test_faults(void **state)
{
	struct fixture *f = *state;
	struct xsim *x = f->m.dom0;
	struct xt_chan c;
	struct xsim_counters k;
	struct timespec a, b;
	uint32_t port;
	pid_t pid;
	struct xsim_fault fl = { .evt_drop = 1 };

	assert_int_equal(xsim_evtchn_alloc_unbound(x, f->d1, &port), 0);
	pid = xt_spawn(f->m.dir, f->d1, &c, binder, NULL);
	xt_send(&c, 1, port);
	assert_true(xt_recv(&c, 1) > 0);

	/* Drop one. */
	assert_int_equal(xsim_fault_set(x, f->d1, &fl), 0);
	xt_send(&c, 1, 1);
	assert_int_equal(xt_recv(&c, 1), 1);
	assert_int_equal(take(x, port, 30 * MS), -ETIMEDOUT);
	xsim_counters(x, f->d1, &k);
	assert_int_equal(k.evtchn_dropped, 1);
	xt_send(&c, 1, 1);
	assert_int_equal(xt_recv(&c, 1), 1);
	assert_int_equal(take(x, port, 1000 * MS), 0);

	/* Duplicate one: a second, spurious event follows. */
	fl = (struct xsim_fault){ .evt_dup = 1 };
	assert_int_equal(xsim_fault_set(x, f->d1, &fl), 0);
	xt_send(&c, 1, 1);
	assert_int_equal(xt_recv(&c, 1), 1);
	assert_int_equal(take(x, port, 1000 * MS), 0);
	assert_int_equal(take(x, port, 1000 * MS), 0);

	/* Delay: the send itself takes that long. */
	fl = (struct xsim_fault){ .evt_delay_us = 20000 };
	assert_int_equal(xsim_fault_set(x, f->d1, &fl), 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	xt_send(&c, 1, 1);
	assert_int_equal(xt_recv(&c, 1), 1);
	assert_int_equal(take(x, port, 1000 * MS), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true((b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec) >=
		    20 * (long long)MS);
	fl = (struct xsim_fault){ 0 };
	assert_int_equal(xsim_fault_set(x, f->d1, &fl), 0);
	assert_int_equal(xsim_fault_get(x, f->d1, &fl), 0);
	assert_int_equal(fl.evt_delay_us, 0);

	xt_send(&c, 1, 9);
	assert_int_equal(xt_wait(pid), 0);
	assert_int_equal(xsim_evtchn_close(x, port), 0);
}

/* Child: the guest end of the xenstore ring. */
static int xs_guest(struct xsim *x, struct xt_chan *c, void *arg)
{
	uint32_t port;
	struct xenstore_domain_interface *ring = xsim_xenstore_ring(x, &port);

	XT_CHECK(ring && port > 0);
	XT_CHECK(xt_send(c, 0, port) == 0);
	XT_CHECK(take(x, port, 1000 * MS) == 0);	/* xenstored wrote */
	XT_CHECK(ring->rsp[0] == 'x' && ring->rsp_prod == 1);
	ring->req[0] = 'y';
	ring->req_prod = 1;
	XT_CHECK(xsim_evtchn_send(x, port) == 0);
	XT_CHECK(xt_recv(c, 0) == 1);
	return 0;
}

/* Child: a later process of the same domain. */
static int xs_guest_again(struct xsim *x, struct xt_chan *c, void *arg)
{
	uint32_t port;

	XT_CHECK(xsim_xenstore_ring(x, &port) != NULL);
	XT_CHECK(xt_send(c, 0, port) == 0);
	XT_CHECK(take(x, port, 1000 * MS) == 0);
	XT_CHECK(xt_send(c, 0, 2) == 0);
	return 0;
}

static void test_xenstore_ring_port(void **state)
{
	struct xsim_evtchn_status es;
	struct fixture *f = *state;
	struct xsim *x = f->m.dom0;
	struct xenstore_domain_interface *ring;
	struct xt_chan c;
	uint32_t gport, lport;
	int16_t st;
	pid_t pid;

	pid = xt_spawn(f->m.dir, f->d1, &c, xs_guest, NULL);
	gport = (uint32_t)xt_recv(&c, 1);
	ring = xsim_xenstore_map_ring(x, f->d1, &lport, &st);
	assert_non_null(ring);
	assert_int_equal(lport, gport);
	assert_int_equal(xsim_evtchn_bind_interdomain(x, f->d1, gport, &lport), 0);
	assert_int_equal(take(x, lport, 0), 0);	/* bind-time event */
	ring->rsp[0] = 'x';
	ring->rsp_prod = 1;
	assert_int_equal(xsim_evtchn_send(x, lport), 0);
	assert_int_equal(take(x, lport, 1000 * MS), 0);
	assert_int_equal(ring->req[0], 'y');
	xt_send(&c, 1, 1);
	assert_int_equal(xt_wait(pid), 0);
	/* The toolstack's port outlives the process, still bound to us,
	 * and the domain's next process adopts it. */
	assert_int_equal(xsim_evtchn_status(x, f->d1, gport, &es), 0);
	assert_int_equal(es.state, XSIM_ECS_INTERDOMAIN);
	assert_int_equal(es.remote_port, lport);
	pid = xt_spawn(f->m.dir, f->d1, &c, xs_guest_again, NULL);
	assert_int_equal(xt_recv(&c, 1), gport);
	assert_int_equal(xsim_evtchn_send(x, lport), 0);
	assert_int_equal(xt_recv(&c, 1), 2);
	assert_int_equal(xt_wait(pid), 0);
	assert_int_equal(xsim_gnttab_unmap(x, ring), 0);
	assert_int_equal(xsim_evtchn_close(x, lport), 0);
	assert_int_equal(xsim_audit(x, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bind_ping_pong, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mask_unmask_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_death_closes_ports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xenstore_ring_port, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
