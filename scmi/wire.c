// SPDX-License-Identifier: MIT
/*
 * SCMI status <-> errno: the single conversion point each way (the agent
 * uses scmi_status_to_errno, the server scmi_errno_to_status), and names
 * for logs. Freestanding: linked into both libvscmi and libvscmi-server.
 */
#include <vscmi/errno.h>
#include <vscmi/scmi_wire.h>

#include <scmi/wire/all.h>

static const struct {
	int32_t status;
	int err;
	const char *name;
} scmi_status_table[] = {
	{ SCMI_SUCCESS, 0, "SUCCESS" },
	{ SCMI_NOT_SUPPORTED, -EOPNOTSUPP, "NOT_SUPPORTED" },
	{ SCMI_INVALID_PARAMETERS, -EINVAL, "INVALID_PARAMETERS" },
	{ SCMI_DENIED, -EACCES, "DENIED" },
	{ SCMI_NOT_FOUND, -ENOENT, "NOT_FOUND" },
	{ SCMI_OUT_OF_RANGE, -ERANGE, "OUT_OF_RANGE" },
	{ SCMI_BUSY, -EBUSY, "BUSY" },
	{ SCMI_COMMS_ERROR, -ECOMM, "COMMS_ERROR" },
	{ SCMI_GENERIC_ERROR, -EIO, "GENERIC_ERROR" },
	{ SCMI_HARDWARE_ERROR, -EREMOTEIO, "HARDWARE_ERROR" },
	{ SCMI_PROTOCOL_ERROR, -EPROTO, "PROTOCOL_ERROR" },
	{ SCMI_IN_USE, -EADDRINUSE, "IN_USE" },
};

int scmi_status_to_errno(int32_t status)
{
	for (size_t i = 0; i < sizeof(scmi_status_table) / sizeof(scmi_status_table[0]); i++)
		if (scmi_status_table[i].status == status)
			return scmi_status_table[i].err;
	/* An unknown status is the platform breaking the protocol. */
	return -EPROTO;
}

int32_t scmi_errno_to_status(int err)
{
	if (err > 0)
		err = -err;
	for (size_t i = 0; i < sizeof(scmi_status_table) / sizeof(scmi_status_table[0]); i++)
		if (scmi_status_table[i].err == err)
			return scmi_status_table[i].status;
	switch (err) {
	case -EPERM:
		return SCMI_DENIED;
	case -ENODEV:
	case -ENXIO:
		return SCMI_NOT_FOUND;
	case -ENOSYS:
	case -EPROTONOSUPPORT:
		return SCMI_NOT_SUPPORTED;
	case -E2BIG:
	case -EOVERFLOW:
	case -EMSGSIZE:
	case -EBADMSG:
		return SCMI_PROTOCOL_ERROR;
	case -EAGAIN:
	case -ETIMEDOUT:
	case -EINPROGRESS:
		return SCMI_BUSY;
	case -EEXIST:
	case -EALREADY:
		return SCMI_IN_USE;
	case -ECONNRESET:
	case -ENOTCONN:
		return SCMI_COMMS_ERROR;
	default:
		return SCMI_GENERIC_ERROR;
	}
}

const char *scmi_status_name(int32_t status)
{
	for (size_t i = 0; i < sizeof(scmi_status_table) / sizeof(scmi_status_table[0]); i++)
		if (scmi_status_table[i].status == status)
			return scmi_status_table[i].name;
	return "UNKNOWN";
}

const char *scmi_protocol_name(uint8_t proto)
{
	static const char *const names[] = {
		"base", "power", "system", "perf", "clock",
		"sensor", "reset", "voltage", "powercap", "pinctrl",
	};

	if (proto >= SCMI_PROTO_BASE && proto <= SCMI_PROTO_PINCTRL)
		return names[proto - SCMI_PROTO_BASE];
	if (proto >= SCMI_PROTO_VENDOR_FIRST)
		return "vendor";
	return "unknown";
}
