// SPDX-License-Identifier: MIT
/* Test harness of the SCMI server: see scmi_srv_harness.h. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <vscmi/os.h>
#include <vscmi/scmi_wire.h>

#include "tests/unit/scmi_srv_harness.h"

#ifndef VSCMI_SRCTREE
#define VSCMI_SRCTREE "."
#endif

const char *h_path(const char *rel)
{
	static char buf[4][512];
	static int i;
	char *p = buf[i++ & 3];

	snprintf(p, 512, "%s/%s", VSCMI_SRCTREE, rel);
	return p;
}

static int h_send_p2a(void *ctx, struct scmi_srv_agent *a, const void *msg, size_t len)
{
	struct h_srv *h = ctx;
	struct h_p2a *p;
	const uint8_t *b = msg;

	if (h->n_p2a == H_MAX_P2A || len < 4 || len > 4 + sizeof(p->w))
		return -ENOSPC;
	p = &h->p2a[h->n_p2a++];
	p->a = a;
	p->hdr = scmi_get_le32(b);
	p->n = (len - 4) / 4;
	for (size_t i = 0; i < p->n; i++)
		p->w[i] = scmi_get_le32(b + 4 + 4 * i);
	return 0;
}

static int h_defer(void *ctx, uint64_t delay, void (*fn)(void *), void *arg)
{
	struct h_srv *h = ctx;

	if (h->fail_defer || h->n_timer == H_MAX_TIMERS)
		return -ENOMEM;
	h->timer[h->n_timer].fn = fn;
	h->timer[h->n_timer].arg = arg;
	h->timer[h->n_timer].due = h->now + delay;
	h->timer[h->n_timer].live = 1;
	h->n_timer++;
	return 0;
}

static uint64_t h_now(void *ctx)
{
	return ((struct h_srv *)ctx)->now;
}

static int h_system_power(void *ctx, struct scmi_srv_agent *a, uint32_t flags, uint32_t state)
{
	struct h_srv *h = ctx;

	h->sys_calls++;
	h->sys_state = state;
	return 0;
}

const struct scmi_srv_ops h_ops = {
	.send_p2a = h_send_p2a,
	.defer = h_defer,
	.now_ns = h_now,
	.system_power = h_system_power,
};

static void h_start(struct h_srv *h)
{
	os_log_set_level(OS_LOG_ERR);
	h->now = 1000000000ull;
	h->resp_cap = 128;
	assert_int_equal(scmi_srv_create(h->cfg, &h_ops, h, &h->s), 0);
	h->ivi = scmi_srv_agent_connect(h->s, "ivi", 1);
	h->cluster = scmi_srv_agent_connect(h->s, "cluster", 2);
	assert_non_null(h->ivi);
	assert_non_null(h->cluster);
}

void h_setup(struct h_srv *h, const char *rel)
{
	char err[512];

	memset(h, 0, sizeof(*h));
	if (scmi_srv_load_config(h_path(rel), &h->cfg, err, sizeof(err)))
		fail_msg("%s", err);
	h_start(h);
}

void h_setup_text(struct h_srv *h, const char *text)
{
	char err[512];

	memset(h, 0, sizeof(*h));
	if (scmi_srv_parse_config("test.cfg", text, strlen(text), &h->cfg, err, sizeof(err)))
		fail_msg("%s", err);
	h_start(h);
}

void h_teardown(struct h_srv *h)
{
	scmi_srv_destroy(h->s);
	scmi_srv_config_free(h->cfg);
}

int32_t h_raw(struct h_srv *h, struct scmi_srv_agent *a, uint8_t proto, uint8_t msg,
	      const void *payload, size_t len)
{
	uint8_t req[512];

	assert_true(len + 4 <= sizeof(req));
	scmi_put_le32(req, scmi_hdr_pack(msg, SCMI_MSG_TYPE_COMMAND, proto, 7));
	if (len)
		memcpy(req + 4, payload, len);
	memset(h->resp, 0xAA, sizeof(h->resp));
	h->resp_len = scmi_srv_handle(h->s, a, req, len + 4, h->resp, h->resp_cap);
	assert_true(h->resp_len >= 8);
	assert_true(h->resp_len <= h->resp_cap);
	h->resp_hdr = scmi_get_le32(h->resp);
	/* the response header echoes the command's */
	assert_int_equal(h->resp_hdr, scmi_hdr_pack(msg, SCMI_MSG_TYPE_COMMAND, proto, 7));
	return (int32_t)scmi_get_le32(h->resp + 4);
}

int32_t h_cmdv(struct h_srv *h, struct scmi_srv_agent *a, uint8_t proto, uint8_t msg,
	       const uint32_t *w, size_t n)
{
	uint8_t p[256];

	for (size_t i = 0; i < n; i++)
		scmi_put_le32(p + 4 * i, w[i]);
	return h_raw(h, a, proto, msg, p, 4 * n);
}

uint32_t h_w(const struct h_srv *h, size_t i)
{
	assert_true(8 + 4 * i + 4 <= h->resp_len);
	return scmi_get_le32(h->resp + 8 + 4 * i);
}

size_t h_plen(const struct h_srv *h)
{
	return h->resp_len - 8;
}

const char *h_str(const struct h_srv *h, size_t off)
{
	return (const char *)h->resp + 8 + off;
}

void h_advance(struct h_srv *h, uint64_t ns)
{
	uint64_t end = h->now + ns;

	for (;;) {
		int best = -1;

		for (unsigned i = 0; i < h->n_timer; i++)
			if (h->timer[i].live && h->timer[i].due <= end &&
			    (best < 0 || h->timer[i].due < h->timer[best].due))
				best = (int)i;
		if (best < 0)
			break;
		h->timer[best].live = 0;
		if (h->timer[best].due > h->now)
			h->now = h->timer[best].due;
		h->timer[best].fn(h->timer[best].arg);
	}
	h->now = end;
	/* compact */
	unsigned j = 0;

	for (unsigned i = 0; i < h->n_timer; i++)
		if (h->timer[i].live)
			h->timer[j++] = h->timer[i];
	h->n_timer = j;
}

static int h_match(const struct h_p2a *p, const struct scmi_srv_agent *a, int type, int proto,
		   int msg)
{
	return (!a || p->a == a) && (type < 0 || scmi_hdr_type(p->hdr) == type) &&
	       (proto < 0 || scmi_hdr_proto(p->hdr) == proto) &&
	       (msg < 0 || scmi_hdr_msg_id(p->hdr) == msg);
}

unsigned h_count_p2a(const struct h_srv *h, const struct scmi_srv_agent *a, int type, int proto,
		     int msg)
{
	unsigned n = 0;

	for (unsigned i = 0; i < h->n_p2a; i++)
		n += (unsigned)h_match(&h->p2a[i], a, type, proto, msg);
	return n;
}

const struct h_p2a *h_last_p2a(const struct h_srv *h, const struct scmi_srv_agent *a, int type,
			       int proto, int msg)
{
	for (unsigned i = h->n_p2a; i-- > 0;)
		if (h_match(&h->p2a[i], a, type, proto, msg))
			return &h->p2a[i];
	return NULL;
}
