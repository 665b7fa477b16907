// SPDX-License-Identifier: MIT
/*
 * all_commands: every SCMI command of every protocol end to end, run inside
 * an xensim guest on the real stack (xen-frontend, the virtio-pv transport,
 * the SCMI agent; vscmi-backd with tests/data/all_commands.cfg in dom0):
 *
 *   xensim run ID -- all-commands --role ROLE [--ready FILE] [--until FILE]
 *
 * Theory of operation. The device is opened exactly as the vscmi CLI does
 * (tools/vscmi/open.c). Each role is one step of tests/integration/
 * all_commands.sh; the guests' agents are alpha, beta and the trusted ctl
 * of the config, and every role finds its resources by name so that the
 * local ids (renumbered from 0 per agent) are checked, not assumed:
 *
 *   full      (alpha) every public function of scmi_protocols.h and of the
 *             raw / notification / handle API of scmi.h, with values,
 *             delayed responses, notifications and error statuses
 *   beta      (beta) its view: overlapping and disjoint resources, ids from 0,
 *             nothing of alpha's, beta's own access levels
 *   watch     subscribe to the shared resources' notifications, touch
 *             --ready, wait for the events another guest causes
 *   trigger   (alpha) change every shared resource and the system state
 *   hold      vote on every shared resource, touch --ready, wait for --until
 *   arb       while a holder holds: the arbitration rules of docs/config.md
 *   kept      the holder's process (alpha's last device) is gone: its
 *             requests stay in force
 *   reowned   (alpha) a new process gets them back
 *   forget    (ctl) BASE_RESET_AGENT_CONFIGURATION withdraws them
 *   after     then everything is back to its configured state
 *   released  (alpha) beta's domain was destroyed while it held: all its
 *             requests are withdrawn, as after
 *   revoke, restore   (ctl) the trusted agent's permission commands
 *   revoked, restored (alpha, beta) what those commands did to them
 *
 * Output is TAP-like ("ok N - ...", "not ok N - ...") and "# cover PROTO
 * MSG" lines naming each command exercised, which the script adds up into
 * the coverage table. Exit status: 0 all passed, 1 a check failed, 2 usage,
 * 3 no device.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vscmi/os.h>
#include <vscmi/virtio_pv.h>

#include "tests/integration/all_commands.h"
#include "tools/vscmi/conn.h"

#define AC_TIMEOUT_MS 3000
#define AC_MAX_EVENTS 256

/* ---- TAP and coverage ------------------------------------------------------------ */

static unsigned ac_n, ac_failed;
/* bit m of ac_covered[p - 0x10]: command m exercised (bit 16: NEGOTIATE, 0x10) */
static uint32_t ac_covered[10];

static void ac_vline(bool cond, const char *extra, const char *fmt, va_list ap)
{
	ac_n++;
	if (!cond)
		ac_failed++;
	printf("%sok %u - ", cond ? "" : "not ", ac_n);
	vprintf(fmt, ap);
	printf("%s\n", cond ? "" : extra);
	fflush(stdout);
}

bool ac_check(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ac_vline(cond, "", fmt, ap);
	va_end(ap);
	return cond;
}

bool ac_expect(int got, int want, const char *fmt, ...)
{
	char extra[96];
	va_list ap;

	snprintf(extra, sizeof(extra), " (got %d %s, wanted %d %s)", got,
		 got ? strerror(-got) : "success", want, want ? strerror(-want) : "success");
	va_start(ap, fmt);
	ac_vline(got == want, extra, fmt, ap);
	va_end(ap);
	return got == want;
}

void ac_cover(uint8_t proto, uint8_t msg)
{
	if (proto < SCMI_PROTO_BASE || proto > SCMI_PROTO_PINCTRL)
		return;
	ac_covered[proto - SCMI_PROTO_BASE] |= 1u << (msg == SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION ?
						      16 : msg);
}

static void ac_print_cover(void)
{
	for (unsigned p = 0; p < 10; p++)
		for (unsigned m = 0; m <= 16; m++)
			if (ac_covered[p] & (1u << m))
				printf("# cover 0x%02x 0x%02x\n", SCMI_PROTO_BASE + p, m == 16 ? 0x10 : m);
}

/* ---- notification recorder ------------------------------------------------------- */

/* ac_ev_lock protects ac_evs and ac_nevs; the callback runs on the agent's worker. */
static pthread_mutex_t ac_ev_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ac_ev_cv = PTHREAD_COND_INITIALIZER;
static struct ac_event ac_evs[AC_MAX_EVENTS];
static unsigned ac_nevs;

static const uint8_t ac_event_ids[][2] = {
	{ SCMI_PROTO_BASE, SCMI_BASE_EVT_ERROR_EVENT },
	{ SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGED },
	{ SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGE_REQUESTED },
	{ SCMI_PROTO_SYSTEM, SCMI_SYSTEM_EVT_POWER_STATE_NOTIFIER },
	{ SCMI_PROTO_PERF, SCMI_PERF_EVT_LIMITS_CHANGED },
	{ SCMI_PROTO_PERF, SCMI_PERF_EVT_LEVEL_CHANGED },
	{ SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGED },
	{ SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGE_REQUESTED },
	{ SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_TRIP_POINT_EVENT },
	{ SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_UPDATE },
	{ SCMI_PROTO_RESET, SCMI_RESET_EVT_ISSUED },
	{ SCMI_PROTO_POWERCAP, SCMI_POWERCAP_EVT_CAP_CHANGED },
	{ SCMI_PROTO_POWERCAP, SCMI_POWERCAP_EVT_MEASUREMENTS_CHANGED },
};

static void ac_on_event(struct scmi_handle *h, uint8_t proto, uint8_t evt, const void *payload,
			size_t len, void *priv)
{
	pthread_mutex_lock(&ac_ev_lock);
	if (ac_nevs < AC_MAX_EVENTS) {
		struct ac_event *e = &ac_evs[ac_nevs++];

		e->proto = proto;
		e->evt = evt;
		e->len = OS_MIN(len, sizeof(e->payload));
		memcpy(e->payload, payload, e->len);
	}
	pthread_cond_broadcast(&ac_ev_cv);
	pthread_mutex_unlock(&ac_ev_lock);
}

int ac_events_register(struct scmi_handle *h)
{
	for (size_t i = 0; i < OS_ARRAY_SIZE(ac_event_ids); i++) {
		int ret = scmi_notify_register(h, ac_event_ids[i][0], ac_event_ids[i][1],
					       SCMI_NOTIFY_SRC_ANY, ac_on_event, NULL);

		if (ret)
			return ret;
	}
	return 0;
}

void ac_events_unregister(struct scmi_handle *h)
{
	for (size_t i = 0; i < OS_ARRAY_SIZE(ac_event_ids); i++)
		scmi_notify_unregister(h, ac_event_ids[i][0], ac_event_ids[i][1],
				       SCMI_NOTIFY_SRC_ANY, ac_on_event, NULL);
}

void ac_events_clear(void)
{
	pthread_mutex_lock(&ac_ev_lock);
	ac_nevs = 0;
	pthread_mutex_unlock(&ac_ev_lock);
}

/* Called with ac_ev_lock held. */
static bool ac_event_take(uint8_t proto, uint8_t evt, int64_t src, struct ac_event *out)
{
	for (unsigned i = 0; i < ac_nevs; i++) {
		const struct ac_event *e = &ac_evs[i];

		if (e->proto != proto || e->evt != evt)
			continue;
		if (src >= 0 && (e->len < 8 || scmi_get_le32(e->payload + 4) != (uint32_t)src))
			continue;
		*out = *e;
		memmove(&ac_evs[i], &ac_evs[i + 1], (ac_nevs - i - 1) * sizeof(ac_evs[0]));
		ac_nevs--;
		return true;
	}
	return false;
}

bool ac_event_wait(uint8_t proto, uint8_t evt, int64_t src, unsigned timeout_ms,
		   struct ac_event *out)
{
	struct timespec ts;
	bool found;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&ac_ev_lock);
	while (!(found = ac_event_take(proto, evt, src, out)))
		if (pthread_cond_timedwait(&ac_ev_cv, &ac_ev_lock, &ts) == ETIMEDOUT) {
			found = ac_event_take(proto, evt, src, out);
			break;
		}
	pthread_mutex_unlock(&ac_ev_lock);
	return found;
}

/* ---- resources by name ------------------------------------------------------------ */

/* Name of resource @id of @kind into @name; a negative errno past the view. */
static int ac_name_of(struct scmi_handle *h, enum ac_kind kind, uint32_t id,
		      char name[SCMI_NAME_MAX])
{
	union {
		struct scmi_power_domain_info pw;
		struct scmi_perf_domain_info pf;
		struct scmi_clock_attrs ck;
		struct scmi_reset_domain_info rs;
		struct scmi_voltage_domain_info vl;
		struct scmi_powercap_domain_info pc;
		struct scmi_pinctrl_attrs pn;
	} u;
	int ret;

	switch (kind) {
	case AC_POWER:
		ret = scmi_power_domain_attributes(h, id, &u.pw);
		if (!ret)
			memcpy(name, u.pw.name, SCMI_NAME_MAX);
		return ret;
	case AC_PERF:
		ret = scmi_perf_domain_attributes(h, id, &u.pf);
		if (!ret)
			memcpy(name, u.pf.name, SCMI_NAME_MAX);
		return ret;
	case AC_CLOCK:
		ret = scmi_clock_attributes(h, id, &u.ck);
		if (!ret)
			memcpy(name, u.ck.name, SCMI_NAME_MAX);
		return ret;
	case AC_SENSOR:
		return scmi_sensor_name_get(h, id, name);
	case AC_RESET:
		ret = scmi_reset_domain_attributes(h, id, &u.rs);
		if (!ret)
			memcpy(name, u.rs.name, SCMI_NAME_MAX);
		return ret;
	case AC_VOLTAGE:
		ret = scmi_voltage_domain_attributes(h, id, &u.vl);
		if (!ret)
			memcpy(name, u.vl.name, SCMI_NAME_MAX);
		return ret;
	case AC_POWERCAP:
		ret = scmi_powercap_domain_attributes(h, id, &u.pc);
		if (!ret)
			memcpy(name, u.pc.name, SCMI_NAME_MAX);
		return ret;
	case AC_PIN:
	case AC_GROUP:
	case AC_FUNCTION:
		ret = scmi_pinctrl_attributes(h, (enum scmi_pinctrl_type)(kind - AC_PIN), id, &u.pn);
		if (!ret)
			memcpy(name, u.pn.name, SCMI_NAME_MAX);
		return ret;
	default:
		return -EINVAL;
	}
}

int ac_find(struct scmi_handle *h, enum ac_kind kind, const char *name)
{
	char n[SCMI_NAME_MAX];

	for (uint32_t id = 0; id < 64; id++) {
		if (ac_name_of(h, kind, id, n))
			return -1;
		if (!strcmp(n, name))
			return (int)id;
	}
	return -1;
}

static const char *const ac_kind_name[AC_KIND_COUNT] = {
	"power", "perf", "clock", "sensor", "reset", "voltage", "powercap", "pin", "group",
	"function",
};

/* The view of @kind is exactly @names, in this order (ids 0..n-1), nothing more. */
static void ac_view_is(struct scmi_handle *h, enum ac_kind kind, const char *const *names,
		       unsigned n)
{
	char got[SCMI_NAME_MAX];
	bool same = true;
	unsigned i;

	for (i = 0; i < n; i++)
		if (ac_name_of(h, kind, i, got) || strcmp(got, names[i]))
			same = false;
	ac_check(same, "%s view: %u resources in grant order from id 0", ac_kind_name[kind], n);
	ac_expect(ac_name_of(h, kind, n, got), -ENOENT, "%s id %u beyond the view: NOT_FOUND",
		  ac_kind_name[kind], n);
}

/* ---- small helpers ----------------------------------------------------------------- */

char ac_self[SCMI_NAME_MAX];

int ac_touch(const char *path)
{
	FILE *f = path ? fopen(path, "w") : NULL;

	if (!f)
		return -errno;
	fclose(f);
	return 0;
}

bool ac_wait_file(const char *path, unsigned seconds)
{
	for (unsigned i = 0; path && i < seconds * 20; i++) {
		if (!access(path, F_OK))
			return true;
		os_sleep_ns(50 * OS_NSEC_PER_MSEC);
	}
	return false;
}

/* ---- role full: the handle API around the protocol passes -------------------------- */

static void ac_handle_api(struct scmi_handle *h, struct vscmi_conn *conn)
{
	struct scmi_virtio_stats vs;
	struct scmi_counters c;
	uint32_t v;
	int ret;

	ac_check(scmi_has_p2a(h), "the device has a P2A channel (eventq)");
	ac_check(scmi_max_msg_size(h) >= 64, "max message size %zu", scmi_max_msg_size(h));
	scmi_set_timeout_ms(h, 1234);
	ac_check(scmi_get_timeout_ms(h) == 1234, "timeout set and read back");
	scmi_set_timeout_ms(h, AC_TIMEOUT_MS);
	ret = scmi_set_polling(h, true);
	ac_expect(ret, 0, "polling mode on");
	ac_check(scmi_get_polling(h), "polling mode reads back on");
	ac_expect(scmi_protocol_version(h, SCMI_PROTO_CLOCK, &v), 0, "a command in polling mode");
	ac_expect(scmi_set_polling(h, false), 0, "polling mode off");
	ac_expect(scmi_virtio_get_stats(virtio_pv_vdev(vscmi_conn_pv(conn)), &vs), 0,
		  "virtio-scmi transport statistics");
	ac_check(vs.connected && vs.tx_msgs > 0 && vs.rx_msgs > 0,
		 "transport connected with %u command and %u event buffers", vs.tx_msgs,
		 vs.rx_msgs);
	scmi_get_counters(h, &c);
	ac_check(c.sent > 0 && c.ok > 0 && c.bad_replies == 0 && c.timeouts == 0,
		 "counters: %llu sent, %llu ok, no bad replies, no timeouts",
		 (unsigned long long)c.sent, (unsigned long long)c.ok);
	ac_check(c.delayed_responses >= 6 && c.notifications > 0,
		 "counters: %llu delayed responses, %llu notifications",
		 (unsigned long long)c.delayed_responses, (unsigned long long)c.notifications);
	scmi_reset_counters(h);
	scmi_get_counters(h, &c);
	ac_check(c.sent == 0 && c.ok == 0, "counters reset");
}

static void role_full(struct scmi_handle *h, struct vscmi_conn *conn)
{
	ac_expect(ac_events_register(h), 0, "notification callbacks registered");
	ac_expect(scmi_notify_register(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGED,
				       SCMI_NOTIFY_SRC_ANY, ac_on_event, NULL), -EEXIST,
		  "registering the same callback twice: -EEXIST");
	ac_expect(scmi_notify_unregister(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGED, 7,
					 ac_on_event, NULL), -ENOENT,
		  "unregistering what was never registered: -ENOENT");
	ac_full_base(h);
	ac_full_power(h);
	ac_full_system(h);
	ac_full_perf(h);
	ac_full_clock(h);
	ac_full_sensor(h);
	ac_full_reset(h);
	ac_full_voltage(h);
	ac_full_powercap(h);
	ac_full_pinctrl(h);
	scmi_notify_flush(h);
	ac_handle_api(h, conn);
	ac_events_unregister(h);
}

/* ---- role beta: the second agent's view ---------------------------------------------- */

static void role_beta(struct scmi_handle *h)
{
	static const char *const power[] = { "pd_shared", "pd_beta" };
	static const char *const perf[] = { "perf_shared", "perf_ro_extended_name", "perf_beta" };
	static const char *const clock[] = { "clk_shared", "clk_beta" };
	static const char *const sensor[] = { "sens_shared", "sens_beta" };
	static const char *const reset[] = { "rst_shared", "rst_beta" };
	static const char *const voltage[] = { "vdd_shared", "vdd_beta" };
	static const char *const powercap[] = { "cap_shared", "cap_beta" };
	static const char *const pin[] = { "pin_shared", "pin_beta" };
	static const struct { enum ac_kind k; const char *name; } alphas[] = {
		{ AC_POWER, "pd_a" }, { AC_PERF, "perf_a" }, { AC_CLOCK, "clk_a" },
		{ AC_CLOCK, "clk_p1" }, { AC_SENSOR, "sens_a" }, { AC_RESET, "rst_a" },
		{ AC_VOLTAGE, "vdd_a" }, { AC_POWERCAP, "cap_a" }, { AC_PIN, "pin_a0" },
		{ AC_POWER, "pd_ro_extended_name" }, { AC_CLOCK, "clk_ro_extended_name" },
	};
	struct scmi_sensor_value sv[4];
	uint32_t np = 0, na = 0, id = 0, st = 0, l = 0;
	char name[SCMI_NAME_MAX];
	uint8_t protos[16];
	size_t n = 0;
	bool hidden = true;

	ac_expect(scmi_base_protocol_attributes(h, &np, &na), 0, "beta: BASE attributes");
	ac_check(np == 9 && na == 1, "beta sees 9 protocols and only itself (%u, %u)", np, na);
	ac_expect(scmi_base_discover_list_protocols(h, protos, 16, &n), 0, "beta: list protocols");
	ac_check(n == 9, "beta: 9 protocols listed");
	ac_expect(scmi_base_discover_agent(h, SCMI_BASE_AGENT_SELF, &id, name), 0,
		  "beta: discover self");
	ac_check(id == 2 && !strcmp(name, "beta"), "beta is agent 2 (%u %s)", id, name);
	ac_expect(scmi_base_discover_agent(h, 1, &id, name), -ENOENT,
		  "beta: agent alpha is hidden (NOT_FOUND)");
	ac_expect(scmi_base_set_device_permissions(h, 1, 0, false), -EACCES,
		  "beta: permission commands DENIED (untrusted)");
	ac_expect(scmi_pinctrl_set_permissions(h, 1, SCMI_PINCTRL_PIN, 0, false), -EACCES,
		  "beta: PINCTRL_SET_PERMISSIONS DENIED (untrusted)");

	ac_view_is(h, AC_POWER, power, 2);
	ac_view_is(h, AC_PERF, perf, 3);
	ac_view_is(h, AC_CLOCK, clock, 2);
	ac_view_is(h, AC_SENSOR, sensor, 2);
	ac_view_is(h, AC_RESET, reset, 2);
	ac_view_is(h, AC_VOLTAGE, voltage, 2);
	ac_view_is(h, AC_POWERCAP, powercap, 2);
	ac_view_is(h, AC_PIN, pin, 2);
	ac_expect(ac_name_of(h, AC_GROUP, 0, name), -ENOENT, "beta has no pin group: NOT_FOUND");
	for (size_t i = 0; i < OS_ARRAY_SIZE(alphas); i++)
		hidden &= ac_find(h, alphas[i].k, alphas[i].name) < 0;
	ac_check(hidden, "beta cannot find any of alpha's own resources by name");

	/* the same resource, different access: perf_ro_extended_name is rw for beta */
	ac_expect(scmi_perf_level_set(h, 1, 800000), 0,
		  "beta: perf_ro_extended_name is rw for beta (alpha has it ro)");
	ac_expect(scmi_perf_level_get(h, 1, &l), 0, "beta: level read back");
	ac_check(l == 800000, "beta: level 800000 (%u)", l);
	ac_expect(scmi_perf_level_set(h, 1, 800000 + 1), -ERANGE, "beta: no such OPP: OUT_OF_RANGE");
	/* sensor ro: own configuration allowed, readings fine */
	ac_expect(scmi_sensor_config_set(h, 0, SCMI_SENSOR_CFG_ENABLED), 0,
		  "beta: own configuration of a read-only sensor");
	ac_expect(scmi_sensor_reading_get(h, 0, false, sv, 4, &n), 0, "beta: read sens_shared");
	ac_check(n == 1 && sv[0].value == 3300, "beta: sens_shared reads 3300");
	/* system ro */
	ac_expect(scmi_system_power_state_set(h, SCMI_SYSTEM_SHUTDOWN, false), -EACCES,
		  "beta: SYSTEM_POWER_STATE_SET with system:ro: DENIED");
	ac_expect(scmi_system_power_state_get(h, &st), 0, "beta: SYSTEM_POWER_STATE_GET");
	/* its disjoint resources work */
	ac_expect(scmi_clock_rate_set(h, 1, 20000000, false), 0, "beta: clk_beta to 20 MHz");
	ac_expect(scmi_power_state_set(h, 1, SCMI_POWER_STATE_ON, false), 0, "beta: pd_beta on");
	ac_expect(scmi_power_state_set(h, 1, SCMI_POWER_STATE_ON, true), -EOPNOTSUPP,
		  "beta: pd_beta has no async: NOT_SUPPORTED");
	ac_expect(scmi_reset(h, 1, SCMI_RESET_MODE_AUTONOMOUS, 0, false), 0, "beta: rst_beta");
	ac_expect(scmi_voltage_level_set(h, 1, 1200000, false), 0, "beta: vdd_beta 1.2 V");
	ac_expect(scmi_powercap_cap_set(h, 1, 50, false, NULL), 0, "beta: cap_beta 50 units");
	ac_expect(scmi_pinctrl_request(h, SCMI_PINCTRL_PIN, 1), 0,
		  "beta: request pin_beta");
	ac_expect(scmi_pinctrl_release(h, SCMI_PINCTRL_PIN, 1), 0, "beta: release pin_beta");
	ac_expect(scmi_clock_rate_set(h, 2, 20000000, false), -ENOENT,
		  "beta: clock 2 (alpha's clk_p2 numbering) is beyond beta's view: NOT_FOUND");
}

/* ---- main ------------------------------------------------------------------------ */

static const char ac_usage[] =
	"usage: all-commands --role full|beta|watch|trigger|hold|arb|kept|reowned|forget|after|\n"
	"                           released|revoke|revoked|restore|restored [--ready FILE] [--until FILE] [--device N]\n";

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "ready", required_argument, NULL, 'R' },
		{ "until", required_argument, NULL, 'u' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *role = NULL, *ready = NULL, *until = NULL;
	struct vscmi_conn *conn;
	struct scmi_handle *h;
	unsigned devid = 0;
	uint32_t id;
	char err[256];
	int c, ret;

	while ((c = getopt_long(argc, argv, "r:R:u:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': role = optarg; break;
		case 'R': ready = optarg; break;
		case 'u': until = optarg; break;
		case 'd': devid = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'h': fputs(ac_usage, stdout); return 0;
		default: fputs(ac_usage, stderr); return 2;
		}
	}
	if (!role || optind != argc) {
		fputs(ac_usage, stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = vscmi_conn_open(devid, &conn, &h, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "all-commands: %s\n", err);
		printf("not ok 1 - %s: open the virtio-pv SCMI device\n", role);
		return 3;
	}
	scmi_set_timeout_ms(h, AC_TIMEOUT_MS);
	if (scmi_base_discover_agent(h, SCMI_BASE_AGENT_SELF, &id, ac_self))
		strcpy(ac_self, "?");

	if (!strcmp(role, "full"))
		role_full(h, conn);
	else if (!strcmp(role, "beta"))
		role_beta(h);
	else if (!strcmp(role, "watch"))
		ac_role_watch(h, ready);
	else if (!strcmp(role, "trigger"))
		ac_role_trigger(h);
	else if (!strcmp(role, "hold"))
		ac_role_hold(h, ready, until);
	else if (!strcmp(role, "arb"))
		ac_role_arb(h);
	else if (!strcmp(role, "after"))
		ac_role_after(h, 50000000, false);
	else if (!strcmp(role, "released"))
		ac_role_after(h, 150000000, true);
	else if (!strcmp(role, "kept"))
		ac_role_kept(h);
	else if (!strcmp(role, "reowned"))
		ac_role_reowned(h);
	else if (!strcmp(role, "forget"))
		ac_role_forget(h);
	else if (!strcmp(role, "revoke"))
		ac_role_revoke(h);
	else if (!strcmp(role, "revoked"))
		ac_role_revoked(h, true);
	else if (!strcmp(role, "restore"))
		ac_role_restore(h);
	else if (!strcmp(role, "restored"))
		ac_role_revoked(h, false);
	else {
		fputs(ac_usage, stderr);
		vscmi_conn_close(conn);
		return 2;
	}
	vscmi_conn_close(conn);
	ac_print_cover();
	printf("# %s as %s: %u checks, %u failed\n", role, ac_self, ac_n, ac_failed);
	return ac_failed ? 1 : 0;
}
