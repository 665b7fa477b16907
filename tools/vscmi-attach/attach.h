/* SPDX-License-Identifier: MIT */
/*
 * Toolstack glue: a virtio-pv SCMI device's xenstore directories. The guest
 * owns its front-end directory and may read the back-end's; the back-end
 * domain owns its directory and may read the guest's (as for any PV device
 * `xl` attaches).
 */
#ifndef VSCMI_ATTACH_H
#define VSCMI_ATTACH_H

#include <stddef.h>
#include <stdint.h>

struct xs_handle;

/** Domain id of @what, a domain name or number that exists; -ENOENT if none. */
int vsa_resolve_domain(struct xs_handle *xs, const char *what, unsigned *domid);
/** Create device @devid of @domid served by @be; -EEXIST if it is there. */
int vsa_attach(struct xs_handle *xs, unsigned domid, unsigned be, unsigned devid,
	       char *err, size_t errlen);
/** Remove device @devid of @domid (back-end side first); -ENOENT if absent. */
int vsa_detach(struct xs_handle *xs, unsigned domid, unsigned devid, char *err,
	       size_t errlen);

/** Write printf-formatted @fmt to @dir/@key in transaction @t (XBT_NULL:
 *  none); 0 or negative errno. Shared with vscmi-backd. */
int vsa_xs_printf(struct xs_handle *xs, uint32_t t, const char *dir, const char *key,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
