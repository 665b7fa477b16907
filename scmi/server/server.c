// SPDX-License-Identifier: MIT
/*
 * The SCMI server core: agents, the dispatcher, platform-to-agent messages
 * and deferred work.
 *
 * Theory of operation
 * -------------------
 * The platform model (every resource of the config, its effective state)
 * is shared by all agents. Each configured agent has a slot: its view
 * (which resources it sees, renumbered from 0 in the order of its grants),
 * its access (ro/rw) and a permission overlay the trusted agent may change
 * with the BASE/PINCTRL permission commands. Each connection (a guest's
 * device) is bound to a slot by domain name and holds its own requests
 * ("votes": enable a clock, a perf level, assert a reset...) and its
 * notification subscriptions; model.c arbitrates the votes into effective
 * state and notifies what changed.
 *
 * A command goes through one path, as in SCP-firmware: scmi_srv_handle()
 * unpacks the header, srv_validate() checks the message type and reserved
 * bits, that the protocol exists and is visible to this agent, that the
 * message id has a handler and that the payload length matches the
 * protocol's size table; only then is the handler called, which reads the
 * (length-checked) payload and writes the response payload; srv_respond()
 * is the single exit that writes header and status. Handlers resolve ids
 * with srv_lookup(), which is where NOT_FOUND and DENIED come from.
 *
 * Asynchronous commands (clock rate, reset, voltage level, power cap,
 * sensor reading) answer at once and complete later through ops->defer;
 * the completion applies the change and sends the delayed response with
 * ops->send_p2a. A periodic tick (also ops->defer) produces continuous
 * sensor updates, trip point events and power measurements while some
 * connection subscribed to them. Everything runs on the daemon's thread.
 */
#include <stdlib.h>
#include <string.h>

#include "scmi/server/srv.h"

static const struct srv_proto *const protocols[] = {
	&srv_proto_base, &srv_proto_power, &srv_proto_system, &srv_proto_perf,
	&srv_proto_clock, &srv_proto_sensor, &srv_proto_reset, &srv_proto_voltage,
	&srv_proto_powercap, &srv_proto_pinctrl,
};

static const struct srv_proto *srv_proto_find(uint8_t id)
{
	for (size_t i = 0; i < OS_ARRAY_SIZE(protocols); i++)
		if (protocols[i]->id == id)
			return protocols[i];
	return NULL;
}

/* ---- slots: each agent's view ---------------------------------------------- */

static void srv_slot_free(struct srv_slot *sl)
{
	for (int t = 0; t < SRV_RTYPE_COUNT; t++) {
		free(sl->l2g[t]);
		free(sl->g2l[t]);
		free(sl->acc[t]);
		free(sl->deny[t]);
	}
}

static int srv_slot_build(const struct scmi_srv_config *cfg, unsigned i, struct srv_slot *sl)
{
	const struct srv_agent_def *a = &cfg->agent[i];

	memset(sl, 0, sizeof(*sl));
	sl->def = a;
	sl->agent_id = i + 1;
	for (unsigned j = 0; j < a->n_grant; j++)
		sl->n[a->grant[j].type]++;
	for (int t = 0; t < SRV_RTYPE_COUNT; t++) {
		sl->l2g[t] = calloc(sl->n[t] + 1u, sizeof(uint16_t));
		sl->acc[t] = calloc(sl->n[t] + 1u, 1);
		sl->deny[t] = calloc(sl->n[t] + 1u, 1);
		sl->g2l[t] = malloc((cfg->n[t] + 1u) * sizeof(int32_t));
		if (!sl->l2g[t] || !sl->acc[t] || !sl->deny[t] || !sl->g2l[t])
			return -ENOMEM;
		for (unsigned g = 0; g <= cfg->n[t]; g++)
			sl->g2l[t][g] = -1;
		sl->n[t] = 0;
	}
	for (unsigned j = 0; j < a->n_grant; j++) {
		const struct srv_grant *gr = &a->grant[j];
		uint16_t l = sl->n[gr->type]++;

		sl->l2g[gr->type][l] = gr->idx;
		sl->acc[gr->type][l] = gr->access;
		sl->g2l[gr->type][gr->idx] = l;
	}
	return 0;
}

static void srv_slots_free(struct srv_slot *slot, unsigned n)
{
	for (unsigned i = 0; slot && i < n; i++)
		srv_slot_free(&slot[i]);
	free(slot);
}

static struct srv_slot *srv_slots_build(const struct scmi_srv_config *cfg)
{
	struct srv_slot *slot = calloc(cfg->n_agent + 1u, sizeof(*slot));

	if (!slot)
		return NULL;
	for (unsigned i = 0; i < cfg->n_agent; i++) {
		if (srv_slot_build(cfg, i, &slot[i])) {
			srv_slots_free(slot, i + 1);
			return NULL;
		}
	}
	return slot;
}

static void srv_states_free(struct srv_state **st)
{
	for (int t = 0; t < SRV_RTYPE_COUNT; t++) {
		free(st[t]);
		st[t] = NULL;
	}
}

static int srv_states_alloc(const struct scmi_srv_config *cfg, struct srv_state **st)
{
	for (int t = 0; t < SRV_RTYPE_COUNT; t++) {
		st[t] = calloc(cfg->n[t] + 1u, sizeof(struct srv_state));
		if (!st[t]) {
			srv_states_free(st);
			return -ENOMEM;
		}
	}
	return 0;
}

/* ---- access --------------------------------------------------------------- */

uint32_t srv_agent_id(const struct scmi_srv_agent *a)
{
	return a->slot ? a->slot->agent_id : 0;
}

bool srv_trusted(const struct scmi_srv_agent *a)
{
	return a->slot && a->slot->def->trusted;
}

enum srv_access srv_access_of(const struct scmi_srv_agent *a, enum srv_rtype type, unsigned g)
{
	const struct srv_slot *sl = a->slot;
	int32_t l;

	if (!sl || g >= a->s->cfg->n[type])
		return SRV_ACC_NONE;
	l = sl->g2l[type][g];
	if (l < 0 || sl->deny[type][l])
		return SRV_ACC_NONE;
	return (enum srv_access)sl->acc[type][l];
}

int32_t srv_lookup(struct srv_msg *m, enum srv_rtype type, uint32_t id, enum srv_access need,
		   unsigned *gidx)
{
	const struct srv_slot *sl = m->a->slot;

	if (!sl || id >= sl->n[type])
		return SCMI_NOT_FOUND;
	*gidx = sl->l2g[type][id];
	if (sl->deny[type][id] || sl->acc[type][id] < need)
		return SCMI_DENIED;
	return SCMI_SUCCESS;
}

uint64_t srv_now(struct scmi_srv *s)
{
	return s->ops->now_ns ? s->ops->now_ns(s->ctx) : os_now_ns();
}

bool srv_can_defer(const struct scmi_srv *s)
{
	return s->ops->defer != NULL;
}

uint64_t srv_latency(struct scmi_srv *s, const struct srv_res_common *c)
{
	return c->latency_ns ? c->latency_ns : s->cfg->latency_ns;
}

bool srv_out_name(struct srv_msg *m, const char *name, size_t len)
{
	if (srv_room(m) < len) {
		m->overflow = true;
		return false;
	}
	memset(m->out + m->out_len, 0, len);
	strncpy((char *)m->out + m->out_len, name, len - 1);
	m->out_len += len;
	return true;
}

int32_t srv_subscribe(struct srv_msg *m, enum srv_rtype type, uint8_t evt)
{
	uint32_t en = srv_in32(m, 1);
	unsigned g;

	if (en & ~SCMI_NOTIFY_ENABLE)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, type, srv_in32(m, 0), SRV_ACC_RO, g);
	if (en)
		srv_vote(m->a, type, g)->notify |= (uint8_t)(1u << evt);
	else
		srv_vote(m->a, type, g)->notify &= (uint8_t)~(1u << evt);
	return SCMI_SUCCESS;
}

int32_t srv_name_get(struct srv_msg *m, enum srv_rtype type)
{
	unsigned g;

	SRV_LOOKUP(m, type, srv_in32(m, 0), SRV_ACC_RO, g);
	srv_out32(m, 0);
	srv_out_name(m, srv_def(m->s->cfg, type, g)->name, SCMI_EXT_NAME_LEN);
	return SCMI_SUCCESS;
}

struct srv_slot *srv_slot_by_id(struct scmi_srv *s, uint32_t id)
{
	return id >= 1 && id <= s->cfg->n_agent ? &s->slot[id - 1] : NULL;
}

/* Drop what @a may no longer do on (@t, @g): all with no access, control with ro. */
static void srv_vote_trim(struct scmi_srv *s, struct scmi_srv_agent *a, enum srv_rtype t, unsigned g)
{
	enum srv_access acc = srv_access_of(a, t, g);
	struct srv_vote *v = srv_vote(a, t, g);

	if (acc == SRV_ACC_NONE) {
		memset(v, 0, sizeof(*v));
	} else if (acc == SRV_ACC_RO) {
		v->on = false;
		v->has_value = false;
		v->has_limits = false;
	}
	if (acc != SRV_ACC_RW && s->state[t][g].owner == a)
		s->state[t][g].owner = NULL;
}

void srv_permissions_changed(struct scmi_srv *s, struct srv_slot *sl)
{
	for (struct scmi_srv_agent *a = s->conns; a; a = a->next)
		if (!sl || a->slot == sl)
			for (int t = 0; t < SRV_RTYPE_COUNT; t++)
				for (unsigned g = 0; g < s->cfg->n[t]; g++)
					srv_vote_trim(s, a, (enum srv_rtype)t, g);
	srv_model_refresh_all(s, NULL);
}

/* ---- platform to agent ----------------------------------------------------- */

int srv_send_p2a(struct scmi_srv *s, struct scmi_srv_agent *a, uint8_t proto, uint8_t msg_id,
		 uint8_t type, uint16_t token, const uint32_t *words, size_t n)
{
	uint8_t buf[SCMI_HDR_SIZE + 4 * 40];
	int ret;

	if (a->detached)
		return -ENOTCONN;
	if (n > 40 || !s->ops->send_p2a)
		return -EMSGSIZE;
	scmi_put_le32(buf, scmi_hdr_pack(msg_id, type, proto, token));
	for (size_t i = 0; i < n; i++)
		scmi_put_le32(buf + SCMI_HDR_SIZE + 4 * i, words[i]);
	ret = s->ops->send_p2a(s->ctx, a, buf, SCMI_HDR_SIZE + 4 * n);
	if (ret) {
		a->st.p2a_dropped++;
	} else if (type == SCMI_MSG_TYPE_DELAYED_RESP) {
		a->st.delayed++;
	} else {
		a->st.notifications++;
	}
	return ret;
}

/*
 * Agent ids in notifications: the trusted agent learns which agent caused a
 * change; any other agent sees its own id when it caused it and 0 (the
 * platform) otherwise, so no guest learns of another.
 */
static uint32_t srv_cause_id(const struct scmi_srv_agent *to, const struct scmi_srv_agent *cause)
{
	if (!cause)
		return 0;
	if (cause == to || srv_trusted(to))
		return srv_agent_id(cause);
	return 0;
}

void srv_notify(struct scmi_srv *s, uint8_t proto, uint8_t evt, enum srv_rtype type,
		unsigned g, const struct scmi_srv_agent *cause, uint32_t *words, size_t n)
{
	for (struct scmi_srv_agent *a = s->conns; a; a = a->next) {
		if (srv_access_of(a, type, g) == SRV_ACC_NONE ||
		    !(srv_vote(a, type, g)->notify & (1u << evt)))
			continue;
		words[0] = srv_cause_id(a, cause);
		if (type != SRV_SYSTEM)
			words[1] = (uint32_t)a->slot->g2l[type][g];
		srv_send_p2a(s, a, proto, evt, SCMI_MSG_TYPE_NOTIFICATION, 0, words, n);
	}
}

/* ---- deferred work ---------------------------------------------------------- */

static void srv_pending_unlink(struct scmi_srv *s, struct srv_pending *p)
{
	for (struct srv_pending **pp = &s->pending; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			return;
		}
	}
}

/* Run from the daemon's event loop after the delay asked for. */
static void srv_pending_fire(void *arg)
{
	struct srv_pending *p = arg;
	struct scmi_srv *s = p->s;

	srv_pending_unlink(s, p);
	if (!p->complete) {
		s->tick_armed = false;
		srv_model_tick(s);
		if (srv_model_wants_tick(s))
			srv_tick_arm(s);
	} else if (!p->dead) {
		s->state[p->rtype][p->gidx].busy--;
		p->a->pending--;
		p->complete(s, p->a, p);
	}
	free(p);
}

static int srv_pending_start(struct scmi_srv *s, struct srv_pending *p, uint64_t delay)
{
	int ret;

	p->s = s;
	p->next = s->pending;
	s->pending = p;
	ret = s->ops->defer(s->ctx, delay, srv_pending_fire, p);
	if (ret)
		srv_pending_unlink(s, p);
	return ret;
}

int32_t srv_defer_async(struct srv_msg *m, enum srv_rtype type, unsigned g, uint64_t latency,
			bool send_dresp, uint64_t arg, uint32_t arg2, srv_complete_fn fn)
{
	struct scmi_srv *s = m->s;
	struct srv_pending *p;

	if (!srv_can_defer(s))
		return SCMI_NOT_SUPPORTED;
	if (m->a->pending >= SRV_MAX_PENDING || s->state[type][g].busy)
		return SCMI_BUSY;
	p = calloc(1, sizeof(*p));
	if (!p)
		return SCMI_GENERIC_ERROR;
	p->a = m->a;
	p->complete = fn;
	p->proto = m->proto;
	p->msg_id = m->msg_id;
	p->token = m->token;
	p->rtype = (uint8_t)type;
	p->gidx = (uint16_t)g;
	p->send_dresp = send_dresp;
	p->arg = arg;
	p->arg2 = arg2;
	if (srv_pending_start(s, p, latency)) {
		free(p);
		return SCMI_BUSY;
	}
	s->state[type][g].busy++;
	m->a->pending++;
	return SCMI_SUCCESS;
}

void srv_tick_arm(struct scmi_srv *s)
{
	struct srv_pending *p;

	if (s->tick_armed || !srv_can_defer(s))
		return;
	p = calloc(1, sizeof(*p));
	if (!p)
		return;
	if (srv_pending_start(s, p, s->cfg->tick_ns)) {
		free(p);
		return;
	}
	s->tick_armed = true;
}

/* Complete every asynchronous command now (reload), or drop @a's (disconnect). */
static void srv_pending_settle(struct scmi_srv *s, struct scmi_srv_agent *only)
{
	for (struct srv_pending *p = s->pending; p; p = p->next) {
		if (!p->complete || p->dead || (only && p->a != only))
			continue;
		p->dead = true;	/* freed when the daemon runs it */
		s->state[p->rtype][p->gidx].busy--;
		p->a->pending--;
		if (!only)
			p->complete(s, p->a, p);
		p->a = NULL;
	}
}

/* ---- life cycle ----------------------------------------------------------------- */

int scmi_srv_create(const struct scmi_srv_config *cfg, const struct scmi_srv_ops *ops,
		    void *ctx, struct scmi_srv **out)
{
	struct scmi_srv *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->ops = ops;
	s->ctx = ctx;
	s->rng = 0x9e3779b97f4a7c15ull;
	s->cfg = srv_config_dup(cfg);
	if (!s->cfg)
		goto fail;
	s->slot = srv_slots_build(s->cfg);
	if (!s->slot || srv_states_alloc(s->cfg, s->state))
		goto fail;
	srv_model_init(s);
	*out = s;
	return 0;
fail:
	scmi_srv_destroy(s);
	return -ENOMEM;
}

static void srv_conn_free(struct scmi_srv_agent *a)
{
	for (int t = 0; t < SRV_RTYPE_COUNT; t++)
		free(a->vote[t]);
	free(a);
}

void scmi_srv_destroy(struct scmi_srv *s)
{
	if (!s)
		return;
	while (s->conns) {
		struct scmi_srv_agent *a = s->conns;

		s->conns = a->next;
		srv_conn_free(a);
	}
	while (s->pending) {
		struct srv_pending *p = s->pending;

		s->pending = p->next;
		free(p);
	}
	if (s->cfg)
		srv_slots_free(s->slot, s->cfg->n_agent);
	srv_states_free(s->state);
	scmi_srv_config_free(s->cfg);
	free(s);
}

static int srv_votes_alloc(const struct scmi_srv_config *cfg, struct srv_vote **v)
{
	for (int t = 0; t < SRV_RTYPE_COUNT; t++) {
		v[t] = calloc(cfg->n[t] + 1u, sizeof(struct srv_vote));
		if (!v[t])
			return -ENOMEM;
	}
	return 0;
}

static struct srv_slot *srv_slot_by(struct scmi_srv *s, const char *domain, const char *name)
{
	for (unsigned i = 0; i < s->cfg->n_agent; i++) {
		if (domain && !strcmp(s->slot[i].def->domain, domain))
			return &s->slot[i];
		if (name && !strcmp(s->slot[i].def->name, name))
			return &s->slot[i];
	}
	return NULL;
}

bool scmi_srv_has_agent(const struct scmi_srv *s, const char *domain_name)
{
	for (unsigned i = 0; i < s->cfg->n_agent; i++)
		if (!strcmp(s->cfg->agent[i].domain, domain_name))
			return true;
	return false;
}

struct scmi_srv_agent *scmi_srv_agent_connect(struct scmi_srv *s, const char *domain_name,
					      uint16_t domid)
{
	struct srv_slot *sl = srv_slot_by(s, domain_name, NULL);
	struct scmi_srv_agent *a;

	if (!sl) {
		os_warn("scmi: no agent serves domain %s (dom%u); see agents = [...] in %s",
			domain_name, domid, s->cfg->source);
		return NULL;
	}
	/* The guest comes back: it finds the requests it left behind. */
	for (a = s->conns; a; a = a->next) {
		if (a->detached && a->slot == sl) {
			a->detached = false;
			a->domid = domid;
			os_info("scmi: agent %s (dom%u) reconnected", a->name, domid);
			return a;
		}
	}
	a = calloc(1, sizeof(*a));
	if (!a || srv_votes_alloc(s->cfg, a->vote)) {
		if (a)
			srv_conn_free(a);
		return NULL;
	}
	a->s = s;
	a->slot = sl;
	a->domid = domid;
	snprintf(a->name, sizeof(a->name), "%s", sl->def->name);
	for (size_t i = 0; i < OS_ARRAY_SIZE(protocols); i++)
		a->version[protocols[i]->id - SCMI_PROTO_BASE] = protocols[i]->version;
	a->next = s->conns;
	s->conns = a;
	os_info("scmi: agent %s (dom%u) connected", a->name, domid);
	return a;
}

/* Withdraw everything @a holds, unlink and free it. */
static void srv_conn_remove(struct scmi_srv *s, struct scmi_srv_agent *a)
{
	struct scmi_srv_agent **pp;

	srv_pending_settle(s, a);
	srv_withdraw_votes(s, a, true);
	for (pp = &s->conns; *pp && *pp != a; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = a->next;
	srv_conn_free(a);
}

void scmi_srv_agent_disconnect(struct scmi_srv *s, struct scmi_srv_agent *a)
{
	bool others = false;

	if (!a)
		return;
	os_info("scmi: agent %s (dom%u) disconnected after %llu commands", a->name, a->domid,
		(unsigned long long)a->st.commands);
	for (struct scmi_srv_agent *o = s->conns; o; o = o->next)
		others |= o != a && o->slot == a->slot && !o->detached;
	if (others || !a->slot) {
		/* another device of the guest stays: this one's requests go */
		srv_conn_remove(s, a);
		return;
	}
	/*
	 * The guest's last device: its requests stay in force until it comes
	 * back or scmi_srv_agent_release() says the domain is gone. Pending
	 * asynchronous commands still take effect, without delayed response;
	 * subscriptions need a live channel: they go now.
	 */
	for (struct srv_pending *p = s->pending; p; p = p->next)
		if (p->a == a)
			p->send_dresp = false;	/* still applied, nobody to tell */
	for (int t = 0; t < SRV_RTYPE_COUNT; t++)
		for (unsigned g = 0; g < s->cfg->n[t]; g++)
			a->vote[t][g].notify = 0;
	a->notify_errors = false;
	a->detached = true;
}

void scmi_srv_agent_release(struct scmi_srv *s, const char *domain_name)
{
	struct scmi_srv_agent *a = s->conns, *next;

	for (; a; a = next) {
		next = a->next;
		if (a->detached && a->slot && !strcmp(a->slot->def->domain, domain_name)) {
			os_info("scmi: agent %s released: its requests are withdrawn", a->name);
			srv_conn_remove(s, a);
		}
	}
}

const char *scmi_srv_agent_name(const struct scmi_srv_agent *a)
{
	return a->name;
}

uint16_t scmi_srv_agent_domid(const struct scmi_srv_agent *a)
{
	return a->domid;
}

void scmi_srv_agent_get_stats(const struct scmi_srv_agent *a, struct scmi_srv_agent_stats *st)
{
	*st = a->st;
}

static void srv_conn_remove(struct scmi_srv *s, struct scmi_srv_agent *a);

/* ---- reload ------------------------------------------------------------------ */

/* Carry @a's votes over to @ncfg, by resource name; drop what it lost. */
static int srv_votes_remap(const struct scmi_srv_config *ocfg, const struct scmi_srv_config *ncfg,
			   struct scmi_srv_agent *a, struct srv_vote **nv)
{
	if (srv_votes_alloc(ncfg, nv))
		return -ENOMEM;
	for (int t = 0; t < SRV_RTYPE_COUNT; t++) {
		for (unsigned g = 0; g < ncfg->n[t]; g++) {
			int og = srv_find(ocfg, (enum srv_rtype)t, srv_def(ncfg, t, g)->name);

			if (og >= 0)
				nv[t][g] = a->vote[t][og];
		}
	}
	return 0;
}

/* Name of index @idx of @t in @from -> its index in @to, or -1. */
static int srv_rename(const struct scmi_srv_config *from, const struct scmi_srv_config *to,
		      enum srv_rtype t, unsigned idx)
{
	return srv_find(to, t, srv_def(from, t, idx)->name);
}

/*
 * A resource's state carried to a new config: references to other resources
 * (clock parent, selected pin function) follow them by name; values the new
 * definition does not allow go back to the configured initial state.
 */
static void srv_state_remap(const struct scmi_srv_config *ocfg, const struct scmi_srv_config *ncfg,
			    enum srv_rtype t, unsigned og, unsigned g, struct srv_state *st)
{
	if (t == SRV_CLOCK) {
		const struct srv_clock_def *od = SRV_DEF(ocfg, SRV_CLOCK, struct srv_clock_def, og);
		const struct srv_clock_def *nd = SRV_DEF(ncfg, SRV_CLOCK, struct srv_clock_def, g);
		int p = st->has_parent ? srv_rename(ocfg, ncfg, SRV_CLOCK, od->parent[st->parent]) : -1;
		uint64_t r;

		st->has_parent = false;
		for (unsigned i = 0; p >= 0 && i < nd->n_parent; i++) {
			if (nd->parent[i] == p) {
				st->parent = (uint16_t)i;
				st->has_parent = true;
			}
		}
		if (!st->has_parent && nd->init_parent >= 0) {
			st->parent = (uint16_t)nd->init_parent;
			st->has_parent = true;
		}
		if (!srv_clock_round(nd, st->rate, 0, &r) || r != st->rate)
			st->rate = nd->init_rate;
	} else if (t == SRV_VOLTAGE) {
		const struct srv_voltage_def *nd = SRV_DEF(ncfg, SRV_VOLTAGE, struct srv_voltage_def, g);
		bool ok = false;

		if (nd->range)
			ok = st->volt >= nd->level[0] && st->volt <= nd->level[1] &&
			     ((int64_t)st->volt - nd->level[0]) % nd->level[2] == 0;
		for (unsigned i = 0; !nd->range && i < nd->n_level; i++)
			ok |= nd->level[i] == st->volt;
		if (!ok)
			st->volt = nd->init_level;
	} else if (t == SRV_POWERCAP) {
		const struct srv_powercap_def *nd = SRV_DEF(ncfg, SRV_POWERCAP, struct srv_powercap_def, g);

		if (st->pai < nd->min_pai || st->pai > nd->max_pai || (st->pai - nd->min_pai) % nd->pai_step)
			st->pai = nd->init_pai;
	} else if ((t == SRV_PIN || t == SRV_GROUP) && st->function >= 0) {
		st->function = (int16_t)srv_rename(ocfg, ncfg, SRV_FUNCTION, (unsigned)st->function);
	}
}

int scmi_srv_reload(struct scmi_srv *s, const struct scmi_srv_config *cfg)
{
	struct scmi_srv_config *ncfg = srv_config_dup(cfg), *ocfg = s->cfg;
	struct srv_state *nst[SRV_RTYPE_COUNT] = { 0 };
	struct srv_slot *nslot = NULL;
	struct srv_vote *(*nv)[SRV_RTYPE_COUNT] = NULL;
	unsigned nconn = 0, i;
	struct scmi_srv_agent *a;

	if (!ncfg)
		return -ENOMEM;
	/* Asynchronous commands complete on the model they started on. */
	srv_pending_settle(s, NULL);
	for (a = s->conns; a; a = a->next)
		nconn++;
	nslot = srv_slots_build(ncfg);
	nv = calloc(nconn + 1, sizeof(*nv));
	if (!nslot || !nv || srv_states_alloc(ncfg, nst))
		goto fail;
	for (i = 0, a = s->conns; a; a = a->next, i++)
		if (srv_votes_remap(ocfg, ncfg, a, nv[i]))
			goto fail;

	/* Nothing can fail from here on. */
	for (int t = 0; t < SRV_RTYPE_COUNT; t++) {
		for (unsigned g = 0; g < ncfg->n[t]; g++) {
			int og = srv_find(ocfg, (enum srv_rtype)t, srv_def(ncfg, t, g)->name);

			nst[t][g] = og >= 0 ? s->state[t][og] : (struct srv_state){ 0 };
			nst[t][g].busy = 0;
			if (og >= 0)
				srv_state_remap(ocfg, ncfg, (enum srv_rtype)t, (unsigned)og, g, &nst[t][g]);
		}
	}
	for (i = 0, a = s->conns; a; a = a->next, i++) {
		for (int t = 0; t < SRV_RTYPE_COUNT; t++) {
			free(a->vote[t]);
			a->vote[t] = nv[i][t];
		}
		a->slot = NULL;
		for (unsigned j = 0; j < ncfg->n_agent; j++)
			if (!strcmp(ncfg->agent[j].name, a->name))
				a->slot = &nslot[j];
		if (!a->slot)
			os_warn("scmi: reload: agent %s (dom%u) is no longer configured: empty view",
				a->name, a->domid);
	}
	srv_slots_free(s->slot, ocfg->n_agent);
	srv_states_free(s->state);
	memcpy(s->state, nst, sizeof(nst));
	s->slot = nslot;
	s->cfg = ncfg;
	free(nv);
	scmi_srv_config_free(ocfg);
	/* Models whose state was not carried (new resources) start afresh;
	 * then votes of resources an agent lost are dropped and every
	 * resource is arbitrated again. */
	srv_model_init(s);
	srv_permissions_changed(s, NULL);
	/* a detached agent that left the config has nothing left to keep */
	for (struct scmi_srv_agent *next, *c = s->conns; c; c = next) {
		next = c->next;
		if (c->detached && !c->slot)
			srv_conn_remove(s, c);
	}
	if (srv_model_wants_tick(s))
		srv_tick_arm(s);
	return 0;
fail:
	for (i = 0; nv && i < nconn; i++)
		for (int t = 0; t < SRV_RTYPE_COUNT; t++)
			free(nv[i][t]);
	free(nv);
	srv_states_free(nst);
	srv_slots_free(nslot, ncfg->n_agent);
	scmi_srv_config_free(ncfg);
	return -ENOMEM;
}

/* ---- dispatch ------------------------------------------------------------------- */

int32_t srv_common_version(struct srv_msg *m)
{
	srv_out32(m, m->a->version[m->proto - SCMI_PROTO_BASE]);
	return SCMI_SUCCESS;
}

int32_t srv_common_msg_attributes(struct srv_msg *m)
{
	const struct srv_proto *p = srv_proto_find(m->proto);
	uint32_t id = srv_in32(m, 0);

	if (!p || id >= p->n_msg || !p->handler[id])
		return SCMI_NOT_FOUND;
	srv_out32(m, p->msg_attributes ? p->msg_attributes(m, (uint8_t)id) : 0);
	return SCMI_SUCCESS;
}

/*
 * The platform speaks the protocol versions of SCMI v3.2; an agent may
 * negotiate an older minor version of the same major one, and for the
 * performance protocol version 3 (12-byte level descriptors).
 */
int32_t srv_common_negotiate(struct srv_msg *m)
{
	const struct srv_proto *p = srv_proto_find(m->proto);
	uint32_t v = srv_in32(m, 0);
	bool ok;

	if (!p)
		return SCMI_NOT_SUPPORTED;
	ok = SCMI_VERSION_MAJOR(v) == SCMI_VERSION_MAJOR(p->version) && v <= p->version;
	if (p->id == SCMI_PROTO_PERF && SCMI_VERSION_MAJOR(v) == 3)
		ok = true;
	if (!ok)
		return SCMI_NOT_SUPPORTED;
	m->a->version[m->proto - SCMI_PROTO_BASE] = v;
	return SCMI_SUCCESS;
}

/* Is @p visible to @a: base always, others when the agent has a resource of it. */
static bool srv_proto_visible(const struct scmi_srv_agent *a, const struct srv_proto *p)
{
	if (p->rtype == SRV_RTYPE_COUNT)
		return true;
	return a->slot && a->slot->n[p->rtype] > 0;
}

size_t srv_visible_protocols(const struct scmi_srv_agent *a, uint8_t *ids, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < OS_ARRAY_SIZE(protocols); i++) {
		const struct srv_proto *p = protocols[i];

		if (p->id != SCMI_PROTO_BASE && srv_proto_visible(a, p) && n < max)
			ids[n++] = p->id;
	}
	return n;
}

/* The one validator: returns the handler to run, or a status in *status. */
static srv_handler_fn srv_validate(struct srv_msg *m, uint32_t hdr, int32_t *status)
{
	const struct srv_proto *p;
	uint16_t size;
	uint8_t type = scmi_hdr_type(hdr);

	if ((hdr & SCMI_HDR_RESERVED_MASK) || type != SCMI_MSG_TYPE_COMMAND) {
		*status = SCMI_PROTOCOL_ERROR;
		return NULL;
	}
	p = srv_proto_find(m->proto);
	if (!p || !srv_proto_visible(m->a, p)) {
		*status = SCMI_NOT_SUPPORTED;
		return NULL;
	}
	if (m->msg_id >= p->n_msg || !p->handler[m->msg_id]) {
		*status = SCMI_NOT_FOUND;
		return NULL;
	}
	size = p->size[m->msg_id];
	if ((size & SRV_VAR) ? m->in_len < (size & SRV_SIZE_MASK) : m->in_len != size) {
		*status = SCMI_PROTOCOL_ERROR;
		return NULL;
	}
	return p->handler[m->msg_id];
}

/* The one exit: header, status, and the payload only on success. */
static size_t srv_respond(struct srv_msg *m, int32_t status, uint8_t *resp)
{
	struct scmi_srv_agent_stats *st = &m->a->st;

	if (status == SCMI_SUCCESS && m->overflow)
		status = SCMI_COMMS_ERROR;	/* the agent's buffer is too small */
	if (status != SCMI_SUCCESS)
		m->out_len = 0;
	scmi_put_le32(resp, scmi_hdr_pack(m->msg_id, SCMI_MSG_TYPE_COMMAND, m->proto, m->token));
	scmi_put_le32(resp + SCMI_HDR_SIZE, (uint32_t)status);
	st->commands++;
	if (status != SCMI_SUCCESS) {
		st->errors++;
		st->denied += status == SCMI_DENIED;
		st->protocol_errors += status == SCMI_PROTOCOL_ERROR;
	}
	return SCMI_HDR_SIZE + SCMI_STATUS_SIZE + m->out_len;
}

size_t scmi_srv_handle(struct scmi_srv *s, struct scmi_srv_agent *a, const void *req,
		       size_t req_len, void *resp, size_t resp_cap)
{
	const uint8_t *in = req;
	struct srv_msg m;
	srv_handler_fn fn;
	int32_t status = SCMI_SUCCESS;
	uint32_t hdr;

	if (req_len < SCMI_HDR_SIZE || resp_cap < SCMI_HDR_SIZE + SCMI_STATUS_SIZE)
		return 0;
	hdr = scmi_get_le32(in);
	memset(&m, 0, sizeof(m));
	m.s = s;
	m.a = a;
	m.msg_id = scmi_hdr_msg_id(hdr);
	m.proto = scmi_hdr_proto(hdr);
	m.token = scmi_hdr_token(hdr);
	m.in = in + SCMI_HDR_SIZE;
	m.in_len = req_len - SCMI_HDR_SIZE;
	m.out = (uint8_t *)resp + SCMI_HDR_SIZE + SCMI_STATUS_SIZE;
	m.out_cap = resp_cap - SCMI_HDR_SIZE - SCMI_STATUS_SIZE;
	fn = srv_validate(&m, hdr, &status);
	if (fn)
		status = fn(&m);
	if (srv_model_wants_tick(s))
		srv_tick_arm(s);
	return srv_respond(&m, status, resp);
}
