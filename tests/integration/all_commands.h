/* SPDX-License-Identifier: MIT */
/*
 * all_commands: the shared harness of the program that runs inside an
 * xensim guest and drives every SCMI command over the real transport
 * (tests/integration/all_commands.c: harness, main and the single-guest
 * roles; all_commands_proto.c: one function per protocol for the full pass
 * of agent "alpha"; all_commands_matrix.c: the roles between guests).
 */
#ifndef VSCMI_TESTS_ALL_COMMANDS_H
#define VSCMI_TESTS_ALL_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vscmi/scmi.h>
#include <vscmi/scmi_protocols.h>
#include <scmi/wire/all.h>

/* ---- TAP output and command coverage ---------------------------------------- */

/** Print "ok N - ..." or "not ok N - ..."; returns @cond. */
bool ac_check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** ok when @got == @want; the failure line shows both as errno names. */
bool ac_expect(int got, int want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** Mark command @msg of protocol @proto as exercised end to end. */
void ac_cover(uint8_t proto, uint8_t msg);

/** ac_expect() of one protocol command, counted in the coverage. */
#define AC_CMD(proto, msg, want, call, ...) \
	(ac_cover((proto), (msg)), ac_expect((call), (want), __VA_ARGS__))

/* ---- notifications ---------------------------------------------------------- */

/** One notification or the payload of one, as the callback got it. */
struct ac_event {
	uint8_t proto, evt;
	size_t len;
	uint8_t payload[128];
};

/** Register the recorder for every notification of every protocol. */
int ac_events_register(struct scmi_handle *h);
/** Unregister what ac_events_register() registered. */
void ac_events_unregister(struct scmi_handle *h);
/** Forget every event recorded so far. */
void ac_events_clear(void);
/**
 * Wait up to @timeout_ms for an event (@proto, @evt) whose first payload
 * word after the agent id (the source id) is @src (or any, -1); take it
 * out of the record into *@out. False on timeout.
 */
bool ac_event_wait(uint8_t proto, uint8_t evt, int64_t src, unsigned timeout_ms,
		   struct ac_event *out);

/* ---- resources by name ------------------------------------------------------- */

enum ac_kind {
	AC_POWER, AC_PERF, AC_CLOCK, AC_SENSOR, AC_RESET, AC_VOLTAGE, AC_POWERCAP,
	AC_PIN, AC_GROUP, AC_FUNCTION, AC_KIND_COUNT
};

/** This agent's local id of resource @name of @kind, or -1 if not in its view. */
int ac_find(struct scmi_handle *h, enum ac_kind kind, const char *name);

/* ---- helpers of the roles ---------------------------------------------------- */

/** This agent's name, from BASE_DISCOVER_AGENT. */
extern char ac_self[SCMI_NAME_MAX];
/** Create the empty file @path (a rendezvous with the script); negative errno. */
int ac_touch(const char *path);
/** Wait up to @seconds for @path to exist. */
bool ac_wait_file(const char *path, unsigned seconds);

/* ---- the roles between guests (all_commands_matrix.c; see all_commands.c) ---- */

void ac_role_watch(struct scmi_handle *h, const char *ready);
void ac_role_trigger(struct scmi_handle *h);
void ac_role_hold(struct scmi_handle *h, const char *ready, const char *until);
void ac_role_arb(struct scmi_handle *h);
void ac_role_kept(struct scmi_handle *h);
void ac_role_reowned(struct scmi_handle *h);
void ac_role_forget(struct scmi_handle *h);
void ac_role_after(struct scmi_handle *h, uint64_t last_rate, bool wait);
void ac_role_revoke(struct scmi_handle *h);
void ac_role_revoked(struct scmi_handle *h, bool revoked);
void ac_role_restore(struct scmi_handle *h);

/* ---- the full pass (all_commands_proto.c) ----------------------------------- */

/** Every command of every protocol as agent "alpha" (see the config). */
void ac_full_base(struct scmi_handle *h);
void ac_full_power(struct scmi_handle *h);
void ac_full_system(struct scmi_handle *h);
void ac_full_perf(struct scmi_handle *h);
void ac_full_clock(struct scmi_handle *h);
void ac_full_sensor(struct scmi_handle *h);
void ac_full_reset(struct scmi_handle *h);
void ac_full_voltage(struct scmi_handle *h);
void ac_full_powercap(struct scmi_handle *h);
void ac_full_pinctrl(struct scmi_handle *h);
/** The commands common to every protocol, for @proto with @n_msg commands. */
void ac_common(struct scmi_handle *h, uint8_t proto, uint8_t n_msg);

#endif
