/* SPDX-License-Identifier: MIT */
/*
 * Test harness of the SCMI server: a fake daemon (ops that record P2A
 * messages, a timer list run by hand, a pinned clock) and helpers that send
 * raw command bytes through scmi_srv_handle() and pick the response apart.
 */
#ifndef VSCMI_TEST_SCMI_SRV_HARNESS_H
#define VSCMI_TEST_SCMI_SRV_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "scmi/server/server.h"

#define H_MAX_P2A 512
#define H_MAX_TIMERS 128

struct h_p2a {
	struct scmi_srv_agent *a;
	uint32_t hdr;
	uint32_t w[64];		/* payload words */
	size_t n;		/* payload words */
};

struct h_srv {
	struct scmi_srv_config *cfg;
	struct scmi_srv *s;
	struct scmi_srv_agent *ivi, *cluster;
	uint64_t now;
	struct {
		void (*fn)(void *arg);
		void *arg;
		uint64_t due;
		int live;
	} timer[H_MAX_TIMERS];
	unsigned n_timer;
	struct h_p2a p2a[H_MAX_P2A];
	unsigned n_p2a;
	int fail_defer;		/* make ops->defer fail */
	int sys_calls;		/* ops->system_power calls */
	uint32_t sys_state;
	uint8_t resp[1024];
	size_t resp_len;	/* whole response */
	size_t resp_cap;	/* response buffer size offered (default 128) */
	uint32_t resp_hdr;
};

/** Path of a file of the source tree (configs/..., tests/data/...). */
const char *h_path(const char *rel);
/** Load @cfg_path (relative to the tree), create, connect "ivi" and "cluster". */
void h_setup(struct h_srv *h, const char *cfg_rel);
/** The same from a config text. */
void h_setup_text(struct h_srv *h, const char *text);
void h_teardown(struct h_srv *h);
extern const struct scmi_srv_ops h_ops;

/** Send header(proto, msg, token 7) + @len payload bytes; returns the status. */
int32_t h_raw(struct h_srv *h, struct scmi_srv_agent *a, uint8_t proto, uint8_t msg,
	      const void *payload, size_t len);
/** The same with cpu-order words. */
int32_t h_cmdv(struct h_srv *h, struct scmi_srv_agent *a, uint8_t proto, uint8_t msg,
	       const uint32_t *w, size_t n);
#define H_CMD(h, a, proto, msg, ...)                                                   \
	h_cmdv((h), (a), (proto), (msg), (const uint32_t[]){ __VA_ARGS__ },            \
	       sizeof((const uint32_t[]){ __VA_ARGS__ }) / 4)
#define H_CMD0(h, a, proto, msg) h_cmdv((h), (a), (proto), (msg), NULL, 0)
/** Response payload word @i (after the status). */
uint32_t h_w(const struct h_srv *h, size_t i);
/** Response payload bytes after the status. */
size_t h_plen(const struct h_srv *h);
const char *h_str(const struct h_srv *h, size_t byte_off);
/** Advance the fake clock, running every timer that falls due, in order. */
void h_advance(struct h_srv *h, uint64_t ns);
/** P2A messages to @a of @type (2 delayed, 3 notification) and @proto/@msg; -1: any. */
unsigned h_count_p2a(const struct h_srv *h, const struct scmi_srv_agent *a, int type, int proto,
		     int msg);
/** The last such message, or NULL. */
const struct h_p2a *h_last_p2a(const struct h_srv *h, const struct scmi_srv_agent *a, int type,
			       int proto, int msg);

#endif
