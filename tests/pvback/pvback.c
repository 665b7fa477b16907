// SPDX-License-Identifier: MIT
/*
 * pvback: the scripted virtio-pv back-end of the test programs (pvback.h).
 *
 * Theory of operation: one process, one device. A watch on the front-end's
 * state drives pvback_front_changed(): at Initialising/InitWait it drops
 * any rings and publishes its offer (InitWait); at Initialised it asks the
 * program whether to refuse, otherwise reads the front-end's queues and
 * event channel, maps the rings and switches to Connected; at Closing it
 * unmaps and says Closing (or, lingering, the other way round). Every
 * event-channel wake-up while connected goes to the program's serve().
 */
#include "pvback.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenstore.h>

#include <vscmi/os.h>

#include "tools/vscmi-attach/attach.h"
#include "tools/vscmi-backd/plat.h"

uint64_t pvback_honest_features(void)
{
	return VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) |
	       VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) | VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS);
}

void pvback_log(struct pvback *pb, const char *fmt, ...)
{
	va_list ap;

	if (!getenv("PVBACK_VERBOSE"))
		return;
	fprintf(stderr, "[pvback %d dom%u] ", getpid(), pb->domu);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool pvback_write(struct pvback *pb, const char *key, const char *fmt, ...)
{
	char val[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	return vsa_xs_printf(pb->xs, XBT_NULL, pb->be, key, "%s", val) == 0;
}

static bool pvback_read_u64(struct pvback *pb, const char *dir, const char *key, uint64_t *out)
{
	char path[256], *v, *end;
	unsigned int len;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	v = xs_read(pb->xs, XBT_NULL, path, &len);
	if (!v)
		return false;
	errno = 0;
	*out = strtoull(v, &end, 0);
	ok = !errno && *end == '\0' && end != v;
	free(v);
	return ok;
}

void pvback_switch(struct pvback *pb, int state)
{
	pvback_write(pb, "state", "%d", state);
	pb->state = state;
	pvback_log(pb, "state %d", state);
}

void pvback_notify(struct pvback *pb)
{
	if (pb->port)
		bk_plat_evtchn_notify(pb->p, pb->port);
}

/* A grant-DMA address to our mapping of it (mapped once, then cached). */
static void *pvback_translate(void *ctx, uint64_t dma, uint32_t len, bool write)
{
	struct pvback *pb = ctx;
	uint64_t ref = (dma & ~(1ull << 63)) >> 12;
	uint32_t off = dma & 4095;
	int err = 0;
	void *va;

	if (!(dma & (1ull << 63)) || len > 4096 - off || ref > UINT32_MAX)
		return NULL;
	for (unsigned i = 0; i < pb->nmaps; i++)
		if (pb->maps[i].ref == ref && (pb->maps[i].rw || !write))
			return (char *)pb->maps[i].va + off;
	if (pb->nmaps == PVBACK_MAX_MAPS)
		return NULL;
	va = bk_plat_map(pb->p, pb->domu, (uint32_t)ref, write, &err);
	if (!va) {
		pvback_log(pb, "map ref %llu %s failed: %d", (unsigned long long)ref,
			   write ? "rw" : "ro", err);
		return NULL;
	}
	pb->maps[pb->nmaps++] = (struct pvback_map){ (uint32_t)ref, write, va };
	return (char *)va + off;
}

static const struct virtq_mem_ops pvback_mem = { .translate = pvback_translate };

void pvback_unmap_buffers(struct pvback *pb)
{
	while (pb->nmaps > pb->nmaps_ring)
		bk_plat_unmap(pb->p, pb->maps[--pb->nmaps].va);
}

static void pvback_disconnect(struct pvback *pb, bool linger)
{
	if (pb->connected && pb->ops->disconnected)
		pb->ops->disconnected(pb);
	if (pb->port) {
		bk_plat_evtchn_unbind(pb->p, pb->port);
		pb->port = 0;
	}
	for (unsigned i = 0; i < pb->nq; i++) {
		virtq_dev_destroy(pb->vq[i]);
		pb->vq[i] = NULL;
		pb->used[i] = NULL;
	}
	pb->nq = 0;
	if (pb->nmaps && linger)
		usleep(300 * 1000);
	pb->nmaps_ring = 0;
	pvback_unmap_buffers(pb);
	if (pb->connected)
		pvback_log(pb, "disconnected");
	pb->connected = false;
}

static void pvback_publish(struct pvback *pb)
{
	uint64_t offered = pb->ops->offer ? pb->ops->offer(pb) : pvback_honest_features();
	char path[160];

	pb->connects++;
	snprintf(path, sizeof(path), "%s/error", pb->be);
	xs_rm(pb->xs, XBT_NULL, path);
	pvback_write(pb, "protocol-version", "1");
	pvback_write(pb, "device-id", "32");
	pvback_write(pb, "features", "0x%llx", (unsigned long long)offered);
	pvback_write(pb, "max-queues", "%d", PVBACK_MAX_Q);
	pvback_write(pb, "max-queue-size", "64");
	pvback_write(pb, "config", "%s", "");
	pvback_switch(pb, 2);	/* InitWait */
}

static int pvback_connect(struct pvback *pb)
{
	uint64_t nq, port, pg;

	if (!pvback_read_u64(pb, pb->fe, "features", &pb->features) ||
	    !pvback_read_u64(pb, pb->fe, "num-queues", &nq) || nq < 1 || nq > PVBACK_MAX_Q ||
	    !pvback_read_u64(pb, pb->fe, "event-channel", &port) || port > UINT32_MAX)
		return -EINVAL;
	/* Optional, 1 when absent (docs/virtio-pv.md). */
	pb->per_message = pvback_read_u64(pb, pb->fe, "persistent-grants", &pg) && pg == 0;
	for (unsigned i = 0; i < nq; i++) {
		char dir[160];
		uint64_t size, desc, drv, dev;
		struct virtq_dev_config cfg = {
			.name = i ? "eventq" : "cmdq",
			.event_idx = virtio_has_feature(pb->features, VIRTIO_RING_F_EVENT_IDX),
			.mem = &pvback_mem,
			.mem_ctx = pb,
			.max_chain_bytes = 8192,
		};

		snprintf(dir, sizeof(dir), "%s/queue-%u", pb->fe, i);
		if (!pvback_read_u64(pb, dir, "size", &size) ||
		    !pvback_read_u64(pb, dir, "desc", &desc) ||
		    !pvback_read_u64(pb, dir, "driver", &drv) ||
		    !pvback_read_u64(pb, dir, "device", &dev) ||
		    size < 2 || size > 256 || (size & (size - 1)))
			goto out_fail;
		cfg.num = (unsigned)size;
		cfg.desc = desc;
		cfg.avail = drv;
		cfg.used = dev;
		if (virtq_dev_create(&cfg, &pb->vq[i]))
			goto out_fail;
		pb->nq = i + 1;
		pb->qnum[i] = (unsigned)size;
		/* Our own view of the used ring, to write what virtq_dev never would. */
		pb->used[i] = pvback_translate(pb, dev, (uint32_t)(4 + 8 * size), true);
		if (!pb->used[i])
			goto out_fail;
	}
	if (bk_plat_evtchn_bind(pb->p, pb->domu, (uint32_t)port, &pb->port))
		goto out_fail;
	pb->connected = true;
	pb->nmaps_ring = pb->nmaps;
	if (pb->ops->connected && pb->ops->connected(pb))
		goto out_fail;
	pvback_log(pb, "connected, %u queue(s)", pb->nq);
	return 0;
out_fail:
	pvback_disconnect(pb, false);
	return -EINVAL;
}

static void pvback_front_changed(struct pvback *pb)
{
	const char *why;
	uint64_t fe;

	if (!pvback_read_u64(pb, pb->fe, "state", &fe))
		fe = 0;
	pvback_log(pb, "front-end state %llu", (unsigned long long)fe);
	switch (fe) {
	case 0: case 1: case 2:
		pvback_disconnect(pb, false);
		if (pb->state != 2)
			pvback_publish(pb);
		break;
	case 3: case 4:
		if (pb->connected)
			break;
		if (pb->state != 2) {
			pvback_publish(pb);
			break;
		}
		why = pb->ops->refuse ? pb->ops->refuse(pb) : NULL;
		if (!why && pvback_connect(pb))
			why = "cannot connect";
		if (why) {
			pvback_write(pb, "error", "%s", why);
			pvback_switch(pb, 5);
			break;
		}
		pvback_switch(pb, 4);
		/* Anything already queued. */
		pvback_notify(pb);
		break;
	case 5:
		/* A well-behaved back-end unmaps before it says Closing; a
		 * lingering one says it first and unmaps later. */
		if (pb->linger) {
			pvback_switch(pb, 5);
			pvback_disconnect(pb, true);
		} else {
			pvback_disconnect(pb, false);
			pvback_switch(pb, 5);
		}
		break;
	default:
		pvback_disconnect(pb, false);
		pvback_switch(pb, 6);
		break;
	}
}

int pvback_open(struct pvback *pb, uint16_t domu, const char *devid)
{
	char path[160];
	int ret;

	pb->state = -1;
	pb->domu = domu;
	ret = bk_plat_open(&pb->p);
	if (ret)
		return ret;
	if (bk_plat_self_domid(pb->p, &pb->self))
		return -EIO;
	pb->xs = xs_open(0);
	if (!pb->xs)
		return -errno;
	snprintf(pb->be, sizeof(pb->be), "/local/domain/%u/backend/virtio-pv/%u/%s", pb->self,
		 domu, devid);
	snprintf(pb->fe, sizeof(pb->fe), "/local/domain/%u/device/virtio-pv/%s", domu, devid);
	snprintf(path, sizeof(path), "%s/state", pb->fe);
	/* A watch fires once at once: the first offer goes out from the loop. */
	if (!xs_watch(pb->xs, path, "fe"))
		return -errno;
	return 0;
}

void pvback_run(struct pvback *pb, volatile sig_atomic_t *stop, bool (*alive)(void))
{
	struct pollfd fds[2] = {
		{ .fd = xs_fileno(pb->xs), .events = POLLIN },
		{ .fd = bk_plat_evtchn_fd(pb->p), .events = POLLIN },
	};

	while (!*stop) {
		uint32_t port;

		if (poll(fds, 2, 200) < 0 && errno != EINTR)
			break;
		if (alive && !alive())
			break;
		if (fds[0].revents) {
			char **w = xs_check_watch(pb->xs);

			while (w) {
				free(w);
				pvback_front_changed(pb);
				w = xs_check_watch(pb->xs);
			}
		}
		if (bk_plat_evtchn_edge(pb->p))
			bk_plat_evtchn_rearm(pb->p);
		while (bk_plat_evtchn_pending(pb->p, &port) == 0) {
			pvback_log(pb, "event on port %u (ours %u)", port, pb->port);
			if (pb->connected && port == pb->port)
				pb->ops->serve(pb);
			bk_plat_evtchn_unmask(pb->p, port);
		}
		if (pb->restart) {
			/* As a back-end restart: forget the rings, offer anew. */
			pb->restart = false;
			pvback_disconnect(pb, false);
			pvback_publish(pb);
		}
	}
}

void pvback_close(struct pvback *pb)
{
	if (pb->xs) {
		pvback_disconnect(pb, false);
		pvback_switch(pb, 6);
		xs_close(pb->xs);
		pb->xs = NULL;
	}
	bk_plat_close(pb->p);
	pb->p = NULL;
}
