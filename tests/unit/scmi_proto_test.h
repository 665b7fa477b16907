/* SPDX-License-Identifier: MIT */
/*
 * Shared scaffolding of the protocol unit tests (tests/unit/test_scmi_*.c):
 * a handle on H4's scripted fake platform, payload builders, and
 * table-driven checks every protocol runs on every one of its commands:
 * each SCMI status maps to its errno, and a reply missing its fields is
 * -EPROTO. Header-only (static functions) so each test stays one program.
 */
#ifndef VSCMI_TESTS_SCMI_PROTO_TEST_H
#define VSCMI_TESTS_SCMI_PROTO_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <vscmi/scmi.h>
#include <vscmi/scmi_protocols.h>
#include <scmi/wire/all.h>

#include "scmi/agent/core.h"
#include "tests/scmi/fake_transport.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the word-array payload builders below assume a little-endian host"
#endif

/** A word array and its size in bytes, for fake_expect's req/resp. */
#define WORDS(...) ((const uint32_t[]){ __VA_ARGS__ }), sizeof((const uint32_t[]){ __VA_ARGS__ })
/** An empty payload that must match exactly (not "any"). */
#define EMPTY ((const uint32_t[]){ 0 }), 0
/** Any request payload. */
#define ANY NULL, 0
/** No response payload. */
#define NORESP NULL, 0

struct pt {
	struct fake_platform *fp;
	struct scmi_handle *h;
};

static inline struct pt *pt_open(size_t max_msg_size)
{
	struct fake_config cfg = { .delivery = FAKE_DELIVER_SYNC, .max_msg_size = max_msg_size };
	struct pt *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->fp = fake_create(&cfg);
	assert_non_null(t->fp);
	assert_int_equal(fake_open(t->fp, &t->h), 0);
	/* Unanswered commands are test failures: do not wait long for them. */
	scmi_set_timeout_ms(t->h, 200);
	return t;
}

static inline void pt_close(struct pt *t)
{
	scmi_close(t->h);
	fake_destroy(t->fp);
	free(t);
}

static inline int pt_setup(void **state)
{
	*state = pt_open(0);
	return 0;
}

/* Every scripted exchange must have happened, and nothing else. */
static inline int pt_teardown(void **state)
{
	struct pt *t = *state;

	assert_int_equal(fake_expect_pending(t->fp), 0);
	assert_int_equal(fake_unexpected(t->fp), 0);
	pt_close(t);
	return 0;
}

static inline void pt_expect_ok(struct pt *t, uint8_t proto, uint8_t msg, const void *req,
				size_t req_len, const void *resp, size_t resp_len)
{
	fake_expect(t->fp, proto, msg, req, req_len, SCMI_SUCCESS, resp, resp_len);
}
/** Script: @proto/@msg with exactly req (ptr, len), answered SUCCESS + resp (ptr, len). */
#define EXPECT_OK(t, proto, msg, ...) pt_expect_ok((t), proto, msg, __VA_ARGS__)

/* ---- table-driven checks ----------------------------------------------------- */

/** Every SCMI error status and the errno the agent must report. */
static const struct {
	int32_t status;
	int err;
} pt_status_table[] = {
	{ SCMI_NOT_SUPPORTED, -EOPNOTSUPP },
	{ SCMI_INVALID_PARAMETERS, -EINVAL },
	{ SCMI_DENIED, -EACCES },
	{ SCMI_NOT_FOUND, -ENOENT },
	{ SCMI_OUT_OF_RANGE, -ERANGE },
	{ SCMI_BUSY, -EBUSY },
	{ SCMI_COMMS_ERROR, -ECOMM },
	{ SCMI_GENERIC_ERROR, -EIO },
	{ SCMI_HARDWARE_ERROR, -EREMOTEIO },
	{ SCMI_PROTOCOL_ERROR, -EPROTO },
	{ SCMI_IN_USE, -EADDRINUSE },
	{ -12, -EPROTO },	/* not a status at all */
};

/** One command of a protocol, as the tables below exercise it. */
struct pt_cmd {
	const char *name;
	uint8_t msg;
	/** Issue the command with valid arguments; return its result. */
	int (*call)(struct scmi_handle *h);
	/** Bytes of reply it needs (0: none); a shorter one must be -EPROTO. */
	size_t reply_len;
};

/** Each command, each error status: the right errno and nothing else sent. */
static inline void pt_check_statuses(struct pt *t, uint8_t proto, const struct pt_cmd *cmds,
				     size_t n)
{
	size_t i, s;
	int ret;

	for (i = 0; i < n; i++) {
		for (s = 0; s < sizeof(pt_status_table) / sizeof(pt_status_table[0]); s++) {
			fake_expect(t->fp, proto, cmds[i].msg, ANY, pt_status_table[s].status,
				    NORESP);
			ret = cmds[i].call(t->h);
			if (ret != pt_status_table[s].err)
				fail_msg("%s: status %d gave %d, want %d", cmds[i].name,
					 pt_status_table[s].status, ret, pt_status_table[s].err);
			assert_int_equal(fake_expect_pending(t->fp), 0);
		}
	}
}

/** Each command with a reply: one byte short of its fields is -EPROTO. */
static inline void pt_check_truncated(struct pt *t, uint8_t proto, const struct pt_cmd *cmds,
				      size_t n)
{
	static const uint8_t zeros[512];
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		if (!cmds[i].reply_len)
			continue;
		fake_expect(t->fp, proto, cmds[i].msg, ANY, SCMI_SUCCESS, zeros,
			    cmds[i].reply_len - 1);
		ret = cmds[i].call(t->h);
		if (ret != -EPROTO)
			fail_msg("%s: %zu-byte reply gave %d, want -EPROTO", cmds[i].name,
				 cmds[i].reply_len - 1, ret);
		assert_int_equal(fake_expect_pending(t->fp), 0);
	}
}

/** Put a name of exactly @len bytes (no NUL) at @p. */
static inline void pt_fill_name(void *p, size_t len, char c)
{
	memset(p, c, len);
}

#endif /* VSCMI_TESTS_SCMI_PROTO_TEST_H */
