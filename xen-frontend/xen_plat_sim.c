// SPDX-License-Identifier: MIT
/*
 * The sim platform: this process attached to an xensim machine as a domU.
 * Opening and closing, the xenstore ring (arena gfn XSIM_XENSTORE_GFN and
 * the port the toolstack allocated, as HVM_PARAM_STORE_PFN/EVTCHN give
 * them on Xen).
 */
#include <vscmi/virtio_pv.h>

#include "plat_sim.h"

int xen_plat_open(const char *where, int domid, struct xen_plat **out)
{
	struct xen_plat *p = os_zalloc(sizeof(*p));
	int ret;

	if (!p)
		return -ENOMEM;
	ret = xsim_attach(where, domid, &p->x);
	if (ret) {
		os_err("sim: cannot attach to xensim machine %s as domain %d: %s",
		       where ? where : "(default)", domid, strerror(-ret));
		os_free(p);
		return ret;
	}
	*out = p;
	return 0;
}

void xen_plat_close(struct xen_plat *p)
{
	if (!p)
		return;
	xen_plat_evtchn_stop(p);
	xsim_detach(p->x);
	os_free(p);
}

uint16_t xen_plat_domid(struct xen_plat *p)
{
	return xsim_domid(p->x);
}

const char *xen_plat_name(void)
{
	return "sim";
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
	*intf = xsim_xenstore_ring(p->x, port);
	return *intf ? 0 : -ENODEV;
}

/** For tests: the xensim attachment behind @p. */
struct xsim *xen_plat_sim_xsim(struct xen_plat *p);
struct xsim *xen_plat_sim_xsim(struct xen_plat *p)
{
	return p->x;
}
