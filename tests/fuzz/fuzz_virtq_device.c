// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the virtqueue device role (virtio-core/virtq_device.c) fed a
 * hostile driver. The input builds the guest's memory (descriptor table,
 * avail ring, indirect tables, buffers) and then scripts the driver's moves
 * between the device's calls: scribbling on the rings, moving avail idx,
 * while the device pops, copies, pushes and toggles notifications.
 *
 * Input: 4 header bytes
 *   [0] bits 0-1: queue size 2 << n; bit 2: EVENT_IDX; bit 3: INDIRECT;
 *       bits 4-5: max_chain_bytes {0, 64, 4096, 100000}
 *   [1..2] start index (little-endian)  [3] image length / 16
 * then the memory image (copied at guest address FZ_BASE), then one-byte ops
 * (see fz_op). Guest memory is one exactly-sized heap block, so ASan catches
 * any access outside it; translate() hands out only ranges inside it, and
 * writable ones only in the writable zone or the used ring.
 */
#include <stdint.h>
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/virtio.h>

#include "tests/fuzz/fuzz.h"

#define FZ_BASE 0x100000ull
#define FZ_DESC 0x000
#define FZ_AVAIL 0x100
#define FZ_USED 0x140
#define FZ_RD 0x200		/* readable data and indirect tables */
#define FZ_WR 0x1000		/* writable data */
#define FZ_SIZE 0x1800
#define FZ_MAX_HELD 16

struct fz {
	uint8_t *mem;
	unsigned num;
	const uint8_t *p, *end;
	struct virtq_dev *vq;
	uint16_t held[FZ_MAX_HELD];
	uint32_t held_in[FZ_MAX_HELD];
	unsigned nheld;
};

static void fz_quiet(enum os_log_level level, const char *line)
{
}

static void *fz_translate(void *ctx, uint64_t dma, uint32_t len, bool write)
{
	struct fz *f = ctx;
	uint64_t off;

	if (dma < FZ_BASE || dma - FZ_BASE > FZ_SIZE || len > FZ_SIZE - (dma - FZ_BASE))
		return NULL;
	off = dma - FZ_BASE;
	if (write && off < FZ_WR &&
	    !(off >= FZ_USED && off + len <= FZ_USED + virtq_used_area_size(f->num)))
		return NULL;
	return f->mem + off;
}

static const struct virtq_mem_ops fz_mem_ops = { fz_translate };

static unsigned fz_u8(struct fz *f)
{
	return f->p < f->end ? *f->p++ : 0;
}

static uint16_t fz_u16(struct fz *f)
{
	unsigned lo = fz_u8(f);

	return (uint16_t)(lo | fz_u8(f) << 8);
}

/* Take the next chain (if any) and use it the way a server would. */
static void fz_pop(struct fz *f)
{
	struct virtq_dev_chain c;
	uint8_t buf[97];
	uint64_t out = 0, in = 0;
	size_t off, n;
	unsigned k;
	int r = virtq_dev_pop(f->vq, &c);

	FUZZ_CHECK(r >= -EIO && r <= 1);
	if (r < 0) {
		FUZZ_CHECK(r == -EIO && virtq_dev_is_broken(f->vq));
		FUZZ_CHECK(virtq_dev_broken_reason(f->vq) != NULL);
		return;
	}
	if (r == 0)
		return;
	FUZZ_CHECK(c.head < f->num && c.nseg >= 1 && c.nseg <= f->num);
	FUZZ_CHECK(c.n_out <= c.nseg);
	for (k = 0; k < c.nseg; k++) {
		const uint8_t *a = c.seg[k].addr;

		FUZZ_CHECK(c.seg[k].len > 0);
		FUZZ_CHECK(a >= f->mem && a + c.seg[k].len <= f->mem + FZ_SIZE);
		FUZZ_CHECK(c.seg[k].writable == (k >= c.n_out));
		if (c.seg[k].writable) {
			FUZZ_CHECK(a >= f->mem + FZ_WR || (a >= f->mem + FZ_USED &&
							   a < f->mem + FZ_RD));
			in += c.seg[k].len;
		} else {
			out += c.seg[k].len;
		}
	}
	FUZZ_CHECK(out == c.out_len && in == c.in_len);
	/* Read it all in odd-sized pieces, then fill the writable part. */
	for (off = 0; (n = virtq_dev_read(&c, off, buf, sizeof(buf))) != 0; off += n)
		FUZZ_CHECK(n <= sizeof(buf));
	FUZZ_CHECK(off == c.out_len);
	memset(buf, 0x5a, sizeof(buf));
	for (off = 0; (n = virtq_dev_write(&c, off, buf, sizeof(buf))) != 0; off += n)
		FUZZ_CHECK(n <= sizeof(buf));
	FUZZ_CHECK(off == c.in_len);
	if (f->nheld < FZ_MAX_HELD) {
		f->held[f->nheld] = c.head;
		f->held_in[f->nheld++] = c.in_len;
	} else {
		FUZZ_CHECK(virtq_dev_push(f->vq, c.head, 0) == 0);
	}
}

static void fz_push(struct fz *f, unsigned how)
{
	uint32_t written;
	int r;

	if (!f->nheld) {
		/* Pushing something never popped is refused. */
		r = virtq_dev_push(f->vq, (uint16_t)how, 0);
		FUZZ_CHECK(r == -EINVAL || r == -EIO);
		return;
	}
	written = how & 1 ? f->held_in[0] : f->held_in[0] / 2;
	r = virtq_dev_push(f->vq, f->held[0], written);
	FUZZ_CHECK(r == 0 || (r == -EIO && virtq_dev_is_broken(f->vq)));
	if (f->held_in[0] != UINT32_MAX) {
		r = virtq_dev_push(f->vq, f->held[0], f->held_in[0] + 1);
		FUZZ_CHECK(r == -EINVAL || r == -EIO);
	}
	f->nheld--;
	memmove(f->held, f->held + 1, f->nheld * sizeof(f->held[0]));
	memmove(f->held_in, f->held_in + 1, f->nheld * sizeof(f->held_in[0]));
}

/* One scripted step. */
static void fz_op(struct fz *f, unsigned op)
{
	struct virtq_avail *avail = (void *)(f->mem + FZ_AVAIL);

	switch (op % 8) {
	case 0:
		fz_pop(f);
		break;
	case 1:
		fz_push(f, op >> 3);
		break;
	case 2:
		avail->idx = fz_u16(f);
		break;
	case 3: {
		unsigned slot = fz_u8(f) % f->num;

		avail->ring[slot] = fz_u16(f);
		break;
	}
	case 4: {
		/* Scribble on driver memory (rings, tables, buffers). */
		unsigned off = fz_u16(f) % FZ_SIZE, len = fz_u8(f) % 32, k;

		for (k = 0; k < len && off + k < FZ_SIZE; k++)
			f->mem[off + k] = (uint8_t)fz_u8(f);
		break;
	}
	case 5:
		virtq_dev_need_interrupt(f->vq);
		break;
	case 6:
		virtq_dev_enable_notify(f->vq);
		break;
	case 7:
		virtq_dev_disable_notify(f->vq);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t limits[4] = { 0, 64, 4096, 100000 };
	struct virtq_dev_config cfg = { .name = "fuzz", .mem = &fz_mem_ops };
	struct fz f = { .p = data, .end = data + size };
	unsigned cfgb, image, k;
	bool broken_before;

	os_log_set_sink(fz_quiet);
	cfgb = fz_u8(&f);
	f.num = 2u << (cfgb & 3);
	cfg.num = f.num;
	cfg.event_idx = cfgb & 4;
	cfg.indirect = cfgb & 8;
	cfg.max_chain_bytes = limits[(cfgb >> 4) & 3];
	cfg.start_idx = fz_u16(&f);
	image = fz_u8(&f) * 16;
	cfg.desc = FZ_BASE + FZ_DESC;
	cfg.avail = FZ_BASE + FZ_AVAIL;
	cfg.used = FZ_BASE + FZ_USED;
	cfg.mem_ctx = &f;

	f.mem = malloc(FZ_SIZE);
	if (!f.mem)
		return 0;
	memset(f.mem, 0, FZ_SIZE);
	/* The avail idx starts where the device does unless the image says otherwise. */
	((struct virtq_avail *)(void *)(f.mem + FZ_AVAIL))->idx = cfg.start_idx;
	for (k = 0; k < image && f.p < f.end; k++)
		f.mem[k] = *f.p++;
	FUZZ_CHECK(virtq_dev_create(&cfg, &f.vq) == 0);

	while (f.p < f.end)
		fz_op(&f, fz_u8(&f));
	/* Drain: everything available is popped and returned, or the queue
	 * breaks; either way within a bounded number of steps. */
	for (k = 0; k < 2 * f.num + 2; k++) {
		fz_pop(&f);
		while (f.nheld)
			fz_push(&f, 1);
	}
	broken_before = virtq_dev_is_broken(f.vq);
	if (broken_before) {
		struct virtq_dev_chain c;

		FUZZ_CHECK(virtq_dev_pop(f.vq, &c) == -EIO);
		FUZZ_CHECK(!virtq_dev_need_interrupt(f.vq));
	}
	virtq_dev_destroy(f.vq);
	free(f.mem);
	return 0;
}
