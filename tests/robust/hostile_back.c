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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include <vscmi/os.h>
#include <vscmi/scmi_wire.h>
#include <vscmi/virtio.h>

#include "scmi/server/server.h"
#include "tests/pvback/pvback.h"

/* Ring fields are little-endian; this test program writes them natively. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little-endian host only");

struct hb {
	struct pvback pb;
	struct scmi_srv *srv;
	struct scmi_srv_agent *agent;
	char domname[64];
	const char *mode;
	unsigned every;			/* lie on every Kth reply */
	unsigned honest;		/* replies answered honestly first */
	uint64_t served, lies, p2a_sent, p2a_dropped;
};

static volatile sig_atomic_t hb_stop;

static void hb_on_term(int sig)
{
	hb_stop = 1;
}

static struct hb *to_hb(struct pvback *pb)
{
	return os_container_of(pb, struct hb, pb);
}

/* The guest's name (its agent in the configuration), from xenstore. */
static int hb_domain_name(struct hb *b)
{
	char path[64], *v;
	unsigned int len;

	snprintf(path, sizeof(path), "/local/domain/%u/name", b->pb.domu);
	v = xs_read(b->pb.xs, XBT_NULL, path, &len);
	if (!v || !len || len >= sizeof(b->domname)) {
		fprintf(stderr, "hostile_back: no name for domain %u\n", b->pb.domu);
		free(v);
		return -ENOENT;
	}
	memcpy(b->domname, v, len);
	b->domname[len] = '\0';
	free(v);
	return 0;
}

/* features: a different lie at every connection. */
static uint64_t hb_offer(struct pvback *pb)
{
	static const uint64_t flips[] = {
		VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) | VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS),
		~0ull,
		VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM),
		VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) |
			VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) | (1ull << 50) | (1ull << 5),
		0,
	};
	struct hb *b = to_hb(pb);

	if (strcmp(b->mode, "features"))
		return pvback_honest_features();
	b->lies++;
	return flips[pb->connects % OS_ARRAY_SIZE(flips)];
}

static const char *hb_refuse(struct pvback *pb)
{
	struct hb *b = to_hb(pb);

	if (strcmp(b->mode, "refuse"))
		return NULL;
	b->lies++;
	return "hostile_back: refused";
}

static int hb_connected(struct pvback *pb)
{
	struct hb *b = to_hb(pb);

	b->agent = scmi_srv_agent_connect(b->srv, b->domname, pb->domu);
	return b->agent ? 0 : -ENOENT;
}

static void hb_disconnected(struct pvback *pb)
{
	struct hb *b = to_hb(pb);

	if (b->agent)
		scmi_srv_agent_disconnect(b->srv, b->agent);
	b->agent = NULL;
}

/* One P2A message into the next buffer the guest posted on the eventq. */
static int hb_p2a(struct hb *b, const void *msg, size_t len)
{
	struct virtq_dev_chain c;
	size_t n;

	if (!b->pb.connected || b->pb.nq < 2 || virtq_dev_pop(b->pb.vq[1], &c) <= 0) {
		b->p2a_dropped++;
		return -ENOSPC;
	}
	n = virtq_dev_write(&c, 0, msg, OS_MIN(len, (size_t)c.in_len));
	if (b->pb.per_message)
		pvback_unmap_buffers(&b->pb);
	virtq_dev_push(b->pb.vq[1], c.head, (uint32_t)n);
	if (virtq_dev_need_interrupt(b->pb.vq[1]))
		pvback_notify(&b->pb);
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
	struct virtq_used *u = b->pb.used[q];
	uint16_t idx = u->idx;
	struct virtq_used_elem *e = &u->ring[idx & (b->pb.qnum[q] - 1)];

	e->id = (uint32_t)(id);
	e->len = (uint32_t)(len);
	/* The driver sees the element before the index that publishes it. */
	os_wmb();
	u->idx = (uint16_t)((uint16_t)(idx + 1));
}

/* Rewrite the last published used element (before the driver is kicked). */
static void hb_patch_last(struct hb *b, unsigned q, const uint32_t *id, const uint32_t *len)
{
	struct virtq_used *u = b->pb.used[q];
	uint16_t idx = u->idx;
	struct virtq_used_elem *e = &u->ring[(uint16_t)(idx - 1) & (b->pb.qnum[q] - 1)];

	if (id)
		e->id = (uint32_t)(*id);
	if (len)
		e->len = (uint32_t)(*len);
	os_wmb();
}

static void hb_serve(struct pvback *pb)
{
	struct hb *b = to_hb(pb);
	struct virtq_dev *vq = b->pb.vq[0];
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
		/* Per-message grants: the guest ends them once the buffer is back. */
		if (b->pb.per_message)
			pvback_unmap_buffers(&b->pb);
		if (virtq_dev_push(vq, c.head, (uint32_t)rlen))
			break;
		pushed = true;
		if (lie && !strcmp(b->mode, "badid")) {
			uint32_t id = b->pb.qnum[0] + 7 + (uint32_t)(b->served % 1000);

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
			b->pb.restart = true;
			break;
		}
		if (lie && (!strcmp(b->mode, "badid") || !strcmp(b->mode, "dupbuf")))
			break;	/* the driver should give up on this queue now */
	}
	if (pushed && virtq_dev_need_interrupt(vq))
		pvback_notify(&b->pb);
}

static const struct pvback_ops hb_ops = {
	.offer = hb_offer,
	.refuse = hb_refuse,
	.connected = hb_connected,
	.disconnected = hb_disconnected,
	.serve = hb_serve,
};

int main(int argc, char **argv)
{
	struct hb b = { .pb.ops = &hb_ops, .every = 5, .honest = 64 };
	struct scmi_srv_config *cfg;
	char err[256];
	int ret;

	if (argc < 5) {
		fputs("usage: hostile_back CONFIG DOMU DEVID MODE [K [HONEST]]\n", stderr);
		return 2;
	}
	b.mode = argv[4];
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
	ret = pvback_open(&b.pb, (uint16_t)atoi(argv[2]), argv[3]);
	if (ret) {
		fprintf(stderr, "hostile_back: %s\n", strerror(-ret));
		return 2;
	}
	if (hb_domain_name(&b))
		return 2;
	pvback_run(&b.pb, &hb_stop, NULL);
	pvback_close(&b.pb);
	printf("hostile_back mode=%s connects=%u served=%llu lies=%llu p2a_sent=%llu "
	       "p2a_dropped=%llu\n", b.mode, b.pb.connects, (unsigned long long)b.served,
	       (unsigned long long)b.lies, (unsigned long long)b.p2a_sent,
	       (unsigned long long)b.p2a_dropped);
	scmi_srv_destroy(b.srv);
	return 0;
}
