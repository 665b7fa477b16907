// SPDX-License-Identifier: MIT
/*
 * vscmi-backd on xensim: this process is attached to the machine as its
 * domain ($XENSIM_MACHINE, $XENSIM_DOMID, set by `xensim run`), maps grants
 * and uses event channels through libxensim.
 */
#include "plat.h"

#include <stdlib.h>

#include <vscmi/os.h>
#include <vscmi/xensim.h>

struct bk_plat {
	struct xsim *x;
	struct bk_plat_stats st;
};

const char *bk_plat_name(void)
{
	return "sim";
}

int bk_plat_open(struct bk_plat **out)
{
	struct bk_plat *p = calloc(1, sizeof(*p));
	int ret;

	if (!p)
		return -ENOMEM;
	ret = xsim_attach(NULL, -1, &p->x);
	if (ret) {
		os_err("cannot attach to the xensim machine (XENSIM_MACHINE=%s): %s",
		       getenv("XENSIM_MACHINE") ? getenv("XENSIM_MACHINE") : "unset",
		       strerror(-ret));
		free(p);
		return ret;
	}
	/* libxenstore finds xensim's xenstored through XENSTORED_PATH. */
	setenv("XENSTORED_PATH", xsim_xenstored_socket(p->x), 0);
	*out = p;
	return 0;
}

void bk_plat_close(struct bk_plat *p)
{
	if (!p)
		return;
	xsim_detach(p->x);
	free(p);
}

int bk_plat_self_domid(struct bk_plat *p, uint16_t *domid)
{
	*domid = xsim_domid(p->x);
	return 0;
}

void *bk_plat_map(struct bk_plat *p, uint16_t domid, uint32_t ref, bool writable,
		  int *err)
{
	int16_t st = GNTST_okay;
	void *va = xsim_gnttab_map(p->x, domid, ref, !writable, &st);

	if (!va) {
		*err = st == GNTST_bad_domain ? -ESRCH :
		       st == GNTST_no_device_space ? -ENOSPC : -EPERM;
		return NULL;
	}
	p->st.maps++;
	return va;
}

int bk_plat_unmap(struct bk_plat *p, void *addr)
{
	p->st.unmaps++;
	return xsim_gnttab_unmap(p->x, addr);
}

int bk_plat_evtchn_bind(struct bk_plat *p, uint16_t domid, uint32_t remote_port,
			uint32_t *port)
{
	return xsim_evtchn_bind_interdomain(p->x, domid, remote_port, port);
}

int bk_plat_evtchn_unbind(struct bk_plat *p, uint32_t port)
{
	return xsim_evtchn_close(p->x, port);
}

int bk_plat_evtchn_notify(struct bk_plat *p, uint32_t port)
{
	p->st.notifies++;
	return xsim_evtchn_send(p->x, port);
}

int bk_plat_evtchn_fd(struct bk_plat *p)
{
	return xsim_evtchn_fd(p->x);
}

int bk_plat_evtchn_pending(struct bk_plat *p, uint32_t *port)
{
	return xsim_evtchn_next_pending(p->x, port);
}

int bk_plat_evtchn_unmask(struct bk_plat *p, uint32_t port)
{
	/* xensim's next_pending already cleared the bit; ports stay unmasked. */
	return 0;
}

bool bk_plat_evtchn_edge(struct bk_plat *p)
{
	return true;
}

void bk_plat_evtchn_rearm(struct bk_plat *p)
{
	xsim_evtchn_rearm(p->x);
}

void bk_plat_get_stats(struct bk_plat *p, struct bk_plat_stats *st)
{
	*st = p->st;
}
