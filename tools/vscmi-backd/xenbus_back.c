// SPDX-License-Identifier: MIT
/*
 * The virtio-pv back-end's xenbus side (docs/virtio-pv.md): find devices
 * under /local/domain/<self>/backend/virtio-pv/<domU>/<devid>, publish what
 * we offer, follow the front-end's state and connect or tear down.
 *
 * Every value read from xenstore comes from a guest-writable directory and
 * is parsed strictly; anything wrong fails that one device.
 */
#include "backd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <xenstore.h>

#include <vscmi/os.h>

#include "scmi/server/server.h"
#include "tools/vscmi-attach/attach.h"

#define BK_TOKEN_BACKEND "vscmi:backend"
#define BK_TOKEN_RELEASE "vscmi:release"
#define BK_TOKEN_FRONT "vscmi:fe:"
#define BK_TOKEN_INTRODUCE "vscmi:introduce"

/* ---- xenstore helpers -------------------------------------------------- */

int bk_xs_write(struct backd *bd, const char *path, const char *val)
{
	return xs_write(bd->xs, XBT_NULL, path, val, strlen(val)) ? 0 : -errno;
}

static char *bk_xs_read(struct backd *bd, const char *dir, const char *key)
{
	char path[256];
	unsigned int len;

	if (snprintf(path, sizeof(path), "%s/%s", dir, key) >= (int)sizeof(path))
		return NULL;
	return xs_read(bd->xs, XBT_NULL, path, &len);
}

/*
 * Read @dir/@key as an unsigned number no larger than @max. Base 16 values
 * may carry a 0x prefix. -ENOENT if absent, -EINVAL/-ERANGE if malformed.
 */
int bk_xs_read_u64(struct backd *bd, const char *dir, const char *key,
		   unsigned base, uint64_t max, uint64_t *out)
{
	char *v = bk_xs_read(bd, dir, key);
	const char *s;
	int ret;

	if (!v)
		return -ENOENT;
	s = v;
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	ret = os_parse_u64(s, base, max, out);
	free(v);
	return ret;
}

int bk_xenbus_switch(struct bk_dev *d, enum bk_xb_state st)
{
	int ret;

	if (d->state == st)
		return 0;
	ret = vsa_xs_printf(d->bd->xs, XBT_NULL, d->be_path, "state", "%d", st);
	if (ret) {
		os_warn("guest %s (dom%u): cannot write %s/state: %s", d->domname,
			d->domid, d->be_path, strerror(-ret));
		return ret;
	}
	d->state = st;
	return 0;
}

/* ---- devices --------------------------------------------------------------- */

/* What we offer, written before InitWait. One transaction, retried. */
static int bk_publish_offer(struct bk_dev *d)
{
	const uint64_t offered = VIRTIO_BIT(VIRTIO_F_VERSION_1) |
		VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) |
		VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) |
		VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS);
	struct backd *bd = d->bd;

	for (int tries = 0; tries < 16; tries++) {
		xs_transaction_t t = xs_transaction_start(bd->xs);
		int ret = 0;
		char path[192];

		if (t == XBT_NULL)
			return -errno;
		ret |= vsa_xs_printf(bd->xs, t, d->be_path, "protocol-version", "%d",
				    BK_PROTOCOL_VERSION);
		ret |= vsa_xs_printf(bd->xs, t, d->be_path, "device-id", "%d", VIRTIO_ID_SCMI);
		ret |= vsa_xs_printf(bd->xs, t, d->be_path, "features", "0x%llx",
				    (unsigned long long)offered);
		ret |= vsa_xs_printf(bd->xs, t, d->be_path, "max-queues", "%d", BK_MAX_QUEUES);
		ret |= vsa_xs_printf(bd->xs, t, d->be_path, "max-queue-size", "%d",
				    BK_MAX_QUEUE_SIZE);
		/* virtio-scmi has no device configuration space. */
		ret |= vsa_xs_printf(bd->xs, t, d->be_path, "config", "%s", "");
		snprintf(path, sizeof(path), "%s/error", d->be_path);
		xs_rm(bd->xs, t, path);
		if (ret) {
			xs_transaction_end(bd->xs, t, true);
			return -EIO;
		}
		if (xs_transaction_end(bd->xs, t, false))
			return 0;
		if (errno != EAGAIN)
			return -errno;
	}
	return -EAGAIN;
}

static void bk_front_changed(struct bk_dev *d)
{
	uint64_t fe;

	if (bk_xs_read_u64(d->bd, d->fe_path, "state", 10, BK_XB_RECONFIGURED, &fe))
		fe = BK_XB_UNKNOWN;

	switch ((enum bk_xb_state)fe) {
	case BK_XB_UNKNOWN:
	case BK_XB_INITIALISING:
	case BK_XB_INITWAIT:
		/* A new or reset front-end: offer again, forgive old faults. */
		bk_dev_disconnect(d);
		d->broken = false;
		if (d->state != BK_XB_INITWAIT && !bk_publish_offer(d))
			bk_xenbus_switch(d, BK_XB_INITWAIT);
		break;
	case BK_XB_INITIALISED:
	case BK_XB_CONNECTED:
		if (d->connected || d->broken)
			break;
		if (d->state != BK_XB_INITWAIT) {
			/* A front-end left over from before we (re)started:
			 * InitWait tells it to reset and publish again. */
			if (!bk_publish_offer(d))
				bk_xenbus_switch(d, BK_XB_INITWAIT);
			break;
		}
		if (!bk_dev_connect(d))
			bk_xenbus_switch(d, BK_XB_CONNECTED);
		break;
	case BK_XB_CLOSING:
		bk_dev_disconnect(d);
		bk_xenbus_switch(d, BK_XB_CLOSING);
		break;
	case BK_XB_CLOSED:
	default:
		bk_dev_disconnect(d);
		bk_xenbus_switch(d, BK_XB_CLOSED);
		break;
	}
}

void bk_dev_destroy(struct bk_dev *d)
{
	struct backd *bd = d->bd;
	struct bk_dev **pp;

	bk_dev_disconnect(d);
	xs_unwatch(bd->xs, d->fe_state_path, d->watch_token);
	for (pp = &bd->devs; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	free(d);
}

static int bk_dev_create(struct backd *bd, uint16_t domid, uint32_t devid)
{
	struct bk_dev *d = calloc(1, sizeof(*d));
	char *fe, *name;
	uint64_t feid;
	char dompath[64];

	if (!d)
		return -ENOMEM;
	d->bd = bd;
	d->domid = domid;
	d->devid = devid;
	snprintf(d->be_path, sizeof(d->be_path), "%s/%u/%u", bd->be_root, domid, devid);
	snprintf(dompath, sizeof(dompath), "/local/domain/%u", domid);
	name = bk_xs_read(bd, dompath, "name");
	snprintf(d->domname, sizeof(d->domname), "%s", name ? name : "");
	free(name);
	if (!d->domname[0])
		snprintf(d->domname, sizeof(d->domname), "dom%u", domid);

	/* The toolstack wrote these; they must name the same guest. */
	fe = bk_xs_read(bd, d->be_path, "frontend");
	if (!fe || bk_xs_read_u64(bd, d->be_path, "frontend-id", 10, 0xffff, &feid) ||
	    feid != domid || strlen(fe) >= sizeof(d->fe_path) ||
	    strncmp(fe, dompath, strlen(dompath)) || fe[strlen(dompath)] != '/') {
		os_warn("%s: frontend/frontend-id missing or not domain %u's; ignoring it",
			d->be_path, domid);
		free(fe);
		free(d);
		return -EINVAL;
	}
	snprintf(d->fe_path, sizeof(d->fe_path), "%s", fe);
	free(fe);
	snprintf(d->fe_state_path, sizeof(d->fe_state_path), "%s/state", d->fe_path);
	snprintf(d->watch_token, sizeof(d->watch_token), BK_TOKEN_FRONT "%u/%u",
		 domid, devid);
	d->state = BK_XB_UNKNOWN;
	d->next = bd->devs;
	bd->devs = d;
	if (!xs_watch(bd->xs, d->fe_state_path, d->watch_token)) {
		os_err("cannot watch %s: %s", d->fe_state_path, strerror(errno));
		bk_dev_destroy(d);
		return -EIO;
	}
	os_info("guest %s (dom%u): found virtio-pv device %u", d->domname, domid, devid);
	/* The watch fires at once and runs bk_front_changed(). */
	return 0;
}

static struct bk_dev *bk_dev_find(struct backd *bd, uint16_t domid, uint32_t devid)
{
	for (struct bk_dev *d = bd->devs; d; d = d->next)
		if (d->domid == domid && d->devid == devid)
			return d;
	return NULL;
}

/* Does @path (an entry of a directory listing) name a number? */
static bool bk_parse_id(const char *s, uint64_t max, uint64_t *out)
{
	return os_parse_u64(s, 10, max, out) == 0;
}

void bk_xenbus_scan(struct backd *bd)
{
	unsigned int ndom = 0;
	char **doms = xs_directory(bd->xs, XBT_NULL, bd->be_root, &ndom);
	struct bk_dev *d, *next;

	/* Devices whose directory went away (vscmi-detach, domain gone). */
	for (d = bd->devs; d; d = next) {
		char *v = bk_xs_read(bd, d->be_path, "frontend");

		next = d->next;
		if (!v) {
			os_info("guest %s (dom%u): device %u removed", d->domname,
				d->domid, d->devid);
			bk_dev_destroy(d);
		}
		free(v);
	}
	for (unsigned i = 0; i < ndom; i++) {
		uint64_t domid, devid;
		char dir[160];
		unsigned int ndev = 0;
		char **devs;

		if (!bk_parse_id(doms[i], 0x7fef, &domid))
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", bd->be_root, doms[i]);
		devs = xs_directory(bd->xs, XBT_NULL, dir, &ndev);
		for (unsigned j = 0; j < ndev; j++) {
			if (!bk_parse_id(devs[j], UINT32_MAX, &devid))
				continue;
			if (!bk_dev_find(bd, (uint16_t)domid, (uint32_t)devid))
				bk_dev_create(bd, (uint16_t)domid, (uint32_t)devid);
		}
		free(devs);
	}
	free(doms);
}

/* @releaseDomain: drop the devices of every domain that no longer exists. */
static void bk_domains_released(struct backd *bd)
{
	struct bk_dev *d, *next;

	for (d = bd->devs; d; d = next) {
		char name[sizeof(d->domname)];

		next = d->next;
		if (xs_is_domain_introduced(bd->xs, d->domid))
			continue;
		snprintf(name, sizeof(name), "%s", d->domname);
		os_info("guest %s (dom%u) is gone; releasing its device %u",
			d->domname, d->domid, d->devid);
		xs_rm(bd->xs, XBT_NULL, d->be_path);
		bk_dev_destroy(d);
		/* Its clock enables, votes and pins go with it (after its
		 * device is gone: the server keeps them while one is up). */
		scmi_srv_agent_release(bd->srv, name);
	}
}

/*
 * --auto-attach: give device 0 to every domain the configuration names, as
 * soon as it exists, so that `xl create` alone is enough.
 */
static void bk_auto_attach(struct backd *bd)
{
	unsigned int n = 0;
	char **doms = xs_directory(bd->xs, XBT_NULL, "/local/domain", &n);

	for (unsigned i = 0; i < n; i++) {
		uint64_t domid;
		char dompath[64], err[256], *name;
		int ret;

		if (!bk_parse_id(doms[i], 0x7fef, &domid) || domid == bd->self)
			continue;
		snprintf(dompath, sizeof(dompath), "/local/domain/%s", doms[i]);
		name = bk_xs_read(bd, dompath, "name");
		if (name && scmi_srv_has_agent(bd->srv, name) &&
		    !bk_dev_find(bd, (uint16_t)domid, 0)) {
			ret = vsa_attach(bd->xs, (unsigned)domid, bd->self, 0, err, sizeof(err));
			if (!ret)
				os_info("auto-attached guest %s (dom%llu)", name,
					(unsigned long long)domid);
			else if (ret != -EEXIST)
				os_warn("cannot auto-attach guest %s: %s", name, err);
		}
		free(name);
	}
	free(doms);
}

void bk_xenbus_watch_fired(struct backd *bd, const char *path, const char *token)
{
	if (!strcmp(token, BK_TOKEN_BACKEND)) {
		bk_xenbus_scan(bd);
	} else if (!strcmp(token, BK_TOKEN_INTRODUCE)) {
		bk_auto_attach(bd);
	} else if (!strcmp(token, BK_TOKEN_RELEASE)) {
		bk_domains_released(bd);
	} else if (!strncmp(token, BK_TOKEN_FRONT, strlen(BK_TOKEN_FRONT))) {
		for (struct bk_dev *d = bd->devs; d; d = d->next) {
			if (!strcmp(d->watch_token, token)) {
				bk_front_changed(d);
				break;
			}
		}
	}
}

int bk_xenbus_start(struct backd *bd)
{
	snprintf(bd->be_root, sizeof(bd->be_root),
		 "/local/domain/%u/backend/virtio-pv", bd->self);
	if (!xs_watch(bd->xs, bd->be_root, BK_TOKEN_BACKEND) ||
	    !xs_watch(bd->xs, "@releaseDomain", BK_TOKEN_RELEASE)) {
		os_err("cannot watch %s: %s", bd->be_root, strerror(errno));
		return -errno;
	}
	/* The watch fires once at once, attaching domains already running. */
	if (bd->auto_attach && !xs_watch(bd->xs, "@introduceDomain", BK_TOKEN_INTRODUCE)) {
		os_err("cannot watch @introduceDomain: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* SIGTERM: close every device cleanly; front-ends see Closing. */
void bk_xenbus_stop(struct backd *bd)
{
	while (bd->devs) {
		struct bk_dev *d = bd->devs;

		bk_dev_disconnect(d);
		bk_xenbus_switch(d, BK_XB_CLOSING);
		bk_dev_destroy(d);
	}
	xs_unwatch(bd->xs, bd->be_root, BK_TOKEN_BACKEND);
	xs_unwatch(bd->xs, "@releaseDomain", BK_TOKEN_RELEASE);
	if (bd->auto_attach)
		xs_unwatch(bd->xs, "@introduceDomain", BK_TOKEN_INTRODUCE);
}
