// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the virtqueue driver role (virtio-core/virtqueue.c) with
 * buffers in flight, fed a hostile device. The input scripts both the
 * driver's calls (add, kick, get_buf, the callback/polling API, detach after
 * a reset) and the device's writes to the used ring (any id, any length, any
 * used idx, suppression words), plus an honest device step so the fuzzer
 * also reaches deep valid states.
 *
 * Checked on every step: a token comes back at most once and only while in
 * flight; the length reported never exceeds the chain's writable size; a
 * broken queue refuses everything; every DMA mapping is unmapped exactly
 * once; at the end, with everything detached, all descriptors are free.
 *
 * Input: 4 header bytes
 *   [0] bits 0-1: queue size 2 << n; bit 2: EVENT_IDX; bit 3: split
 *       segments at 64 bytes  [1..2] start index  [3] reserved
 * then one-byte ops (see fz_op) with their operands.
 */
#include <stdint.h>
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/virtio.h>

#include "tests/fuzz/fuzz.h"

#define FZ_RING_SIZE 0x200
#define FZ_AVAIL 0x100
#define FZ_USED 0x140
#define FZ_DATA 1024
#define FZ_TOKENS 64
#define FZ_MAPS 512

enum { TK_IDLE, TK_INFLIGHT, TK_DONE };

struct fz_token {
	int state;
	uint32_t in_size;
};

struct fz {
	const uint8_t *p, *end;
	unsigned num;
	uint8_t *ring;
	struct virtq_avail *avail;
	struct virtq_used *used;
	struct virtq *vq;
	uint8_t data[FZ_DATA];
	struct fz_token tok[FZ_TOKENS];
	unsigned ntok;
	uint16_t dev_pos;	/* the honest device's next avail entry */
	struct { uint64_t dma; uint32_t len; bool wr; } maps[FZ_MAPS];
	unsigned nmaps;
	unsigned fail_map_in;	/* nonzero: the n-th map from now fails */
	unsigned callbacks;
};

static void fz_quiet(enum os_log_level level, const char *line)
{
}

static unsigned fz_u8(struct fz *f)
{
	return f->p < f->end ? *f->p++ : 0;
}

static uint16_t fz_u16(struct fz *f)
{
	unsigned lo = fz_u8(f);

	return (uint16_t)(lo | fz_u8(f) << 8);
}

static uint32_t fz_u32(struct fz *f)
{
	uint32_t lo = fz_u16(f);

	return lo | (uint32_t)fz_u16(f) << 16;
}

static int fz_map(void *ctx, void *va, uint32_t len, bool wr, uint64_t *dma)
{
	struct fz *f = ctx;

	FUZZ_CHECK(len > 0);
	FUZZ_CHECK((uint8_t *)va >= f->data && (uint8_t *)va + len <= f->data + FZ_DATA);
	if (f->fail_map_in && !--f->fail_map_in)
		return -ENOMEM;
	if (f->nmaps == FZ_MAPS)
		return -ENOMEM;
	*dma = 0x40000000ull + (uint64_t)((uint8_t *)va - f->data);
	f->maps[f->nmaps].dma = *dma;
	f->maps[f->nmaps].len = len;
	f->maps[f->nmaps].wr = wr;
	f->nmaps++;
	return 0;
}

static void fz_unmap(void *ctx, uint64_t dma, uint32_t len, bool wr)
{
	struct fz *f = ctx;
	unsigned i;

	for (i = 0; i < f->nmaps; i++)
		if (f->maps[i].dma == dma && f->maps[i].len == len && f->maps[i].wr == wr)
			break;
	FUZZ_CHECK(i < f->nmaps);	/* unmapped once, exactly as mapped */
	f->maps[i] = f->maps[--f->nmaps];
}

static const struct virtq_dma_ops fz_dma_ops = { fz_map, fz_unmap };

static void fz_notify(struct virtq *vq, void *priv)
{
}

static void fz_callback(struct virtq *vq, void *priv)
{
	((struct fz *)priv)->callbacks++;
}

static void fz_add(struct fz *f, unsigned b)
{
	struct virtq_sg sg[6];
	unsigned nout = b & 3, nin = (b >> 2) & 3, k;
	struct fz_token *t;
	uint64_t in = 0;
	unsigned nfree, nmaps;
	int r;

	if (!nout && !nin)
		nin = 1;
	for (k = 0; k < nout + nin; k++) {
		unsigned off = fz_u8(f) * 4 % FZ_DATA;
		unsigned len = 1 + fz_u8(f) % 200;

		if (len > FZ_DATA - off)
			len = FZ_DATA - off;
		sg[k] = (struct virtq_sg){ f->data + off, len };
		if (k >= nout)
			in += len;
	}
	if (f->ntok == FZ_TOKENS)
		return;
	t = &f->tok[f->ntok];
	/* Bit 7: a DMA mapping fails midway; nothing may leak. */
	f->fail_map_in = b & 0x80 ? 1 + (b >> 4) % 4 : 0;
	nfree = virtq_num_free(f->vq);
	nmaps = f->nmaps;
	r = virtq_add_sgs(f->vq, sg, nout, nin, t);
	f->fail_map_in = 0;
	if (r == 0) {
		FUZZ_CHECK(!virtq_is_broken(f->vq));
		t->state = TK_INFLIGHT;
		t->in_size = (uint32_t)in;
		f->ntok++;
		return;
	}
	FUZZ_CHECK(r == -ENOSPC || r == -EMSGSIZE || r == -ENOMEM ||
		   (r == -EIO && virtq_is_broken(f->vq)));
	/* A refused add leaves no trace. */
	FUZZ_CHECK(virtq_num_free(f->vq) == nfree && f->nmaps == nmaps);
}

static void fz_get(struct fz *f)
{
	uint32_t len = 0xdeadbeef;
	struct fz_token *t = virtq_get_buf(f->vq, &len);

	if (!t)
		return;
	FUZZ_CHECK(!virtq_is_broken(f->vq));
	FUZZ_CHECK(t >= f->tok && t < f->tok + f->ntok);
	FUZZ_CHECK(t->state == TK_INFLIGHT);
	FUZZ_CHECK(len <= t->in_size);
	t->state = TK_DONE;
}

/* The honest device: use the next available chain. */
static void fz_honest(struct fz *f, unsigned len)
{
	uint16_t head, uidx;

	if (f->dev_pos == f->avail->idx)
		return;
	head = f->avail->ring[f->dev_pos++ & (f->num - 1)];
	uidx = f->used->idx;
	f->used->ring[uidx & (f->num - 1)].id = head;
	f->used->ring[uidx & (f->num - 1)].len = len;
	f->used->idx = (uint16_t)(uidx + 1);
}

static uint16_t *fz_avail_event(struct fz *f)
{
	return (uint16_t *)(void *)&f->used->ring[f->num];
}

/* One scripted step; false to end the run (after a reset). */
static bool fz_op(struct fz *f, unsigned op)
{
	switch (op % 14) {
	case 0:
		fz_add(f, fz_u8(f));
		break;
	case 1: {
		unsigned slot = fz_u8(f) % f->num;
		uint32_t id = fz_u32(f);

		f->used->ring[slot].id = id;
		f->used->ring[slot].len = fz_u32(f);
		break;
	}
	case 2:
		f->used->idx = fz_u16(f);
		break;
	case 3:
		f->used->idx++;
		break;
	case 4:
		fz_get(f);
		break;
	case 5:
		virtq_kick(f->vq);
		break;
	case 6:
		virtq_disable_cb(f->vq);
		break;
	case 7: {
		unsigned last = virtq_enable_cb_prepare(f->vq);

		if (virtq_poll(f->vq, last))
			FUZZ_CHECK(!virtq_is_broken(f->vq));
		break;
	}
	case 8:
		virtq_enable_cb(f->vq);
		break;
	case 9:
		virtq_interrupt(f->vq);
		break;
	case 10:
		*fz_avail_event(f) = fz_u16(f);
		break;
	case 11:
		f->used->flags = (uint16_t)fz_u8(f);
		break;
	case 12:
		fz_honest(f, op >> 4 ? fz_u32(f) : 0);
		break;
	case 13:
		return false;	/* device reset: stop and detach */
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz *f = calloc(1, sizeof(*f));
	struct virtq_dma dma = { &fz_dma_ops, NULL, 0 };
	struct virtq_config cfg = { .name = "fuzz", .notify = fz_notify,
				    .callback = fz_callback };
	struct virtq_stats st;
	unsigned cfgb, k, steps = 0;
	void *t;

	if (!f)
		return 0;
	os_log_set_sink(fz_quiet);
	f->p = data;
	f->end = data + size;
	dma.ctx = f;
	cfgb = fz_u8(f);
	f->num = 2u << (cfgb & 3);
	dma.seg_boundary = cfgb & 8 ? 64 : 0;
	cfg.num = f->num;
	cfg.event_idx = cfgb & 4;
	cfg.start_idx = fz_u16(f);
	fz_u8(f);
	cfg.dma = &dma;
	cfg.priv = f;
	f->ring = calloc(1, FZ_RING_SIZE);
	if (!f->ring)
		goto out_free;
	f->avail = (void *)(f->ring + FZ_AVAIL);
	f->used = (void *)(f->ring + FZ_USED);
	f->used->idx = cfg.start_idx;
	f->dev_pos = cfg.start_idx;
	cfg.desc = f->ring;
	cfg.avail = f->avail;
	cfg.used = f->used;
	FUZZ_CHECK(virtq_create(&cfg, &f->vq) == 0);

	while (f->p < f->end && fz_op(f, fz_u8(f)))
		steps++;

	virtq_get_stats(f->vq, &st);
	FUZZ_CHECK(st.used <= st.added);
	if (virtq_is_broken(f->vq)) {
		uint8_t b;
		struct virtq_sg sg = { &b, 1 };

		FUZZ_CHECK(virtq_broken_reason(f->vq) != NULL);
		FUZZ_CHECK(virtq_get_buf(f->vq, NULL) == NULL);
		FUZZ_CHECK(virtq_add_sgs(f->vq, &sg, 1, 0, f) == -EIO);
		FUZZ_CHECK(!virtq_kick(f->vq));
	}
	/* Reset: every chain still in flight comes back exactly once. */
	while ((t = virtq_detach_unused_buf(f->vq)) != NULL) {
		struct fz_token *tk = t;

		FUZZ_CHECK(tk >= f->tok && tk < f->tok + f->ntok);
		FUZZ_CHECK(tk->state == TK_INFLIGHT);
		tk->state = TK_DONE;
	}
	for (k = 0; k < f->ntok; k++)
		FUZZ_CHECK(f->tok[k].state == TK_DONE);
	FUZZ_CHECK(virtq_num_free(f->vq) == f->num);
	FUZZ_CHECK(f->nmaps == 0);
	virtq_destroy(f->vq);
out_free:
	free(f->ring);
	free(f);
	return 0;
}
