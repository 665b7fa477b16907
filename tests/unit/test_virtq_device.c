// SPDX-License-Identifier: MIT
/*
 * virtio-core device role (virtio-core/virtq_device.c) against a scripted,
 * hostile driver that writes the ring areas directly. Every ring area and
 * buffer sits at the very end of a page followed by a PROT_NONE guard page,
 * and translate() only hands out ranges that were registered, so a device
 * that reads or writes one byte too far crashes the test (and ASan sees the
 * rest). Covers the good path, the copy helpers, notification suppression,
 * index wrap, and each violation that must mark the queue broken.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>

#include <cmocka.h>

#include <vscmi/os.h>
#include <vscmi/virtio.h>

/* ---- guarded "guest memory" ------------------------------------------------- */

#define MAX_REGIONS 32

struct region {
	char *p;
	size_t len;
	bool writable;
	void *map;		/* the three-page mapping it lives in */
};

struct gmem {
	struct region r[MAX_REGIONS];
	unsigned n;
	unsigned translates;
};

static unsigned err_lines;

static void count_sink(enum os_log_level level, const char *line)
{
	if (level == OS_LOG_ERR)
		err_lines++;
}

/* @size bytes ending exactly at a guard page (start aligned to @align). */
static void *gm_alloc(struct gmem *g, size_t size, size_t align, bool writable)
{
	char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct region *r;
	size_t room = (size + align - 1) & ~(align - 1);

	assert_true(m != MAP_FAILED);
	assert_true(room <= 4096);
	assert_int_equal(mprotect(m, 4096, PROT_NONE), 0);
	assert_int_equal(mprotect(m + 2 * 4096, 4096, PROT_NONE), 0);
	assert_true(g->n < MAX_REGIONS);
	r = &g->r[g->n++];
	r->map = m;
	r->p = m + 2 * 4096 - room;
	r->len = room;
	r->writable = writable;
	return r->p;
}

static void gm_free(struct gmem *g)
{
	unsigned i;

	for (i = 0; i < g->n; i++)
		munmap(g->r[i].map, 3 * 4096);
	g->n = 0;
}

static void *gm_translate(void *ctx, uint64_t dma, uint32_t len, bool write)
{
	struct gmem *g = ctx;
	unsigned i;

	g->translates++;
	for (i = 0; i < g->n; i++) {
		uint64_t base = (uintptr_t)g->r[i].p;

		if (dma >= base && dma - base <= g->r[i].len &&
		    len <= g->r[i].len - (dma - base) && (!write || g->r[i].writable))
			return (void *)(uintptr_t)dma;
	}
	return NULL;
}

static const struct virtq_mem_ops gm_ops = { gm_translate };

/* ---- a scripted driver ----------------------------------------------------- */

struct drv {
	struct gmem g;
	unsigned num;
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	struct virtq_dev *vq;
	char *rd, *wr;		/* 64-byte readable and writable buffers */
};

static int drv_init_cfg(struct drv *d, unsigned num, bool event_idx,
			bool indirect, uint32_t max_bytes, uint16_t start)
{
	struct virtq_dev_config cfg = {
		.name = "test",
		.num = num,
		.event_idx = event_idx,
		.indirect = indirect,
		.mem = &gm_ops,
		.mem_ctx = &d->g,
		.max_chain_bytes = max_bytes,
		.start_idx = start,
	};

	memset(d, 0, sizeof(*d));
	d->num = num;
	d->desc = gm_alloc(&d->g, virtq_desc_area_size(num), 16, false);
	d->avail = gm_alloc(&d->g, virtq_avail_area_size(num), 2, false);
	d->used = gm_alloc(&d->g, virtq_used_area_size(num), 4, true);
	d->rd = gm_alloc(&d->g, 64, 8, false);
	d->wr = gm_alloc(&d->g, 64, 8, true);
	d->avail->idx = start;
	cfg.desc = (uintptr_t)d->desc;
	cfg.avail = (uintptr_t)d->avail;
	cfg.used = (uintptr_t)d->used;
	err_lines = 0;
	return virtq_dev_create(&cfg, &d->vq);
}

static void drv_init(struct drv *d, unsigned num, bool event_idx, bool indirect)
{
	assert_int_equal(drv_init_cfg(d, num, event_idx, indirect, 0, 0), 0);
}

static void drv_fini(struct drv *d)
{
	virtq_dev_destroy(d->vq);
	gm_free(&d->g);
}

static void set_desc(struct virtq_desc *t, unsigned i, const void *addr,
		     uint32_t len, uint16_t flags, uint16_t next)
{
	t[i].addr = (uintptr_t)addr;
	t[i].len = len;
	t[i].flags = flags;
	t[i].next = next;
}

static void publish(struct drv *d, uint16_t head)
{
	d->avail->ring[d->avail->idx & (d->num - 1)] = head;
	d->avail->idx++;
}

static uint16_t *avail_event(struct drv *d)
{
	return (uint16_t *)(void *)&d->used->ring[d->num];
}

/* Pop must fail, and the queue must then be broken safely. */
static void expect_broken(struct drv *d, const char *why)
{
	struct virtq_dev_chain c;
	uint16_t used_idx = d->used->idx;

	assert_int_equal(virtq_dev_pop(d->vq, &c), -EIO);
	assert_true(virtq_dev_is_broken(d->vq));
	assert_non_null(virtq_dev_broken_reason(d->vq));
	if (why)
		assert_non_null(strstr(virtq_dev_broken_reason(d->vq), why));
	assert_int_equal(err_lines, 1);
	assert_int_equal(virtq_dev_pop(d->vq, &c), -EIO);
	assert_int_equal(virtq_dev_push(d->vq, 0, 0), -EIO);
	assert_false(virtq_dev_need_interrupt(d->vq));
	assert_true(virtq_dev_enable_notify(d->vq));
	assert_int_equal(d->used->idx, used_idx);
	assert_int_equal(err_lines, 1);
}

/* ---- good path ---------------------------------------------------------------- */

static void test_create_checks(void **state)
{
	struct drv d;
	struct virtq_dev_config cfg;

	assert_int_equal(drv_init_cfg(&d, 6, false, false, 0, 0), -EINVAL);
	assert_null(d.vq);
	drv_fini(&d);
	drv_init(&d, 8, false, false);
	cfg = (struct virtq_dev_config){
		.num = 8, .mem = &gm_ops, .mem_ctx = &d.g,
		.desc = (uintptr_t)d.desc, .avail = (uintptr_t)d.avail,
		.used = (uintptr_t)d.avail,	/* read-only: not writable */
	};
	{
		struct virtq_dev *vq;

		assert_int_equal(virtq_dev_create(&cfg, &vq), -EFAULT);
		cfg.used = (uintptr_t)d.used + 2;	/* misaligned */
		assert_int_equal(virtq_dev_create(&cfg, &vq), -EFAULT);
		cfg.used = (uintptr_t)d.used;
		cfg.desc = (uintptr_t)d.desc + 16;	/* runs past the area */
		assert_int_equal(virtq_dev_create(&cfg, &vq), -EFAULT);
		cfg.desc = UINT64_MAX - 8;
		assert_int_equal(virtq_dev_create(&cfg, &vq), -EFAULT);
	}
	drv_fini(&d);
}

static void test_pop_chain_and_copy(void **state)
{
	struct drv d;
	struct virtq_dev_chain c;
	char buf[128];
	unsigned i;

	drv_init(&d, 8, false, false);
	for (i = 0; i < 64; i++)
		d.rd[i] = (char)i;
	/* 2 readable (10 + 54 bytes), 2 writable (16 + 48 bytes). */
	set_desc(d.desc, 5, d.rd, 10, VIRTQ_DESC_F_NEXT, 2);
	set_desc(d.desc, 2, d.rd + 10, 54, VIRTQ_DESC_F_NEXT, 7);
	set_desc(d.desc, 7, d.wr, 16, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0);
	set_desc(d.desc, 0, d.wr + 16, 48, VIRTQ_DESC_F_WRITE, 0);
	assert_int_equal(virtq_dev_pop(d.vq, &c), 0);
	publish(&d, 5);
	assert_int_equal(virtq_dev_pop(d.vq, &c), 1);
	assert_int_equal(c.head, 5);
	assert_int_equal(c.nseg, 4);
	assert_int_equal(c.n_out, 2);
	assert_int_equal(c.out_len, 64);
	assert_int_equal(c.in_len, 64);
	assert_false(c.seg[1].writable);
	assert_true(c.seg[2].writable);

	/* Reads span segments and stop at the readable part's end. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(virtq_dev_read(&c, 0, buf, sizeof(buf)), 64);
	for (i = 0; i < 64; i++)
		assert_int_equal(buf[i], (char)i);
	assert_int_equal(virtq_dev_read(&c, 8, buf, 4), 4);
	assert_int_equal(buf[0], 8);
	assert_int_equal(buf[3], 11);
	assert_int_equal(virtq_dev_read(&c, 60, buf, 100), 4);
	assert_int_equal(virtq_dev_read(&c, 64, buf, 100), 0);
	assert_int_equal(virtq_dev_read(&c, 1000, buf, 100), 0);

	/* Writes fill only the writable segments, never past them. */
	memset(buf, 0xab, sizeof(buf));
	assert_int_equal(virtq_dev_write(&c, 0, buf, sizeof(buf)), 64);
	for (i = 0; i < 64; i++)
		assert_int_equal((unsigned char)d.wr[i], 0xab);
	assert_int_equal(virtq_dev_write(&c, 14, "xyzw", 4), 4);
	assert_memory_equal(d.wr + 14, "xyzw", 4);
	assert_int_equal(virtq_dev_write(&c, 62, buf, 10), 2);
	assert_int_equal(virtq_dev_write(&c, 64, buf, 10), 0);
	assert_int_equal(d.rd[0], 0);	/* readable part untouched */

	/* Push: bounded by the writable size, only heads we hold. */
	assert_int_equal(virtq_dev_push(d.vq, 5, 65), -EINVAL);
	assert_int_equal(virtq_dev_push(d.vq, 2, 1), -EINVAL);
	assert_int_equal(virtq_dev_push(d.vq, 9, 1), -EINVAL);
	assert_int_equal(virtq_dev_push(d.vq, 5, 64), 0);
	assert_int_equal(virtq_dev_push(d.vq, 5, 64), -EINVAL);	/* twice */
	assert_int_equal(d.used->idx, 1);
	assert_int_equal(d.used->ring[0].id, 5);
	assert_int_equal(d.used->ring[0].len, 64);
	assert_int_equal(virtq_dev_pop(d.vq, &c), 0);
	assert_false(virtq_dev_is_broken(d.vq));
	assert_null(virtq_dev_broken_reason(d.vq));
	drv_fini(&d);
}

static void test_indirect_good(void **state)
{
	struct drv d;
	struct virtq_dev_chain c;
	struct virtq_desc *t;
	char buf[8];

	drv_init(&d, 4, false, true);
	t = gm_alloc(&d.g, 3 * sizeof(*t), 16, false);
	/* A direct readable segment, then an indirect table of three. */
	set_desc(d.desc, 1, d.rd, 4, VIRTQ_DESC_F_NEXT, 3);
	/* WRITE on the descriptor naming the table is ignored (spec 2.7.5.3.2). */
	set_desc(d.desc, 3, t, 3 * sizeof(*t),
		 VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_WRITE, 0);
	set_desc(t, 0, d.rd + 4, 4, VIRTQ_DESC_F_NEXT, 2);
	set_desc(t, 2, d.wr, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	set_desc(t, 1, d.wr + 8, 8, VIRTQ_DESC_F_WRITE, 0);
	memcpy(d.rd, "abcdefgh", 8);
	publish(&d, 1);
	assert_int_equal(virtq_dev_pop(d.vq, &c), 1);
	assert_int_equal(c.nseg, 4);
	assert_int_equal(c.n_out, 2);
	assert_int_equal(c.out_len, 8);
	assert_int_equal(c.in_len, 16);
	assert_int_equal(virtq_dev_read(&c, 0, buf, 8), 8);
	assert_memory_equal(buf, "abcdefgh", 8);
	assert_int_equal(virtq_dev_push(d.vq, 1, 16), 0);
	drv_fini(&d);
}

static void test_wrap_and_full(void **state)
{
	struct drv d;
	struct virtq_dev_chain c;
	unsigned i, k;

	assert_int_equal(drv_init_cfg(&d, 4, true, false, 0, 65533), 0);
	assert_int_equal(d.used->idx, 65533);
	for (k = 0; k < 4; k++)
		set_desc(d.desc, k, d.wr + 8 * k, 8, VIRTQ_DESC_F_WRITE, 0);
	for (i = 0; i < 10; i++) {
		for (k = 0; k < 4; k++)
			publish(&d, (uint16_t)((k + i) % 4));
		for (k = 0; k < 4; k++) {
			assert_int_equal(virtq_dev_pop(d.vq, &c), 1);
			assert_int_equal(c.head, (k + i) % 4);
		}
		assert_int_equal(virtq_dev_pop(d.vq, &c), 0);
		for (k = 0; k < 4; k++)
			assert_int_equal(virtq_dev_push(d.vq, (uint16_t)((k + i) % 4), k), 0);
		assert_int_equal(d.used->idx, (uint16_t)(65533 + 4 * (i + 1)));
	}
	assert_false(virtq_dev_is_broken(d.vq));
	drv_fini(&d);
}

static void test_notify_suppression_flags(void **state)
{
	struct drv d;
	struct virtq_dev_chain c;

	drv_init(&d, 4, false, false);
	set_desc(d.desc, 0, d.wr, 8, VIRTQ_DESC_F_WRITE, 0);
	virtq_dev_disable_notify(d.vq);
	assert_int_equal(d.used->flags, VIRTQ_USED_F_NO_NOTIFY);
	assert_true(virtq_dev_enable_notify(d.vq));
	assert_int_equal(d.used->flags, 0);
	publish(&d, 0);
	assert_false(virtq_dev_enable_notify(d.vq));	/* arrived meanwhile */
	assert_int_equal(virtq_dev_pop(d.vq, &c), 1);
	assert_false(virtq_dev_need_interrupt(d.vq));	/* nothing pushed */
	assert_int_equal(virtq_dev_push(d.vq, 0, 1), 0);
	d.avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	assert_false(virtq_dev_need_interrupt(d.vq));
	publish(&d, 0);
	assert_int_equal(virtq_dev_pop(d.vq, &c), 1);
	assert_int_equal(virtq_dev_push(d.vq, 0, 1), 0);
	d.avail->flags = 0;
	assert_true(virtq_dev_need_interrupt(d.vq));
	assert_false(virtq_dev_need_interrupt(d.vq));	/* already told */
	drv_fini(&d);
}

static void test_notify_suppression_event_idx(void **state)
{
	struct drv d;
	struct virtq_dev_chain c;
	uint16_t *used_event;
	unsigned i;

	drv_init(&d, 4, true, false);
	used_event = &d.avail->ring[4];
	set_desc(d.desc, 0, d.wr, 8, VIRTQ_DESC_F_WRITE, 0);
	assert_int_equal(*avail_event(&d), 0);
	for (i = 0; i < 3; i++) {
		publish(&d, 0);
		assert_int_equal(virtq_dev_pop(d.vq, &c), 1);
		assert_int_equal(virtq_dev_push(d.vq, 0, 1), 0);
	}
	assert_true(virtq_dev_enable_notify(d.vq));
	assert_int_equal(*avail_event(&d), 3);
	virtq_dev_disable_notify(d.vq);
	assert_int_equal(*avail_event(&d), (uint16_t)(3 + 0x8000));
	assert_int_equal(d.used->flags, 0);
	/* The driver wants an interrupt once used idx passes 1: 0..3 did. */
	*used_event = 1;
	assert_true(virtq_dev_need_interrupt(d.vq));
	/* Now only when entry 5 is used. */
	*used_event = 5;
	publish(&d, 0);
	assert_int_equal(virtq_dev_pop(d.vq, &c), 1);
	assert_int_equal(virtq_dev_push(d.vq, 0, 1), 0);	/* used idx 4 */
	assert_false(virtq_dev_need_interrupt(d.vq));
	publish(&d, 0);
	assert_int_equal(virtq_dev_pop(d.vq, &c), 1);
	assert_int_equal(virtq_dev_push(d.vq, 0, 1), 0);	/* entry 4 -> 5 */
	assert_false(virtq_dev_need_interrupt(d.vq));
	publish(&d, 0);
	assert_int_equal(virtq_dev_pop(d.vq, &c), 1);
	assert_int_equal(virtq_dev_push(d.vq, 0, 1), 0);	/* entry 5 used */
	assert_true(virtq_dev_need_interrupt(d.vq));
	drv_fini(&d);
}

/* ---- hostile driver ----------------------------------------------------------- */

static void test_bad_head(void **state)
{
	struct drv d;

	drv_init(&d, 8, false, false);
	publish(&d, 8);
	expect_broken(&d, "head out of range");
	drv_fini(&d);
}

static void test_bad_next(void **state)
{
	struct drv d;

	drv_init(&d, 8, false, false);
	set_desc(d.desc, 0, d.rd, 4, VIRTQ_DESC_F_NEXT, 8);
	publish(&d, 0);
	expect_broken(&d, "next descriptor out of range");
	drv_fini(&d);
}

static void test_loop(void **state)
{
	struct drv d;

	drv_init(&d, 8, false, false);
	set_desc(d.desc, 0, d.rd, 4, VIRTQ_DESC_F_NEXT, 1);
	set_desc(d.desc, 1, d.rd + 4, 4, VIRTQ_DESC_F_NEXT, 0);
	publish(&d, 0);
	expect_broken(&d, "loop");
	drv_fini(&d);

	/* A self-loop on the last descriptor of the table. */
	drv_init(&d, 8, false, false);
	set_desc(d.desc, 7, d.rd, 4, VIRTQ_DESC_F_NEXT, 7);
	publish(&d, 7);
	expect_broken(&d, "loop");
	drv_fini(&d);
}

static void test_chain_longer_than_queue(void **state)
{
	struct drv d;
	struct virtq_desc *t;
	unsigned k;

	/* Every direct descriptor, then an indirect table: 3 + 4 > 4. */
	drv_init(&d, 4, false, true);
	t = gm_alloc(&d.g, 4 * sizeof(*t), 16, false);
	for (k = 0; k < 3; k++)
		set_desc(d.desc, k, d.rd + k, 1, VIRTQ_DESC_F_NEXT, (uint16_t)(k + 1));
	set_desc(d.desc, 3, t, 4 * sizeof(*t), VIRTQ_DESC_F_INDIRECT, 0);
	for (k = 0; k < 4; k++)
		set_desc(t, k, d.rd + 8 + k, 1, k < 3 ? VIRTQ_DESC_F_NEXT : 0,
			 (uint16_t)(k + 1));
	publish(&d, 0);
	expect_broken(&d, "more segments than the queue");
	drv_fini(&d);
}

static void test_byte_limit(void **state)
{
	struct drv d;
	struct virtq_dev_chain c;

	assert_int_equal(drv_init_cfg(&d, 8, false, false, 100, 0), 0);
	set_desc(d.desc, 0, d.rd, 64, VIRTQ_DESC_F_NEXT, 1);
	set_desc(d.desc, 1, d.wr, 36, VIRTQ_DESC_F_WRITE, 0);
	publish(&d, 0);
	assert_int_equal(virtq_dev_pop(d.vq, &c), 1);	/* exactly 100 */
	set_desc(d.desc, 2, d.rd, 64, VIRTQ_DESC_F_NEXT, 3);
	set_desc(d.desc, 3, d.wr, 37, VIRTQ_DESC_F_WRITE, 0);
	publish(&d, 2);
	expect_broken(&d, "byte limit");
	drv_fini(&d);

	/* 32-bit overflow of the total, before any translation. */
	drv_init(&d, 8, false, false);
	set_desc(d.desc, 0, d.rd, 0x80000000u, VIRTQ_DESC_F_NEXT, 1);
	set_desc(d.desc, 1, d.wr, 0x80000000u, VIRTQ_DESC_F_WRITE, 0);
	publish(&d, 0);
	expect_broken(&d, NULL);
	drv_fini(&d);
}

static void test_addr_overflow(void **state)
{
	struct drv d;

	drv_init(&d, 8, false, false);
	d.desc[0] = (struct virtq_desc){ UINT64_MAX - 10, 100, 0, 0 };
	publish(&d, 0);
	expect_broken(&d, "overflows");
	drv_fini(&d);
}

static void test_zero_length(void **state)
{
	struct drv d;

	drv_init(&d, 8, false, false);
	set_desc(d.desc, 0, d.rd, 0, 0, 0);
	publish(&d, 0);
	expect_broken(&d, "zero-length");
	drv_fini(&d);
}

static void test_read_after_write(void **state)
{
	struct drv d;

	drv_init(&d, 8, false, false);
	set_desc(d.desc, 0, d.wr, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	set_desc(d.desc, 1, d.rd, 4, 0, 0);
	publish(&d, 0);
	expect_broken(&d, "readable descriptor after a writable");
	drv_fini(&d);
}

static void test_not_accessible(void **state)
{
	struct drv d;
	char local[8];

	/* A writable segment in memory granted read-only. */
	drv_init(&d, 8, false, false);
	set_desc(d.desc, 0, d.rd, 4, VIRTQ_DESC_F_WRITE, 0);
	publish(&d, 0);
	expect_broken(&d, "not accessible");
	drv_fini(&d);

	/* A segment the driver never shared, and one running off a region. */
	drv_init(&d, 8, false, false);
	set_desc(d.desc, 0, local, 4, 0, 0);
	publish(&d, 0);
	expect_broken(&d, "not accessible");
	drv_fini(&d);
	drv_init(&d, 8, false, false);
	set_desc(d.desc, 0, d.rd + 60, 5, 0, 0);
	publish(&d, 0);
	expect_broken(&d, "not accessible");
	drv_fini(&d);
}

static void test_avail_idx_jump(void **state)
{
	struct drv d;

	drv_init(&d, 8, false, false);
	d.avail->idx = 9;
	expect_broken(&d, "avail idx");
	drv_fini(&d);

	/* Going backwards is a jump of almost 2^16. */
	drv_init(&d, 8, false, false);
	d.avail->idx = 0xffff;
	expect_broken(&d, "avail idx");
	drv_fini(&d);
}

static void test_head_reused_while_held(void **state)
{
	struct drv d;
	struct virtq_dev_chain c;

	drv_init(&d, 8, false, false);
	set_desc(d.desc, 3, d.rd, 4, 0, 0);
	publish(&d, 3);
	publish(&d, 3);
	assert_int_equal(virtq_dev_pop(d.vq, &c), 1);
	expect_broken(&d, "already in use");
	drv_fini(&d);
}

static void test_indirect_not_negotiated(void **state)
{
	struct drv d;
	struct virtq_desc *t;

	drv_init(&d, 8, false, false);
	t = gm_alloc(&d.g, sizeof(*t), 16, false);
	set_desc(t, 0, d.rd, 4, 0, 0);
	set_desc(d.desc, 0, t, sizeof(*t), VIRTQ_DESC_F_INDIRECT, 0);
	publish(&d, 0);
	expect_broken(&d, "not negotiated");
	drv_fini(&d);
}

/* One indirect table of @n entries, filled by the caller via *tp. */
static void indirect_case(void (*fill)(struct drv *d, struct virtq_desc *t),
			  const char *why)
{
	struct drv d;
	struct virtq_desc *t;

	drv_init(&d, 8, false, true);
	t = gm_alloc(&d.g, 8 * sizeof(*t), 16, false);
	set_desc(t, 0, d.rd, 4, 0, 0);
	set_desc(d.desc, 0, t, sizeof(*t), VIRTQ_DESC_F_INDIRECT, 0);
	fill(&d, t);
	publish(&d, 0);
	expect_broken(&d, why);
	drv_fini(&d);
}

static void fill_nested(struct drv *d, struct virtq_desc *t)
{
	set_desc(t, 0, t, sizeof(*t), VIRTQ_DESC_F_INDIRECT, 0);
}

static void fill_with_next(struct drv *d, struct virtq_desc *t)
{
	d->desc[0].flags |= VIRTQ_DESC_F_NEXT;
}

static void fill_bad_len(struct drv *d, struct virtq_desc *t)
{
	d->desc[0].len = 20;
}

static void fill_zero_len(struct drv *d, struct virtq_desc *t)
{
	d->desc[0].len = 0;
}

static void fill_too_long(struct drv *d, struct virtq_desc *t)
{
	d->desc[0].addr = (uintptr_t)(t - 1);	/* 9 entries, still in the page */
	d->desc[0].len = 9 * sizeof(*t);
}

static void fill_unshared(struct drv *d, struct virtq_desc *t)
{
	d->desc[0].addr = (uintptr_t)t + 8 * sizeof(*t);	/* guard page */
}

static void fill_misaligned(struct drv *d, struct virtq_desc *t)
{
	d->desc[0].addr = (uintptr_t)t + 4;
	d->desc[0].len = sizeof(*t);
}

static void fill_next_out_of_table(struct drv *d, struct virtq_desc *t)
{
	d->desc[0].len = 2 * sizeof(*t);
	set_desc(t, 0, d->rd, 4, VIRTQ_DESC_F_NEXT, 2);
}

static void fill_loop(struct drv *d, struct virtq_desc *t)
{
	d->desc[0].len = 2 * sizeof(*t);
	set_desc(t, 0, d->rd, 4, VIRTQ_DESC_F_NEXT, 1);
	set_desc(t, 1, d->rd, 4, VIRTQ_DESC_F_NEXT, 0);
}

static void fill_read_after_write(struct drv *d, struct virtq_desc *t)
{
	d->desc[0].len = 2 * sizeof(*t);
	set_desc(t, 0, d->wr, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	set_desc(t, 1, d->rd, 4, 0, 0);
}

static void fill_zero_seg(struct drv *d, struct virtq_desc *t)
{
	t[0].len = 0;
}

static void test_indirect_violations(void **state)
{
	indirect_case(fill_nested, "nested");
	indirect_case(fill_with_next, "INDIRECT descriptor with NEXT");
	indirect_case(fill_bad_len, "whole number");
	indirect_case(fill_zero_len, "whole number");
	indirect_case(fill_too_long, "longer than the queue");
	indirect_case(fill_unshared, "not accessible");
	indirect_case(fill_misaligned, "aligned");
	indirect_case(fill_next_out_of_table, "next descriptor out of range");
	indirect_case(fill_loop, "loop");
	indirect_case(fill_read_after_write, "readable descriptor after a writable");
	indirect_case(fill_zero_seg, "zero-length");
}

static void test_violation_after_good_traffic(void **state)
{
	struct drv d;
	struct virtq_dev_chain c;

	drv_init(&d, 8, false, false);
	set_desc(d.desc, 0, d.wr, 8, VIRTQ_DESC_F_WRITE, 0);
	publish(&d, 0);
	assert_int_equal(virtq_dev_pop(d.vq, &c), 1);
	assert_int_equal(virtq_dev_write(&c, 0, "ok", 2), 2);
	assert_int_equal(virtq_dev_push(d.vq, 0, 2), 0);
	publish(&d, 200);
	expect_broken(&d, "head out of range");
	assert_int_equal(d.used->idx, 1);
	drv_fini(&d);
}

/* ---- a driver that rewrites the ring while the device reads it ---------- */

struct scribbler {
	struct drv *d;
	atomic_int stop;
	uint32_t seed;
};

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Mostly plausible values, so chains often validate, sometimes junk. */
static void *scribble_thread(void *arg)
{
	struct scribbler *sc = arg;
	struct drv *d = sc->d;
	volatile struct virtq_desc *desc = d->desc;
	volatile struct virtq_avail *avail = d->avail;

	while (!atomic_load_explicit(&sc->stop, memory_order_relaxed)) {
		uint32_t r = xorshift(&sc->seed);
		unsigned i = r % d->num;

		switch ((r >> 8) % 6) {
		case 0:
			desc[i].addr = (uintptr_t)(r & 0x10000 ? d->wr : d->rd) + (r >> 20) % 64;
			break;
		case 1:
			desc[i].len = (r >> 12) % 70;
			break;
		case 2:
			desc[i].flags = (uint16_t)((r >> 12) & 7);
			break;
		case 3:
			desc[i].next = (uint16_t)((r >> 12) % (d->num + 1));
			break;
		case 4:
			avail->ring[i] = (uint16_t)((r >> 12) % (d->num + 1));
			break;
		case 5:
			avail->idx = (uint16_t)(d->used->idx + (r >> 12) % (d->num + 2));
			break;
		}
	}
	return NULL;
}

static void test_concurrent_scribbler(void **state)
{
	struct virtq_dev_config cfg;
	struct scribbler sc = { .seed = 12345 };
	unsigned long pops = 0, breaks = 0;
	uint64_t start, now;
	struct drv d;
	pthread_t t;

	drv_init(&d, 8, true, true);
	cfg = (struct virtq_dev_config){
		.name = "scribbled", .num = 8, .event_idx = true, .indirect = false,
		.mem = &gm_ops, .mem_ctx = &d.g, .desc = (uintptr_t)d.desc,
		.avail = (uintptr_t)d.avail, .used = (uintptr_t)d.used,
	};
	sc.d = &d;
	assert_int_equal(pthread_create(&t, NULL, scribble_thread, &sc), 0);
	/* At least 300 ms, and until both outcomes were seen (a loaded
	 * machine may not run the scribbler at first), at most 20 s. */
	start = os_now_ns();
	while ((now = os_now_ns()) - start < 300 * OS_NSEC_PER_MSEC ||
	       ((!pops || !breaks) && now - start < 20 * OS_NSEC_PER_SEC)) {
		struct virtq_dev_chain c;
		int r = virtq_dev_pop(d.vq, &c);
		unsigned k;

		if (r == 1) {
			/* Whatever the driver did, the chain is within what it shared. */
			for (k = 0; k < c.nseg; k++) {
				const char *a = c.seg[k].addr;

				assert_true(c.seg[k].len > 0 && c.seg[k].len <= 64);
				bool in_wr = a >= d.wr && a + c.seg[k].len <= d.wr + 64;
				bool in_rd = a >= d.rd && a + c.seg[k].len <= d.rd + 64;

				/* Writable only where granted writable; readable in either. */
				assert_true(c.seg[k].writable ? in_wr : (in_wr || in_rd));
			}
			assert_int_equal(virtq_dev_write(&c, 0, "response", 8) <= 8, 1);
			assert_int_equal(virtq_dev_push(d.vq, c.head, 0), 0);
			virtq_dev_need_interrupt(d.vq);
			pops++;
		} else if (r < 0) {
			/* Broken: start over on the same (still scribbled) memory. */
			breaks++;
			virtq_dev_destroy(d.vq);
			assert_int_equal(virtq_dev_create(&cfg, &d.vq), 0);
		} else {
			virtq_dev_enable_notify(d.vq);
		}
	}
	atomic_store(&sc.stop, 1);
	pthread_join(t, NULL);
	print_message("scribbler: %lu chains popped, %lu breaks\n", pops, breaks);
	assert_true(pops > 0);
	assert_true(breaks > 0);
	drv_fini(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_checks),
		cmocka_unit_test(test_pop_chain_and_copy),
		cmocka_unit_test(test_indirect_good),
		cmocka_unit_test(test_wrap_and_full),
		cmocka_unit_test(test_notify_suppression_flags),
		cmocka_unit_test(test_notify_suppression_event_idx),
		cmocka_unit_test(test_bad_head),
		cmocka_unit_test(test_bad_next),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_chain_longer_than_queue),
		cmocka_unit_test(test_byte_limit),
		cmocka_unit_test(test_addr_overflow),
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_read_after_write),
		cmocka_unit_test(test_not_accessible),
		cmocka_unit_test(test_avail_idx_jump),
		cmocka_unit_test(test_head_reused_while_held),
		cmocka_unit_test(test_indirect_not_negotiated),
		cmocka_unit_test(test_indirect_violations),
		cmocka_unit_test(test_violation_after_good_traffic),
		cmocka_unit_test(test_concurrent_scribbler),
	};

	os_log_set_sink(count_sink);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
