// SPDX-License-Identifier: MIT
/*
 * Creating and removing a virtio-pv SCMI device's xenstore directories, as a
 * toolstack does for PV devices. Shared by vscmi-attach/vscmi-detach and
 * vscmi-backd --auto-attach.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <xenstore.h>

#include <vscmi/os.h>
#include <vscmi/virtio.h>

#include "tools/vscmi-attach/attach.h"

int vsa_resolve_domain(struct xs_handle *xs, const char *what, unsigned *domid)
{
	unsigned int n = 0;
	char **doms;
	uint64_t id;
	int ret = -ENOENT;

	doms = xs_directory(xs, XBT_NULL, "/local/domain", &n);
	if (!doms)
		return -errno;
	if (os_parse_u64(what, 10, 0x7fef, &id) == 0) {
		/* dom0 always exists, whether or not its directory was written. */
		if (id == 0)
			ret = 0;
		for (unsigned i = 0; i < n; i++)
			if (!strcmp(doms[i], what))
				ret = 0;
		*domid = (unsigned)id;
		free(doms);
		return ret;
	}
	for (unsigned i = 0; i < n && ret; i++) {
		char path[64];
		unsigned int len;
		char *name;

		snprintf(path, sizeof(path), "/local/domain/%s/name", doms[i]);
		name = xs_read(xs, XBT_NULL, path, &len);
		if (name && !strcmp(name, what) &&
		    os_parse_u64(doms[i], 10, 0x7fef, &id) == 0) {
			*domid = (unsigned)id;
			ret = 0;
		}
		free(name);
	}
	free(doms);
	return ret;
}

static int vsa_exists(struct xs_handle *xs, xs_transaction_t t, const char *path)
{
	unsigned int len;
	char *v = xs_read(xs, t, path, &len);

	free(v);
	return v != NULL;
}

int vsa_attach(struct xs_handle *xs, unsigned domid, unsigned be, unsigned devid,
	       char *err, size_t errlen)
{
	char fe[128], bk[160];

	snprintf(fe, sizeof(fe), "/local/domain/%u/device/virtio-pv/%u", domid, devid);
	snprintf(bk, sizeof(bk), "/local/domain/%u/backend/virtio-pv/%u/%u", be, domid,
		 devid);
	for (int tries = 0; tries < 32; tries++) {
		struct xs_permissions fe_perms[2] = {
			{ .id = domid, .perms = XS_PERM_NONE },
			{ .id = be, .perms = XS_PERM_READ },
		};
		struct xs_permissions be_perms[2] = {
			{ .id = be, .perms = XS_PERM_NONE },
			{ .id = domid, .perms = XS_PERM_READ },
		};
		xs_transaction_t t = xs_transaction_start(xs);
		bool ok;

		if (t == XBT_NULL) {
			snprintf(err, errlen, "cannot start a xenstore transaction: %s",
				 strerror(errno));
			return -EIO;
		}
		if (vsa_exists(xs, t, fe) || vsa_exists(xs, t, bk)) {
			xs_transaction_end(xs, t, true);
			snprintf(err, errlen, "domain %u already has virtio-pv device %u",
				 domid, devid);
			return -EEXIST;
		}
		/* Front-end first, as xl does; both directories in one go. */
		ok = xs_mkdir(xs, t, fe) && xs_set_permissions(xs, t, fe, fe_perms, 2) &&
		     !vsa_xs_printf(xs, t, fe, "backend", "%s", bk) &&
		     !vsa_xs_printf(xs, t, fe, "backend-id", "%u", be) &&
		     !vsa_xs_printf(xs, t, fe, "device-id", "%d", VIRTIO_ID_SCMI) &&
		     !vsa_xs_printf(xs, t, fe, "state", "%d", 1) &&
		     xs_mkdir(xs, t, bk) && xs_set_permissions(xs, t, bk, be_perms, 2) &&
		     !vsa_xs_printf(xs, t, bk, "frontend", "%s", fe) &&
		     !vsa_xs_printf(xs, t, bk, "frontend-id", "%u", domid) &&
		     !vsa_xs_printf(xs, t, bk, "device-id", "%d", VIRTIO_ID_SCMI) &&
		     !vsa_xs_printf(xs, t, bk, "online", "1") &&
		     !vsa_xs_printf(xs, t, bk, "state", "%d", 1);
		if (!ok) {
			int e = errno;

			xs_transaction_end(xs, t, true);
			snprintf(err, errlen, "cannot write the device's xenstore entries: %s",
				 strerror(e));
			return -EIO;
		}
		if (xs_transaction_end(xs, t, false))
			return 0;
		if (errno != EAGAIN) {
			snprintf(err, errlen, "xenstore transaction failed: %s", strerror(errno));
			return -EIO;
		}
	}
	snprintf(err, errlen, "xenstore kept conflicting; try again");
	return -EAGAIN;
}

int vsa_detach(struct xs_handle *xs, unsigned domid, unsigned devid, char *err,
	       size_t errlen)
{
	char fe[128], *bk;
	unsigned int len;
	char path[160];

	snprintf(fe, sizeof(fe), "/local/domain/%u/device/virtio-pv/%u", domid, devid);
	snprintf(path, sizeof(path), "%s/backend", fe);
	bk = xs_read(xs, XBT_NULL, path, &len);
	if (!bk) {
		snprintf(err, errlen, "domain %u has no virtio-pv device %u", domid, devid);
		return -ENOENT;
	}
	/* Back-end first, so it stops using the guest's pages before the
	 * guest's side disappears. */
	if (!xs_rm(xs, XBT_NULL, bk) && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove %s: %s", bk, strerror(errno));
		free(bk);
		return -EIO;
	}
	free(bk);
	if (!xs_rm(xs, XBT_NULL, fe) && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove %s: %s", fe, strerror(errno));
		return -EIO;
	}
	return 0;
}

