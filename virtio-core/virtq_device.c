// SPDX-License-Identifier: MIT
/*
 * Split virtqueue, device role (virtio 1.x, 2.7): the back-end side that pops
 * the chains a driver made available, reads and writes their buffers through
 * an address-translation op and returns them in the used ring.
 *
 * Theory of operation
 * -------------------
 * The driver is hostile. Every field it controls (avail idx, avail ring
 * entries, descriptors, indirect tables, the used_event word) is copied out
 * of shared memory exactly once and validated before use:
 *
 *  - avail idx may run at most the queue size ahead of what we returned;
 *  - a head and every next index must be inside the table they index, and a
 *    head may not be made available again while we still hold it;
 *  - a chain may not visit more descriptors than the table has (this is how
 *    loops are caught), nor produce more segments than the queue size, nor
 *    exceed max_chain_bytes, nor hold a zero-length segment, nor an address
 *    range that wraps the 64-bit space;
 *  - readable segments come first: a readable one after a writable one is a
 *    violation (it would let the device be asked to write into a buffer the
 *    driver only granted for reading, or vice versa);
 *  - an INDIRECT descriptor is refused unless VIRTIO_F_INDIRECT_DESC was
 *    negotiated; when it was, the table must be non-empty, a whole number of
 *    descriptors, 8-byte aligned, at most the queue size, accessible, and may
 *    neither nest nor be combined with NEXT (its WRITE flag is ignored, as
 *    the spec says). Its descriptors get the same checks as direct ones;
 *  - every segment is translated (mem->translate) with its direction; a
 *    range the driver did not make accessible is a violation.
 *
 * The first violation marks the queue broken: virtq_dev_pop() returns -EIO
 * from then on, virtq_dev_broken_reason() says why, and one os_err line was
 * logged. Nothing outside the three ring areas and the translated segments is
 * ever read or written: all indices are range-checked before use.
 *
 * Notification suppression: with EVENT_IDX we publish avail_event (where we
 * want the next kick) and honour the driver's used_event; without it, the
 * VIRTQ_USED_F_NO_NOTIFY and VIRTQ_AVAIL_F_NO_INTERRUPT flags. A device that
 * found the ring empty calls virtq_dev_enable_notify() and pops again if it
 * returns false, so a buffer that raced with re-enabling is never stranded.
 *
 * Locking: none here. One thread runs each queue (or the caller serialises).
 */
#include <vscmi/os.h>
#include <vscmi/virtio.h>

#include "virtio-core/virtq_ring.h"

#define VIRTQ_DEV_NAME_MAX 32
#define VIRTQ_DEV_REASON_MAX 64
/* avail_event while notifications are off: unreachable by the driver. */
#define VIRTQ_DEV_EVENT_FAR 0x8000u

/* What we remember about a chain between pop and push. */
struct virtq_dev_held {
	bool busy;
	uint32_t in_len;
};

struct virtq_dev {
	char name[VIRTQ_DEV_NAME_MAX];
	unsigned num;
	const struct virtq_desc *desc;
	struct virtq_avail *avail;	/* the driver's: we only read it */
	struct virtq_used *used;
	bool event_idx;
	bool indirect;
	const struct virtq_mem_ops *mem;
	void *mem_ctx;
	uint32_t max_chain_bytes;

	uint16_t last_avail_idx;	/* next avail entry we pop */
	uint16_t used_idx;		/* next used entry we fill */
	uint16_t signalled_used;	/* used_idx at the last need_interrupt */
	bool notify_off;

	struct virtq_dev_seg *seg;	/* num entries: the last popped chain */
	struct virtq_dev_held *held;	/* per head */

	bool broken;
	char reason[VIRTQ_DEV_REASON_MAX];
};

/* A driver protocol violation: break the queue, log once. Returns -EIO. */
static int virtq_dev_fail(struct virtq_dev *vq, const char *reason,
			  unsigned long long v)
{
	if (!vq->broken) {
		virtq_copy_str(vq->reason, sizeof(vq->reason), reason);
		vq->broken = true;
		os_err("virtq_dev %s: broken: %s (value %llu)", vq->name,
		       vq->reason, v);
	}
	return -EIO;
}

bool virtq_dev_is_broken(struct virtq_dev *vq)
{
	return vq->broken;
}

const char *virtq_dev_broken_reason(struct virtq_dev *vq)
{
	return vq->broken ? vq->reason : NULL;
}

/* Translate a whole ring area, checking both address and pointer alignment. */
static void *virtq_dev_map_area(const struct virtq_dev_config *cfg,
				uint64_t dma, size_t size, unsigned align,
				bool write)
{
	void *p;

	if (dma & (align - 1) || dma > UINT64_MAX - size)
		return NULL;
	p = cfg->mem->translate(cfg->mem_ctx, dma, (uint32_t)size, write);
	if (!p || ((uintptr_t)p & (align - 1)))
		return NULL;
	return p;
}

int virtq_dev_create(const struct virtq_dev_config *cfg, struct virtq_dev **out)
{
	struct virtq_dev *vq;

	*out = NULL;
	if (!virtq_size_valid(cfg->num) || !cfg->mem || !cfg->mem->translate)
		return -EINVAL;
	vq = os_zalloc(sizeof(*vq));
	if (!vq)
		return -ENOMEM;
	vq->seg = os_calloc(cfg->num, sizeof(*vq->seg));
	vq->held = os_calloc(cfg->num, sizeof(*vq->held));
	if (!vq->seg || !vq->held) {
		virtq_dev_destroy(vq);
		return -ENOMEM;
	}
	virtq_copy_str(vq->name, sizeof(vq->name), cfg->name ? cfg->name : "vq");
	vq->num = cfg->num;
	vq->event_idx = cfg->event_idx;
	vq->indirect = cfg->indirect;
	vq->mem = cfg->mem;
	vq->mem_ctx = cfg->mem_ctx;
	vq->max_chain_bytes = cfg->max_chain_bytes;
	vq->desc = virtq_dev_map_area(cfg, cfg->desc,
				      virtq_desc_area_size(cfg->num), 16, false);
	vq->avail = virtq_dev_map_area(cfg, cfg->avail,
				       virtq_avail_area_size(cfg->num), 2, false);
	vq->used = virtq_dev_map_area(cfg, cfg->used,
				      virtq_used_area_size(cfg->num), 4, true);
	if (!vq->desc || !vq->avail || !vq->used) {
		virtq_dev_destroy(vq);
		return -EFAULT;
	}
	vq->last_avail_idx = cfg->start_idx;
	vq->used_idx = cfg->start_idx;
	vq->signalled_used = cfg->start_idx;
	virtq_st16(&vq->used->flags, 0);
	virtq_st16(virtq_avail_event_word(vq->used, vq->num), cfg->start_idx);
	virtq_st16(&vq->used->idx, cfg->start_idx);
	*out = vq;
	return 0;
}

void virtq_dev_destroy(struct virtq_dev *vq)
{
	if (!vq)
		return;
	os_free(vq->seg);
	os_free(vq->held);
	os_free(vq);
}

/* ---- popping chains -------------------------------------------------------- */

/* Switch the walk to the indirect table @d describes (copied, not validated
 * yet). On success *table and *table_n describe it. */
static int virtq_dev_enter_indirect(struct virtq_dev *vq,
				    const struct virtq_desc *d,
				    const struct virtq_desc **table,
				    unsigned *table_n)
{
	const struct virtq_desc *t;

	if (!vq->indirect)
		return virtq_dev_fail(vq, "INDIRECT descriptor not negotiated", d->flags);
	if (d->flags & VIRTQ_DESC_F_NEXT)
		return virtq_dev_fail(vq, "INDIRECT descriptor with NEXT", d->flags);
	/* Its WRITE flag means nothing (spec 2.7.5.3.2): the table's own
	 * descriptors say which way each buffer goes. */
	if (!d->len || d->len % sizeof(struct virtq_desc))
		return virtq_dev_fail(vq, "indirect table length not a whole number of descriptors", d->len);
	if (d->len / sizeof(struct virtq_desc) > vq->num)
		return virtq_dev_fail(vq, "indirect table longer than the queue", d->len);
	if (d->addr & 7)
		return virtq_dev_fail(vq, "indirect table not 8-byte aligned", d->addr);
	if (d->addr > UINT64_MAX - d->len)
		return virtq_dev_fail(vq, "indirect table address + length overflows", d->addr);
	t = vq->mem->translate(vq->mem_ctx, d->addr, d->len, false);
	if (!t || ((uintptr_t)t & 7))
		return virtq_dev_fail(vq, "indirect table not accessible", d->addr);
	*table = t;
	*table_n = d->len / sizeof(struct virtq_desc);
	return 0;
}

/* Walk, validate and translate the chain at @head into vq->seg / @c. */
static int virtq_dev_walk(struct virtq_dev *vq, uint16_t head,
			  struct virtq_dev_chain *c)
{
	const struct virtq_desc *table = vq->desc;
	unsigned table_n = vq->num;
	bool indirect = false, seen_write = false;
	unsigned visited = 0;	/* descriptors visited in the current table */
	uint64_t total = 0;
	uint16_t i = head;
	int ret;

	c->head = head;
	c->nseg = 0;
	c->n_out = 0;
	c->out_len = 0;
	c->in_len = 0;
	c->seg = vq->seg;
	for (;;) {
		struct virtq_desc d;
		struct virtq_dev_seg *s;
		bool wr;

		/* i < table_n holds here: head and every next were checked. */
		if (++visited > table_n)
			return virtq_dev_fail(vq, "descriptor loop (chain longer than its table)", visited);
		virtq_desc_load(&table[i], &d);
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			if (indirect)
				return virtq_dev_fail(vq, "nested INDIRECT descriptor", i);
			ret = virtq_dev_enter_indirect(vq, &d, &table, &table_n);
			if (ret < 0)
				return ret;
			indirect = true;
			visited = 0;
			i = 0;
			continue;
		}
		wr = d.flags & VIRTQ_DESC_F_WRITE;
		if (!wr && seen_write)
			return virtq_dev_fail(vq, "readable descriptor after a writable one", i);
		if (!d.len)
			return virtq_dev_fail(vq, "zero-length descriptor", i);
		if (d.addr > UINT64_MAX - d.len)
			return virtq_dev_fail(vq, "descriptor address + length overflows", d.addr);
		total += d.len;
		if (total > UINT32_MAX ||
		    (vq->max_chain_bytes && total > vq->max_chain_bytes))
			return virtq_dev_fail(vq, "chain longer than the byte limit", total);
		if (c->nseg == vq->num)
			return virtq_dev_fail(vq, "chain has more segments than the queue size", c->nseg);
		s = &vq->seg[c->nseg];
		s->addr = vq->mem->translate(vq->mem_ctx, d.addr, d.len, wr);
		if (!s->addr)
			return virtq_dev_fail(vq, wr ? "writable segment not accessible for writing"
						     : "readable segment not accessible", d.addr);
		s->len = d.len;
		s->writable = wr;
		c->nseg++;
		if (wr) {
			seen_write = true;
			c->in_len += d.len;
		} else {
			c->n_out++;
			c->out_len += d.len;
		}
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		if (d.next >= table_n)
			return virtq_dev_fail(vq, "next descriptor out of range", d.next);
		i = d.next;
	}
}

int virtq_dev_pop(struct virtq_dev *vq, struct virtq_dev_chain *chain)
{
	uint16_t avail_idx, head;
	int ret;

	if (vq->broken)
		return -EIO;
	avail_idx = virtq_ld16(&vq->avail->idx);
	/* The driver can have at most num chains outstanding. */
	if ((uint16_t)(avail_idx - vq->used_idx) > vq->num)
		return virtq_dev_fail(vq, "avail idx ran more than the queue size ahead",
				      (uint16_t)(avail_idx - vq->used_idx));
	if (avail_idx == vq->last_avail_idx)
		return 0;
	/* We see the avail idx before the ring entry and the descriptors it
	 * publishes (pairs with the driver's wmb before avail idx). */
	os_rmb();
	head = virtq_ld16(&vq->avail->ring[vq->last_avail_idx & (vq->num - 1)]);
	if (head >= vq->num)
		return virtq_dev_fail(vq, "avail head out of range", head);
	if (vq->held[head].busy)
		return virtq_dev_fail(vq, "avail head already in use", head);
	ret = virtq_dev_walk(vq, head, chain);
	if (ret < 0)
		return ret;
	vq->last_avail_idx++;
	vq->held[head].busy = true;
	vq->held[head].in_len = chain->in_len;
	return 1;
}

/* ---- copying ---------------------------------------------------------------- */

/* Copy between @buf and the segments [@first, @end) of @c from byte @off. */
static size_t virtq_dev_copy(const struct virtq_dev_chain *c, unsigned first,
			     unsigned end, size_t off, void *buf,
			     const void *cbuf, size_t len)
{
	size_t done = 0;
	unsigned k;

	for (k = first; k < end && done < len; k++) {
		const struct virtq_dev_seg *s = &c->seg[k];
		size_t n;

		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		n = OS_MIN((size_t)s->len - off, len - done);
		if (buf)
			memcpy((char *)buf + done, (const char *)s->addr + off, n);
		else
			memcpy((char *)s->addr + off, (const char *)cbuf + done, n);
		done += n;
		off = 0;
	}
	return done;
}

size_t virtq_dev_read(const struct virtq_dev_chain *chain, size_t off,
		      void *buf, size_t len)
{
	if (!len)
		return 0;
	return virtq_dev_copy(chain, 0, chain->n_out, off, buf, NULL, len);
}

size_t virtq_dev_write(const struct virtq_dev_chain *chain, size_t off,
		       const void *buf, size_t len)
{
	if (!len)
		return 0;
	return virtq_dev_copy(chain, chain->n_out, chain->nseg, off, NULL, buf, len);
}

/* ---- returning chains ------------------------------------------------------ */

int virtq_dev_push(struct virtq_dev *vq, uint16_t head, uint32_t written)
{
	struct virtq_used_elem *ue;

	if (vq->broken)
		return -EIO;
	if (head >= vq->num || !vq->held[head].busy ||
	    written > vq->held[head].in_len)
		return -EINVAL;
	ue = &vq->used->ring[vq->used_idx & (vq->num - 1)];
	virtq_st32(&ue->id, head);
	virtq_st32(&ue->len, written);
	/* The driver sees the used element (and the bytes written into its
	 * buffers) before the used idx that publishes them. */
	os_wmb();
	vq->used_idx++;
	virtq_st16(&vq->used->idx, vq->used_idx);
	vq->held[head].busy = false;
	return 0;
}

bool virtq_dev_need_interrupt(struct virtq_dev *vq)
{
	uint16_t old = vq->signalled_used, new = vq->used_idx;

	if (vq->broken || old == new)
		return false;
	vq->signalled_used = new;
	/* The driver sees our new used idx before we read its used_event /
	 * NO_INTERRUPT (otherwise both sides could decide not to act). */
	os_mb();
	if (vq->event_idx)
		return virtq_need_event(
			virtq_ld16(virtq_used_event_word(vq->avail, vq->num)),
			new, old);
	return !(virtq_ld16(&vq->avail->flags) & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

void virtq_dev_disable_notify(struct virtq_dev *vq)
{
	if (vq->broken || vq->notify_off)
		return;
	vq->notify_off = true;
	if (vq->event_idx)
		virtq_st16(virtq_avail_event_word(vq->used, vq->num),
			   (uint16_t)(vq->last_avail_idx + VIRTQ_DEV_EVENT_FAR));
	else
		virtq_st16(&vq->used->flags, VIRTQ_USED_F_NO_NOTIFY);
}

bool virtq_dev_has_avail(struct virtq_dev *vq)
{
	return !vq->broken && virtq_ld16(&vq->avail->idx) != vq->last_avail_idx;
}

bool virtq_dev_enable_notify(struct virtq_dev *vq)
{
	if (vq->broken)
		return true;
	vq->notify_off = false;
	if (vq->event_idx)
		virtq_st16(virtq_avail_event_word(vq->used, vq->num),
			   vq->last_avail_idx);
	else
		virtq_st16(&vq->used->flags, 0);
	/* The driver sees our avail_event / cleared NO_NOTIFY before we read
	 * its avail idx again: a buffer added after this read gets a kick. */
	os_mb();
	return virtq_ld16(&vq->avail->idx) == vq->last_avail_idx;
}
