// SPDX-License-Identifier: MIT
/*
 * The bare-metal guest's console: the PV console ring the toolstack set up
 * for this domain (HVM_PARAM_CONSOLE_PFN, struct xencons_interface) and its
 * event channel (HVM_PARAM_CONSOLE_EVTCHN). dom0's xenconsoled copies what
 * is written to the domain's console log (and `xl console`).
 *
 * Why not CONSOLEIO_write: a release build of Xen refuses it to a domU
 * (XSM dummy policy), so it is used only before the ring is known, where
 * it reaches `xl dmesg` on a debug hypervisor and is lost otherwise.
 *
 * The ring is shared with xenconsoled, a peer we do not trust to make
 * progress: out_cons is read once per check and only its distance from
 * out_prod is used; a full ring is waited for at most BM_CONS_WAIT_NS, then
 * output is dropped rather than hang the guest.
 */
#include "boot/arm64/bm.h"

#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

#include "xen-frontend/xen_plat.h"

#define BM_CONS_WAIT_NS (2 * OS_NSEC_PER_SEC)
#define BM_PRINTF_MAX 512

static struct xencons_interface *cons;
static uint32_t cons_port;
static bool cons_stuck;	/* xenconsoled stopped reading: drop output */

static void cons_notify(void)
{
	struct evtchn_send send = { .port = cons_port };

	vscmi_plat_hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
			      (unsigned long)&send);
}

int bm_console_init(void)
{
	uint64_t pfn, port;
	int ret;

	ret = vscmi_plat_hvm_param(HVM_PARAM_CONSOLE_PFN, &pfn);
	if (!ret)
		ret = vscmi_plat_hvm_param(HVM_PARAM_CONSOLE_EVTCHN, &port);
	if (ret)
		return ret;
	if (!pfn || !port || port > UINT32_MAX)
		return -ENODEV;
	cons = vscmi_plat_gfn_to_va(pfn);
	if (!cons)
		return -ERANGE;
	cons_port = (uint32_t)port;
	return 0;
}

int bm_console_mask_events(void)
{
	/* Only the ring indexes matter; its events would just wake idle naps. */
	return cons ? xen_plat_evtchn_mask(NULL, cons_port) : -ENODEV;
}

/* Bytes xenconsoled has not read yet (0..sizeof out), or -1 if it lies. */
static long cons_pending(void)
{
	XENCONS_RING_IDX prod = cons->out_prod;
	XENCONS_RING_IDX used = prod - OS_READ_ONCE(cons->out_cons);

	return used > sizeof(cons->out) ? -1 : (long)used;
}

/* Wait until fewer than @below bytes are unread; false on timeout. */
static bool cons_wait_below(size_t below)
{
	uint64_t deadline = vscmi_plat_now_ns() + BM_CONS_WAIT_NS;

	for (;;) {
		long used = cons_pending();

		/* We read out_cons before we reuse the bytes it frees. */
		os_rmb();
		if (used >= 0 && (size_t)used < below)
			return true;
		if (used < 0 || vscmi_plat_now_ns() > deadline)
			return false;
		cons_notify();
		os_cpu_relax();
	}
}

static void consoleio_write(const char *s, size_t len)
{
	vscmi_plat_hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, len,
			      (unsigned long)s);
}

void vscmi_plat_console_write(const char *s, size_t len)
{
	XENCONS_RING_IDX prod;

	if (!cons) {
		consoleio_write(s, len);
		return;
	}
	while (len && !cons_stuck) {
		size_t room, n;

		if (!cons_wait_below(sizeof(cons->out))) {
			cons_stuck = true;
			break;
		}
		room = sizeof(cons->out) - (size_t)cons_pending();
		n = OS_MIN(room, len);
		prod = cons->out_prod;
		for (size_t i = 0; i < n; i++)
			cons->out[MASK_XENCONS_IDX(prod + i, cons->out)] = s[i];
		/* xenconsoled sees the bytes before the index that publishes them. */
		os_wmb();
		cons->out_prod = prod + (XENCONS_RING_IDX)n;
		s += n;
		len -= n;
		/* ... and the index before the event that makes it look. */
		os_mb();
		cons_notify();
	}
}

void bm_console_flush(void)
{
	if (cons && !cons_stuck && !cons_wait_below(1))
		cons_stuck = true;
}

void bm_printf(const char *fmt, ...)
{
	char buf[BM_PRINTF_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = os_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	vscmi_plat_console_write(buf, OS_MIN((size_t)n, sizeof(buf) - 1));
}
