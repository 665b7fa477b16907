// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-pv front-end for Linux: reading what the toolstack and the
 * back-end wrote in xenstore. The back-end is not trusted: every key is
 * read once, parsed strictly (docs/virtio-pv.md section 2: decimal is
 * [0-9]+, hex is [0-9a-fA-F]+ with an optional 0x, 64 bits at most) and
 * range-checked, with the errors of section 6.
 */
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio_config.h>
#include <xen/xenbus.h>

#include "virtio_pv.h"

/**
 * vpv_parse_dec() - parse a decimal number: digits only, no sign or space.
 * @s: the text
 * @max: the largest value accepted
 * @out: the value, set on success
 *
 * Return: 0, -EINVAL (malformed) or -ERANGE (above @max or 64 bits).
 */
int vpv_parse_dec(const char *s, u64 max, u64 *out)
{
	u64 v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		d = *s - '0';
		if (v > (U64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/**
 * vpv_parse_hex() - parse hex digits with an optional 0x/0X prefix.
 * @s: the text
 * @out: the value, set on success
 *
 * Return: 0, -EINVAL (malformed) or -ERANGE (more than 64 bits).
 */
int vpv_parse_hex(const char *s, u64 *out)
{
	u64 v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		int d = hex_to_bin(*s);

		if (d < 0)
			return -EINVAL;
		if (v >> 60)
			return -ERANGE;
		v = (v << 4) | d;
	}
	*out = v;
	return 0;
}

/**
 * vpv_read_u64() - read @dir/@key once and parse it as a number.
 * @dir: xenstore directory
 * @key: node in it
 * @hex: hex (0x optional) rather than decimal
 * @max: the largest value accepted
 * @out: the value, set on success
 *
 * Return: 0, -ENOENT (missing), -EINVAL or -ERANGE.
 */
int vpv_read_u64(const char *dir, const char *key, bool hex, u64 max, u64 *out)
{
	char *s;
	int ret;

	s = xenbus_read(XBT_NIL, dir, key, NULL);
	if (IS_ERR(s))
		return PTR_ERR(s) == -ENOENT ? -ENOENT : (int)PTR_ERR(s);
	if (hex) {
		ret = vpv_parse_hex(s, out);
		if (!ret && *out > max)
			ret = -ERANGE;
	} else {
		ret = vpv_parse_dec(s, max, out);
	}
	kfree(s);
	return ret;
}

/**
 * vpv_read_state() - the xenbus state in @dir, strictly parsed.
 * @dir: a front-end or back-end directory
 * @state: the state, set on success
 *
 * Return: 0 or a negative errno (missing, malformed, unknown state).
 */
int vpv_read_state(const char *dir, enum xenbus_state *state)
{
	u64 v;
	int ret = vpv_read_u64(dir, "state", false, XenbusStateReconfigured, &v);

	if (ret)
		return ret;
	*state = (enum xenbus_state)v;
	return 0;
}

/* Missing required offer key -> -EPROTO; the other errors stay. */
static int vpv_offer_key(const char *dir, const char *key, bool hex, u64 *out)
{
	int ret = vpv_read_u64(dir, key, hex, U64_MAX, out);

	return ret == -ENOENT ? -EPROTO : ret;
}

/* The optional config space: two hex digits per byte, at most 256 bytes. */
static int vpv_offer_config(const char *dir, struct vpv_offer *offer)
{
	unsigned int len;
	char *s;
	int ret = 0;

	offer->config_len = 0;
	s = xenbus_read(XBT_NIL, dir, "config", &len);
	if (IS_ERR(s))
		return PTR_ERR(s) == -ENOENT ? 0 : (int)PTR_ERR(s);
	len = strlen(s);	/* the value may hold a NUL: trust only strlen */
	if (len % 2)
		ret = -EINVAL;
	else if (len / 2 > VPV_MAX_CONFIG)
		ret = -ERANGE;
	else if (hex2bin(offer->config, s, len / 2))
		ret = -EINVAL;
	else
		offer->config_len = len / 2;
	kfree(s);
	return ret;
}

/**
 * vpv_read_offer() - read and validate the back-end's offer.
 * @front: the device; its xenbus otherend is the back-end directory
 * @offer: filled as keys are validated
 * @why: set to the name of the offending key on failure
 *
 * Return: 0 or the errors of docs/virtio-pv.md section 6.
 */
int vpv_read_offer(struct vpv_front *front, struct vpv_offer *offer,
		   const char **why)
{
	const char *be = front->xbdev->otherend;
	u64 v;
	int ret;

	*why = "back-end directory";
	if (!xenbus_exists(XBT_NIL, be, ""))
		return -ENODEV;

	*why = "protocol-version";
	ret = vpv_offer_key(be, "protocol-version", false, &v);
	if (ret)
		return ret;
	if (v == 0)
		return -EPROTONOSUPPORT;
	offer->version = min_t(u64, v, VPV_PROTOCOL_VERSION);

	*why = "device-id";
	ret = vpv_offer_key(be, "device-id", false, &v);
	if (ret)
		return ret;
	if (v != front->device_id)
		return -EPROTO;

	*why = "features";
	ret = vpv_offer_key(be, "features", true, &offer->features);
	if (ret)
		return ret;
	if (!(offer->features & BIT_ULL(VIRTIO_F_VERSION_1)) ||
	    !(offer->features & BIT_ULL(VIRTIO_F_ACCESS_PLATFORM)))
		return -EPROTO;

	*why = "max-queues";
	ret = vpv_offer_key(be, "max-queues", false, &v);
	if (ret)
		return ret;
	if (v > VPV_MAX_QUEUES)
		return -ERANGE;
	if (v == 0)
		return -EINVAL;
	offer->max_queues = v;

	*why = "max-queue-size";
	ret = vpv_offer_key(be, "max-queue-size", false, &v);
	if (ret)
		return ret;
	if (v > VPV_MAX_QUEUE_SIZE)
		return -ERANGE;
	if (v < 2 || !is_power_of_2(v))
		return -EINVAL;
	offer->max_queue_size = v;

	*why = "config";
	return vpv_offer_config(be, offer);
}

/*
 * Does @s equal "/local/domain/<be>/backend/virtio-pv/<fe>/<devid>"? @fe is
 * only known when the guest can read its own "domid" key; otherwise any
 * decimal domain id is accepted in that position.
 */
static bool vpv_backend_path_ok(const char *s, unsigned int be, int fe,
				unsigned int devid)
{
	char want[96], tail[24];
	const char *p;
	size_t n;

	if (fe >= 0) {
		snprintf(want, sizeof(want), "/local/domain/%u/backend/virtio-pv/%d/%u",
			 be, fe, devid);
		return !strcmp(s, want);
	}
	n = snprintf(want, sizeof(want), "/local/domain/%u/backend/virtio-pv/", be);
	if (strncmp(s, want, n))
		return false;
	for (p = s + n; isdigit(*p); p++)
		;
	if (p == s + n)
		return false;
	snprintf(tail, sizeof(tail), "/%u", devid);
	return !strcmp(p, tail);
}

/**
 * vpv_check_paths() - validate what the toolstack wrote in our directory
 * and fill front->devid, device_id and be_domid.
 * @front: the device being probed
 *
 * Return: 0, -ENOENT (a key missing) or -EINVAL (malformed or the
 * back-end path not the one the protocol names).
 */
int vpv_check_paths(struct vpv_front *front)
{
	struct xenbus_device *xbdev = front->xbdev;
	const char *fe = xbdev->nodename;
	const char *slash = strrchr(fe, '/');
	char *backend;
	int self = -1;
	u64 v;
	int ret;

	if (!slash || vpv_parse_dec(slash + 1, U32_MAX, &v))
		return -EINVAL;
	front->devid = v;

	ret = vpv_read_u64(fe, "backend-id", false, DOMID_FIRST_RESERVED - 1, &v);
	if (ret)
		return ret == -ENOENT ? -ENOENT : -EINVAL;
	front->be_domid = v;
	if (xbdev->otherend_id != front->be_domid)
		return -EINVAL;

	ret = vpv_read_u64(fe, "device-id", false, U32_MAX, &v);
	if (ret)
		return ret == -ENOENT ? -ENOENT : -EINVAL;
	front->device_id = v;

	if (!vpv_read_u64("domid", "", false, DOMID_FIRST_RESERVED - 1, &v))
		self = v;
	backend = xenbus_read(XBT_NIL, fe, "backend", NULL);
	if (IS_ERR(backend))
		return -ENOENT;
	ret = 0;
	if (!vpv_backend_path_ok(backend, front->be_domid, self, front->devid) ||
	    !xbdev->otherend || strcmp(backend, xbdev->otherend))
		ret = -EINVAL;
	kfree(backend);
	return ret;
}

/**
 * vpv_copy_error() - copy @dir/error into @buf, printable ASCII only.
 * @dir: the back-end directory
 * @buf: destination, always NUL-terminated
 * @len: its size
 *
 * Return: 0 or -ENOENT when there is no error node.
 */
int vpv_copy_error(const char *dir, char *buf, size_t len)
{
	char *s = xenbus_read(XBT_NIL, dir, "error", NULL);
	size_t i;

	if (IS_ERR(s))
		return -ENOENT;
	for (i = 0; i + 1 < len && s[i]; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	buf[i] = '\0';
	kfree(s);
	return 0;
}
