// SPDX-License-Identifier: MIT
/*
 * The linux platform: the front-end in a Linux domU's userspace, on
 * /dev/xen/evtchn (libxenevtchn), /dev/xen/gntalloc (libxengnttab's gntshr)
 * and xenstore through libxenstore (xenstore_linux.c). Our domain id is the
 * guest's relative xenstore node "domid", which the toolstack writes.
 */
#include <stdlib.h>
#include <xenstore.h>

#include <vscmi/virtio_pv.h>

#include "plat_linux.h"

static int xen_plat_linux_domid(uint16_t *domid)
{
	struct xs_handle *xs = xs_open(0);
	unsigned int len = 0;
	uint64_t v;
	char *s;
	int ret;

	if (!xs)
		return -errno;
	s = xs_read(xs, XBT_NULL, "domid", &len);
	ret = s ? os_parse_u64(s, 10, DOMID_FIRST_RESERVED - 1, &v) : -errno;
	free(s);
	xs_close(xs);
	if (!ret)
		*domid = (uint16_t)v;
	return ret;
}

int xen_plat_open(const char *where, int domid, struct xen_plat **out)
{
	struct xen_plat *p = os_zalloc(sizeof(*p));
	int ret;

	if (!p)
		return -ENOMEM;
	p->stop_pipe[0] = p->stop_pipe[1] = -1;
	p->xce = xenevtchn_open(NULL, 0);
	if (!p->xce) {
		ret = -errno;
		os_err("linux: cannot open /dev/xen/evtchn: %s", strerror(-ret));
		goto out_free;
	}
	p->xgs = xengntshr_open(NULL, 0);
	if (!p->xgs) {
		ret = -errno;
		os_err("linux: cannot open /dev/xen/gntalloc: %s", strerror(-ret));
		goto out_close;
	}
	if (domid >= 0) {
		p->domid = (uint16_t)domid;
	} else {
		ret = xen_plat_linux_domid(&p->domid);
		if (ret) {
			os_err("linux: cannot read our domain id from xenstore: %s",
			       strerror(-ret));
			goto out_close;
		}
	}
	*out = p;
	return 0;

out_close:
	if (p->xgs)
		xengntshr_close(p->xgs);
	xenevtchn_close(p->xce);
out_free:
	os_free(p);
	return ret;
}

void xen_plat_close(struct xen_plat *p)
{
	if (!p)
		return;
	xen_plat_evtchn_stop(p);
	xengntshr_close(p->xgs);
	xenevtchn_close(p->xce);
	os_free(p);
}

uint16_t xen_plat_domid(struct xen_plat *p)
{
	return p->domid;
}

const char *xen_plat_name(void)
{
	return "linux";
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
	return -ENODEV;		/* the kernel owns the ring: libxenstore */
}
