// SPDX-License-Identifier: MIT
/*
 * Split virtqueue, driver role (virtio 1.x, 2.7): the guest side that offers
 * buffers to a device and gets them back.
 *
 * Theory of operation
 * -------------------
 * The three ring areas live in memory the device can write (granted pages on
 * Xen). The driver therefore treats everything in them as hostile input and
 * keeps the truth in private shadow state:
 *
 *  - virtq.extra[i] mirrors descriptor i as we wrote it (device address,
 *    length, flags, next) and links the private free list; descriptors are
 *    never read back from the shared table;
 *  - virtq.head[i] records, for a chain whose head is i, the caller's token,
 *    how many descriptors it uses and its readable/writable byte counts. A
 *    non-NULL token means "in flight";
 *  - avail_idx_shadow / last_used_idx / avail_flags_shadow are our copies of
 *    the indices and flags we own.
 *
 * virtq_get_buf() reads used->idx once and the used element once, then checks
 * them against the shadow: the index may not move further than the number of
 * chains in flight, the id must be the head of a chain in flight (so a chain
 * used twice, a middle descriptor or an out-of-range id are all caught), and
 * the length is clamped to the chain's writable size (counted in
 * stats.len_clamped: the device only lied about bytes that were never ours,
 * so the queue stays usable). Any other violation marks the queue broken: one
 * os_err line with the reason, every later call fails safely (add: -EIO,
 * get_buf: NULL, kick/poll: false) and the reason stays readable.
 *
 * Notification suppression follows the spec both ways: with EVENT_IDX the
 * driver publishes used_event (where it wants an interrupt) and reads
 * avail_event (where the device wants a kick); without it, the
 * VIRTQ_AVAIL_F_NO_INTERRUPT and VIRTQ_USED_F_NO_NOTIFY flags. The callback
 * API (disable_cb, enable_cb_prepare + poll, enable_cb) has Linux
 * virtio_ring's meaning, which the SCMI transport's polling mode relies on.
 *
 * Segments are split at dma->seg_boundary (a page for grants) so that no
 * descriptor crosses it; each piece is mapped through dma->ops and unmapped
 * once the device hands the chain back (or it is detached after a reset).
 *
 * Locking: none here. The caller serialises every call on one queue.
 */
#include <vscmi/os.h>
#include <vscmi/virtio.h>

#include "virtio-core/virtq_ring.h"

#define VIRTQ_NAME_MAX 32
#define VIRTQ_REASON_MAX 64
/* used_event while callbacks are off: half the index space away from
 * anything the device can reach, so need_event() stays false. */
#define VIRTQ_EVENT_FAR 0x8000u

/* Shadow of one descriptor, as we wrote it. */
struct virtq_desc_extra {
	uint64_t dma;
	uint32_t len;
	uint16_t flags;
	uint16_t next;		/* chain link, or free-list link when free */
};

/* Shadow of one chain, indexed by its head descriptor. */
struct virtq_head_state {
	void *token;		/* NULL: not in flight */
	uint16_t ndesc;
	uint32_t out_size;
	uint32_t in_size;
};

struct virtq {
	char name[VIRTQ_NAME_MAX];
	unsigned num;
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	bool event_idx;
	const struct virtq_dma *dma;
	void (*notify)(struct virtq *vq, void *priv);
	void (*callback)(struct virtq *vq, void *priv);
	void *priv;

	struct virtq_desc_extra *extra;
	struct virtq_head_state *head;
	uint16_t free_head;
	unsigned num_free;		/* descriptors on the free list */
	unsigned inflight;		/* chains added and not yet used */

	uint16_t avail_idx_shadow;	/* next avail idx we publish */
	uint16_t num_added;		/* published since the last kick_prepare */
	uint16_t avail_flags_shadow;	/* VIRTQ_AVAIL_F_NO_INTERRUPT: cb off */
	uint16_t last_used_idx;		/* next used entry we consume */

	bool broken;
	char reason[VIRTQ_REASON_MAX];
	struct virtq_stats st;
};

void virtq_mark_broken(struct virtq *vq, const char *reason)
{
	if (vq->broken)
		return;
	virtq_copy_str(vq->reason, sizeof(vq->reason), reason);
	vq->broken = true;
	os_err("virtq %s: broken: %s", vq->name, vq->reason);
}

/* A device protocol violation, with the offending value for the log. */
static void virtq_fail(struct virtq *vq, const char *reason, unsigned long long v)
{
	if (vq->broken)
		return;
	virtq_copy_str(vq->reason, sizeof(vq->reason), reason);
	vq->broken = true;
	os_err("virtq %s: broken: %s (value %llu)", vq->name, vq->reason, v);
}

bool virtq_is_broken(struct virtq *vq)
{
	return vq->broken;
}

const char *virtq_broken_reason(struct virtq *vq)
{
	return vq->broken ? vq->reason : NULL;
}

static bool virtq_ptr_aligned(const void *p, uintptr_t a)
{
	return !((uintptr_t)p & (a - 1));
}

int virtq_create(const struct virtq_config *cfg, struct virtq **out)
{
	struct virtq *vq;
	unsigned i;

	*out = NULL;
	if (!virtq_size_valid(cfg->num) || !cfg->desc || !cfg->avail ||
	    !cfg->used || !virtq_ptr_aligned(cfg->desc, 16) ||
	    !virtq_ptr_aligned(cfg->avail, 2) || !virtq_ptr_aligned(cfg->used, 4))
		return -EINVAL;
	if (cfg->dma && cfg->dma->seg_boundary &&
	    (cfg->dma->seg_boundary & (cfg->dma->seg_boundary - 1)))
		return -EINVAL;
	if (cfg->dma && (!cfg->dma->ops || !cfg->dma->ops->map))
		return -EINVAL;

	vq = os_zalloc(sizeof(*vq));
	if (!vq)
		return -ENOMEM;
	vq->extra = os_calloc(cfg->num, sizeof(*vq->extra));
	vq->head = os_calloc(cfg->num, sizeof(*vq->head));
	if (!vq->extra || !vq->head) {
		virtq_destroy(vq);
		return -ENOMEM;
	}
	virtq_copy_str(vq->name, sizeof(vq->name), cfg->name ? cfg->name : "vq");
	vq->num = cfg->num;
	vq->desc = cfg->desc;
	vq->avail = cfg->avail;
	vq->used = cfg->used;
	vq->event_idx = cfg->event_idx;
	vq->dma = cfg->dma ? cfg->dma : &virtq_dma_identity;
	vq->notify = cfg->notify;
	vq->callback = cfg->callback;
	vq->priv = cfg->priv;

	for (i = 0; i < vq->num; i++)
		vq->extra[i].next = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->num_free = vq->num;

	vq->avail_idx_shadow = cfg->start_idx;
	vq->last_used_idx = cfg->start_idx;
	/* With EVENT_IDX the flags stay 0 (spec 2.7.7); used_event = "the next
	 * one" asks for an interrupt on every buffer until told otherwise. */
	virtq_st16(&vq->avail->flags, 0);
	virtq_st16(virtq_used_event_word(vq->avail, vq->num), cfg->start_idx);
	/* The device sees the ring's initial state before our first avail idx
	 * (it reads nothing before the transport tells it the ring exists;
	 * the transport's handshake carries the barrier). */
	virtq_st16(&vq->avail->idx, cfg->start_idx);
	*out = vq;
	return 0;
}

void virtq_destroy(struct virtq *vq)
{
	if (!vq)
		return;
	os_free(vq->extra);
	os_free(vq->head);
	os_free(vq);
}

void *virtq_priv(struct virtq *vq)
{
	return vq->priv;
}

const char *virtq_name(struct virtq *vq)
{
	return vq->name;
}

unsigned virtq_size(struct virtq *vq)
{
	return vq->num;
}

unsigned virtq_num_free(struct virtq *vq)
{
	return vq->num_free;
}

void virtq_get_stats(struct virtq *vq, struct virtq_stats *st)
{
	*st = vq->st;
}

/* ---- adding buffers ------------------------------------------------------- */

/* Bytes of [@a, @a+@len) that fit before the next @boundary (0: no limit). */
static uint32_t virtq_piece_len(uintptr_t a, uint32_t len, uint32_t boundary)
{
	uint32_t room;

	if (!boundary)
		return len;
	room = boundary - (uint32_t)(a & (boundary - 1));
	return OS_MIN(len, room);
}

/* Descriptors @sg needs once split at the boundary. */
static unsigned virtq_sg_pieces(const struct virtq_sg *sg, uint32_t boundary)
{
	uint32_t first = virtq_piece_len((uintptr_t)sg->addr, sg->len, boundary);
	uint32_t rest = sg->len - first;

	return 1 + (rest ? (unsigned)OS_DIV_ROUND_UP((uint64_t)rest, boundary) : 0);
}

static void virtq_unmap_desc(struct virtq *vq, const struct virtq_desc_extra *e)
{
	if (vq->dma->ops->unmap)
		vq->dma->ops->unmap(vq->dma->ctx, e->dma, e->len,
				    e->flags & VIRTQ_DESC_F_WRITE);
}

/* Return the chain starting at @head (@n descriptors) to the free list,
 * unmapping each piece. Only shadow state is read. */
static void virtq_free_chain(struct virtq *vq, uint16_t head, unsigned n)
{
	uint16_t i = head;
	unsigned k;

	for (k = 0; k < n; k++) {
		struct virtq_desc_extra *e = &vq->extra[i];
		uint16_t next = e->next;

		virtq_unmap_desc(vq, e);
		if (k + 1 == n)
			e->next = vq->free_head;
		else
			i = next;
	}
	vq->free_head = head;
	vq->num_free += n;
}

int virtq_add_sgs(struct virtq *vq, const struct virtq_sg *sgs,
		  unsigned out_sgs, unsigned in_sgs, void *token)
{
	uint32_t boundary = vq->dma->seg_boundary;
	uint64_t out_size = 0, in_size = 0;
	unsigned nsg = out_sgs + in_sgs;
	unsigned need = 0, used = 0;
	uint16_t head, cur, prev = 0;
	unsigned s;
	int ret;

	if (vq->broken)
		return -EIO;
	if (!token || !nsg || nsg < out_sgs)
		return -EINVAL;
	for (s = 0; s < nsg; s++) {
		if (!sgs[s].len || !sgs[s].addr)
			return -EINVAL;
		if (s < out_sgs)
			out_size += sgs[s].len;
		else
			in_size += sgs[s].len;
		need += virtq_sg_pieces(&sgs[s], boundary);
		if (need > vq->num)
			return -EMSGSIZE;	/* could never fit */
	}
	if (out_size > UINT32_MAX || in_size > UINT32_MAX)
		return -EMSGSIZE;
	if (need > vq->num_free)
		return -ENOSPC;

	head = cur = vq->free_head;
	for (s = 0; s < nsg; s++) {
		bool wr = s >= out_sgs;
		uintptr_t a = (uintptr_t)sgs[s].addr;
		uint32_t left = sgs[s].len;

		while (left) {
			struct virtq_desc_extra *e = &vq->extra[cur];
			uint32_t l = virtq_piece_len(a, left, boundary);
			uint64_t dma;

			ret = vq->dma->ops->map(vq->dma->ctx, (void *)a, l, wr, &dma);
			if (ret < 0)
				goto out_unmap;
			if (used)
				vq->extra[prev].flags |= VIRTQ_DESC_F_NEXT;
			e->dma = dma;
			e->len = l;
			e->flags = wr ? VIRTQ_DESC_F_WRITE : 0;
			used++;
			prev = cur;
			cur = e->next;
			a += l;
			left -= l;
		}
	}

	/* Write the chain into the shared table from the shadow. */
	cur = head;
	for (s = 0; s < used; s++) {
		struct virtq_desc_extra *e = &vq->extra[cur];
		struct virtq_desc *d = &vq->desc[cur];

		virtq_st64(&d->addr, e->dma);
		virtq_st32(&d->len, e->len);
		virtq_st16(&d->flags, e->flags);
		virtq_st16(&d->next, (e->flags & VIRTQ_DESC_F_NEXT) ? e->next : 0);
		cur = e->next;
	}
	vq->free_head = cur;
	vq->num_free -= used;
	vq->head[head].token = token;
	vq->head[head].ndesc = (uint16_t)used;
	vq->head[head].out_size = (uint32_t)out_size;
	vq->head[head].in_size = (uint32_t)in_size;
	vq->inflight++;

	virtq_st16(&vq->avail->ring[vq->avail_idx_shadow & (vq->num - 1)], head);
	/* The device sees the descriptors and the ring entry before the avail
	 * idx that publishes them. */
	os_wmb();
	vq->avail_idx_shadow++;
	virtq_st16(&vq->avail->idx, vq->avail_idx_shadow);
	vq->num_added++;
	vq->st.added++;
	/* kick_prepare's old/new window is 16 bits wide: never let it fill. */
	if (os_unlikely(vq->num_added == UINT16_MAX))
		virtq_kick(vq);
	return 0;

out_unmap:
	cur = head;
	for (s = 0; s < used; s++) {
		virtq_unmap_desc(vq, &vq->extra[cur]);
		vq->extra[cur].flags = 0;
		cur = vq->extra[cur].next;
	}
	return ret;
}

/* ---- notifying the device ------------------------------------------------- */

bool virtq_kick_prepare(struct virtq *vq)
{
	uint16_t old, new;
	bool needed;

	if (vq->broken || !vq->num_added)
		return false;
	/* The device sees our new avail idx before we read its avail_event /
	 * NO_NOTIFY flag (otherwise both sides could decide not to act). */
	os_mb();
	new = vq->avail_idx_shadow;
	old = (uint16_t)(new - vq->num_added);
	vq->num_added = 0;
	if (vq->event_idx)
		needed = virtq_need_event(
			virtq_ld16(virtq_avail_event_word(vq->used, vq->num)),
			new, old);
	else
		needed = !(virtq_ld16(&vq->used->flags) & VIRTQ_USED_F_NO_NOTIFY);
	if (!needed)
		vq->st.notifies_suppressed++;
	else
		vq->st.notifies++;	/* counted here: notify may run unlocked */
	return needed;
}

void virtq_notify(struct virtq *vq)
{
	if (vq->broken)
		return;
	if (vq->notify)
		vq->notify(vq, vq->priv);
}

bool virtq_kick(struct virtq *vq)
{
	if (!virtq_kick_prepare(vq))
		return false;
	virtq_notify(vq);
	return true;
}

/* ---- getting buffers back ------------------------------------------------- */

/* The device's used idx, validated: it may run ahead of us by at most the
 * number of chains in flight. Marks the queue broken otherwise. */
static bool virtq_used_pending(struct virtq *vq)
{
	uint16_t idx = virtq_ld16(&vq->used->idx);
	uint16_t ahead = (uint16_t)(idx - vq->last_used_idx);

	if (ahead > vq->inflight) {
		virtq_fail(vq, "used idx ran ahead of the buffers in flight", ahead);
		return false;
	}
	return ahead != 0;
}

void *virtq_get_buf(struct virtq *vq, uint32_t *len)
{
	struct virtq_used_elem *ue;
	struct virtq_head_state *h;
	uint32_t id, ulen;
	void *token;

	if (vq->broken || !virtq_used_pending(vq))
		return NULL;
	/* We see the used idx before the used element and the buffer bytes it
	 * publishes (pairs with the device's wmb before used idx). */
	os_rmb();
	ue = &vq->used->ring[vq->last_used_idx & (vq->num - 1)];
	id = virtq_ld32(&ue->id);
	ulen = virtq_ld32(&ue->len);
	if (id >= vq->num) {
		virtq_fail(vq, "used id out of range", id);
		return NULL;
	}
	h = &vq->head[id];
	if (!h->token) {
		virtq_fail(vq, "used id not a chain in flight (or used twice)", id);
		return NULL;
	}
	if (ulen > h->in_size) {
		vq->st.len_clamped++;
		ulen = h->in_size;
	}
	token = h->token;
	h->token = NULL;
	virtq_free_chain(vq, (uint16_t)id, h->ndesc);
	vq->inflight--;
	vq->last_used_idx++;
	vq->st.used++;
	if (len)
		*len = ulen;
	if (vq->event_idx && !(vq->avail_flags_shadow & VIRTQ_AVAIL_F_NO_INTERRUPT)) {
		virtq_st16(virtq_used_event_word(vq->avail, vq->num),
			   vq->last_used_idx);
		/* The device sees the new used_event before we next read used
		 * idx (a buffer used meanwhile then raises an interrupt or is
		 * found by that read). */
		os_mb();
	}
	return token;
}

void virtq_disable_cb(struct virtq *vq)
{
	if (vq->avail_flags_shadow & VIRTQ_AVAIL_F_NO_INTERRUPT)
		return;
	vq->avail_flags_shadow |= VIRTQ_AVAIL_F_NO_INTERRUPT;
	if (vq->event_idx)
		virtq_st16(virtq_used_event_word(vq->avail, vq->num),
			   (uint16_t)(vq->last_used_idx + VIRTQ_EVENT_FAR));
	else
		virtq_st16(&vq->avail->flags, vq->avail_flags_shadow);
}

unsigned virtq_enable_cb_prepare(struct virtq *vq)
{
	if (vq->avail_flags_shadow & VIRTQ_AVAIL_F_NO_INTERRUPT) {
		vq->avail_flags_shadow &= (uint16_t)~VIRTQ_AVAIL_F_NO_INTERRUPT;
		if (!vq->event_idx)
			virtq_st16(&vq->avail->flags, vq->avail_flags_shadow);
	}
	if (vq->event_idx)
		virtq_st16(virtq_used_event_word(vq->avail, vq->num),
			   vq->last_used_idx);
	return vq->last_used_idx;
}

bool virtq_poll(struct virtq *vq, unsigned last_used_idx)
{
	if (vq->broken)
		return false;
	/* The device sees our re-enabled flag / used_event before we read its
	 * used idx: a buffer used after this read raises an interrupt. */
	os_mb();
	return (uint16_t)last_used_idx != virtq_ld16(&vq->used->idx);
}

bool virtq_enable_cb(struct virtq *vq)
{
	unsigned last = virtq_enable_cb_prepare(vq);

	return !virtq_poll(vq, last);
}

void virtq_interrupt(struct virtq *vq)
{
	vq->st.interrupts++;
	if (vq->broken)
		return;
	if (virtq_ld16(&vq->used->idx) == vq->last_used_idx)
		return;		/* spurious, or already collected by polling */
	if (vq->callback)
		vq->callback(vq, vq->priv);
}

void *virtq_detach_unused_buf(struct virtq *vq)
{
	unsigned i;

	for (i = 0; i < vq->num; i++) {
		struct virtq_head_state *h = &vq->head[i];
		void *token = h->token;

		if (!token)
			continue;
		h->token = NULL;
		virtq_free_chain(vq, (uint16_t)i, h->ndesc);
		vq->inflight--;
		/* The device is reset and reads nothing; keep avail idx in
		 * step with what was really handed over. */
		vq->avail_idx_shadow--;
		virtq_st16(&vq->avail->idx, vq->avail_idx_shadow);
		return token;
	}
	return NULL;
}
