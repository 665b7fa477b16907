// SPDX-License-Identifier: MIT
/*
 * virtio-core driver role (virtio-core/virtqueue.c) against a scripted device
 * that reads and writes the shared ring areas directly: index wrap at 2^16,
 * full and empty rings, chains, splitting at a segment boundary, EVENT_IDX
 * and flag-based suppression, the polling API, detach after reset, and every
 * hostile used-ring violation the driver must catch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vscmi/os.h>
#include <vscmi/virtio.h>

/* ---- a scripted device over the raw ring ---------------------------------- */

struct ring {
	unsigned num;
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	struct virtq *vq;
	unsigned notifies, callbacks;
};

static unsigned err_lines;

static void count_sink(enum os_log_level level, const char *line)
{
	if (level == OS_LOG_ERR)
		err_lines++;
}

static void *page_zalloc(size_t size)
{
	void *p = NULL;

	assert_int_equal(posix_memalign(&p, 4096, size), 0);
	memset(p, 0, size);
	return p;
}

static void on_notify(struct virtq *vq, void *priv)
{
	((struct ring *)priv)->notifies++;
}

static void on_callback(struct virtq *vq, void *priv)
{
	((struct ring *)priv)->callbacks++;
}

static void ring_init_dma(struct ring *r, unsigned num, bool event_idx,
			  uint16_t start, const struct virtq_dma *dma)
{
	struct virtq_config cfg = {
		.name = "test",
		.num = num,
		.event_idx = event_idx,
		.dma = dma,
		.notify = on_notify,
		.callback = on_callback,
		.priv = r,
		.start_idx = start,
	};

	memset(r, 0, sizeof(*r));
	r->num = num;
	r->desc = page_zalloc(virtq_desc_area_size(num));
	r->avail = page_zalloc(virtq_avail_area_size(num));
	r->used = page_zalloc(virtq_used_area_size(num));
	/* The device side of the start index. */
	r->used->idx = start;
	cfg.desc = r->desc;
	cfg.avail = r->avail;
	cfg.used = r->used;
	assert_int_equal(virtq_create(&cfg, &r->vq), 0);
}

static void ring_init(struct ring *r, unsigned num, bool event_idx, uint16_t start)
{
	ring_init_dma(r, num, event_idx, start, NULL);
}

static void ring_fini(struct ring *r)
{
	virtq_destroy(r->vq);
	free(r->desc);
	free(r->avail);
	free(r->used);
}

/* The head the driver published at avail position @pos. */
static uint16_t dev_head(struct ring *r, uint16_t pos)
{
	return r->avail->ring[pos & (r->num - 1)];
}

static void dev_push(struct ring *r, uint32_t id, uint32_t len)
{
	struct virtq_used_elem *e = &r->used->ring[r->used->idx & (r->num - 1)];

	e->id = id;
	e->len = len;
	r->used->idx++;
}

static uint16_t *avail_event(struct ring *r)
{
	return (uint16_t *)(void *)&r->used->ring[r->num];
}

static uint16_t used_event(struct ring *r)
{
	return r->avail->ring[r->num];
}

static int add1(struct ring *r, void *out, uint32_t olen, void *in,
		uint32_t ilen, void *token)
{
	struct virtq_sg sg[2];
	unsigned n = 0, o = 0, i = 0;

	if (out) {
		sg[n++] = (struct virtq_sg){ out, olen };
		o = 1;
	}
	if (in) {
		sg[n++] = (struct virtq_sg){ in, ilen };
		i = 1;
	}
	return virtq_add_sgs(r->vq, sg, o, i, token);
}

static void assert_broken_safely(struct ring *r)
{
	char b[8];
	uint32_t len = 7;

	assert_true(virtq_is_broken(r->vq));
	assert_non_null(virtq_broken_reason(r->vq));
	assert_int_equal(add1(r, b, 1, NULL, 0, b), -EIO);
	assert_null(virtq_get_buf(r->vq, &len));
	assert_false(virtq_kick(r->vq));
	assert_false(virtq_poll(r->vq, 0));
	virtq_interrupt(r->vq);
	assert_int_equal(r->callbacks, 0);
}

/* ---- tests -------------------------------------------------------------------- */

static void test_create_rejects_bad_config(void **state)
{
	struct virtq_desc *desc = page_zalloc(8192);
	struct virtq_config cfg = {
		.num = 8, .desc = desc, .avail = (char *)desc + 4096,
		.used = (char *)desc + 6144,
	};
	struct virtq *vq;

	cfg.num = 6;
	assert_int_equal(virtq_create(&cfg, &vq), -EINVAL);
	assert_null(vq);
	cfg.num = CONFIG_VIRTQ_MAX_SIZE * 2;
	assert_int_equal(virtq_create(&cfg, &vq), -EINVAL);
	cfg.num = 8;
	cfg.used = (char *)desc + 6146;
	assert_int_equal(virtq_create(&cfg, &vq), -EINVAL);
	cfg.used = (char *)desc + 6144;
	cfg.desc = (char *)desc + 8;
	assert_int_equal(virtq_create(&cfg, &vq), -EINVAL);
	cfg.desc = desc;
	assert_int_equal(virtq_create(&cfg, &vq), 0);
	assert_int_equal(virtq_size(vq), 8);
	assert_int_equal(virtq_num_free(vq), 8);
	assert_string_equal(virtq_name(vq), "vq");
	virtq_destroy(vq);
	virtq_destroy(NULL);
	free(desc);
}

static void test_area_sizes(void **state)
{
	assert_int_equal(virtq_desc_area_size(256), 4096);
	assert_int_equal(virtq_avail_area_size(256), 4 + 512 + 2);
	assert_int_equal(virtq_used_area_size(256), 4 + 2048 + 2);
}

static void test_add_get_one(void **state)
{
	struct ring r;
	char req[16] = "hello", resp[32];
	struct virtq_desc *d;
	uint32_t len = 0;
	uint16_t h;

	ring_init(&r, 8, false, 0);
	assert_int_equal(add1(&r, req, sizeof(req), resp, sizeof(resp), req), 0);
	assert_int_equal(virtq_num_free(r.vq), 6);
	assert_int_equal(r.avail->idx, 1);
	h = dev_head(&r, 0);
	assert_true(h < 8);
	d = &r.desc[h];
	assert_int_equal(d->addr, (uintptr_t)req);
	assert_int_equal(d->len, sizeof(req));
	assert_int_equal(d->flags, VIRTQ_DESC_F_NEXT);
	assert_true(d->next < 8);
	d = &r.desc[d->next];
	assert_int_equal(d->addr, (uintptr_t)resp);
	assert_int_equal(d->len, sizeof(resp));
	assert_int_equal(d->flags, VIRTQ_DESC_F_WRITE);

	assert_true(virtq_kick(r.vq));
	assert_int_equal(r.notifies, 1);
	assert_false(virtq_kick(r.vq));		/* nothing new */
	assert_null(virtq_get_buf(r.vq, &len));	/* empty */

	dev_push(&r, h, 20);
	assert_ptr_equal(virtq_get_buf(r.vq, &len), req);
	assert_int_equal(len, 20);
	assert_int_equal(virtq_num_free(r.vq), 8);
	assert_null(virtq_get_buf(r.vq, &len));
	assert_false(virtq_is_broken(r.vq));
	assert_null(virtq_broken_reason(r.vq));
	ring_fini(&r);
}

static void test_invalid_adds(void **state)
{
	struct ring r;
	char b[4];
	struct virtq_sg sg[9];
	unsigned i;

	ring_init(&r, 8, false, 0);
	assert_int_equal(add1(&r, b, 4, NULL, 0, NULL), -EINVAL);
	assert_int_equal(virtq_add_sgs(r.vq, sg, 0, 0, b), -EINVAL);
	assert_int_equal(add1(&r, b, 0, NULL, 0, b), -EINVAL);
	for (i = 0; i < 9; i++)
		sg[i] = (struct virtq_sg){ b, 1 };
	assert_int_equal(virtq_add_sgs(r.vq, sg, 9, 0, b), -EMSGSIZE);
	assert_int_equal(virtq_num_free(r.vq), 8);
	assert_int_equal(r.avail->idx, 0);
	ring_fini(&r);
}

static void test_full_and_empty(void **state)
{
	struct ring r;
	char buf[16][8];
	uint32_t len;
	unsigned i;

	ring_init(&r, 16, false, 0);
	for (i = 0; i < 16; i++)
		assert_int_equal(add1(&r, NULL, 0, buf[i], 8, buf[i]), 0);
	assert_int_equal(virtq_num_free(r.vq), 0);
	assert_int_equal(add1(&r, NULL, 0, buf[0], 8, buf[0]), -ENOSPC);
	/* Complete in reverse order: out-of-order completion is legal. */
	for (i = 16; i-- > 0;)
		dev_push(&r, dev_head(&r, (uint16_t)i), 8);
	for (i = 16; i-- > 0;) {
		assert_ptr_equal(virtq_get_buf(r.vq, &len), buf[i]);
		assert_int_equal(len, 8);
	}
	assert_null(virtq_get_buf(r.vq, &len));
	assert_int_equal(virtq_num_free(r.vq), 16);
	/* The free list still works after out-of-order returns: fill again. */
	for (i = 0; i < 8; i++)
		assert_int_equal(add1(&r, buf[i], 8, buf[i + 8], 8, buf[i]), 0);
	assert_int_equal(virtq_num_free(r.vq), 0);
	assert_int_equal(add1(&r, buf[0], 8, NULL, 0, buf[0]), -ENOSPC);
	ring_fini(&r);
}

static void test_chain_layout(void **state)
{
	struct ring r;
	char a[3], b[5], c[7], d[11];
	struct virtq_sg sg[4] = { { a, 3 }, { b, 5 }, { c, 7 }, { d, 11 } };
	const uint32_t lens[4] = { 3, 5, 7, 11 };
	const void *addrs[4] = { a, b, c, d };
	uint16_t i;
	uint32_t len;
	unsigned k;

	ring_init(&r, 8, false, 0);
	assert_int_equal(virtq_add_sgs(r.vq, sg, 2, 2, a), 0);
	i = dev_head(&r, 0);
	for (k = 0; k < 4; k++) {
		struct virtq_desc *dd = &r.desc[i];

		assert_int_equal(dd->addr, (uintptr_t)addrs[k]);
		assert_int_equal(dd->len, lens[k]);
		assert_int_equal(!!(dd->flags & VIRTQ_DESC_F_WRITE), k >= 2);
		assert_int_equal(!!(dd->flags & VIRTQ_DESC_F_NEXT), k < 3);
		i = dd->next;
	}
	/* A device claiming more than the 18 writable bytes is clamped. */
	dev_push(&r, dev_head(&r, 0), 1000);
	assert_ptr_equal(virtq_get_buf(r.vq, &len), a);
	assert_int_equal(len, 18);
	{
		struct virtq_stats st;

		virtq_get_stats(r.vq, &st);
		assert_int_equal(st.len_clamped, 1);
		assert_int_equal(st.added, 1);
		assert_int_equal(st.used, 1);
	}
	assert_false(virtq_is_broken(r.vq));
	ring_fini(&r);
}

/* DMA ops that count maps/unmaps and check each piece stays in one page. */
struct count_dma {
	unsigned maps, unmaps, fail_at;
	uint64_t bytes_w, bytes_r;
};

static int count_map(void *ctx, void *va, uint32_t len, bool wr, uint64_t *dma)
{
	struct count_dma *c = ctx;
	uintptr_t a = (uintptr_t)va;

	if (c->fail_at && c->maps + 1 == c->fail_at)
		return -ENOMEM;
	assert_true(len > 0);
	assert_int_equal(a / 4096, (a + len - 1) / 4096);
	c->maps++;
	if (wr)
		c->bytes_w += len;
	else
		c->bytes_r += len;
	*dma = (1ull << 63) | a;
	return 0;
}

static void count_unmap(void *ctx, uint64_t dma, uint32_t len, bool wr)
{
	struct count_dma *c = ctx;

	assert_true(dma >> 63);
	c->unmaps++;
}

static const struct virtq_dma_ops count_ops = { count_map, count_unmap };

static void test_split_at_page_boundary(void **state)
{
	struct count_dma c = { 0 };
	struct virtq_dma dma = { &count_ops, &c, 4096 };
	char *mem = page_zalloc(4 * 4096);
	struct ring r;
	struct virtq_sg sg[2] = { { mem + 4000, 10000 }, { mem + 3 * 4096, 4096 } };
	uint16_t i;
	uint32_t len;
	unsigned n = 0;

	ring_init_dma(&r, 16, false, 0, &dma);
	/* 96 + 4096 + 4096 + 1712 readable, then one whole writable page. */
	assert_int_equal(virtq_add_sgs(r.vq, sg, 1, 1, mem), 0);
	assert_int_equal(c.maps, 5);
	assert_int_equal(c.bytes_r, 10000);
	assert_int_equal(c.bytes_w, 4096);
	assert_int_equal(virtq_num_free(r.vq), 11);
	i = dev_head(&r, 0);
	for (;;) {
		struct virtq_desc *d = &r.desc[i];
		uint64_t a = d->addr & ~(1ull << 63);

		assert_int_equal(a / 4096, (a + d->len - 1) / 4096);
		n++;
		if (!(d->flags & VIRTQ_DESC_F_NEXT))
			break;
		i = d->next;
	}
	assert_int_equal(n, 5);
	assert_int_equal(r.desc[dev_head(&r, 0)].len, 96);
	dev_push(&r, dev_head(&r, 0), 4096);
	assert_ptr_equal(virtq_get_buf(r.vq, &len), mem);
	assert_int_equal(c.unmaps, 5);
	assert_int_equal(virtq_num_free(r.vq), 16);

	/* 17 pages never fit a 16-entry queue. */
	sg[0] = (struct virtq_sg){ mem, 17 * 4096 };
	assert_int_equal(virtq_add_sgs(r.vq, sg, 1, 0, mem), -EMSGSIZE);

	/* A map failure midway unmaps what was mapped and changes nothing. */
	c.maps = c.unmaps = 0;
	c.fail_at = 3;
	sg[0] = (struct virtq_sg){ mem + 100, 3 * 4096 };
	assert_int_equal(virtq_add_sgs(r.vq, sg, 1, 0, mem), -ENOMEM);
	assert_int_equal(c.maps, 2);
	assert_int_equal(c.unmaps, 2);
	assert_int_equal(virtq_num_free(r.vq), 16);
	assert_int_equal(r.avail->idx, 1);
	c.fail_at = 0;
	assert_int_equal(virtq_add_sgs(r.vq, sg, 1, 0, mem), 0);
	assert_int_equal(virtq_num_free(r.vq), 12);
	ring_fini(&r);
	free(mem);
}

static void test_wrap_at_2_16(void **state)
{
	struct ring r;
	char buf[4][8];
	uint32_t len;
	unsigned i, k;

	ring_init(&r, 4, true, 65530);
	assert_int_equal(r.avail->idx, 65530);
	assert_int_equal(used_event(&r), 65530);
	for (i = 0; i < 40; i++) {
		uint16_t pos = (uint16_t)(65530 + i * 3);

		for (k = 0; k < 3; k++)
			assert_int_equal(add1(&r, NULL, 0, buf[k], 8, buf[k]), 0);
		assert_int_equal(r.avail->idx, (uint16_t)(pos + 3));
		for (k = 0; k < 3; k++)
			dev_push(&r, dev_head(&r, (uint16_t)(pos + k)), k + 1);
		for (k = 0; k < 3; k++) {
			assert_ptr_equal(virtq_get_buf(r.vq, &len), buf[k]);
			assert_int_equal(len, k + 1);
		}
		assert_null(virtq_get_buf(r.vq, &len));
		/* used_event follows last_used across the wrap. */
		assert_int_equal(used_event(&r), (uint16_t)(pos + 3));
	}
	assert_false(virtq_is_broken(r.vq));
	assert_int_equal(r.avail->idx, (uint16_t)(65530 + 120));
	ring_fini(&r);
}

static void test_need_event_arithmetic(void **state)
{
	/* need_event(event, new, old): event in [old, new) */
	assert_true(virtq_need_event(0, 1, 0));
	assert_false(virtq_need_event(1, 1, 0));
	assert_true(virtq_need_event(5, 10, 0));
	assert_false(virtq_need_event(10, 10, 0));
	assert_false(virtq_need_event(4, 10, 5));
	assert_true(virtq_need_event(5, 10, 5));
	assert_true(virtq_need_event(9, 10, 5));
	/* across the wrap */
	assert_true(virtq_need_event(65535, 2, 65534));
	assert_true(virtq_need_event(0, 2, 65534));
	assert_true(virtq_need_event(1, 2, 65534));
	assert_false(virtq_need_event(2, 2, 65534));
	assert_false(virtq_need_event(65533, 2, 65534));
	assert_false(virtq_need_event(7, 7, 7));
}

static void test_event_idx_kick(void **state)
{
	struct ring r;
	char b[8][4];
	struct virtq_stats st;
	unsigned i;

	ring_init(&r, 8, true, 0);
	assert_int_equal(r.avail->flags, 0);
	/* The device wants a kick when entry 0 appears. */
	*avail_event(&r) = 0;
	assert_int_equal(add1(&r, b[0], 4, NULL, 0, b[0]), 0);
	assert_true(virtq_kick(r.vq));
	/* ...then only when entry 3 appears. */
	*avail_event(&r) = 3;
	assert_int_equal(add1(&r, b[1], 4, NULL, 0, b[1]), 0);
	assert_false(virtq_kick(r.vq));
	assert_int_equal(add1(&r, b[2], 4, NULL, 0, b[2]), 0);
	assert_false(virtq_kick(r.vq));
	assert_int_equal(add1(&r, b[3], 4, NULL, 0, b[3]), 0);
	assert_int_equal(add1(&r, b[4], 4, NULL, 0, b[4]), 0);
	assert_true(virtq_kick(r.vq));	/* entries 3, 4 published: 3 crossed */
	virtq_get_stats(r.vq, &st);
	assert_int_equal(st.notifies, 2);
	assert_int_equal(st.notifies_suppressed, 2);
	assert_int_equal(r.notifies, 2);
	/* The device's NO_NOTIFY flag means nothing with EVENT_IDX. */
	r.used->flags = VIRTQ_USED_F_NO_NOTIFY;
	*avail_event(&r) = 5;
	assert_int_equal(add1(&r, b[5], 4, NULL, 0, b[5]), 0);
	assert_true(virtq_kick(r.vq));

	/* Interrupt side: used_event tracks last_used while callbacks are on. */
	for (i = 0; i < 6; i++)
		dev_push(&r, dev_head(&r, (uint16_t)i), 0);
	assert_non_null(virtq_get_buf(r.vq, NULL));
	assert_int_equal(used_event(&r), 1);
	virtq_disable_cb(r.vq);
	assert_int_equal(r.avail->flags, 0);
	/* Far away: the device will not reach it. */
	assert_false(virtq_need_event(used_event(&r), 7, 1));
	assert_non_null(virtq_get_buf(r.vq, NULL));
	assert_int_equal(used_event(&r), (uint16_t)(1 + 0x8000));
	assert_int_equal(virtq_enable_cb_prepare(r.vq), 2);
	assert_int_equal(used_event(&r), 2);
	ring_fini(&r);
}

static void test_flag_suppression(void **state)
{
	struct ring r;
	char b[4];

	ring_init(&r, 8, false, 0);
	r.used->flags = VIRTQ_USED_F_NO_NOTIFY;
	assert_int_equal(add1(&r, b, 4, NULL, 0, b), 0);
	assert_false(virtq_kick(r.vq));
	r.used->flags = 0;
	assert_int_equal(add1(&r, b, 4, NULL, 0, b + 1), 0);
	assert_true(virtq_kick(r.vq));
	virtq_disable_cb(r.vq);
	assert_int_equal(r.avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_true(virtq_enable_cb(r.vq));
	assert_int_equal(r.avail->flags, 0);
	ring_fini(&r);
}

static void test_polling_api(void **state)
{
	struct ring r;
	char b[4][4];
	unsigned last;
	uint32_t len;

	ring_init(&r, 8, true, 0);
	virtq_disable_cb(r.vq);
	assert_int_equal(add1(&r, NULL, 0, b[0], 4, b[0]), 0);
	assert_int_equal(add1(&r, NULL, 0, b[1], 4, b[1]), 0);
	last = virtq_enable_cb_prepare(r.vq);
	assert_false(virtq_poll(r.vq, last));
	dev_push(&r, dev_head(&r, 0), 4);
	assert_true(virtq_poll(r.vq, last));
	assert_false(virtq_enable_cb(r.vq));	/* pending: poll again */
	assert_ptr_equal(virtq_get_buf(r.vq, &len), b[0]);
	assert_true(virtq_enable_cb(r.vq));
	last = virtq_enable_cb_prepare(r.vq);
	assert_int_equal(last, 1);
	assert_false(virtq_poll(r.vq, last));

	/* Interrupts: the callback runs only when something was used. */
	virtq_interrupt(r.vq);
	assert_int_equal(r.callbacks, 0);
	dev_push(&r, dev_head(&r, 1), 4);
	virtq_interrupt(r.vq);
	assert_int_equal(r.callbacks, 1);
	assert_ptr_equal(virtq_get_buf(r.vq, &len), b[1]);
	assert_true(virtq_poll(r.vq, last));
	ring_fini(&r);
}

static void test_detach_unused(void **state)
{
	struct ring r;
	char b[3][4];
	void *seen[3];
	unsigned i, n = 0;
	void *t;

	ring_init(&r, 8, false, 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(add1(&r, b[i], 4, b[i], 4, b[i]), 0);
	assert_int_equal(virtq_num_free(r.vq), 2);
	while ((t = virtq_detach_unused_buf(r.vq)) != NULL)
		seen[n++] = t;
	assert_int_equal(n, 3);
	for (i = 0; i < 3; i++)
		assert_true(seen[0] == b[i] || seen[1] == b[i] || seen[2] == b[i]);
	assert_int_equal(virtq_num_free(r.vq), 8);
	assert_int_equal(r.avail->idx, 0);
	ring_fini(&r);
}

static void test_unkicked_adds_kick_at_2_16(void **state)
{
	struct ring r;
	char b[4];
	unsigned i;

	/* kick_prepare's window is 16 bits: 65535 adds without a kick must
	 * kick by themselves, or the device could be told nothing. */
	ring_init(&r, 2, false, 0);
	for (i = 0; i < 65535; i++) {
		assert_int_equal(add1(&r, b, 4, NULL, 0, b), 0);
		dev_push(&r, dev_head(&r, (uint16_t)i), 0);
		assert_ptr_equal(virtq_get_buf(r.vq, NULL), b);
		assert_int_equal(r.notifies, i == 65534);
	}
	assert_false(virtq_kick(r.vq));
	assert_int_equal(add1(&r, b, 4, NULL, 0, b), 0);
	assert_true(virtq_kick(r.vq));
	assert_int_equal(r.notifies, 2);
	ring_fini(&r);
}

/* ---- hostile used ring --------------------------------------------------------- */

static void hostile_setup(struct ring *r, char b[2][8])
{
	ring_init(r, 8, true, 0);
	assert_int_equal(add1(r, b[0], 8, b[0], 8, b[0]), 0);
	assert_int_equal(add1(r, NULL, 0, b[1], 8, b[1]), 0);
	err_lines = 0;
}

static void test_hostile_used_id_out_of_range(void **state)
{
	struct ring r;
	char b[2][8];

	hostile_setup(&r, b);
	dev_push(&r, 8, 1);
	assert_null(virtq_get_buf(r.vq, NULL));
	assert_broken_safely(&r);
	assert_int_equal(err_lines, 1);
	ring_fini(&r);
}

static void test_hostile_used_id_not_head(void **state)
{
	struct ring r;
	char b[2][8];

	hostile_setup(&r, b);
	/* The second descriptor of the first chain is in flight, not a head. */
	dev_push(&r, r.desc[dev_head(&r, 0)].next, 1);
	assert_null(virtq_get_buf(r.vq, NULL));
	assert_broken_safely(&r);
	ring_fini(&r);
}

static void test_hostile_used_id_free(void **state)
{
	struct ring r;
	char b[2][8];
	uint16_t id;

	hostile_setup(&r, b);
	for (id = 0; id < 8; id++)
		if (id != dev_head(&r, 0) && id != dev_head(&r, 1) &&
		    id != r.desc[dev_head(&r, 0)].next)
			break;
	dev_push(&r, id, 1);
	assert_null(virtq_get_buf(r.vq, NULL));
	assert_broken_safely(&r);
	ring_fini(&r);
}

static void test_hostile_used_twice(void **state)
{
	struct ring r;
	char b[2][8];

	hostile_setup(&r, b);
	dev_push(&r, dev_head(&r, 0), 1);
	dev_push(&r, dev_head(&r, 0), 1);
	assert_ptr_equal(virtq_get_buf(r.vq, NULL), b[0]);
	assert_false(virtq_is_broken(r.vq));
	assert_null(virtq_get_buf(r.vq, NULL));
	assert_broken_safely(&r);
	assert_int_equal(err_lines, 1);
	ring_fini(&r);
}

static void test_hostile_used_len(void **state)
{
	struct ring r;
	char b[2][8];
	uint32_t len;
	struct virtq_stats st;

	hostile_setup(&r, b);
	dev_push(&r, dev_head(&r, 1), UINT32_MAX);
	assert_ptr_equal(virtq_get_buf(r.vq, &len), b[1]);
	assert_int_equal(len, 8);
	virtq_get_stats(r.vq, &st);
	assert_int_equal(st.len_clamped, 1);
	assert_false(virtq_is_broken(r.vq));
	ring_fini(&r);
}

static void test_hostile_used_idx_jump(void **state)
{
	struct ring r;
	char b[2][8];

	hostile_setup(&r, b);
	/* Two chains in flight; the device claims three were used. */
	dev_push(&r, dev_head(&r, 0), 1);
	dev_push(&r, dev_head(&r, 1), 1);
	r.used->idx++;
	assert_null(virtq_get_buf(r.vq, NULL));
	assert_broken_safely(&r);
	ring_fini(&r);

	/* A used idx far behind is as bad as one far ahead. */
	hostile_setup(&r, b);
	r.used->idx = 0xfff0;
	assert_null(virtq_get_buf(r.vq, NULL));
	assert_broken_safely(&r);
	ring_fini(&r);
}

static void test_mark_broken_keeps_first_reason(void **state)
{
	struct ring r;
	char reason[64];

	ring_init(&r, 8, false, 0);
	err_lines = 0;
	strcpy(reason, "transport went away");
	virtq_mark_broken(r.vq, reason);
	memset(reason, 'x', sizeof(reason) - 1);	/* the reason is copied */
	virtq_mark_broken(r.vq, "second");
	assert_string_equal(virtq_broken_reason(r.vq), "transport went away");
	assert_int_equal(err_lines, 1);
	assert_broken_safely(&r);
	ring_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_rejects_bad_config),
		cmocka_unit_test(test_area_sizes),
		cmocka_unit_test(test_add_get_one),
		cmocka_unit_test(test_invalid_adds),
		cmocka_unit_test(test_full_and_empty),
		cmocka_unit_test(test_chain_layout),
		cmocka_unit_test(test_split_at_page_boundary),
		cmocka_unit_test(test_wrap_at_2_16),
		cmocka_unit_test(test_need_event_arithmetic),
		cmocka_unit_test(test_event_idx_kick),
		cmocka_unit_test(test_flag_suppression),
		cmocka_unit_test(test_polling_api),
		cmocka_unit_test(test_detach_unused),
		cmocka_unit_test(test_unkicked_adds_kick_at_2_16),
		cmocka_unit_test(test_hostile_used_id_out_of_range),
		cmocka_unit_test(test_hostile_used_id_not_head),
		cmocka_unit_test(test_hostile_used_id_free),
		cmocka_unit_test(test_hostile_used_twice),
		cmocka_unit_test(test_hostile_used_len),
		cmocka_unit_test(test_hostile_used_idx_jump),
		cmocka_unit_test(test_mark_broken_keeps_first_reason),
	};

	os_log_set_sink(count_sink);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
