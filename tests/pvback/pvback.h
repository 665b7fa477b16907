/* SPDX-License-Identifier: MIT */
/*
 * pvback: the scripted virtio-pv back-end (device role) that test programs
 * build on: the loopback peer of the xen-frontend tests and the hostile
 * back-end of the robustness and system tests. It follows
 * docs/virtio-pv.md with libxenstore, vscmi-backd's platform contract
 * (tools/vscmi-backd/plat.h: xensim, or libxengnttab + libxenevtchn on real
 * Xen) and virtio-core's device role; what it answers, and how it lies, is
 * the test program's (struct pvback_ops).
 *
 * Unlike vscmi-backd it trusts nothing it did not have to and checks only
 * what keeps the test program itself safe: queue count and sizes, and the
 * grant-DMA addresses it maps (one page each, bit 63 set).
 */
#ifndef VSCMI_TEST_PVBACK_H
#define VSCMI_TEST_PVBACK_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <vscmi/virtio.h>

#define PVBACK_MAX_Q 2
#define PVBACK_MAX_MAPS 512

struct pvback;

struct pvback_ops {
	/** Features to offer at this (re)connection (NULL: the honest set). */
	uint64_t (*offer)(struct pvback *pb);
	/** At the front-end's Initialised: NULL to connect, or the reason to
	 *  refuse (written to the error node, then Closing). */
	const char *(*refuse)(struct pvback *pb);
	/** Connected (queues and port are set up); non-zero refuses. */
	int (*connected)(struct pvback *pb);
	/** Before the queues and maps go away. */
	void (*disconnected)(struct pvback *pb);
	/** The event channel fired while connected: serve the queues. */
	void (*serve)(struct pvback *pb);
};

struct pvback_map {
	uint32_t ref;
	bool rw;
	void *va;
};

struct pvback {
	const struct pvback_ops *ops;
	void *priv;
	struct bk_plat *p;
	struct xs_handle *xs;
	uint16_t self, domu;		/* our domain (the back-end's), the guest's */
	char be[128], fe[128];
	int state;			/* ours, as last written */
	bool connected;
	bool linger;			/* at Closing: say it first, unmap 300 ms later */
	bool restart;			/* set by a hook: drop the rings, offer anew */
	uint32_t port;
	uint64_t features;		/* the front-end's, at the last connection */
	bool per_message;		/* the front-end grants buffers per message
					 * (persistent-grants = 0): unmap them
					 * before returning them */
	unsigned nq, qnum[PVBACK_MAX_Q];
	struct virtq_dev *vq[PVBACK_MAX_Q];
	struct virtq_used *used[PVBACK_MAX_Q];	/* the used rings, for lies */
	struct pvback_map maps[PVBACK_MAX_MAPS];
	unsigned nmaps;
	unsigned nmaps_ring;		/* maps made while connecting: the rings */
	unsigned connects;		/* offers published */
};

/** The features an honest virtio-scmi back-end offers. */
uint64_t pvback_honest_features(void);

/**
 * Open the platform and xenstore and watch the front-end of device @devid
 * of domain @domu. The caller sets ops, priv (and linger) first.
 */
int pvback_open(struct pvback *pb, uint16_t domu, const char *devid);
/** Run until *@stop is set, or @alive (if given) returns false. */
void pvback_run(struct pvback *pb, volatile sig_atomic_t *stop, bool (*alive)(void));
/** Disconnect, write Closed, close everything. */
void pvback_close(struct pvback *pb);

/** Write @key of our back-end directory. */
bool pvback_write(struct pvback *pb, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void pvback_switch(struct pvback *pb, int state);
/** Notify the front-end (after pushing used buffers). */
void pvback_notify(struct pvback *pb);
/** Unmap every buffer page (not the rings): before returning a buffer when
 *  per_message is set (docs/virtio-pv.md, persistent-grants). */
void pvback_unmap_buffers(struct pvback *pb);
/** Log a line on stderr when PVBACK_VERBOSE is set. */
void pvback_log(struct pvback *pb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
