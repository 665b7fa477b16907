// SPDX-License-Identifier: MIT
/*
 * The platform model: initial state, arbitration of the connections'
 * requests into effective state, value sources of sensors and power
 * measurements, and the periodic work behind continuous notifications.
 *
 * Arbitration rules (docs/config.md, "Sharing"):
 * - on/off resources (clock enable, power domain, voltage enable): on while
 *   any connection asks for on; off when none does and at least one asked
 *   for off; with no request at all, the configured initial state.
 * - clock rate, clock parent, voltage level, powercap PAI: the last
 *   successful request wins (the value stays when its requester leaves).
 * - perf level: the highest request wins, inside the effective limits,
 *   which are the intersection of every connection's limits (when they do
 *   not overlap, the lowest maximum wins); the result is the lowest OPP at
 *   or above the target that the limits allow.
 * - power cap: the lowest (most restrictive) request wins; none: initial.
 * - reset: asserted while any connection holds it asserted.
 * - pins and groups: owned by the connection that requested them.
 * - sensors: configuration and trip points are per connection.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "scmi/server/srv.h"

#define SRV_FOREACH_CONN(s, a) for (struct scmi_srv_agent *a = (s)->conns; a; a = a->next)

void srv_model_init(struct scmi_srv *s)
{
	const struct scmi_srv_config *cfg = s->cfg;

	for (int t = 0; t < SRV_RTYPE_COUNT; t++) {
		for (unsigned g = 0; g < cfg->n[t]; g++) {
			struct srv_state *st = srv_st(s, (enum srv_rtype)t, g);

			if (st->inited)
				continue;
			memset(st, 0, sizeof(*st));
			st->inited = true;
			st->function = -1;
			switch (t) {
			case SRV_CLOCK: {
				const struct srv_clock_def *d = SRV_DEF(cfg, SRV_CLOCK, struct srv_clock_def, g);

				st->rate = d->init_rate;
				st->on = d->enabled;
				st->has_parent = d->init_parent >= 0;
				st->parent = st->has_parent ? (uint16_t)d->init_parent : 0;
				break;
			}
			case SRV_PERF: {
				const struct srv_perf_def *d = SRV_DEF(cfg, SRV_PERF, struct srv_perf_def, g);

				st->level = d->level;
				st->lim_min = d->opp[0].level;
				st->lim_max = d->opp[d->n_opp - 1].level;
				break;
			}
			case SRV_POWER:
				st->on = SRV_DEF(cfg, SRV_POWER, struct srv_power_def, g)->on;
				break;
			case SRV_VOLTAGE: {
				const struct srv_voltage_def *d =
					SRV_DEF(cfg, SRV_VOLTAGE, struct srv_voltage_def, g);

				st->volt = d->init_level;
				st->on = d->on;
				break;
			}
			case SRV_POWERCAP: {
				const struct srv_powercap_def *d =
					SRV_DEF(cfg, SRV_POWERCAP, struct srv_powercap_def, g);

				st->level = d->init_cap;
				st->pai = d->init_pai;
				break;
			}
			case SRV_SYSTEM:
				s->system_state = SCMI_SYSTEM_POWER_UP;
				break;
			default:
				break;
			}
		}
	}
}

/* on/off rule; @init is the configured state. */
static bool srv_on_vote(struct scmi_srv *s, enum srv_rtype t, unsigned g, bool init)
{
	bool any_on = false, any = false;

	SRV_FOREACH_CONN(s, a) {
		const struct srv_vote *v = srv_vote(a, t, g);

		any |= v->has_value || v->on;
		any_on |= v->on;
	}
	return any_on ? true : any ? false : init;
}

void srv_clock_refresh(struct scmi_srv *s, unsigned g, struct scmi_srv_agent *cause)
{
	/* Enable only: rate and parent are last-writer-wins, set by the handlers. */
	const struct srv_clock_def *d = SRV_DEF(s->cfg, SRV_CLOCK, struct srv_clock_def, g);

	srv_st(s, SRV_CLOCK, g)->on = srv_on_vote(s, SRV_CLOCK, g, d->enabled);
}

void srv_power_refresh(struct scmi_srv *s, unsigned g, struct scmi_srv_agent *cause)
{
	const struct srv_power_def *d = SRV_DEF(s->cfg, SRV_POWER, struct srv_power_def, g);
	struct srv_state *st = srv_st(s, SRV_POWER, g);
	bool on = srv_on_vote(s, SRV_POWER, g, d->on);
	uint32_t w[3];

	if (on == st->on)
		return;
	st->on = on;
	w[2] = on ? SCMI_POWER_STATE_ON : SCMI_POWER_STATE_OFF;
	srv_notify(s, SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGED, SRV_POWER, g, cause, w, 3);
}

void srv_voltage_refresh(struct scmi_srv *s, unsigned g, struct scmi_srv_agent *cause)
{
	const struct srv_voltage_def *d = SRV_DEF(s->cfg, SRV_VOLTAGE, struct srv_voltage_def, g);

	srv_st(s, SRV_VOLTAGE, g)->on = srv_on_vote(s, SRV_VOLTAGE, g, d->on);
}

void srv_reset_refresh(struct scmi_srv *s, unsigned g, struct scmi_srv_agent *cause)
{
	struct srv_state *st = srv_st(s, SRV_RESET, g);
	uint16_t n = 0;
	uint32_t w[3];

	SRV_FOREACH_CONN(s, a)
		n += srv_vote(a, SRV_RESET, g)->on;
	if (n && !st->asserted) {
		w[2] = 0;	/* architectural cold reset */
		srv_notify(s, SCMI_PROTO_RESET, SCMI_RESET_EVT_ISSUED, SRV_RESET, g, cause, w, 3);
	}
	st->asserted = n;
}

void srv_perf_refresh(struct scmi_srv *s, unsigned g, struct scmi_srv_agent *cause)
{
	const struct srv_perf_def *d = SRV_DEF(s->cfg, SRV_PERF, struct srv_perf_def, g);
	struct srv_state *st = srv_st(s, SRV_PERF, g);
	uint32_t lo = d->opp[0].level, hi = d->opp[d->n_opp - 1].level;
	uint32_t target = 0, level = 0;
	bool any = false;
	uint32_t w[4];

	SRV_FOREACH_CONN(s, a) {
		const struct srv_vote *v = srv_vote(a, SRV_PERF, g);

		if (v->has_limits) {
			lo = OS_MAX(lo, v->lim_min);
			hi = OS_MIN(hi, v->lim_max);
		}
		if (v->has_value) {
			target = OS_MAX(target, (uint32_t)v->value);
			any = true;
		}
	}
	if (lo > hi)
		lo = hi;	/* disjoint limits: the lowest maximum wins */
	if (!any)
		target = d->level;
	target = OS_MIN(OS_MAX(target, lo), hi);
	/* lowest OPP >= target within [lo, hi], else the highest OPP <= hi */
	for (unsigned i = 0; i < d->n_opp; i++) {
		if (d->opp[i].level > hi)
			break;
		level = d->opp[i].level;
		if (level >= target)
			break;
	}
	if (!level)
		level = d->opp[0].level;
	if (lo != st->lim_min || hi != st->lim_max) {
		st->lim_min = lo;
		st->lim_max = hi;
		w[2] = lo;
		w[3] = hi;
		srv_notify(s, SCMI_PROTO_PERF, SCMI_PERF_EVT_LIMITS_CHANGED, SRV_PERF, g, cause, w, 4);
	}
	if (level != st->level) {
		st->level = level;
		w[2] = level;
		srv_notify(s, SCMI_PROTO_PERF, SCMI_PERF_EVT_LEVEL_CHANGED, SRV_PERF, g, cause, w, 3);
	}
}

void srv_powercap_refresh(struct scmi_srv *s, unsigned g, struct scmi_srv_agent *cause)
{
	const struct srv_powercap_def *d = SRV_DEF(s->cfg, SRV_POWERCAP, struct srv_powercap_def, g);
	struct srv_state *st = srv_st(s, SRV_POWERCAP, g);
	uint32_t cap = UINT32_MAX;
	uint32_t w[4];

	SRV_FOREACH_CONN(s, a) {
		const struct srv_vote *v = srv_vote(a, SRV_POWERCAP, g);

		if (v->has_value)
			cap = OS_MIN(cap, (uint32_t)v->value);
	}
	if (cap == UINT32_MAX)
		cap = d->init_cap;
	cap = OS_MIN(OS_MAX(cap, d->min_cap), d->max_cap);	/* requests from an older config */
	if (cap == st->level)
		return;
	st->level = cap;
	w[2] = cap;
	w[3] = st->pai;
	srv_notify(s, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_EVT_CAP_CHANGED, SRV_POWERCAP, g, cause, w, 4);
}

void srv_model_refresh_all(struct scmi_srv *s, struct scmi_srv_agent *cause)
{
	for (unsigned g = 0; g < s->cfg->n[SRV_CLOCK]; g++)
		srv_clock_refresh(s, g, cause);
	for (unsigned g = 0; g < s->cfg->n[SRV_PERF]; g++)
		srv_perf_refresh(s, g, cause);
	for (unsigned g = 0; g < s->cfg->n[SRV_POWER]; g++)
		srv_power_refresh(s, g, cause);
	for (unsigned g = 0; g < s->cfg->n[SRV_VOLTAGE]; g++)
		srv_voltage_refresh(s, g, cause);
	for (unsigned g = 0; g < s->cfg->n[SRV_POWERCAP]; g++)
		srv_powercap_refresh(s, g, cause);
	for (unsigned g = 0; g < s->cfg->n[SRV_RESET]; g++)
		srv_reset_refresh(s, g, cause);
}

void srv_withdraw_votes(struct scmi_srv *s, struct scmi_srv_agent *a, bool notifications)
{
	for (int t = 0; t < SRV_RTYPE_COUNT; t++) {
		for (unsigned g = 0; g < s->cfg->n[t]; g++) {
			struct srv_state *st = srv_st(s, (enum srv_rtype)t, g);

			memset(srv_vote(a, (enum srv_rtype)t, g), 0, sizeof(struct srv_vote));
			if (st->owner == a)
				st->owner = NULL;
		}
	}
	a->notify_errors = false;
	srv_model_refresh_all(s, notifications ? a : NULL);
}

/* ---- value sources ------------------------------------------------------------ */

/* xorshift64*: deterministic, so fuzzing and tests replay. */
static uint64_t srv_rand(struct scmi_srv *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545f4914f6cdd1dull;
}

static int srv_read_file(const char *path, int64_t *out)
{
	char buf[64];
	FILE *f = fopen(path, "r");
	size_t n;
	char *end;
	long long v;

	if (!f)
		return -EIO;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	v = strtoll(buf, &end, 0);
	if (end == buf)
		return -EIO;
	*out = v;
	return 0;
}

int srv_source_sample(struct scmi_srv *s, const struct srv_source *src, struct srv_state *st,
		      uint64_t now, int64_t *out)
{
	uint64_t span;

	switch (src->kind) {
	case SRV_SRC_CONST:
		*out = src->lo;
		return 0;
	case SRV_SRC_FILE:
		return srv_read_file(src->path, out);
	case SRV_SRC_RAMP:
		/* lo, lo+step, ... up to hi, then again from lo; one step per period */
		span = (uint64_t)(src->hi - src->lo) / (uint64_t)src->step + 1;
		*out = src->lo + (int64_t)((now / src->period_ns) % span) * src->step;
		return 0;
	case SRV_SRC_SINE: {
		double mid = ((double)src->lo + (double)src->hi) / 2;
		double amp = ((double)src->hi - (double)src->lo) / 2;
		double ph = (double)(now % src->period_ns) / (double)src->period_ns;

		*out = (int64_t)llround(mid + amp * sin(2 * M_PI * ph));
		return 0;
	}
	case SRV_SRC_WALK:
		if (!st->walk_init) {
			st->walk = src->lo + (src->hi - src->lo) / 2;
			st->walk_t = now;
			st->walk_init = true;
		}
		/* one random step per elapsed period (at most 64 at once) */
		for (unsigned i = 0; i < 64 && now - st->walk_t >= src->period_ns; i++) {
			st->walk_t += src->period_ns;
			st->walk += (srv_rand(s) & 1) ? src->step : -src->step;
			st->walk = OS_MIN(OS_MAX(st->walk, src->lo), src->hi);
		}
		if (now - st->walk_t >= src->period_ns)
			st->walk_t = now;
		*out = st->walk;
		return 0;
	}
	return -EINVAL;
}

int srv_sensor_read(struct scmi_srv *s, unsigned g, unsigned axis, int64_t *out)
{
	const struct srv_sensor_def *d = SRV_DEF(s->cfg, SRV_SENSOR, struct srv_sensor_def, g);
	uint64_t now = srv_now(s);

	/* axis n samples the waveform n seconds later: distinct, related values */
	return srv_source_sample(s, &d->src, srv_st(s, SRV_SENSOR, g),
				 now + axis * OS_NSEC_PER_SEC, out);
}

bool srv_clock_round(const struct srv_clock_def *d, uint64_t req, uint32_t flags, uint64_t *out)
{
	if (d->range) {
		uint64_t mn = d->rate[0], mx = d->rate[1], st = d->rate[2];
		uint64_t down, up;

		if (req < mn || req > mx)
			return false;
		down = mn + (req - mn) / st * st;
		up = down == req ? down : down + st;
		if (flags & SCMI_CLOCK_SET_ROUND_AUTO)
			*out = (req - down <= up - req) ? down : up;
		else
			*out = (flags & SCMI_CLOCK_SET_ROUND_UP) ? up : down;
		return true;
	}
	uint64_t best = 0;
	bool found = false;

	for (unsigned i = 0; i < d->n_rate; i++) {
		uint64_t r = d->rate[i];

		if (r == req) {
			*out = r;
			return true;
		}
		if (flags & SCMI_CLOCK_SET_ROUND_AUTO) {
			uint64_t dist = r > req ? r - req : req - r;

			if (!found || dist < (best > req ? best - req : req - best))
				best = r;
			found = true;
		} else if (flags & SCMI_CLOCK_SET_ROUND_UP) {
			if (r > req && (!found || r < best)) {
				best = r;
				found = true;
			}
		} else if (r < req && (!found || r > best)) {
			best = r;
			found = true;
		}
	}
	/* requests outside the clock's span are out of range, not rounded */
	if (!found || req < d->rate[0] || req > d->rate[d->n_rate - 1])
		return false;
	*out = best;
	return true;
}

/* ---- the periodic tick ---------------------------------------------------------- */

static bool srv_vote_periodic(const struct scmi_srv *s, const struct scmi_srv_agent *a)
{
	for (unsigned g = 0; g < s->cfg->n[SRV_SENSOR]; g++)
		if (a->vote[SRV_SENSOR][g].notify)
			return true;
	for (unsigned g = 0; g < s->cfg->n[SRV_POWERCAP]; g++)
		if (a->vote[SRV_POWERCAP][g].notify & (1u << SCMI_POWERCAP_EVT_MEASUREMENTS_CHANGED))
			return true;
	return false;
}

bool srv_model_wants_tick(const struct scmi_srv *s)
{
	for (const struct scmi_srv_agent *a = s->conns; a; a = a->next)
		if (srv_vote_periodic(s, a))
			return true;
	return false;
}

/* Interval of a connection's sensor (its own config or the sensor's first). */
static uint32_t srv_sensor_ivl(const struct srv_sensor_def *d, const struct srv_vote *v)
{
	return v->sensor_cfg && v->ivl_us ? v->ivl_us : d->ivl_us[0];
}

static bool srv_sensor_on(const struct srv_vote *v)
{
	return !v->sensor_cfg || v->sensor_on;
}

static void srv_tick_sensor(struct scmi_srv *s, struct scmi_srv_agent *a, unsigned g, uint64_t now)
{
	const struct srv_sensor_def *d = SRV_DEF(s->cfg, SRV_SENSOR, struct srv_sensor_def, g);
	struct srv_vote *v = srv_vote(a, SRV_SENSOR, g);
	uint32_t local = (uint32_t)a->slot->g2l[SRV_SENSOR][g];
	uint32_t w[2 + 4 * SRV_MAX_AXES];
	int64_t val;

	if (srv_access_of(a, SRV_SENSOR, g) == SRV_ACC_NONE || !srv_sensor_on(v))
		return;
	if ((v->notify & (1u << SCMI_SENSOR_EVT_UPDATE)) && now >= v->next_update_ns) {
		unsigned n = d->n_axes ? d->n_axes : 1;

		v->next_update_ns = now + (uint64_t)srv_sensor_ivl(d, v) * 1000;
		w[0] = srv_agent_id(a);
		w[1] = local;
		for (unsigned i = 0; i < n; i++) {
			if (srv_sensor_read(s, g, i, &val))
				return;
			w[2 + 4 * i] = (uint32_t)val;
			w[3 + 4 * i] = (uint32_t)((uint64_t)val >> 32);
			w[4 + 4 * i] = v->tstamp ? (uint32_t)now : 0;
			w[5 + 4 * i] = v->tstamp ? (uint32_t)(now >> 32) : 0;
		}
		srv_send_p2a(s, a, SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_UPDATE,
			     SCMI_MSG_TYPE_NOTIFICATION, 0, w, 2 + 4 * n);
	}
	if (!(v->notify & (1u << SCMI_SENSOR_EVT_TRIP_POINT_EVENT)) || srv_sensor_read(s, g, 0, &val))
		return;
	for (unsigned i = 0; i < d->n_trips; i++) {
		int8_t side = val > v->trip[i].value ? 1 : -1;
		uint8_t mode = v->trip[i].mode;
		bool up = side > 0;

		if (mode == SCMI_SENSOR_TP_DISABLED)
			continue;
		if (v->trip[i].side && side != v->trip[i].side &&
		    (mode == SCMI_SENSOR_TP_BOTH || (mode == SCMI_SENSOR_TP_POSITIVE && up) ||
		     (mode == SCMI_SENSOR_TP_NEGATIVE && !up))) {
			w[0] = srv_agent_id(a);
			w[1] = local;
			w[2] = (up ? SCMI_SENSOR_TP_EVT_DIRECTION : 0) |
			       SCMI_FIELD_PREP(SCMI_SENSOR_TP_EVT_ID, i);
			srv_send_p2a(s, a, SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_TRIP_POINT_EVENT,
				     SCMI_MSG_TYPE_NOTIFICATION, 0, w, 3);
		}
		v->trip[i].side = side;
	}
}

int srv_powercap_measure(struct scmi_srv *s, unsigned g, uint32_t *power)
{
	const struct srv_powercap_def *d = SRV_DEF(s->cfg, SRV_POWERCAP, struct srv_powercap_def, g);
	int64_t v;
	int ret = srv_source_sample(s, &d->measure, srv_st(s, SRV_POWERCAP, g), srv_now(s), &v);

	if (ret)
		return ret;
	/* a capped domain never draws more than its cap */
	v = OS_MIN(OS_MAX(v, 0), (int64_t)srv_st(s, SRV_POWERCAP, g)->level);
	*power = (uint32_t)v;
	return 0;
}

static void srv_tick_powercap(struct scmi_srv *s, struct scmi_srv_agent *a, unsigned g)
{
	struct srv_vote *v = srv_vote(a, SRV_POWERCAP, g);
	uint32_t p, w[3];

	if (!(v->notify & (1u << SCMI_POWERCAP_EVT_MEASUREMENTS_CHANGED)) ||
	    srv_access_of(a, SRV_POWERCAP, g) == SRV_ACC_NONE || srv_powercap_measure(s, g, &p))
		return;
	/* notify when the power leaves [low, high] and differs from the last report */
	if ((p < v->pcap_lo || p > v->pcap_hi) && p != v->pcap_last) {
		v->pcap_last = p;
		w[0] = 0;
		w[1] = (uint32_t)a->slot->g2l[SRV_POWERCAP][g];
		w[2] = p;
		srv_send_p2a(s, a, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_EVT_MEASUREMENTS_CHANGED,
			     SCMI_MSG_TYPE_NOTIFICATION, 0, w, 3);
	}
}

void srv_model_tick(struct scmi_srv *s)
{
	uint64_t now = srv_now(s);

	SRV_FOREACH_CONN(s, a) {
		if (!a->slot)
			continue;
		for (unsigned g = 0; g < s->cfg->n[SRV_SENSOR]; g++)
			if (a->vote[SRV_SENSOR][g].notify)
				srv_tick_sensor(s, a, g, now);
		for (unsigned g = 0; g < s->cfg->n[SRV_POWERCAP]; g++)
			srv_tick_powercap(s, a, g);
	}
}

/* ---- sensor intervals ------------------------------------------------------------ */

uint32_t srv_encode_interval(uint32_t us, uint32_t secs_mask, uint32_t exp_mask)
{
	uint32_t max = SCMI_FIELD_GET(secs_mask, secs_mask);
	int exp = -6;
	uint64_t v = us;

	while (v > max || (v && v % 10 == 0 && exp < 0)) {
		v /= 10;
		exp++;
	}
	return SCMI_FIELD_PREP(secs_mask, (uint32_t)v) |
	       SCMI_FIELD_PREP(exp_mask, (uint32_t)exp & 0x1f);
}

bool srv_decode_interval(uint32_t secs, int exp, uint32_t *us)
{
	uint64_t v = secs;

	for (int e = exp + 6; e > 0; e--) {
		v *= 10;
		if (v > UINT32_MAX)
			return false;
	}
	for (int e = exp + 6; e < 0; e++)
		v /= 10;
	*us = (uint32_t)v;
	return true;
}
