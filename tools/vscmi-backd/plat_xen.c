// SPDX-License-Identifier: MIT
/*
 * vscmi-backd on real Xen: grant maps through libxengnttab (/dev/xen/gntdev),
 * event channels through libxenevtchn (/dev/xen/evtchn), our domid from
 * xenstore's "domid" key.
 */
#include "plat.h"

#include <vscmi/os.h>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenstore.h>

struct bk_plat {
	xengnttab_handle *gt;
	xenevtchn_handle *ev;
	struct bk_plat_stats st;
};

const char *bk_plat_name(void)
{
	return "xen";
}

int bk_plat_open(struct bk_plat **out)
{
	struct bk_plat *p = calloc(1, sizeof(*p));
	int ret;

	if (!p)
		return -ENOMEM;
	p->gt = xengnttab_open(NULL, 0);
	if (!p->gt) {
		ret = -errno;
		os_err("cannot open the grant device (/dev/xen/gntdev): %s", strerror(errno));
		goto out_free;
	}
	/* Enough for many guests' persistent pools. */
	xengnttab_set_max_grants(p->gt, 65536);
	p->ev = xenevtchn_open(NULL, 0);
	if (!p->ev) {
		ret = -errno;
		os_err("cannot open the event-channel device (/dev/xen/evtchn): %s",
		       strerror(errno));
		goto out_close_gt;
	}
	/* One port per readiness callback: never block on an empty device. */
	fcntl(xenevtchn_fd(p->ev), F_SETFL,
	      fcntl(xenevtchn_fd(p->ev), F_GETFL) | O_NONBLOCK);
	*out = p;
	return 0;

out_close_gt:
	xengnttab_close(p->gt);
out_free:
	free(p);
	return ret;
}

void bk_plat_close(struct bk_plat *p)
{
	if (!p)
		return;
	if (p->ev)
		xenevtchn_close(p->ev);
	if (p->gt)
		xengnttab_close(p->gt);
	free(p);
}

int bk_plat_self_domid(struct bk_plat *p, uint16_t *domid)
{
	struct xs_handle *xs = xs_open(XS_OPEN_READONLY);
	unsigned int len;
	char *v;
	uint64_t id;
	int ret;

	if (!xs)
		return -errno;
	v = xs_read(xs, XBT_NULL, "domid", &len);
	xs_close(xs);
	if (!v)
		return -ENOENT;
	ret = os_parse_u64(v, 10, 0x7fef, &id);
	free(v);
	if (!ret)
		*domid = (uint16_t)id;
	return ret;
}

void *bk_plat_map(struct bk_plat *p, uint16_t domid, uint32_t ref, bool writable,
		  int *err)
{
	void *va = xengnttab_map_grant_ref(p->gt, domid, ref,
					   writable ? PROT_READ | PROT_WRITE : PROT_READ);

	if (!va) {
		*err = errno ? -errno : -EFAULT;
		return NULL;
	}
	p->st.maps++;
	return va;
}

int bk_plat_unmap(struct bk_plat *p, void *addr)
{
	p->st.unmaps++;
	return xengnttab_unmap(p->gt, addr, 1) ? -errno : 0;
}

int bk_plat_evtchn_bind(struct bk_plat *p, uint16_t domid, uint32_t remote_port,
			uint32_t *port)
{
	xenevtchn_port_or_error_t r = xenevtchn_bind_interdomain(p->ev, domid, remote_port);

	if (r < 0)
		return -errno;
	*port = (uint32_t)r;
	return 0;
}

int bk_plat_evtchn_unbind(struct bk_plat *p, uint32_t port)
{
	return xenevtchn_unbind(p->ev, port) ? -errno : 0;
}

int bk_plat_evtchn_notify(struct bk_plat *p, uint32_t port)
{
	p->st.notifies++;
	return xenevtchn_notify(p->ev, port) ? -errno : 0;
}

int bk_plat_evtchn_fd(struct bk_plat *p)
{
	return xenevtchn_fd(p->ev);
}

int bk_plat_evtchn_pending(struct bk_plat *p, uint32_t *port)
{
	xenevtchn_port_or_error_t r = xenevtchn_pending(p->ev);

	if (r < 0)
		return errno == EAGAIN ? -EAGAIN : -errno;
	*port = (uint32_t)r;
	return 0;
}

int bk_plat_evtchn_unmask(struct bk_plat *p, uint32_t port)
{
	return xenevtchn_unmask(p->ev, port) ? -errno : 0;
}

bool bk_plat_evtchn_edge(struct bk_plat *p)
{
	/* /dev/xen/evtchn is read port by port: level-triggered. */
	return false;
}

void bk_plat_evtchn_rearm(struct bk_plat *p)
{
}

void bk_plat_get_stats(struct bk_plat *p, struct bk_plat_stats *st)
{
	*st = p->st;
}
