// SPDX-License-Identifier: MIT
/*
 * Interoperability of the agent's protocol code (scmi/agent/<protocol>.c) with the
 * real SCMI server (scmi/server), in one process: the fake transport hands
 * every command to a "platform thread" that owns the server and answers
 * with scmi_srv_handle(); delayed responses and notifications the server
 * queues come back through send_p2a, its timers run on the same thread.
 * The platform is configs/reference.cfg, seen as its trusted agent "ctrl".
 * Catches disagreements about the wire between the two sides long before
 * the end-to-end tests over xensim.
 */
#include <pthread.h>
#include <time.h>

#include "tests/unit/scmi_proto_test.h"
#include "scmi/server/server.h"

#define MAX_TIMERS 64

struct timer {
	uint64_t due;
	void (*fn)(void *arg);
	void *arg;
};

/* Everything the platform thread owns; the lock protects the queues. */
struct plat {
	struct fake_platform *fp;
	struct scmi_srv *srv;
	struct scmi_srv_agent *agent;

	pthread_mutex_t lock;
	pthread_cond_t cv;
	struct fake_cmd cmds[16];	/* commands waiting for the server */
	unsigned ncmds;
	struct timer timers[MAX_TIMERS];
	unsigned ntimers;
	bool stop;
	pthread_t thread;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int plat_send_p2a(void *ctx, struct scmi_srv_agent *agent, const void *msg, size_t len)
{
	struct plat *p = ctx;

	fake_p2a_raw(p->fp, msg, len);
	return 0;
}

/* Called by the server on the platform thread, with the lock not held. */
static int plat_defer(void *ctx, uint64_t delay_ns, void (*fn)(void *arg), void *arg)
{
	struct plat *p = ctx;
	int ret = -ENOSPC;

	pthread_mutex_lock(&p->lock);
	if (p->ntimers < MAX_TIMERS) {
		p->timers[p->ntimers++] = (struct timer){ now_ns() + delay_ns, fn, arg };
		ret = 0;
	}
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->lock);
	return ret;
}

static const struct scmi_srv_ops plat_ops = {
	.send_p2a = plat_send_p2a,
	.defer = plat_defer,
};

/* The fake transport's responder: queue the command for the platform. */
static void plat_responder(struct fake_platform *fp, const struct fake_cmd *cmd, void *priv)
{
	struct plat *p = priv;

	pthread_mutex_lock(&p->lock);
	assert_true(p->ncmds < OS_ARRAY_SIZE(p->cmds));
	p->cmds[p->ncmds++] = *cmd;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->lock);
}

static void plat_handle(struct plat *p, const struct fake_cmd *cmd)
{
	static uint8_t req[4 + sizeof(cmd->payload)];
	uint8_t resp[128];
	size_t n;

	scmi_put_le32(req, cmd->hdr);
	memcpy(req + 4, cmd->payload, cmd->len);
	n = scmi_srv_handle(p->srv, p->agent, req, 4 + cmd->len, resp, sizeof(resp));
	if (n)
		fake_reply_raw(p->fp, cmd, resp, n);
}

static void *plat_thread(void *arg)
{
	struct plat *p = arg;
	struct fake_cmd *cmd = malloc(sizeof(*cmd));
	struct timer t;
	unsigned i;

	assert_non_null(cmd);
	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		if (p->ncmds) {
			*cmd = p->cmds[0];
			memmove(&p->cmds[0], &p->cmds[1], --p->ncmds * sizeof(p->cmds[0]));
			pthread_mutex_unlock(&p->lock);
			plat_handle(p, cmd);
			pthread_mutex_lock(&p->lock);
			continue;
		}
		for (i = 0; i < p->ntimers; i++)
			if (p->timers[i].due <= now_ns())
				break;
		if (i < p->ntimers) {
			t = p->timers[i];
			p->timers[i] = p->timers[--p->ntimers];
			pthread_mutex_unlock(&p->lock);
			t.fn(t.arg);
			pthread_mutex_lock(&p->lock);
			continue;
		}
		if (p->ntimers) {
			/* a timer is pending: look again shortly */
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 200000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&p->cv, &p->lock, &ts);
		} else {
			pthread_cond_wait(&p->cv, &p->lock);
		}
	}
	pthread_mutex_unlock(&p->lock);
	free(cmd);
	return NULL;
}

struct ctx {
	struct plat plat;
	struct scmi_handle *h;
};

static int srv_setup(void **state)
{
	struct fake_config cfg = { .delivery = FAKE_DELIVER_THREAD };
	struct scmi_srv_config *scfg;
	char path[512], err[256];
	struct ctx *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	snprintf(path, sizeof(path), "%s/configs/reference.cfg", VSCMI_SRCTREE);
	if (scmi_srv_load_config(path, &scfg, err, sizeof(err)))
		fail_msg("%s", err);
	pthread_mutex_init(&c->plat.lock, NULL);
	pthread_cond_init(&c->plat.cv, NULL);
	assert_int_equal(scmi_srv_create(scfg, &plat_ops, &c->plat, &c->plat.srv), 0);
	scmi_srv_config_free(scfg);
	/* prestate: the domain to connect as (default: the trusted "ctrl") */
	c->plat.agent = scmi_srv_agent_connect(c->plat.srv, *state ? *state : "control-vm", 7);
	assert_non_null(c->plat.agent);

	c->plat.fp = fake_create(&cfg);
	assert_non_null(c->plat.fp);
	fake_set_responder(c->plat.fp, plat_responder, &c->plat);
	assert_int_equal(pthread_create(&c->plat.thread, NULL, plat_thread, &c->plat), 0);
	assert_int_equal(fake_open(c->plat.fp, &c->h), 0);
	scmi_set_timeout_ms(c->h, 2000);
	*state = c;
	return 0;
}

static int srv_teardown(void **state)
{
	struct ctx *c = *state;

	scmi_close(c->h);
	pthread_mutex_lock(&c->plat.lock);
	c->plat.stop = true;
	pthread_cond_signal(&c->plat.cv);
	pthread_mutex_unlock(&c->plat.lock);
	pthread_join(c->plat.thread, NULL);
	assert_int_equal(fake_unexpected(c->plat.fp), 0);
	fake_destroy(c->plat.fp);
	scmi_srv_agent_disconnect(c->plat.srv, c->plat.agent);
	scmi_srv_destroy(c->plat.srv);
	pthread_cond_destroy(&c->plat.cv);
	pthread_mutex_destroy(&c->plat.lock);
	free(c);
	return 0;
}

/* ---- the tests ---------------------------------------------------------------- */

static void test_base_and_versions(void **state)
{
	struct ctx *c = *state;
	struct scmi_base_info bi;
	uint8_t protos[16];
	uint32_t v;
	size_t n, i;

	assert_int_equal(scmi_base_describe(c->h, &bi), 0);
	assert_string_equal(bi.vendor, "vscmi");
	assert_string_equal(bi.sub_vendor, "reference");
	assert_string_equal(bi.agent_name, "ctrl");
	assert_int_equal(scmi_base_discover_list_protocols(c->h, protos, 16, &n), 0);
	assert_int_equal(n, bi.num_protocols);
	for (i = 0; i < n; i++)
		assert_int_equal(scmi_protocol_setup(c->h, protos[i], &v), 0);
}

static int count_clock(void *priv, const struct scmi_clock_info *ci)
{
	(*(int *)priv)++;
	assert_true(ci->attrs.name[0] != '\0');
	assert_true(ci->nr_rates > 0);
	return 0;
}

static void test_clock(void **state)
{
	struct ctx *c = *state;
	struct scmi_clock_info ci;
	uint64_t rate, actual = 0;
	int n = 0;

	assert_int_equal(scmi_clock_for_each(c->h, count_clock, &n), 0);
	assert_true(n >= 2);
	/* ctrl may drive media_core (clock 0 of its view): sync, then async */
	assert_int_equal(scmi_clock_describe(c->h, 0, &ci), 0);
	assert_string_equal(ci.attrs.name, "media_core");
	assert_int_equal(scmi_clock_rate_set(c->h, 0, 200000000, false), 0);
	assert_int_equal(scmi_clock_rate_get(c->h, 0, &rate), 0);
	assert_true(rate == 200000000);
	assert_int_equal(scmi_clock_rate_set_ex(c->h, 0, 300000000, SCMI_CLOCK_ROUND_AUTO, true,
						false, &actual), 0);
	assert_true(actual == 300000000);
	assert_int_equal(scmi_clock_enable(c->h, 0, true), 0);
}

static int count_any(void *priv, const void *unused)
{
	(*(int *)priv)++;
	return 0;
}

#define DEFINE_COUNT(type)                                                \
	static int count_##type(void *priv, const struct type *x)         \
	{                                                                  \
		return count_any(priv, x);                                 \
	}
DEFINE_COUNT(scmi_power_domain_info)
DEFINE_COUNT(scmi_perf_domain_info)
DEFINE_COUNT(scmi_sensor_info)
DEFINE_COUNT(scmi_reset_domain_info)
DEFINE_COUNT(scmi_voltage_domain_info)
DEFINE_COUNT(scmi_powercap_domain_info)
DEFINE_COUNT(scmi_pinctrl_info)

static void test_every_protocol_enumerates(void **state)
{
	struct ctx *c = *state;
	struct scmi_system_info si;
	int n;

	n = 0;
	assert_int_equal(scmi_power_for_each(c->h, count_scmi_power_domain_info, &n), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(scmi_perf_for_each(c->h, count_scmi_perf_domain_info, &n), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(scmi_sensor_for_each(c->h, count_scmi_sensor_info, &n), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(scmi_reset_for_each(c->h, count_scmi_reset_domain_info, &n), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(scmi_voltage_for_each(c->h, count_scmi_voltage_domain_info, &n), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(scmi_powercap_for_each(c->h, count_scmi_powercap_domain_info, &n), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(scmi_pinctrl_for_each(c->h, SCMI_PINCTRL_PIN, count_scmi_pinctrl_info,
					       &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(scmi_system_describe(c->h, &si), 0);
}

static void test_async_commands(void **state)
{
	struct ctx *c = *state;
	struct scmi_reset_domain_info rd;
	struct scmi_sensor_value v[4];
	uint32_t i, applied = 0;
	size_t n;

	/* the reset domain that offers async: rst_modem */
	for (i = 0; i < 2; i++) {
		assert_int_equal(scmi_reset_domain_attributes(c->h, i, &rd), 0);
		if (rd.async)
			break;
	}
	assert_true(i < 2);
	assert_int_equal(scmi_reset(c->h, i, SCMI_RESET_MODE_AUTONOMOUS, 0, true), 0);
	assert_int_equal(scmi_reset(c->h, i, SCMI_RESET_MODE_ASSERT, 0, false), 0);
	assert_int_equal(scmi_reset(c->h, i, SCMI_RESET_MODE_DEASSERT, 0, false), 0);

	assert_int_equal(scmi_sensor_reading_get(c->h, 0, false, v, 4, &n), 0);
	assert_int_equal(n, 1);

	assert_int_equal(scmi_powercap_cap_set(c->h, 0, 5000, true, &applied), 0);
	assert_int_equal(applied, 5000);
}

struct seen_rate {
	pthread_mutex_t lock;
	int calls;
	struct scmi_clock_rate_event ev;
};

static void on_rate(struct scmi_handle *h, uint8_t proto, uint8_t evt, const void *payload,
		    size_t len, void *priv)
{
	struct seen_rate *s = priv;
	struct scmi_clock_rate_event ev;

	if (scmi_clock_parse_rate_event(payload, len, &ev))
		return;
	pthread_mutex_lock(&s->lock);
	s->ev = ev;
	s->calls++;
	pthread_mutex_unlock(&s->lock);
}

/* The server's notification payloads parse with the agent's parsers. */
static void test_notifications(void **state)
{
	struct ctx *c = *state;
	struct seen_rate s = { .calls = 0 };
	int i, calls = 0;

	pthread_mutex_init(&s.lock, NULL);
	assert_int_equal(scmi_notify_register(c->h, SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGED,
					      0, on_rate, &s), 0);
	assert_int_equal(scmi_clock_rate_notify(c->h, 0, true), 0);
	assert_int_equal(scmi_clock_rate_set(c->h, 0, 300000000, false), 0);
	for (i = 0; i < 200 && !calls; i++) {
		scmi_notify_flush(c->h);
		pthread_mutex_lock(&s.lock);
		calls = s.calls;
		pthread_mutex_unlock(&s.lock);
		if (!calls)
			os_sleep_ns(5 * OS_NSEC_PER_MSEC);
	}
	if (!calls) {
		struct scmi_counters k;

		scmi_get_counters(c->h, &k);
		fail_msg("no notification: %llu queued, %llu unhandled, %llu bad",
			 (unsigned long long)k.notifications,
			 (unsigned long long)k.notifications_unhandled,
			 (unsigned long long)k.bad_replies);
	}
	assert_int_equal(s.ev.clock_id, 0);
	assert_true(s.ev.rate == 300000000);
	assert_int_equal(scmi_clock_rate_notify(c->h, 0, false), 0);
	assert_int_equal(scmi_notify_unregister(c->h, SCMI_PROTO_CLOCK,
						SCMI_CLOCK_EVT_RATE_CHANGED, 0, on_rate, &s), 0);
	pthread_mutex_destroy(&s.lock);
}

static int visit_clock_media(void *priv, const struct scmi_clock_info *ci)
{
	(*(int *)priv)++;
	return 0;
}

/* The untrusted agent "media": sees its own view, and read-only is read-only. */
static void test_media_view(void **state)
{
	struct ctx *c = *state;
	struct scmi_base_info bi;
	struct scmi_clock_attrs a;
	uint32_t i, pll = UINT32_MAX;
	int n = 0;

	assert_int_equal(scmi_base_describe(c->h, &bi), 0);
	assert_string_equal(bi.agent_name, "media");
	assert_int_equal(scmi_clock_for_each(c->h, visit_clock_media, &n), 0);
	assert_int_equal(n, 3);		/* media_core, pll (ro), audio_mclk */
	for (i = 0; i < 3; i++) {
		assert_int_equal(scmi_clock_attributes(c->h, i, &a), 0);
		if (!strcmp(a.name, "pll"))
			pll = i;
	}
	assert_true(pll != UINT32_MAX);
	assert_int_equal(scmi_clock_rate_set(c->h, pll, 500000000, false), -EACCES);
	/* no permission commands for an untrusted agent */
	assert_int_equal(scmi_base_set_device_permissions(c->h, 1, 0, true), -EACCES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_base_and_versions, srv_setup, srv_teardown),
		cmocka_unit_test_setup_teardown(test_clock, srv_setup, srv_teardown),
		cmocka_unit_test_setup_teardown(test_every_protocol_enumerates, srv_setup,
						srv_teardown),
		cmocka_unit_test_setup_teardown(test_async_commands, srv_setup, srv_teardown),
		cmocka_unit_test_setup_teardown(test_notifications, srv_setup, srv_teardown),
		cmocka_unit_test_prestate_setup_teardown(test_media_view, srv_setup, srv_teardown,
							 (void *)"media-vm"),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
