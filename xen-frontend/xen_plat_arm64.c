// SPDX-License-Identifier: MIT
/*
 * The arm64 platform: a bare-metal or RTOS domU kernel. One platform
 * instance per kernel; Xen is reached through the HVC hypercall hooks the
 * kernel provides (vscmi_plat_hypercall*), the xenstore ring through the
 * HVM params the kernel reads (HVM_PARAM_STORE_PFN / _EVTCHN).
 */
#include <vscmi/virtio_pv.h>

#include <xen/hvm/params.h>

#include "plat_arm64.h"

struct xen_plat xen_plat_arm64;

int xen_plat_open(const char *where, int domid, struct xen_plat **out)
{
	struct xen_plat *p = &xen_plat_arm64;

	/* The guest learns its id from xenstore's "domid" node later. */
	p->domid = domid >= 0 ? (uint16_t)domid : DOMID_SELF;
	*out = p;
	return 0;
}

void xen_plat_close(struct xen_plat *p)
{
	if (p)
		xen_plat_evtchn_stop(p);
}

uint16_t xen_plat_domid(struct xen_plat *p)
{
	return p->domid;
}

const char *xen_plat_name(void)
{
	return "arm64";
}

struct evtchn_table **xen_plat_evtchn_slot(struct xen_plat *p)
{
	return &p->evtchn;
}

struct gnttab **xen_plat_gnttab_slot(struct xen_plat *p)
{
	return &p->gnttab;
}

int xen_plat_xs_ring(struct xen_plat *p, struct xenstore_domain_interface **intf,
		     uint32_t *port)
{
	uint64_t pfn, evtchn;
	int ret;

	ret = vscmi_plat_hvm_param(HVM_PARAM_STORE_PFN, &pfn);
	if (!ret)
		ret = vscmi_plat_hvm_param(HVM_PARAM_STORE_EVTCHN, &evtchn);
	if (ret)
		return ret;
	if (!pfn || !evtchn || evtchn > UINT32_MAX)
		return -ENODEV;
	*intf = vscmi_plat_gfn_to_va(pfn);
	*port = (uint32_t)evtchn;
	return *intf ? 0 : -ENODEV;
}
