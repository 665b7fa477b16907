// SPDX-License-Identifier: MIT
/*
 * Event channels on arm64: EVTCHNOP_* hypercalls, and delivery by polling
 * the 2-level pending bitmap of shared_info from evtchn_arm64_poll(), which
 * the kernel calls from its upcall handler and from vscmi_plat_poll() (so
 * every os_poll_hook() wait loop delivers events).
 */
#include "evtchn.h"
#include "plat_arm64.h"

#define EVTCHN_WORD_BITS (sizeof(xen_ulong_t) * 8)

static long evtchn_op(unsigned cmd, void *arg)
{
	return vscmi_plat_hypercall2(__HYPERVISOR_event_channel_op, cmd,
				     (unsigned long)arg);
}

int xen_plat_evtchn_alloc_unbound(struct xen_plat *p, uint16_t remote,
				  uint32_t *port)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
	long rc = evtchn_op(EVTCHNOP_alloc_unbound, &op);

	if (rc)
		return (int)rc;
	*port = op.port;
	return 0;
}

int xen_plat_evtchn_bind_interdomain(struct xen_plat *p, uint16_t remote,
				     uint32_t remote_port, uint32_t *port)
{
	struct evtchn_bind_interdomain op = {
		.remote_dom = remote,
		.remote_port = remote_port,
	};
	long rc = evtchn_op(EVTCHNOP_bind_interdomain, &op);

	if (rc)
		return (int)rc;
	*port = op.local_port;
	return 0;
}

int xen_plat_evtchn_close(struct xen_plat *p, uint32_t port)
{
	struct evtchn_close op = { .port = port };

	return (int)evtchn_op(EVTCHNOP_close, &op);
}

int xen_plat_evtchn_send(struct xen_plat *p, uint32_t port)
{
	struct evtchn_send op = { .port = port };

	return (int)evtchn_op(EVTCHNOP_send, &op);
}

int xen_plat_evtchn_mask(struct xen_plat *p, uint32_t port)
{
	struct shared_info *s = vscmi_plat_shared_info();

	if (!s || port >= EVTCHN_WORD_BITS * EVTCHN_WORD_BITS)
		return -EINVAL;
	__atomic_fetch_or(&s->evtchn_mask[port / EVTCHN_WORD_BITS],
			  (xen_ulong_t)1 << (port % EVTCHN_WORD_BITS), __ATOMIC_SEQ_CST);
	return 0;
}

int xen_plat_evtchn_unmask(struct xen_plat *p, uint32_t port)
{
	struct evtchn_unmask op = { .port = port };

	/* Xen clears the mask and re-raises a pending event. */
	return (int)evtchn_op(EVTCHNOP_unmask, &op);
}

int xen_plat_evtchn_start(struct xen_plat *p)
{
	p->running = true;
	return 0;
}

void xen_plat_evtchn_stop(struct xen_plat *p)
{
	p->running = false;
}

void evtchn_arm64_poll(void)
{
	struct xen_plat *p = &xen_plat_arm64;
	struct shared_info *s = vscmi_plat_shared_info();

	if (!p->running || !s)
		return;
	__atomic_store_n(&s->vcpu_info[0].evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&s->vcpu_info[0].evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	for (unsigned w = 0; w < EVTCHN_WORD_BITS; w++) {
		xen_ulong_t pend = __atomic_load_n(&s->evtchn_pending[w], __ATOMIC_ACQUIRE) &
				   ~__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_ACQUIRE);

		while (pend) {
			unsigned b = (unsigned)__builtin_ctzll((unsigned long long)pend);
			uint32_t port = (uint32_t)(w * EVTCHN_WORD_BITS + b);

			pend &= pend - 1;
			/* Clear before handling: a new event sets it again. */
			__atomic_fetch_and(&s->evtchn_pending[w],
					   ~((xen_ulong_t)1 << b), __ATOMIC_SEQ_CST);
			evtchn_deliver(p, port);
		}
	}
}
