// SPDX-License-Identifier: MIT
/*
 * SCMI base protocol (0x10), agent side: discovery of the platform (vendor,
 * implementation, protocols, agents), error notifications, and the
 * permission commands a trusted agent may send on behalf of others.
 */
#include "scmi/agent/protocols.h"
#include "scmi/wire/base.h"

int scmi_base_protocol_attributes(struct scmi_handle *h, uint32_t *num_protocols,
				  uint32_t *num_agents)
{
	uint32_t attr;
	size_t got;
	int ret;

	ret = scmi_protocol_attributes(h, SCMI_PROTO_BASE, &attr, 1, &got);
	if (ret)
		return ret;
	*num_protocols = SCMI_FIELD_GET(SCMI_BASE_ATTR_NUM_PROTOCOLS, attr);
	*num_agents = SCMI_FIELD_GET(SCMI_BASE_ATTR_NUM_AGENTS, attr);
	return 0;
}

static int base_vendor(struct scmi_handle *h, uint8_t msg, char name[SCMI_NAME_MAX])
{
	struct scmi_base_discover_vendor_p2a r;
	int ret;

	ret = scmi_cmd_reply(h, SCMI_PROTO_BASE, msg, NULL, 0, &r, sizeof(r));
	if (!ret)
		scmi_copy_name(name, r.vendor_identifier, sizeof(r.vendor_identifier));
	return ret;
}

int scmi_base_discover_vendor(struct scmi_handle *h, char vendor[SCMI_NAME_MAX])
{
	return base_vendor(h, SCMI_BASE_DISCOVER_VENDOR, vendor);
}

int scmi_base_discover_sub_vendor(struct scmi_handle *h, char sub_vendor[SCMI_NAME_MAX])
{
	return base_vendor(h, SCMI_BASE_DISCOVER_SUB_VENDOR, sub_vendor);
}

int scmi_base_discover_impl_version(struct scmi_handle *h, uint32_t *impl_version)
{
	return scmi_cmd_words(h, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION,
			      NULL, 0, impl_version, 1);
}

/* ---- BASE_DISCOVER_LIST_PROTOCOLS: pages of bytes, no "remaining" field ---- */

struct list_protocols_priv {
	uint32_t total;		/* from PROTOCOL_ATTRIBUTES */
	uint8_t *protos;
};

static void list_protocols_prepare(uint8_t *tx, uint32_t index, void *priv)
{
	scmi_put_le32(tx, index);	/* skip */
}

static int list_protocols_update(struct scmi_iter_state *st, void *priv)
{
	struct list_protocols_priv *p = priv;
	uint32_t n = scmi_rx_word(st->rx, 0);

	/* The reply says only how many it returned; the rest is derived. */
	if ((uint64_t)st->index + n > p->total)
		return -EPROTO;
	st->returned = n;
	st->remaining = p->total - st->index - n;
	st->item_size = 1;
	return 0;
}

static int list_protocols_process(struct scmi_iter_state *st, void *priv)
{
	struct list_protocols_priv *p = priv;
	uint8_t id = st->rx[st->offset];

	/* Base itself is never listed, and ids below 0x10 are reserved. */
	if (id < SCMI_PROTO_POWER)
		return -EPROTO;
	p->protos[st->index + st->loop_idx] = id;
	return 0;
}

int scmi_base_discover_list_protocols(struct scmi_handle *h, uint8_t *protos, size_t cap,
				      size_t *count)
{
	static const struct scmi_iter_ops ops = {
		.prepare = list_protocols_prepare,
		.update = list_protocols_update,
		.process = list_protocols_process,
	};
	struct list_protocols_priv p = { .protos = protos };
	uint32_t agents, total;
	int ret;

	ret = scmi_base_protocol_attributes(h, &p.total, &agents);
	if (ret)
		return ret;
	if (p.total > cap)
		return -ENOBUFS;
	if (p.total == 0) {
		*count = 0;
		return 0;
	}
	ret = scmi_iter_run(h, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS,
			    sizeof(struct scmi_base_discover_list_protocols_a2p), p.total, -EPROTO,
			    &ops, &p, &total);
	if (ret)
		return ret;
	*count = total;
	return 0;
}

int scmi_base_discover_agent(struct scmi_handle *h, uint32_t agent_id, uint32_t *id_out,
			     char name[SCMI_NAME_MAX])
{
	struct scmi_base_discover_agent_p2a r;
	int ret;

	ret = scmi_cmd_reply(h, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT,
			     &agent_id, 1, &r, sizeof(r));
	if (ret)
		return ret;
	if (id_out)
		*id_out = LE(r.agent_id);
	scmi_copy_name(name, r.name, sizeof(r.name));
	return 0;
}

int scmi_base_notify_errors(struct scmi_handle *h, bool enable)
{
	uint32_t in = enable ? SCMI_BASE_NOTIFY_ERRORS_ENABLE : 0;

	return scmi_cmd_words(h, SCMI_PROTO_BASE, SCMI_BASE_NOTIFY_ERRORS, &in, 1, NULL, 0);
}

int scmi_base_set_device_permissions(struct scmi_handle *h, uint32_t agent_id,
				     uint32_t device_id, bool allow)
{
	uint32_t in[3] = { agent_id, device_id, allow ? SCMI_BASE_PERM_ALLOW : 0 };

	return scmi_cmd_words(h, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, in, 3, NULL, 0);
}

int scmi_base_set_protocol_permissions(struct scmi_handle *h, uint32_t agent_id,
				       uint32_t device_id, uint8_t proto, bool allow)
{
	uint32_t in[4] = { agent_id, device_id,
			   SCMI_FIELD_PREP(SCMI_BASE_PERM_PROTOCOL_ID, proto),
			   allow ? SCMI_BASE_PERM_ALLOW : 0 };

	/* Nobody may take the base protocol away from an agent. */
	if (proto == SCMI_PROTO_BASE)
		return -EINVAL;
	return scmi_cmd_words(h, SCMI_PROTO_BASE, SCMI_BASE_SET_PROTOCOL_PERMISSIONS, in, 4,
			      NULL, 0);
}

int scmi_base_reset_agent_configuration(struct scmi_handle *h, uint32_t agent_id,
					bool reset_permissions)
{
	uint32_t in[2] = { agent_id, reset_permissions ? SCMI_BASE_RESET_PERMISSIONS : 0 };

	return scmi_cmd_words(h, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION, in, 2,
			      NULL, 0);
}

int scmi_base_describe(struct scmi_handle *h, struct scmi_base_info *info)
{
	int ret;

	memset(info, 0, sizeof(*info));
	ret = scmi_protocol_version(h, SCMI_PROTO_BASE, &info->version);
	if (!ret)
		ret = scmi_base_protocol_attributes(h, &info->num_protocols, &info->num_agents);
	if (!ret)
		ret = scmi_base_discover_vendor(h, info->vendor);
	if (!ret)
		ret = scmi_base_discover_impl_version(h, &info->impl_version);
	if (ret)
		return ret;
	/* Optional commands: absence is not an error. */
	ret = scmi_base_discover_sub_vendor(h, info->sub_vendor);
	if (ret && ret != -EOPNOTSUPP)
		return ret;
	info->agent_id = SCMI_BASE_AGENT_SELF;
	ret = scmi_base_discover_agent(h, SCMI_BASE_AGENT_SELF, &info->agent_id, info->agent_name);
	if (ret && ret != -EOPNOTSUPP)
		return ret;
	return 0;
}

int scmi_base_parse_error_event(const void *payload, size_t len,
				struct scmi_base_error_event *ev)
{
	const uint8_t *p = payload;
	uint32_t status, avail, n, i;

	if (len < sizeof(struct scmi_base_error_event_p2a))
		return -EPROTO;
	status = scmi_get_le32(p + 4);
	ev->agent_id = scmi_get_le32(p);
	ev->fatal = status & SCMI_BASE_ERR_FATAL;
	ev->count = SCMI_FIELD_GET(SCMI_BASE_ERR_COUNT, status);
	/* Keep the reports that both the count and the payload vouch for. */
	avail = (uint32_t)((len - sizeof(struct scmi_base_error_event_p2a)) / 8);
	n = OS_MIN(OS_MIN(ev->count, avail), (uint32_t)SCMI_BASE_ERR_MAX_REPORTS);
	for (i = 0; i < n; i++)
		ev->reports[i] = (uint64_t)scmi_get_le32(p + 12 + 8 * i) << 32 |
				 scmi_get_le32(p + 8 + 8 * i);
	ev->nr_reports = n;
	return 0;
}
