/* SPDX-License-Identifier: MIT */
/*
 * vscmi-backd internals: the daemon, its devices (one per guest virtio-pv
 * device, one SCMI agent each) and the pieces that serve them.
 *
 * Everything runs on the event loop's single thread: no locks.
 */
#ifndef VSCMI_BACKD_H
#define VSCMI_BACKD_H

#include <stdbool.h>
#include <stdint.h>

#include <vscmi/virtio.h>

#include "loop.h"
#include "plat.h"

struct xs_handle;
struct scmi_srv;
struct scmi_srv_agent;
struct scmi_srv_config;

/* xenbus states, as in xen/io/xenbus.h */
enum bk_xb_state {
	BK_XB_UNKNOWN = 0,
	BK_XB_INITIALISING = 1,
	BK_XB_INITWAIT = 2,
	BK_XB_INITIALISED = 3,
	BK_XB_CONNECTED = 4,
	BK_XB_CLOSING = 5,
	BK_XB_CLOSED = 6,
	BK_XB_RECONFIGURING = 7,
	BK_XB_RECONFIGURED = 8,
};

/* What the back-end offers (virtio-pv, docs/virtio-pv.md). */
#define BK_PROTOCOL_VERSION 1
#define BK_MAX_QUEUES 2
#define BK_MAX_QUEUE_SIZE 256
/* Bound on the dom0 memory one guest can make us map (pages). */
#define BK_MAX_MAPS_PER_DEV 1024
/* P2A messages kept for a guest that has no eventq buffer posted. */
#define BK_MAX_PENDING_P2A 64
/* Chains served per queue per wake-up before yielding to other guests. */
#define BK_SERVE_BUDGET 128
/* Idle polling of the command queues (adaptive window, main.c). */
#define BK_POLL_MIN_NS (2 * 1000)
#define BK_POLL_MAX_NS (50 * 1000)
/* Requests of one guest found waiting together from which it pipelines:
 * poll only then (one at a time, a guest's next request is a round trip
 * away, and polling would take a CPU its threads need: many guests with
 * one request each is not pipelining). */
#define BK_POLL_MIN_BATCH 2
/* Largest SCMI message (header + payload) the server handles. */
#define BK_MAX_MSG 4096

struct bk_map;

/** One P2A message waiting for an eventq buffer. */
struct bk_p2a {
	struct bk_p2a *next;
	uint32_t len;
	uint8_t msg[];
};

/** Counters per device, shown in logs and by SIGUSR1. */
struct bk_dev_stats {
	uint64_t commands, p2a_sent, p2a_dropped, events_in, events_out;
	uint64_t polled;		/* serves started by idle polling, no kick */
};

/** One guest's virtio-pv device. */
struct bk_dev {
	struct backd *bd;
	struct bk_dev *next;
	uint16_t domid;
	uint32_t devid;
	char domname[64];
	char be_path[128];
	char fe_path[128];
	char fe_state_path[160];
	char watch_token[48];
	enum bk_xb_state state;		/* ours, as last written */
	bool connected;
	bool broken;			/* a violation: stays down until the front-end resets */
	uint64_t features;		/* acked by the front-end */
	unsigned nq;
	struct virtq_dev *vq[BK_MAX_QUEUES];
	uint32_t port;			/* our local event-channel port */
	bool port_bound;
	struct bk_map **map_tab;	/* grant-map cache, hash by gref */
	unsigned nmaps;
	bool per_message;		/* front-end's persistent-grants = 0 */
	bool rings_mapped;		/* after this, per-message maps are transient */
	struct bk_map *transient;	/* per-message mode: the chain's maps */
	struct scmi_srv_agent *agent;
	unsigned period_cmds;		/* most commands one serve found since the loop last slept */
	struct bk_p2a *p2a_head, *p2a_tail;
	unsigned p2a_count;
	bool serve_scheduled;
	struct bk_dev_stats st;
};

/** The daemon. */
struct backd {
	struct bk_loop *loop;
	struct bk_plat *plat;
	struct xs_handle *xs;
	struct scmi_srv *srv;
	const char *config_path;
	uint16_t self;
	char be_root[96];		/* /local/domain/<self>/backend/virtio-pv */
	struct bk_dev *devs;
	bool auto_attach;
	uint64_t delay_ns;		/* delayed-response latency */
	int sigfd;
	bool stopping;
	uint64_t poll_ns;		/* idle polling window, 0..BK_POLL_MAX_NS */
	uint64_t slept_at;		/* when the loop last went idle to sleep, or 0 */
	bool pipelined;			/* a guest had BK_POLL_MIN_BATCH in a wake period */
	unsigned rr;			/* rotates who is served first */
	bool no_poll;			/* --no-poll: sleep at once, every kick wakes us */
	bool busy_poll;			/* --busy-poll: the longest window, always */
};

/* device.c: serving one connected device */
int bk_dev_connect(struct bk_dev *d);
void bk_dev_disconnect(struct bk_dev *d);
void bk_dev_kick(struct bk_dev *d);
/** Polling: serve @d if its cmdq has requests; true if it had. */
bool bk_dev_poll(struct bk_dev *d);
/** Polling: ask @d's guest not to kick for new requests. */
void bk_dev_quiet(struct bk_dev *d);
/** After polling: ask for kicks again; true if requests came in
 *  meanwhile (they have been served). */
bool bk_dev_arm(struct bk_dev *d);
void bk_dev_fail(struct bk_dev *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int bk_dev_send_p2a(struct bk_dev *d, const void *msg, size_t len);
struct bk_dev *bk_dev_by_port(struct backd *bd, uint32_t port);
struct bk_dev *bk_dev_by_agent(struct backd *bd, struct scmi_srv_agent *a);

/* xenbus_back.c: discovery and the back-end state machine */
int bk_xenbus_start(struct backd *bd);
void bk_xenbus_stop(struct backd *bd);
void bk_xenbus_watch_fired(struct backd *bd, const char *path, const char *token);
int bk_xenbus_switch(struct bk_dev *d, enum bk_xb_state st);
void bk_xenbus_scan(struct backd *bd);
void bk_dev_destroy(struct bk_dev *d);
int bk_xs_write(struct backd *bd, const char *path, const char *val);
int bk_xs_read_u64(struct backd *bd, const char *dir, const char *key,
		   unsigned base, uint64_t max, uint64_t *out);

#endif
