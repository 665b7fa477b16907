// SPDX-License-Identifier: MIT
/*
 * hostile_back: a scripted malicious virtio-pv SCMI back-end for the
 * hostile-back-end tests: on xensim (tests/robust/hostile_backend.sh) and
 * on real Xen (the system test, tests/system/). It plays vscmi-backd's
 * role, following docs/virtio-pv.md with libxenstore, vscmi-backd's
 * platform contract (tools/vscmi-backd/plat.h: xensim or libxengnttab +
 * libxenevtchn, as configured) and virtio-core's device role, and
 * answers with the real SCMI server (so the guest's agent gets through its
 * discovery), then lies in the way MODE says:
 *
 *   honest    no lies (the control run)
 *   badid     every Kth reply: the used element names a descriptor id
 *             outside the queue
 *   biglen    every Kth reply: the used length is far beyond the buffer
 *   dupbuf    every Kth reply: the same buffer is returned twice
 *   token     every Kth reply carries another command's token
 *   short     every Kth reply is 2 bytes long (no header, no status)
 *   badtype   every Kth reply is typed as a notification / delayed response
 *   notify    after every reply, two P2A messages on the eventq: a
 *             notification of a protocol that does not exist and a delayed
 *             response to a command never sent
 *   refuse    give up on every connection at Initialised (error node, Closing)
 *   features  offer features that flip at every (re)connection: VERSION_1
 *             missing, unknown bits, P2A missing, everything; and restart
 *             (back to InitWait) after every 100 commands
 *
 *   hostile_back CONFIG DOMU DEVID MODE [K [HONEST]]
 *       (in the back-end domain; on xensim: xensim run 0 -- hostile_back ...)
 *
 * The first HONEST commands (default 64: the agent's discovery) are always
 * answered honestly; K defaults to 5. On SIGTERM it prints its own account: served,
 * lies told, then exits 0.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenstore.h>

#include <vscmi/os.h>
#include <vscmi/scmi_wire.h>
#include <vscmi/virtio.h>

#include "scmi/server/server.h"
#include "tools/vscmi-backd/plat.h"

#define HB_MAX_Q 2
#define HB_MAX_MAPS 512

/* Ring fields are little-endian; this test program writes them natively. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little-endian host only");

struct hb_map {
	uint32_t ref;
	bool rw;
	void *va;
};

struct hb {
	struct bk_plat *p;
	uint16_t self;			/* our domain id (the back-end's) */
	struct xs_handle *xs;
	struct scmi_srv *srv;
	struct scmi_srv_agent *agent;
	char domname[64];
	uint16_t domu;
	char be[128], fe[128];
	const char *mode;
	unsigned every;			/* lie on every Kth reply */
	unsigned honest;		/* replies answered honestly first */
	int state;
	bool connected;
	uint32_t port;
	unsigned nq, qnum[HB_MAX_Q];
	struct virtq_dev *vq[HB_MAX_Q];
	struct virtq_used *used[HB_MAX_Q];
	struct hb_map maps[HB_MAX_MAPS];
	unsigned nmaps;
	unsigned connects;
	bool restart;			/* features: restart after this batch */
	uint64_t served, lies, p2a_sent, p2a_dropped;
};

static volatile sig_atomic_t hb_stop;

static void hb_on_term(int sig)
{
	hb_stop = 1;
}

static bool hb_write(struct hb *b, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool hb_write(struct hb *b, const char *key, const char *fmt, ...)
{
	char path[256], val[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", b->be, key);
	return xs_write(b->xs, XBT_NULL, path, val, strlen(val));
}

static bool hb_read_u64(struct hb *b, const char *dir, const char *key, uint64_t *out)
{
	char path[256], *v, *end;
	unsigned int len;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	v = xs_read(b->xs, XBT_NULL, path, &len);
	if (!v)
		return false;
	errno = 0;
	*out = strtoull(v, &end, 0);
	ok = !errno && *end == '\0' && end != v;
	free(v);
	return ok;
}

/* The guest's name (its agent in the configuration), from xenstore. */
static int hb_domain_name(struct hb *b)
{
	char path[64], *v;
	unsigned int len;

	snprintf(path, sizeof(path), "/local/domain/%u/name", b->domu);
	v = xs_read(b->xs, XBT_NULL, path, &len);
	if (!v || !len || len >= sizeof(b->domname)) {
		fprintf(stderr, "hostile_back: no name for domain %u\n", b->domu);
		free(v);
		return -ENOENT;
	}
	memcpy(b->domname, v, len);
	b->domname[len] = '\0';
	free(v);
	return 0;
}

static void hb_switch(struct hb *b, int st)
{
	hb_write(b, "state", "%d", st);
	b->state = st;
}

static void *hb_translate(void *ctx, uint64_t dma, uint32_t len, bool write)
{
	struct hb *b = ctx;
	uint64_t ref = (dma & ~(1ull << 63)) >> 12;
	uint32_t off = dma & 4095;
	int err = 0;
	void *va;

	if (!(dma & (1ull << 63)) || len > 4096 - off || ref > UINT32_MAX)
		return NULL;
	for (unsigned i = 0; i < b->nmaps; i++)
		if (b->maps[i].ref == ref && (b->maps[i].rw || !write))
			return (char *)b->maps[i].va + off;
	if (b->nmaps == HB_MAX_MAPS)
		return NULL;
	va = bk_plat_map(b->p, b->domu, (uint32_t)ref, write, &err);
	if (!va)
		return NULL;
	b->maps[b->nmaps++] = (struct hb_map){ (uint32_t)ref, write, va };
	return (char *)va + off;
}

static const struct virtq_mem_ops hb_mem = { .translate = hb_translate };

static void hb_disconnect(struct hb *b)
{
	if (b->port) {
		bk_plat_evtchn_unbind(b->p, b->port);
		b->port = 0;
	}
	for (unsigned i = 0; i < b->nq; i++) {
		virtq_dev_destroy(b->vq[i]);
		b->vq[i] = NULL;
	}
	b->nq = 0;
	for (unsigned i = 0; i < b->nmaps; i++)
		bk_plat_unmap(b->p, b->maps[i].va);
	b->nmaps = 0;
	if (b->agent)
		scmi_srv_agent_disconnect(b->srv, b->agent);
	b->agent = NULL;
	b->connected = false;
}

static void hb_publish(struct hb *b)
{
	const uint64_t honest = VIRTIO_BIT(VIRTIO_F_VERSION_1) |
		VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) | VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) |
		VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS);
	/* features: a different lie at every connection. */
	static const uint64_t flips[] = {
		VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) | VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS),
		~0ull,
		VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM),
		VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) |
			VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) | (1ull << 50) | (1ull << 5),
		0,
	};
	uint64_t offered = honest;
	char path[160];

	if (!strcmp(b->mode, "features")) {
		offered = flips[b->connects % OS_ARRAY_SIZE(flips)];
		b->lies++;
	}
	b->connects++;
	snprintf(path, sizeof(path), "%s/error", b->be);
	xs_rm(b->xs, XBT_NULL, path);
	hb_write(b, "protocol-version", "1");
	hb_write(b, "device-id", "32");
	hb_write(b, "features", "0x%llx", (unsigned long long)offered);
	hb_write(b, "max-queues", "2");
	hb_write(b, "max-queue-size", "64");
	hb_write(b, "config", "%s", "");
	hb_switch(b, 2);
}

static int hb_connect(struct hb *b)
{
	uint64_t features, nq, port;

	if (!hb_read_u64(b, b->fe, "features", &features) ||
	    !hb_read_u64(b, b->fe, "num-queues", &nq) || nq < 1 || nq > HB_MAX_Q ||
	    !hb_read_u64(b, b->fe, "event-channel", &port))
		return -EINVAL;
	for (unsigned i = 0; i < nq; i++) {
		char dir[160];
		uint64_t size, desc, drv, dev;
		struct virtq_dev_config cfg = {
			.name = i ? "eventq" : "cmdq",
			.event_idx = virtio_has_feature(features, VIRTIO_RING_F_EVENT_IDX),
			.mem = &hb_mem,
			.mem_ctx = b,
			.max_chain_bytes = 8192,
		};

		snprintf(dir, sizeof(dir), "%s/queue-%u", b->fe, i);
		if (!hb_read_u64(b, dir, "size", &size) || !hb_read_u64(b, dir, "desc", &desc) ||
		    !hb_read_u64(b, dir, "driver", &drv) || !hb_read_u64(b, dir, "device", &dev) ||
		    size < 2 || size > 256 || (size & (size - 1)))
			goto out_fail;
		cfg.num = (unsigned)size;
		cfg.desc = desc;
		cfg.avail = drv;
		cfg.used = dev;
		if (virtq_dev_create(&cfg, &b->vq[i]))
			goto out_fail;
		b->nq = i + 1;
		b->qnum[i] = (unsigned)size;
		/* Our own view of the used ring, to write what virtq_dev never would. */
		b->used[i] = hb_translate(b, dev, (uint32_t)(4 + 8 * size), true);
		if (!b->used[i])
			goto out_fail;
	}
	if (bk_plat_evtchn_bind(b->p, b->domu, (uint32_t)port, &b->port))
		goto out_fail;
	b->agent = scmi_srv_agent_connect(b->srv, b->domname, b->domu);
	if (!b->agent)
		goto out_fail;
	b->connected = true;
	return 0;
out_fail:
	hb_disconnect(b);
	return -EINVAL;
}

static void hb_front_changed(struct hb *b)
{
	uint64_t fe;

	if (!hb_read_u64(b, b->fe, "state", &fe))
		fe = 0;
	switch (fe) {
	case 0: case 1: case 2:
		hb_disconnect(b);
		if (b->state != 2)
			hb_publish(b);
		break;
	case 3: case 4:
		if (b->connected)
			break;
		if (b->state != 2) {
			hb_publish(b);
			break;
		}
		if (!strcmp(b->mode, "refuse")) {
			hb_write(b, "error", "hostile_back: refused");
			hb_switch(b, 5);
			b->lies++;
		} else if (hb_connect(b) == 0) {
			hb_switch(b, 4);
			bk_plat_evtchn_notify(b->p, b->port);
		} else {
			hb_write(b, "error", "hostile_back: cannot connect");
			hb_switch(b, 5);
		}
		break;
	case 5:
		hb_disconnect(b);
		hb_switch(b, 5);
		break;
	default:
		hb_disconnect(b);
		hb_switch(b, 6);
		break;
	}
}

/* One P2A message into the next buffer the guest posted on the eventq. */
static int hb_p2a(struct hb *b, const void *msg, size_t len)
{
	struct virtq_dev_chain c;
	size_t n;

	if (!b->connected || b->nq < 2 || virtq_dev_pop(b->vq[1], &c) <= 0) {
		b->p2a_dropped++;
		return -ENOSPC;
	}
	n = virtq_dev_write(&c, 0, msg, OS_MIN(len, (size_t)c.in_len));
	virtq_dev_push(b->vq[1], c.head, (uint32_t)n);
	if (virtq_dev_need_interrupt(b->vq[1]))
		bk_plat_evtchn_notify(b->p, b->port);
	b->p2a_sent++;
	return 0;
}

static int hb_srv_send_p2a(void *ctx, struct scmi_srv_agent *agent, const void *msg, size_t len)
{
	return hb_p2a(ctx, msg, len);
}

static const struct scmi_srv_ops hb_srv_ops = { .send_p2a = hb_srv_send_p2a };

static void hb_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t hb_get_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Append a raw used element (id, len) after the last one published. */
static void hb_raw_used(struct hb *b, unsigned q, uint32_t id, uint32_t len)
{
	struct virtq_used *u = b->used[q];
	uint16_t idx = u->idx;
	struct virtq_used_elem *e = &u->ring[idx & (b->qnum[q] - 1)];

	e->id = (uint32_t)(id);
	e->len = (uint32_t)(len);
	/* The driver sees the element before the index that publishes it. */
	os_wmb();
	u->idx = (uint16_t)((uint16_t)(idx + 1));
}

/* Rewrite the last published used element (before the driver is kicked). */
static void hb_patch_last(struct hb *b, unsigned q, const uint32_t *id, const uint32_t *len)
{
	struct virtq_used *u = b->used[q];
	uint16_t idx = u->idx;
	struct virtq_used_elem *e = &u->ring[(uint16_t)(idx - 1) & (b->qnum[q] - 1)];

	if (id)
		e->id = (uint32_t)(*id);
	if (len)
		e->len = (uint32_t)(*len);
	os_wmb();
}

static void hb_serve(struct hb *b)
{
	struct virtq_dev *vq = b->vq[0];
	struct virtq_dev_chain c;
	bool pushed = false;

	for (;;) {
		uint8_t req[512], resp[512];
		size_t n, rlen;
		bool lie;
		int r = virtq_dev_pop(vq, &c);

		if (r <= 0) {
			if (r == 0 && !virtq_dev_enable_notify(vq))
				continue;
			break;
		}
		n = virtq_dev_read(&c, 0, req, OS_MIN((size_t)c.out_len, sizeof(req)));
		rlen = scmi_srv_handle(b->srv, b->agent, req, n, resp,
				       OS_MIN(sizeof(resp), (size_t)c.in_len));
		b->served++;
		lie = b->served > b->honest && b->served % b->every == 0;
		if (lie && !strcmp(b->mode, "token") && rlen >= 4) {
			uint32_t hdr = hb_get_le32(resp);

			hdr ^= SCMI_FIELD_PREP(SCMI_HDR_TOKEN_MASK, 0x155);
			hb_put_le32(resp, hdr);
			b->lies++;
		} else if (lie && !strcmp(b->mode, "short")) {
			rlen = OS_MIN(rlen, (size_t)2);
			b->lies++;
		} else if (lie && !strcmp(b->mode, "badtype") && rlen >= 4) {
			uint32_t hdr = hb_get_le32(resp);

			hdr |= SCMI_FIELD_PREP(SCMI_HDR_TYPE_MASK, b->served & 1 ?
					       SCMI_MSG_TYPE_NOTIFICATION : SCMI_MSG_TYPE_DELAYED_RESP);
			hb_put_le32(resp, hdr);
			b->lies++;
		}
		rlen = virtq_dev_write(&c, 0, resp, rlen);
		if (virtq_dev_push(vq, c.head, (uint32_t)rlen))
			break;
		pushed = true;
		if (lie && !strcmp(b->mode, "badid")) {
			uint32_t id = b->qnum[0] + 7 + (uint32_t)(b->served % 1000);

			hb_patch_last(b, 0, &id, NULL);
			b->lies++;
		} else if (lie && !strcmp(b->mode, "biglen")) {
			uint32_t len = 0xfffffff0u;

			hb_patch_last(b, 0, NULL, &len);
			b->lies++;
		} else if (lie && !strcmp(b->mode, "dupbuf")) {
			hb_raw_used(b, 0, c.head, (uint32_t)rlen);
			b->lies++;
		}
		if (!strcmp(b->mode, "notify") && b->served > b->honest) {
			uint8_t m[16] = { 0 };

			hb_put_le32(m, scmi_hdr_pack(0x01, SCMI_MSG_TYPE_NOTIFICATION,
						     (uint8_t)(0x40 + b->served % 0x30), 0));
			hb_p2a(b, m, sizeof(m));
			hb_put_le32(m, scmi_hdr_pack(0x07, SCMI_MSG_TYPE_DELAYED_RESP, 0x14,
						     (uint16_t)(b->served % 1024)));
			hb_p2a(b, m, 8);
			b->lies += 2;
		}
		if (!strcmp(b->mode, "features") && b->served % 100 == 0) {
			b->restart = true;
			break;
		}
		if (lie && (!strcmp(b->mode, "badid") || !strcmp(b->mode, "dupbuf")))
			break;	/* the driver should give up on this queue now */
	}
	if (pushed && virtq_dev_need_interrupt(vq))
		bk_plat_evtchn_notify(b->p, b->port);
}

int main(int argc, char **argv)
{
	struct hb b = { .state = -1, .every = 5, .honest = 64 };
	struct scmi_srv_config *cfg;
	struct pollfd fds[2];
	char err[256], path[160];
	int ret;

	if (argc < 5) {
		fputs("usage: hostile_back CONFIG DOMU DEVID MODE [K [HONEST]]\n", stderr);
		return 2;
	}
	b.mode = argv[4];
	b.domu = (uint16_t)atoi(argv[2]);
	if (argc > 5 && atoi(argv[5]) > 0)
		b.every = (unsigned)atoi(argv[5]);
	if (argc > 6 && atoi(argv[6]) >= 0)
		b.honest = (unsigned)atoi(argv[6]);
	signal(SIGTERM, hb_on_term);
	signal(SIGINT, hb_on_term);
	if (scmi_srv_load_config(argv[1], &cfg, err, sizeof(err))) {
		fprintf(stderr, "hostile_back: %s\n", err);
		return 2;
	}
	ret = scmi_srv_create(cfg, &hb_srv_ops, &b, &b.srv);
	scmi_srv_config_free(cfg);
	if (ret)
		return 2;
	ret = bk_plat_open(&b.p);
	if (ret || bk_plat_self_domid(b.p, &b.self)) {
		fprintf(stderr, "hostile_back: %s platform: %s\n", bk_plat_name(),
			strerror(ret ? -ret : EIO));
		return 2;
	}
	b.xs = xs_open(0);
	if (!b.xs)
		return 2;
	if (hb_domain_name(&b))
		return 2;
	snprintf(b.be, sizeof(b.be), "/local/domain/%u/backend/virtio-pv/%u/%s", b.self, b.domu,
		 argv[3]);
	snprintf(b.fe, sizeof(b.fe), "/local/domain/%u/device/virtio-pv/%s", b.domu, argv[3]);
	snprintf(path, sizeof(path), "%s/state", b.fe);
	if (!xs_watch(b.xs, path, "fe"))
		return 2;
	fds[0] = (struct pollfd){ .fd = xs_fileno(b.xs), .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = bk_plat_evtchn_fd(b.p), .events = POLLIN };
	while (!hb_stop) {
		uint32_t port;

		if (poll(fds, 2, 200) < 0 && errno != EINTR)
			break;
		if (fds[0].revents) {
			char **w = xs_check_watch(b.xs);

			while (w) {
				free(w);
				hb_front_changed(&b);
				w = xs_check_watch(b.xs);
			}
		}
		if (bk_plat_evtchn_edge(b.p))
			bk_plat_evtchn_rearm(b.p);
		while (bk_plat_evtchn_pending(b.p, &port) == 0) {
			if (b.connected && port == b.port)
				hb_serve(&b);
			bk_plat_evtchn_unmask(b.p, port);
		}
		if (b.restart) {
			/* As a back-end restart: forget the rings, offer anew. */
			b.restart = false;
			hb_disconnect(&b);
			hb_publish(&b);
		}
	}
	hb_disconnect(&b);
	hb_switch(&b, 6);
	printf("hostile_back mode=%s connects=%u served=%llu lies=%llu p2a_sent=%llu "
	       "p2a_dropped=%llu\n", b.mode, b.connects, (unsigned long long)b.served,
	       (unsigned long long)b.lies, (unsigned long long)b.p2a_sent,
	       (unsigned long long)b.p2a_dropped);
	xs_close(b.xs);
	scmi_srv_destroy(b.srv);
	bk_plat_close(b.p);
	return 0;
}
