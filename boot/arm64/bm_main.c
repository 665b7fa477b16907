// SPDX-License-Identifier: MIT
/*
 * The bare-metal guest's program: bring up the Xen platform, attach the
 * virtio-pv SCMI device that vscmi-backd serves (device 0), and run a fixed
 * script against the platform: enumerate every protocol and resource,
 * change values and read them back, expect a denial, wait for a power
 * state notification and a sensor trip-point notification, report the
 * footprint, power off.
 *
 * Every result is one console line "@@ RTOS <fact>" (parsed by
 * tests/system/ext/baremetal.check.sh); a failed expectation adds
 * "@@ RTOS FAIL <what>: <why>". The last line is
 * "@@ RTOS finished pass=N fail=M". The resource names are those the
 * system test's configuration gives agent "rtos" (tests/system/systest.cfg);
 * resources are looked up by name in the enumeration, never by id.
 *
 * Theory of operation (the whole guest, docs/baremetal-guest.md): Xen's
 * toolstack loads the Image at guest RAM + 0x80000 and enters bm_head.S at
 * EL1, MMU off, x0 = DTB. bm_early() (bm_mmu.c) reads the device tree with
 * the bounds-checked reader of bm_fdt.c and builds an identity map (RAM
 * and the grant-table region Normal write-back); bm_head.S turns the MMU
 * and caches on and calls bm_main(). From then on the guest is a single
 * thread: libvscmi.a's freestanding OS layer turns every wait into a loop
 * around vscmi_plat_poll() (bm_plat.c), which delivers pending event
 * channels from shared_info, so requests, xenstore replies and
 * notifications all complete inside the waits of this one call stack. The
 * rest of the platform is hypercalls (bm_head.S), a page allocator over
 * the RAM after the image (bm_plat.c) and the PV console ring
 * (bm_console.c). Any exception is unexpected: it is reported on the
 * console and the domain crashes.
 */
#include <vscmi/scmi.h>
#include <vscmi/scmi_protocols.h>
#include <vscmi/virtio_pv.h>

#include "boot/arm64/arm64.h"
#include "boot/arm64/bm.h"
#include "os/heap.h"
#include "scmi/wire/all.h"

#include <xen/sched.h>

#define BM_ATTACH_WAIT_NS (30 * OS_NSEC_PER_SEC)
#define BM_NOTIFY_WAIT_NS (15 * OS_NSEC_PER_SEC)
#define BM_SCMI_TIMEOUT_MS 5000
#define BM_MAX_RES 16

/* The stack bm_head.S runs on (in .bss, so its untouched part stays zero). */
extern uint64_t bm_stack[BM_STACK_SIZE / 8];

static unsigned npass, nfail;
static uint64_t t_boot;

/* A name -> id table per resource kind, filled by the enumeration. */
struct res_list {
	unsigned n;
	uint32_t id[BM_MAX_RES];
	char name[BM_MAX_RES][SCMI_NAME_MAX];
};
static struct res_list clocks, powers, perfs, sensors, resets;

static void res_add(struct res_list *l, uint32_t id, const char *name)
{
	if (l->n >= BM_MAX_RES)
		return;
	l->id[l->n] = id;
	memcpy(l->name[l->n], name, SCMI_NAME_MAX);
	l->name[l->n][SCMI_NAME_MAX - 1] = '\0';
	l->n++;
}

/* The id of @name, or -1. */
static int64_t res_find(const struct res_list *l, const char *name)
{
	for (unsigned i = 0; i < l->n; i++)
		if (!strcmp(l->name[i], name))
			return l->id[i];
	return -1;
}

/* Count one expectation; a failure gets its own line with the reason. */
static bool expect(bool ok, const char *what, int rc)
{
	if (ok) {
		npass++;
	} else {
		nfail++;
		bm_printf("@@ RTOS FAIL %s: rc=%d\n", what, rc);
	}
	return ok;
}

/* ---- enumeration ----------------------------------------------------------- */

static int on_power(void *priv, const struct scmi_power_domain_info *d)
{
	bm_printf("@@ RTOS power %u %s state=%s\n", d->id, d->name,
		  d->state == SCMI_POWER_STATE_ON ? "on" :
		  d->state == SCMI_POWER_STATE_OFF ? "off" : "other");
	res_add(&powers, d->id, d->name);
	return 0;
}

static int on_perf(void *priv, const struct scmi_perf_domain_info *d)
{
	bm_printf("@@ RTOS perf %u %s level=%u set_level=%s\n", d->id, d->name, d->level,
		  d->set_level ? "yes" : "no");
	res_add(&perfs, d->id, d->name);
	return 0;
}

static int on_clock(void *priv, const struct scmi_clock_info *c)
{
	bm_printf("@@ RTOS clock %u %s rate=%llu rates=%u\n", c->attrs.id, c->attrs.name,
		  (unsigned long long)c->rate, c->nr_rates);
	res_add(&clocks, c->attrs.id, c->attrs.name);
	return 0;
}

static int on_sensor(void *priv, const struct scmi_sensor_info *s)
{
	bm_printf("@@ RTOS sensor %u %s trip_points=%u scale=%d\n", s->desc.id, s->desc.name,
		  s->desc.num_trip_points, s->desc.scale);
	res_add(&sensors, s->desc.id, s->desc.name);
	return 0;
}

static int on_reset(void *priv, const struct scmi_reset_domain_info *d)
{
	bm_printf("@@ RTOS reset %u %s async=%s\n", d->id, d->name, d->async ? "yes" : "no");
	res_add(&resets, d->id, d->name);
	return 0;
}

static void enumerate(struct scmi_handle *h)
{
	struct scmi_base_info bi;
	uint8_t protos[32];
	size_t n = 0;
	char line[160];
	int ret, len = 0;

	ret = scmi_base_describe(h, &bi);
	if (expect(!ret, "base describe", ret))
		bm_printf("@@ RTOS base vendor=%s sub_vendor=%s impl=0x%08x agent=%s agent_id=%u "
			  "protocols=%u agents=%u\n", bi.vendor, bi.sub_vendor, bi.impl_version,
			  bi.agent_name, bi.agent_id, bi.num_protocols, bi.num_agents);
	ret = scmi_base_discover_list_protocols(h, protos, sizeof(protos), &n);
	if (expect(!ret, "base list protocols", ret)) {
		for (size_t i = 0; i < n && len < (int)sizeof(line) - 8; i++)
			len += os_snprintf(line + len, sizeof(line) - (size_t)len, " 0x%02x",
					   protos[i]);
		line[len] = '\0';
		bm_printf("@@ RTOS protocols%s\n", line);
	}
	ret = scmi_power_for_each(h, on_power, NULL);
	expect(!ret, "power enumeration", ret);
	ret = scmi_perf_for_each(h, on_perf, NULL);
	expect(!ret, "perf enumeration", ret);
	ret = scmi_clock_for_each(h, on_clock, NULL);
	expect(!ret, "clock enumeration", ret);
	ret = scmi_sensor_for_each(h, on_sensor, NULL);
	expect(!ret, "sensor enumeration", ret);
	ret = scmi_reset_for_each(h, on_reset, NULL);
	expect(!ret, "reset enumeration", ret);
	bm_printf("@@ RTOS enumerated power=%u perf=%u clock=%u sensor=%u reset=%u\n",
		  powers.n, perfs.n, clocks.n, sensors.n, resets.n);
}

/* ---- set and read back ----------------------------------------------------- */

static void clock_round_trip(struct scmi_handle *h, const char *name, uint64_t rate)
{
	int64_t id = res_find(&clocks, name);
	uint64_t got = 0;
	int ret;

	if (!expect(id >= 0, "clock lookup", -ENOENT))
		return;
	ret = scmi_clock_rate_set(h, (uint32_t)id, rate, false);
	if (!ret)
		ret = scmi_clock_rate_get(h, (uint32_t)id, &got);
	bm_printf("@@ RTOS clock %s set %llu got %llu rc=%d\n", name, (unsigned long long)rate,
		  (unsigned long long)got, ret);
	expect(!ret && got == rate, "clock round trip", ret);
}

static const char *power_name(uint32_t s)
{
	return s == SCMI_POWER_STATE_ON ? "on" : s == SCMI_POWER_STATE_OFF ? "off" : "other";
}

static void power_round_trip(struct scmi_handle *h, const char *name, uint32_t state)
{
	int64_t id = res_find(&powers, name);
	uint64_t deadline;
	uint32_t got = ~0u;
	int ret;

	if (!expect(id >= 0, "power lookup", -ENOENT))
		return;
	ret = scmi_power_state_set(h, (uint32_t)id, state, false);
	/* A domain with a transition latency may report the old state briefly. */
	deadline = os_now_ns() + OS_NSEC_PER_SEC;
	while (!ret) {
		ret = scmi_power_state_get(h, (uint32_t)id, &got);
		if (ret || got == state || os_now_ns() > deadline)
			break;
		os_sleep_ns(5 * OS_NSEC_PER_MSEC);
	}
	bm_printf("@@ RTOS power %s set %s got %s rc=%d\n", name, power_name(state),
		  power_name(got), ret);
	expect(!ret && got == state, "power round trip", ret);
}

struct power_wait {
	bool seen;
	struct scmi_power_state_event ev;
};

static void on_power_changed(struct scmi_handle *h, uint8_t proto, uint8_t evt,
			     const void *payload, size_t len, void *priv)
{
	struct power_wait *pw = priv;

	if (!pw->seen && !scmi_power_parse_state_event(payload, len, &pw->ev))
		pw->seen = true;
}

/* Power @name on with POWER_STATE_CHANGED subscribed: the event must say on. */
static void power_on_notified(struct scmi_handle *h, const char *name)
{
	int64_t id = res_find(&powers, name);
	struct power_wait pw = { 0 };
	uint64_t t0, deadline;
	int ret;

	if (!expect(id >= 0, "power lookup", -ENOENT))
		return;
	ret = scmi_notify_register(h, SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGED,
				   (int32_t)id, on_power_changed, &pw);
	if (!ret)
		ret = scmi_power_state_notify(h, (uint32_t)id, true);
	if (!expect(!ret, "power notify", ret))
		return;
	t0 = os_now_ns();
	power_round_trip(h, name, SCMI_POWER_STATE_ON);
	deadline = t0 + BM_NOTIFY_WAIT_NS;
	while (!pw.seen && os_now_ns() < deadline)
		os_sleep_ns(5 * OS_NSEC_PER_MSEC);
	if (pw.seen)
		bm_printf("@@ RTOS notify power %s state %s after %llu ms\n", name,
			  power_name(pw.ev.power_state),
			  (unsigned long long)((os_now_ns() - t0) / OS_NSEC_PER_MSEC));
	else
		bm_printf("@@ RTOS notify power %s none\n", name);
	expect(pw.seen && pw.ev.domain_id == (uint32_t)id &&
	       pw.ev.power_state == SCMI_POWER_STATE_ON, "power notification", -ETIMEDOUT);
	scmi_power_state_notify(h, (uint32_t)id, false);
	scmi_notify_unregister(h, SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGED, (int32_t)id,
			       on_power_changed, &pw);
}

static void reset_once(struct scmi_handle *h, const char *name)
{
	int64_t id = res_find(&resets, name);
	struct scmi_reset_domain_info info;
	int ret;

	if (!expect(id >= 0, "reset lookup", -ENOENT))
		return;
	ret = scmi_reset_domain_attributes(h, (uint32_t)id, &info);
	if (!ret)
		ret = scmi_reset(h, (uint32_t)id, SCMI_RESET_MODE_AUTONOMOUS, SCMI_RESET_COLD,
				 info.async);
	bm_printf("@@ RTOS reset %s autonomous%s rc=%d\n", name, info.async ? " async" : "", ret);
	expect(!ret, "reset", ret);
}

static void perf_denied(struct scmi_handle *h, const char *name)
{
	int64_t id = res_find(&perfs, name);
	uint32_t level = 0;
	int ret;

	if (!expect(id >= 0, "perf lookup", -ENOENT))
		return;
	ret = scmi_perf_level_get(h, (uint32_t)id, &level);
	bm_printf("@@ RTOS perf %s level %u rc=%d\n", name, level, ret);
	expect(!ret, "perf level get", ret);
	ret = scmi_perf_level_set(h, (uint32_t)id, level);
	bm_printf("@@ RTOS perf %s set %u rc=%d%s\n", name, level, ret,
		  ret == -EACCES ? " denied" : "");
	expect(ret == -EACCES, "perf level set denied", ret);
}

static void hidden_resource(struct scmi_handle *h)
{
	uint64_t rate;
	int ret = scmi_clock_rate_get(h, clocks.n + 10, &rate);

	bm_printf("@@ RTOS clock id %u rate get rc=%d%s\n", clocks.n + 10, ret,
		  ret == -ENOENT ? " not-found" : "");
	expect(ret == -ENOENT, "hidden clock not found", ret);
}

static void sensor_read(struct scmi_handle *h, const char *name)
{
	int64_t id = res_find(&sensors, name);
	struct scmi_sensor_value v = { 0 };
	size_t n = 0;
	int ret;

	if (!expect(id >= 0, "sensor lookup", -ENOENT))
		return;
	ret = scmi_sensor_reading_get(h, (uint32_t)id, false, &v, 1, &n);
	bm_printf("@@ RTOS sensor %s reading %lld rc=%d\n", name, (long long)v.value, ret);
	expect(!ret && n == 1, "sensor reading", ret);
}

/* ---- notification ------------------------------------------------------------ */

struct trip_wait {
	bool seen;
	struct scmi_sensor_trip_event ev;
};

static void on_trip(struct scmi_handle *h, uint8_t proto, uint8_t evt, const void *payload,
		    size_t len, void *priv)
{
	struct trip_wait *tw = priv;

	if (!tw->seen && !scmi_sensor_parse_trip_event(payload, len, &tw->ev))
		tw->seen = true;
}

static void sensor_trip(struct scmi_handle *h, const char *name, int64_t value)
{
	int64_t id = res_find(&sensors, name);
	struct trip_wait tw = { 0 };
	uint64_t t0, deadline;
	int ret;

	if (!expect(id >= 0, "sensor lookup", -ENOENT))
		return;
	ret = scmi_notify_register(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_TRIP_POINT_EVENT,
				   (int32_t)id, on_trip, &tw);
	if (!ret)
		ret = scmi_sensor_trip_point_config(h, (uint32_t)id, 0, SCMI_SENSOR_TRIP_POSITIVE,
						    value);
	if (!ret)
		ret = scmi_sensor_trip_point_notify(h, (uint32_t)id, true);
	bm_printf("@@ RTOS sensor %s trip 0 armed at %lld ascending rc=%d\n", name,
		  (long long)value, ret);
	if (!expect(!ret, "arm trip point", ret))
		return;
	/* Each wait runs the deferred work that dispatches notifications. */
	t0 = os_now_ns();
	deadline = t0 + BM_NOTIFY_WAIT_NS;
	while (!tw.seen && os_now_ns() < deadline)
		os_sleep_ns(10 * OS_NSEC_PER_MSEC);
	if (tw.seen)
		bm_printf("@@ RTOS notify sensor %s trip %u %s after %llu ms\n", name,
			  tw.ev.trip_point_id, tw.ev.ascending ? "ascending" : "descending",
			  (unsigned long long)((os_now_ns() - t0) / OS_NSEC_PER_MSEC));
	else
		bm_printf("@@ RTOS notify sensor %s none within %llu s\n", name,
			  (unsigned long long)(BM_NOTIFY_WAIT_NS / OS_NSEC_PER_SEC));
	expect(tw.seen && tw.ev.sensor_id == (uint32_t)id && tw.ev.ascending,
	       "trip notification", -ETIMEDOUT);
	scmi_sensor_trip_point_notify(h, (uint32_t)id, false);
	scmi_notify_unregister(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_TRIP_POINT_EVENT,
			       (int32_t)id, on_trip, &tw);
}

/* ---- footprint ------------------------------------------------------------- */

static size_t stack_peak(void)
{
	/* .bss started zeroed: the lowest non-zero word is as deep as we went. */
	for (size_t i = 0; i < BM_STACK_SIZE / 8; i++)
		if (bm_stack[i])
			return BM_STACK_SIZE - i * 8;
	return 0;
}

static void footprint(struct virtio_pv *pv)
{
	struct os_heap_stats hs;
	struct virtio_pv_stats ps;
	struct bm_idle_stats is;
	size_t heap_peak, used, peak, total;

	os_heap_usage(&hs, &heap_peak);
	bm_pages_stats(&used, &peak, &total);
	virtio_pv_get_stats(pv, &ps);
	bm_printf("@@ RTOS footprint image file=%zu text=%zu rodata+data=%zu bss=%zu total=%zu\n",
		  (size_t)(_file_end - _image_start), (size_t)(_text_end - _image_start),
		  (size_t)(_file_end - _rodata_start), (size_t)(__bss_end - __bss_start),
		  (size_t)(_image_end - _image_start));
	bm_printf("@@ RTOS footprint heap peak=%zu now=%zu arenas=%zu\n", heap_peak,
		  hs.used_bytes + hs.large_pages * OS_PAGE_SIZE, hs.arenas);
	bm_printf("@@ RTOS footprint pages used=%zu peak=%zu of=%zu (4 KiB) stack peak=%zu of=%u "
		  "mmu blocks=%u\n", used, peak, total, stack_peak(), BM_STACK_SIZE,
		  bm_mmu_blocks());
	bm_printf("@@ RTOS footprint grants ro=%u rw=%u grant_ops=%llu evtchn sends=%llu "
		  "events=%llu\n", ps.pages_ro, ps.pages_rw, (unsigned long long)ps.grant_ops,
		  (unsigned long long)ps.evtchn_sends, (unsigned long long)ps.evtchn_events);
	bm_gic_stats(&is);
	bm_printf("@@ RTOS footprint idle naps=%llu woken by evtchn=%llu timer=%llu other=%llu\n",
		  (unsigned long long)is.naps, (unsigned long long)is.evtchn_wakes,
		  (unsigned long long)is.timer_wakes, (unsigned long long)is.other_wakes);
}

/* ---- main ------------------------------------------------------------------ */

static int attach(struct xen_plat *plat, struct virtio_pv **pv)
{
	uint64_t deadline = os_now_ns() + BM_ATTACH_WAIT_NS;
	int ret;

	/* vscmi-backd --auto-attach creates the device when the domain appears. */
	for (;;) {
		ret = virtio_pv_attach(plat, 0, &scmi_virtio_driver, NULL, pv);
		if (ret != -ENOENT || os_now_ns() > deadline)
			return ret;
		os_sleep_ns(500 * OS_NSEC_PER_MSEC);
	}
}

void bm_main(uintptr_t dtb)
{
	struct xen_plat *plat = NULL;
	struct virtio_pv *pv = NULL;
	struct scmi_handle *h;
	int ret, cons;

	t_boot = os_now_ns();
	cons = bm_console_init();
	bm_printf("\n@@ RTOS boot vscmi bare-metal guest, console %s\n",
		  cons ? "CONSOLEIO (no PV ring)" : "PV ring");
	if (bm_dt_err) {
		bm_printf("@@ RTOS FAIL device tree at 0x%lx unusable: rc=%d\n",
			  (unsigned long)dtb, bm_dt_err);
		bm_console_flush();
		bm_shutdown(SHUTDOWN_crash);
	}
	bm_printf("@@ RTOS dt %s ram=0x%llx+0x%llx gnttab=0x%llx+0x%llx evtchn-irq=%u "
		  "dtb=0x%lx+%u\n", bm_dt.xen_compat,
		  (unsigned long long)bm_dt.bank[0].base, (unsigned long long)bm_dt.bank[0].size,
		  (unsigned long long)bm_dt.gnttab_base, (unsigned long long)bm_dt.gnttab_size,
		  bm_dt.evtchn_irq, (unsigned long)dtb, bm_dtb_size);
	bm_printf("@@ RTOS mmu on caches on (identity map, %u blocks of 2 MiB)\n",
		  bm_mmu_blocks());
	bm_pages_init();
	ret = bm_xen_init();
	bm_printf("@@ RTOS shared_info rc=%d\n", ret);
	if (!expect(!ret, "shared_info", ret))
		goto out;
	bm_console_mask_events();
	ret = bm_gic_init();
	bm_printf("@@ RTOS idle %s (event PPI %u, virtual timer PPI %u) rc=%d\n",
		  ret ? "by spinning" : "in WFI, woken through the GICv3", bm_dt.evtchn_irq,
		  bm_dt.vtimer_irq, ret);

	ret = xen_plat_open(NULL, -1, &plat);
	if (!ret)
		ret = attach(plat, &pv);
	bm_printf("@@ RTOS attach virtio-pv 0 rc=%d after %llu ms\n", ret,
		  (unsigned long long)((os_now_ns() - t_boot) / OS_NSEC_PER_MSEC));
	if (!expect(!ret, "attach", ret))
		goto out;
	h = scmi_handle_of(virtio_pv_vdev(pv));
	if (!expect(h != NULL, "scmi handle", -ENODEV))
		goto out;
	/* dom0 may be busy with other guests (emulated CPUs in the system test). */
	scmi_set_timeout_ms(h, BM_SCMI_TIMEOUT_MS);

	enumerate(h);
	clock_round_trip(h, "cam_mclk", 27000000);
	clock_round_trip(h, "cam_mclk", 24000000);
	power_on_notified(h, "pd_camera");
	power_round_trip(h, "pd_camera", SCMI_POWER_STATE_OFF);
	reset_once(h, "rst_camera");
	perf_denied(h, "cpu_little");
	hidden_resource(h);
	sensor_read(h, "board_thermal");
	sensor_trip(h, "test_ramp", 40000);
	footprint(pv);

out:
	if (pv)
		virtio_pv_detach(pv);
	xen_plat_close(plat);
	bm_printf("@@ RTOS finished pass=%u fail=%u in %llu ms\n", npass, nfail,
		  (unsigned long long)((os_now_ns() - t_boot) / OS_NSEC_PER_MSEC));
	/* A line relays that read one line ahead (sed) can wait on. */
	bm_printf("@@ RTOS poweroff\n");
	bm_console_flush();
	bm_shutdown(SHUTDOWN_poweroff);
}
