// SPDX-License-Identifier: MIT
/*
 * A loopback virtio-pv back-end (device role) for the xen-frontend tests:
 * a dom0 process on xensim that follows docs/virtio-pv.md with libxenstore,
 * libxensim's mapping side and virtio-core's virtq_dev, and answers every
 * request with its bytes inverted (so a test can tell an answer from an
 * echo of its own buffer).
 *
 *   test_xenfront --peer <machine> <domU> <devid> <mode>
 *
 * Modes: "normal"; "linger" keeps its grant mappings 300 ms after the
 * front-end closes (the front-end must quarantine, not reuse); "stall"
 * never answers a request whose first byte is 0xEE (in flight at a reset);
 * "nocache" unmaps every buffer before returning it (per-message grants);
 * "refuse" gives up on the device (error node, Closing) at Initialised.
 */
#include "loopback.h"

#include <errno.h>
#include <stdarg.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <xenstore.h>

#include <vscmi/os.h>
#include <vscmi/virtio.h>
#include <vscmi/xensim.h>

#define LB_MAX_Q 2
#define LB_MAX_MAPS 256

struct lb_map {
	uint32_t ref;
	bool rw;
	void *va;
};

struct lb {
	struct xsim *x;
	struct xs_handle *xs;
	uint16_t domu;
	char be[128], fe[128];
	const char *mode;
	int state;			/* ours, as last written */
	bool connected;
	uint32_t port;
	unsigned nq;
	struct virtq_dev *vq[LB_MAX_Q];
	struct lb_map maps[LB_MAX_MAPS];
	unsigned nmaps;
	unsigned nmaps_ring;		/* maps made while connecting: the rings */
	uint64_t served;
};

static void lb_log(struct lb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lb_log(struct lb *b, const char *fmt, ...)
{
	va_list ap;

	if (!getenv("XF_PEER_VERBOSE"))
		return;
	fprintf(stderr, "[peer %d] ", getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool lb_write(struct lb *b, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool lb_write(struct lb *b, const char *key, const char *fmt, ...)
{
	char path[256], val[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", b->be, key);
	return xs_write(b->xs, XBT_NULL, path, val, strlen(val));
}

static bool lb_read_u64(struct lb *b, const char *dir, const char *key,
			uint64_t *out)
{
	char path[256], *v, *end;
	unsigned int len;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	v = xs_read(b->xs, XBT_NULL, path, &len);
	if (!v)
		return false;
	errno = 0;
	*out = strtoull(v, &end, 0);
	bool ok = !errno && *end == '\0' && end != v;
	free(v);
	return ok;
}

static void lb_switch(struct lb *b, int st)
{
	lb_write(b, "state", "%d", st);
	b->state = st;
	lb_log(b, "state %d", st);
}

static void *lb_translate(void *ctx, uint64_t dma, uint32_t len, bool write)
{
	struct lb *b = ctx;
	uint64_t ref = (dma & ~(1ull << 63)) >> 12;
	uint32_t off = dma & 4095;
	int16_t st = 0;
	void *va;

	if (!(dma & (1ull << 63)) || len > 4096 - off || ref > UINT32_MAX)
		return NULL;
	for (unsigned i = 0; i < b->nmaps; i++)
		if (b->maps[i].ref == ref && (b->maps[i].rw || !write))
			return (char *)b->maps[i].va + off;
	if (b->nmaps == LB_MAX_MAPS)
		return NULL;
	va = xsim_gnttab_map(b->x, b->domu, (grant_ref_t)ref, !write, &st);
	if (!va) {
		lb_log(b, "map ref %llu %s failed: %d", (unsigned long long)ref,
		       write ? "rw" : "ro", st);
		return NULL;
	}
	b->maps[b->nmaps++] = (struct lb_map){ (uint32_t)ref, write, va };
	return (char *)va + off;
}

static const struct virtq_mem_ops lb_mem = { .translate = lb_translate };

static void lb_disconnect(struct lb *b)
{
	if (b->port) {
		xsim_evtchn_close(b->x, b->port);
		b->port = 0;
	}
	for (unsigned i = 0; i < b->nq; i++) {
		virtq_dev_destroy(b->vq[i]);
		b->vq[i] = NULL;
	}
	b->nq = 0;
	if (b->nmaps && !strcmp(b->mode, "linger"))
		usleep(300 * 1000);
	for (unsigned i = 0; i < b->nmaps; i++)
		xsim_gnttab_unmap(b->x, b->maps[i].va);
	b->nmaps = 0;
	if (b->connected)
		lb_log(b, "disconnected");
	b->connected = false;
}

static void lb_publish(struct lb *b)
{
	const uint64_t offered = VIRTIO_BIT(VIRTIO_F_VERSION_1) |
		VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) |
		VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) |
		VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS);

	{
		char path[160];

		snprintf(path, sizeof(path), "%s/error", b->be);
		xs_rm(b->xs, XBT_NULL, path);
	}
	lb_write(b, "protocol-version", "1");
	lb_write(b, "device-id", "32");
	lb_write(b, "features", "0x%llx", (unsigned long long)offered);
	lb_write(b, "max-queues", "2");
	lb_write(b, "max-queue-size", "64");
	lb_write(b, "config", "%s", "");
	lb_switch(b, 2);	/* InitWait */
}

static int lb_connect(struct lb *b)
{
	uint64_t features, nq, port;

	if (!lb_read_u64(b, b->fe, "features", &features) ||
	    !lb_read_u64(b, b->fe, "num-queues", &nq) || nq < 1 || nq > LB_MAX_Q ||
	    !lb_read_u64(b, b->fe, "event-channel", &port))
		return -EINVAL;
	for (unsigned i = 0; i < nq; i++) {
		char dir[160];
		uint64_t size, desc, drv, dev;
		struct virtq_dev_config cfg = {
			.name = i ? "eventq" : "cmdq",
			.event_idx = virtio_has_feature(features, VIRTIO_RING_F_EVENT_IDX),
			.mem = &lb_mem,
			.mem_ctx = b,
			.max_chain_bytes = 8192,
		};

		snprintf(dir, sizeof(dir), "%s/queue-%u", b->fe, i);
		if (!lb_read_u64(b, dir, "size", &size) ||
		    !lb_read_u64(b, dir, "desc", &desc) ||
		    !lb_read_u64(b, dir, "driver", &drv) ||
		    !lb_read_u64(b, dir, "device", &dev))
			goto out_fail;
		cfg.num = (unsigned)size;
		cfg.desc = desc;
		cfg.avail = drv;
		cfg.used = dev;
		if (virtq_dev_create(&cfg, &b->vq[i]))
			goto out_fail;
		b->nq = i + 1;
	}
	if (xsim_evtchn_bind_interdomain(b->x, b->domu, (uint32_t)port, &b->port))
		goto out_fail;
	b->connected = true;
	b->nmaps_ring = b->nmaps;
	lb_log(b, "connected, %u queue(s)", b->nq);
	return 0;
out_fail:
	lb_disconnect(b);
	return -EINVAL;
}

static void lb_front_changed(struct lb *b)
{
	uint64_t fe;

	if (!lb_read_u64(b, b->fe, "state", &fe))
		fe = 0;
	lb_log(b, "front-end state %llu", (unsigned long long)fe);
	switch (fe) {
	case 0: case 1: case 2:
		lb_disconnect(b);
		if (b->state != 2)
			lb_publish(b);
		break;
	case 3: case 4:
		if (b->connected)
			break;
		if (b->state != 2) {
			lb_publish(b);
			break;
		}
		if (!strcmp(b->mode, "refuse")) {
			/* As vscmi-backd does for a guest it has no agent for. */
			lb_write(b, "error", "no SCMI agent for this domain");
			lb_switch(b, 5);
			break;
		}
		if (lb_connect(b) == 0) {
			lb_switch(b, 4);
			/* Anything already queued. */
			xsim_evtchn_send(b->x, b->port);
		} else {
			lb_switch(b, 5);
		}
		break;
	case 5:
		/* A well-behaved back-end unmaps before it says Closing; a
		 * lingering one says it first and unmaps later. */
		if (!strcmp(b->mode, "linger")) {
			lb_switch(b, 5);
			lb_disconnect(b);
		} else {
			lb_disconnect(b);
			lb_switch(b, 5);
		}
		break;
	default:
		lb_disconnect(b);
		lb_switch(b, 6);
		break;
	}
}

static void lb_serve(struct lb *b)
{
	for (unsigned q = 0; q < b->nq; q++) {
		struct virtq_dev *vq = b->vq[q];
		struct virtq_dev_chain c;
		bool pushed = false;

		if (q == 1)
			continue;	/* eventq: buffers stay posted */
		for (;;) {
			uint8_t req[8192], resp[8192];
			size_t n;
			int r = virtq_dev_pop(vq, &c);

			if (r < 0)
				lb_log(b, "queue %u broken: %s", q, virtq_dev_broken_reason(vq));

			if (r <= 0) {
				if (r == 0 && !virtq_dev_enable_notify(vq))
					continue;
				break;
			}
			n = virtq_dev_read(&c, 0, req, OS_MIN((size_t)c.out_len, sizeof(req)));
			if (n && req[0] == 0xEE && !strcmp(b->mode, "stall"))
				continue;	/* never answered */
			n = OS_MIN(n, (size_t)c.in_len);
			for (size_t i = 0; i < n; i++)
				resp[i] = (uint8_t)~req[i];
			n = virtq_dev_write(&c, 0, resp, n);
			if (!strcmp(b->mode, "nocache")) {
				/* Like a back-end for per-message grants:
				 * unmap the buffers before handing them back. */
				while (b->nmaps > b->nmaps_ring)
					xsim_gnttab_unmap(b->x, b->maps[--b->nmaps].va);
			}
			virtq_dev_push(vq, c.head, (uint32_t)n);
			pushed = true;
			b->served++;
		}
		if (pushed && virtq_dev_need_interrupt(vq))
			xsim_evtchn_send(b->x, b->port);
	}
}

int loopback_main(int argc, char **argv)
{
	struct lb b = { .state = -1 };
	struct pollfd fds[2];
	pid_t parent;
	int ret;

	if (argc < 6)
		return 2;
	/* Never outlive the test that started us (it may die on a failure). */
	parent = getppid();
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent || parent == 1)
		return 1;
	b.mode = argv[5];
	b.domu = (uint16_t)atoi(argv[3]);
	ret = xsim_attach(argv[2], 0, &b.x);
	if (ret) {
		fprintf(stderr, "peer: attach: %s\n", strerror(-ret));
		return 1;
	}
	b.xs = xs_open(0);
	if (!b.xs) {
		fprintf(stderr, "peer: xs_open: %s\n", strerror(errno));
		return 1;
	}
	snprintf(b.be, sizeof(b.be), "/local/domain/0/backend/virtio-pv/%u/%s",
		 b.domu, argv[4]);
	snprintf(b.fe, sizeof(b.fe), "/local/domain/%u/device/virtio-pv/%s",
		 b.domu, argv[4]);
	{
		char path[160];

		snprintf(path, sizeof(path), "%s/state", b.fe);
		if (!xs_watch(b.xs, path, "fe"))
			return 1;
	}
	fds[0] = (struct pollfd){ .fd = xs_fileno(b.xs), .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = xsim_evtchn_fd(b.x), .events = POLLIN };
	for (;;) {
		uint32_t port;

		if (poll(fds, 2, 1000) < 0 && errno != EINTR)
			break;
		if (getppid() != parent)
			break;
		if (fds[0].revents) {
			unsigned int n;
			char **w = xs_check_watch(b.xs);

			while (w) {
				free(w);
				lb_front_changed(&b);
				w = xs_check_watch(b.xs);
			}
			(void)n;
		}
		while (xsim_evtchn_next_pending(b.x, &port) == 0) {
			lb_log(&b, "event on port %u (ours %u)", port, b.port);
			if (b.connected && port == b.port)
				lb_serve(&b);
		}
	}
	return 0;
}
