// SPDX-License-Identifier: MIT
/*
 * SCMI pin control protocol (0x19, new in SCMI v3.2), agent side: pins,
 * groups and functions with their names and associations, settings read
 * and written (one config, all configs page by page, or the selected
 * function), exclusive use (request / release) and permissions.
 */
#include <vscmi/scmi.h>

#include "scmi/agent/protocols.h"
#include "scmi/wire/pinctrl.h"

static bool type_valid(enum scmi_pinctrl_type type)
{
	return type == SCMI_PINCTRL_PIN || type == SCMI_PINCTRL_GROUP ||
	       type == SCMI_PINCTRL_FUNCTION;
}

int scmi_pinctrl_protocol_attributes(struct scmi_handle *h, struct scmi_pinctrl_proto_info *info)
{
	uint32_t w[2];
	size_t got;
	int ret;

	ret = scmi_protocol_version(h, SCMI_PROTO_PINCTRL, &info->version);
	if (ret)
		return ret;
	ret = scmi_protocol_attributes(h, SCMI_PROTO_PINCTRL, w, 2, &got);
	if (ret)
		return ret;
	if (got < 2)
		return -EPROTO;
	info->num_pins = SCMI_FIELD_GET(SCMI_PINCTRL_ATTR_NUM_PINS, w[0]);
	info->num_groups = SCMI_FIELD_GET(SCMI_PINCTRL_ATTR_NUM_GROUPS, w[0]);
	info->num_functions = SCMI_FIELD_GET(SCMI_PINCTRL_ATTR_NUM_FUNCTIONS, w[1]);
	return 0;
}

int scmi_pinctrl_name_get(struct scmi_handle *h, enum scmi_pinctrl_type type, uint32_t id,
			  char name[SCMI_NAME_MAX])
{
	if (!type_valid(type))
		return -EINVAL;
	return scmi_cmd_ext_name(h, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_NAME_GET, id, true,
				 SCMI_FIELD_PREP(SCMI_PINCTRL_FLAGS_SELECTOR, type), name);
}

int scmi_pinctrl_attributes(struct scmi_handle *h, enum scmi_pinctrl_type type, uint32_t id,
			    struct scmi_pinctrl_attrs *attrs)
{
	uint32_t in[2] = { id, SCMI_FIELD_PREP(SCMI_PINCTRL_FLAGS_SELECTOR, type) };
	struct scmi_pinctrl_attributes_p2a r;
	uint32_t a;
	int ret;

	if (!type_valid(type))
		return -EINVAL;
	ret = scmi_cmd_reply(h, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_ATTRIBUTES, in, 2, &r, sizeof(r));
	if (ret)
		return ret;
	a = LE(r.attributes);
	memset(attrs, 0, sizeof(*attrs));
	attrs->id = id;
	attrs->type = type;
	attrs->attributes = a;
	attrs->ext_name = a & SCMI_PINCTRL_EXT_NAME;
	attrs->num_elems = SCMI_FIELD_GET(SCMI_PINCTRL_NUM_ELEMS, a);
	scmi_copy_name(attrs->name, r.name, sizeof(r.name));
	if (attrs->ext_name)
		(void)scmi_pinctrl_name_get(h, type, id, attrs->name);
	return 0;
}

/* ---- PINCTRL_LIST_ASSOCIATIONS ------------------------------------------------------ */

struct assoc_priv {
	uint32_t id;
	uint32_t selector;
	uint32_t *ids;
	size_t cap;
};

static void assoc_prepare(uint8_t *tx, uint32_t index, void *priv)
{
	const struct assoc_priv *p = priv;

	scmi_put_le32(tx + offsetof(struct scmi_pinctrl_list_associations_a2p, identifier), p->id);
	scmi_put_le32(tx + offsetof(struct scmi_pinctrl_list_associations_a2p, flags), p->selector);
	scmi_put_le32(tx + offsetof(struct scmi_pinctrl_list_associations_a2p, index), index);
}

static int assoc_update(struct scmi_iter_state *st, void *priv)
{
	uint32_t f = scmi_rx_word(st->rx, 0);

	st->returned = SCMI_FIELD_GET(SCMI_PINCTRL_ASSOC_RETURNED, f);
	st->remaining = SCMI_FIELD_GET(SCMI_PINCTRL_ASSOC_REMAINING, f);
	st->item_size = 2;	/* 16-bit identifiers */
	return 0;
}

static int assoc_process(struct scmi_iter_state *st, void *priv)
{
	struct assoc_priv *p = priv;
	uint32_t i = st->index + st->loop_idx;

	if (i < p->cap)
		p->ids[i] = scmi_get_le16(st->rx + st->offset);
	return 0;
}

static int pinctrl_assoc(struct scmi_handle *h, enum scmi_pinctrl_type type, uint32_t id,
			 uint32_t *ids, size_t cap, bool truncate, uint32_t *total)
{
	static const struct scmi_iter_ops ops = {
		.prepare = assoc_prepare,
		.update = assoc_update,
		.process = assoc_process,
	};
	struct assoc_priv p = {
		.id = id,
		.selector = SCMI_FIELD_PREP(SCMI_PINCTRL_FLAGS_SELECTOR, type),
		.ids = ids,
		.cap = cap,
	};
	uint32_t max = truncate ? UINT32_MAX : (uint32_t)OS_MIN(cap, (size_t)UINT32_MAX);

	/* Pins have no associations: groups list pins, functions list groups. */
	if (type != SCMI_PINCTRL_GROUP && type != SCMI_PINCTRL_FUNCTION)
		return -EINVAL;
	return scmi_iter_run(h, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_LIST_ASSOCIATIONS,
			     sizeof(struct scmi_pinctrl_list_associations_a2p), max, -ENOBUFS, &ops,
			     &p, total);
}

int scmi_pinctrl_list_associations(struct scmi_handle *h, enum scmi_pinctrl_type type,
				   uint32_t id, uint32_t *ids, size_t cap, size_t *count)
{
	uint32_t total;
	int ret;

	ret = pinctrl_assoc(h, type, id, ids, cap, false, &total);
	if (ret)
		return ret;
	*count = total;
	return 0;
}

/* ---- PINCTRL_SETTINGS_GET ------------------------------------------------------------- */

struct settings_priv {
	uint32_t id;
	uint32_t type;
	enum scmi_pinctrl_get_mode mode;
	uint8_t config_type;
	uint32_t function;
	struct scmi_pinctrl_setting *configs;
	size_t cap;
};

static void settings_prepare(uint8_t *tx, uint32_t index, void *priv)
{
	struct settings_priv *p = priv;
	uint32_t a = SCMI_FIELD_PREP(SCMI_PINCTRL_GET_CONFIG_FLAG, p->mode) |
		     SCMI_FIELD_PREP(SCMI_PINCTRL_GET_SELECTOR, p->type);

	if (p->mode == SCMI_PINCTRL_MODE_ALL) {
		/* settings_update() stops before index outgrows the field */
		a |= SCMI_FIELD_PREP(SCMI_PINCTRL_GET_SKIP, index);
	} else if (p->mode == SCMI_PINCTRL_MODE_ONE) {
		a |= SCMI_FIELD_PREP(SCMI_PINCTRL_GET_CONFIG_TYPE, p->config_type);
	}
	scmi_put_le32(tx + offsetof(struct scmi_pinctrl_settings_get_a2p, identifier), p->id);
	scmi_put_le32(tx + offsetof(struct scmi_pinctrl_settings_get_a2p, attributes), a);
}

static int settings_update(struct scmi_iter_state *st, void *priv)
{
	struct settings_priv *p = priv;
	uint32_t n = scmi_rx_word(st->rx, 1);

	st->returned = SCMI_FIELD_GET(SCMI_PINCTRL_CONFIGS_RETURNED, n);
	st->remaining = SCMI_FIELD_GET(SCMI_PINCTRL_CONFIGS_REMAINING, n);
	st->item_size = sizeof(struct scmi_pinctrl_config);
	if (st->index == 0)
		p->function = scmi_rx_word(st->rx, 0);
	switch (p->mode) {
	case SCMI_PINCTRL_MODE_ONE:
		/* one config, or none if the platform has no such setting */
		if (st->returned > 1 || st->remaining)
			return -EPROTO;
		st->single_page = true;
		break;
	case SCMI_PINCTRL_MODE_FUNCTION:
		if (st->returned || st->remaining)
			return -EPROTO;
		break;
	case SCMI_PINCTRL_MODE_ALL:
		/* The next page's SKIP would not fit its 8-bit field. */
		if (st->remaining && (uint64_t)st->index + st->returned >
					     SCMI_FIELD_GET(SCMI_PINCTRL_GET_SKIP,
							    SCMI_PINCTRL_GET_SKIP))
			return -EOVERFLOW;
		break;
	}
	return 0;
}

static int settings_process(struct scmi_iter_state *st, void *priv)
{
	struct settings_priv *p = priv;
	uint32_t i = st->index + st->loop_idx;
	uint32_t type;

	type = SCMI_FIELD_GET(SCMI_PINCTRL_GET_CONFIG_TYPE, scmi_get_le32(st->rx + st->offset));

	if (p->mode == SCMI_PINCTRL_MODE_ONE && type != p->config_type)
		return -EPROTO;	/* answered a question we did not ask */
	if (i < p->cap) {
		p->configs[i].type = type;
		p->configs[i].value = scmi_get_le32(st->rx + st->offset + 4);
	}
	return 0;
}

static int pinctrl_settings(struct scmi_handle *h, enum scmi_pinctrl_type type, uint32_t id,
			    enum scmi_pinctrl_get_mode mode, uint8_t config_type,
			    uint32_t *function, struct scmi_pinctrl_setting *configs, size_t cap,
			    bool truncate, uint32_t *total)
{
	static const struct scmi_iter_ops ops = {
		.prepare = settings_prepare,
		.update = settings_update,
		.process = settings_process,
	};
	struct settings_priv p = {
		.id = id,
		.type = type,
		.mode = mode,
		.config_type = config_type,
		.configs = configs,
		.cap = cap,
	};
	uint32_t max = truncate ? UINT32_MAX : (uint32_t)OS_MIN(cap, (size_t)UINT32_MAX);
	int ret;

	/* Settings belong to pins and groups, not to functions. */
	if (type != SCMI_PINCTRL_PIN && type != SCMI_PINCTRL_GROUP)
		return -EINVAL;
	if (mode != SCMI_PINCTRL_MODE_ONE && mode != SCMI_PINCTRL_MODE_ALL &&
	    mode != SCMI_PINCTRL_MODE_FUNCTION)
		return -EINVAL;
	ret = scmi_iter_run_hdr(h, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_GET,
				sizeof(struct scmi_pinctrl_settings_get_a2p),
				sizeof(struct scmi_pinctrl_settings_get_p2a), max, -ENOBUFS, &ops,
				&p, total);
	if (ret)
		return ret;
	if (function)
		*function = p.function;
	return 0;
}

int scmi_pinctrl_settings_get(struct scmi_handle *h, enum scmi_pinctrl_type type, uint32_t id,
			      enum scmi_pinctrl_get_mode mode, uint8_t config_type,
			      uint32_t *function, struct scmi_pinctrl_setting *configs,
			      size_t cap, size_t *count)
{
	uint32_t total;
	int ret;

	ret = pinctrl_settings(h, type, id, mode, config_type, function, configs, cap, false,
			       &total);
	if (ret)
		return ret;
	if (count)
		*count = total;
	return 0;
}

/* ---- PINCTRL_SETTINGS_CONFIGURE --------------------------------------------------------- */

int scmi_pinctrl_settings_configure(struct scmi_handle *h, enum scmi_pinctrl_type type,
				    uint32_t id, uint32_t function,
				    const struct scmi_pinctrl_setting *configs, size_t n)
{
	const size_t hdr = sizeof(struct scmi_pinctrl_settings_configure_a2p);
	const size_t esz = sizeof(struct scmi_pinctrl_config);
	size_t max = scmi_max_msg_size(h), per, done = 0, chunk, i;
	bool set_function = function != SCMI_PINCTRL_NO_FUNCTION;
	struct scmi_xfer *x;
	uint32_t a;
	int ret;

	if (type != SCMI_PINCTRL_PIN && type != SCMI_PINCTRL_GROUP)
		return -EINVAL;
	if (!n && !set_function)
		return -EINVAL;
	if (max < hdr + esz)
		return -EMSGSIZE;
	/* As many configs as one message holds, and NUM_CONFIGS can count. */
	per = OS_MIN((max - hdr) / esz,
		     (size_t)SCMI_FIELD_GET(SCMI_PINCTRL_CONF_NUM_CONFIGS,
					    SCMI_PINCTRL_CONF_NUM_CONFIGS));
	do {
		chunk = OS_MIN(n - done, per);
		ret = scmi_xfer_get_init(h, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE,
					 hdr + chunk * esz, 0, &x);
		if (ret)
			return ret;
		a = SCMI_FIELD_PREP(SCMI_PINCTRL_CONF_SELECTOR, type) |
		    SCMI_FIELD_PREP(SCMI_PINCTRL_CONF_NUM_CONFIGS, chunk);
		/* The function is selected once, with the first message. */
		if (set_function && done == 0)
			a |= SCMI_PINCTRL_CONF_FUNCTION_VALID;
		scmi_put_le32(x->tx.buf, id);
		scmi_put_le32(x->tx.buf + 4, set_function && done == 0 ? function : 0);
		scmi_put_le32(x->tx.buf + 8, a);
		for (i = 0; i < chunk; i++) {
			scmi_put_le32(x->tx.buf + hdr + esz * i,
				      SCMI_FIELD_PREP(SCMI_PINCTRL_GET_CONFIG_TYPE,
						      configs[done + i].type));
			scmi_put_le32(x->tx.buf + hdr + esz * i + 4, configs[done + i].value);
		}
		ret = scmi_do_xfer(h, x);
		scmi_xfer_put(h, x);
		if (ret)
			return ret;
		done += chunk;
	} while (done < n);
	return 0;
}

/* ---- request, release, permissions ------------------------------------------------------- */

static int pinctrl_id_cmd(struct scmi_handle *h, uint8_t msg, enum scmi_pinctrl_type type,
			  uint32_t id)
{
	uint32_t in[2] = { id, SCMI_FIELD_PREP(SCMI_PINCTRL_FLAGS_SELECTOR, type) };

	if (type != SCMI_PINCTRL_PIN && type != SCMI_PINCTRL_GROUP)
		return -EINVAL;
	return scmi_cmd_words(h, SCMI_PROTO_PINCTRL, msg, in, 2, NULL, 0);
}

int scmi_pinctrl_request(struct scmi_handle *h, enum scmi_pinctrl_type type, uint32_t id)
{
	return pinctrl_id_cmd(h, SCMI_PINCTRL_REQUEST, type, id);
}

int scmi_pinctrl_release(struct scmi_handle *h, enum scmi_pinctrl_type type, uint32_t id)
{
	return pinctrl_id_cmd(h, SCMI_PINCTRL_RELEASE, type, id);
}

int scmi_pinctrl_set_permissions(struct scmi_handle *h, uint32_t agent_id,
				 enum scmi_pinctrl_type type, uint32_t id, bool allow)
{
	uint32_t in[3] = { agent_id, id,
			   SCMI_FIELD_PREP(SCMI_PINCTRL_PERM_SELECTOR, type) |
				   (allow ? SCMI_PINCTRL_PERM_ALLOW : 0) };

	if (type != SCMI_PINCTRL_PIN && type != SCMI_PINCTRL_GROUP)
		return -EINVAL;
	return scmi_cmd_words(h, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SET_PERMISSIONS, in, 3, NULL, 0);
}

/* ---- enumeration ---------------------------------------------------------------------------- */

int scmi_pinctrl_describe(struct scmi_handle *h, enum scmi_pinctrl_type type, uint32_t id,
			  struct scmi_pinctrl_info *info)
{
	uint32_t total;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = scmi_pinctrl_attributes(h, type, id, &info->attrs);
	if (ret)
		return ret;
	if (type != SCMI_PINCTRL_PIN) {
		ret = pinctrl_assoc(h, type, id, info->assoc, OS_ARRAY_SIZE(info->assoc), true,
				    &total);
		if (ret)
			return ret;
		info->nr_assoc = OS_MIN(total, (uint32_t)OS_ARRAY_SIZE(info->assoc));
	}
	if (type != SCMI_PINCTRL_FUNCTION) {
		ret = pinctrl_settings(h, type, id, SCMI_PINCTRL_MODE_ALL, 0, &info->function,
				       info->configs, OS_ARRAY_SIZE(info->configs), true, &total);
		/* Settings may be private to their owner: describe the rest anyway. */
		if (ret && !scmi_refused(ret))
			return ret;
		if (!ret) {
			info->has_settings = true;
			info->nr_configs = OS_MIN(total, (uint32_t)OS_ARRAY_SIZE(info->configs));
		}
	}
	return 0;
}

int scmi_pinctrl_for_each(struct scmi_handle *h, enum scmi_pinctrl_type type,
			  int (*fn)(void *priv, const struct scmi_pinctrl_info *p), void *priv)
{
	struct scmi_pinctrl_proto_info pi;
	struct scmi_pinctrl_info *info;
	uint32_t n, i;
	int ret;

	if (!type_valid(type))
		return -EINVAL;
	ret = scmi_pinctrl_protocol_attributes(h, &pi);
	if (ret)
		return ret;
	n = type == SCMI_PINCTRL_PIN ? pi.num_pins :
	    type == SCMI_PINCTRL_GROUP ? pi.num_groups : pi.num_functions;
	info = os_zalloc(sizeof(*info));
	if (!info)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		ret = scmi_pinctrl_describe(h, type, i, info);
		if (!ret)
			ret = fn(priv, info);
		if (ret)
			break;
	}
	os_free(info);
	return ret;
}
