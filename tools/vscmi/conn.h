/* SPDX-License-Identifier: MIT */
/*
 * Opening this guest's virtio-pv SCMI device from a hosted program (the
 * vscmi CLI, vscmi-bench): xen-frontend's platform, the virtio-pv transport
 * and the SCMI agent on top.
 */
#ifndef VSCMI_CONN_H
#define VSCMI_CONN_H

#include <stddef.h>

struct scmi_handle;
struct vscmi_conn;
struct virtio_pv;

/** Connect to virtio-pv device @devid and open the SCMI agent on it;
 *  on failure a sentence for the user in @err. */
int vscmi_conn_open(unsigned devid, struct vscmi_conn **out, struct scmi_handle **h,
		    char *err, size_t errlen);
/** Close the agent and the device (every grant ended). NULL is fine. */
void vscmi_conn_close(struct vscmi_conn *conn);
/** The transport, for its counters. */
struct virtio_pv *vscmi_conn_pv(struct vscmi_conn *conn);

#endif
