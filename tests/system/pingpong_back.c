// SPDX-License-Identifier: MIT
/*
 * pingpong-back DOMID (dom0 side of the raw ping-pong, see pingpong.h): wait
 * for the guest's page and port in xenstore, map the page with
 * /dev/xen/gntdev, bind the port, then answer every request word until the
 * guest writes PP_STOP (or nothing arrives for 60 s).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <xengnttab.h>
#include <xenstore.h>

#include "pingpong.h"

static char *xs_get(struct xs_handle *xs, unsigned dom, const char *key)
{
	char path[96];
	unsigned int len;

	snprintf(path, sizeof(path), "/local/domain/%u/" PP_XS_DIR "/%s", dom, key);
	return xs_read(xs, XBT_NULL, path, &len);
}

int main(int argc, char **argv)
{
	unsigned dom = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 0;
	struct xs_handle *xs = xs_open(0);
	xengnttab_handle *gt = xengnttab_open(NULL, 0);
	xenevtchn_handle *xe = xenevtchn_open(NULL, 0);
	volatile struct pp_page *pg;
	xenevtchn_port_or_error_t lp;
	unsigned long gref, rport, answered = 0;
	char *v = NULL, path[96];

	if (!dom || !xs || !gt || !xe) {
		fprintf(stderr, "usage: pingpong-back DOMID (needs xenstore, gntdev, evtchn)\n");
		return 1;
	}
	for (int i = 0; i < 1200 && !(v = xs_get(xs, dom, "ready")); i++) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
	}
	if (!v) {
		fprintf(stderr, "pingpong-back: dom%u never published its page\n", dom);
		return 1;
	}
	free(v);
	v = xs_get(xs, dom, "gref");
	gref = v ? strtoul(v, NULL, 0) : 0;
	free(v);
	v = xs_get(xs, dom, "port");
	rport = v ? strtoul(v, NULL, 0) : 0;
	free(v);
	pg = xengnttab_map_grant_ref(gt, dom, (uint32_t)gref, PROT_READ | PROT_WRITE);
	lp = xenevtchn_bind_interdomain(xe, dom, (evtchn_port_t)rport);
	if (!pg || lp < 0) {
		perror("pingpong-back: map the page / bind the port");
		return 1;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/" PP_XS_DIR "/bound", dom);
	xs_write(xs, XBT_NULL, path, "1", 1);
	for (;;) {
		uint32_t req;

		if (pp_wait_event(xe, 60000)) {
			fprintf(stderr, "pingpong-back: no request for 60 s\n");
			break;
		}
		req = __atomic_load_n(&pg->req, __ATOMIC_ACQUIRE);
		if (req == PP_STOP)
			break;
		/* The guest sees rsp before the event. */
		__atomic_store_n(&pg->rsp, req, __ATOMIC_RELEASE);
		xenevtchn_notify(xe, (evtchn_port_t)lp);
		answered++;
	}
	printf("pingpong-back: answered %lu requests of dom%u\n", answered, dom);
	xengnttab_unmap(gt, (void *)pg, 1);
	return 0;
}
