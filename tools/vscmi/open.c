// SPDX-License-Identifier: MIT
/*
 * vscmi: connect to the guest's virtio-pv SCMI device through xen-frontend
 * (xensim, or a real Linux domU's gntalloc/evtchn/xenstore, chosen at build
 * time) and open the SCMI agent on it.
 */
#include <stdio.h>
#include <stdlib.h>

#include <vscmi/os.h>
#include <vscmi/scmi.h>
#include <vscmi/virtio_pv.h>

#include "conn.h"

#define VSCMI_CONNECT_TIMEOUT_MS 5000

struct vscmi_conn {
	struct xen_plat *plat;
	struct virtio_pv *pv;
};

int vscmi_conn_open(unsigned devid, struct vscmi_conn **out, struct scmi_handle **h,
		    char *err, size_t errlen)
{
	struct vscmi_conn *conn = calloc(1, sizeof(*conn));
	/* A person is waiting: give up on a missing back-end in seconds. */
	const struct virtio_pv_opts opts = {
		.connect_timeout_ns = VSCMI_CONNECT_TIMEOUT_MS * OS_NSEC_PER_MSEC,
	};
	int ret;

	if (!conn)
		return -ENOMEM;
	ret = xen_plat_open(NULL, -1, &conn->plat);
	if (ret) {
		snprintf(err, errlen, "cannot reach Xen (grants, event channels, xenstore): %s",
			 strerror(-ret));
		goto out_free;
	}
	ret = virtio_pv_attach(conn->plat, devid, &scmi_virtio_driver, &opts, &conn->pv);
	if (ret) {
		snprintf(err, errlen, ret == -ENOENT ?
			 "this guest has no virtio-pv device %u (is it attached? vscmi-attach)" :
			 ret == -ETIMEDOUT ?
			 "virtio-pv device %u: the back-end did not connect (is vscmi-backd running?)" :
			 "virtio-pv device %u: %s", devid, strerror(-ret));
		goto out_plat;
	}
	*h = scmi_handle_of(virtio_pv_vdev(conn->pv));
	if (!*h) {
		snprintf(err, errlen, "virtio-pv device %u is not an SCMI device", devid);
		ret = -ENODEV;
		goto out_detach;
	}
	*out = conn;
	return 0;

out_detach:
	virtio_pv_detach(conn->pv);
out_plat:
	xen_plat_close(conn->plat);
out_free:
	free(conn);
	return ret;
}

void vscmi_conn_close(struct vscmi_conn *conn)
{
	if (!conn)
		return;
	virtio_pv_detach(conn->pv);
	xen_plat_close(conn->plat);
	free(conn);
}

struct virtio_pv *vscmi_conn_pv(struct vscmi_conn *conn)
{
	return conn->pv;
}
