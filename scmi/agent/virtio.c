// SPDX-License-Identifier: MIT
/*
 * The SCMI agent's virtio transport: a virtio driver for device id 32
 * (virtio-scmi, virtio spec 5.17) that implements struct
 * scmi_transport_ops for the core (scmi/agent/core.c).
 *
 * Theory of operation
 *
 * The device has a command queue (cmdq, "tx": A2P) and, when
 * VIRTIO_SCMI_F_P2A_CHANNELS is negotiated, an event queue (eventq, "rx":
 * P2A: notifications and delayed responses). VIRTIO_F_VERSION_1 is required;
 * VIRTIO_SCMI_F_SHARED_MEMORY (statistics in shared memory) is never
 * acked. Each queue is a channel (struct scmi_vio_chan) with a pool of
 * messages whose buffers come from the transport's dma_alloc (the grant
 * pool on Xen), each of header + status + CONFIG_SCMI_MAX_MSG_SIZE bytes:
 *
 *  - cmdq: a message is a request buffer (device-readable) and a response
 *    buffer (device-writable), two descriptors: vring size / 2 messages,
 *    which is what get_max_msg reports (the core sizes its pool with it).
 *    Messages are taken from the channel's free list to send and go back
 *    only when their reference count drops to zero (an empty free list is
 *    -ENOBUFS, which the core retries within its timeout: the message of a
 *    transfer that just completed may still be on its way back). The device holds one
 *    reference from add to get_buf; a polled transfer holds another until
 *    mark_txdone. A transfer that timed out therefore leaves its message
 *    with the device: the buffer is never reused before the device returns
 *    it, and the late reply is then handed to the core, which counts it and
 *    discards it.
 *  - eventq: every message is one device-writable buffer, all pre-posted at
 *    setup and re-posted after each one is consumed.
 *
 * Replies are checked before the core sees them: a response must carry its
 * command's header, which the driver keeps in private memory.
 *
 * Polling (for callers that cannot sleep) follows Linux: send_message takes
 * the used-index reference (virtq_enable_cb_prepare) and marks the message
 * POLLING; poll_done() checks virtq_poll() against it and, when the device
 * moved, drains the used ring under the channel lock. Its own message ends
 * POLL_DONE; another poller's message is marked POLL_DONE for that poller;
 * a message of an interrupt-driven transfer goes to the pending list, which
 * deferred work (os_work) hands to the core. mark_txdone() turns a message
 * still POLLING into POLL_TIMEOUT: when it comes back it is treated as any
 * late reply. The interrupt path (the queue callback) follows the same
 * rules, so each returned message is delivered exactly once.
 *
 * Channels are reference counted: every path that touches a queue first
 * acquires the channel, which fails once shutdown started; shutdown drops
 * the initial reference and waits until the count reaches zero, so when
 * it returns no callback, poller or worker is inside the channel. On
 * disconnect() (the back-end went away) the core fails every transfer in
 * flight with -ECONNRESET, both channels shut down, and the device's
 * messages are reclaimed (the device is gone: nothing will be written any
 * more). restore() renegotiates, recreates the queues with the same sizes,
 * re-posts the event buffers and lets transfers run again. A queue the
 * device broke (virtio-core refuses it from then on) is not a dead end:
 * the first path that finds it broken asks the transport for a reset
 * (virtio_request_reset), which comes back here as disconnect() and
 * restore().
 *
 * Locking: chan->lock (spinlock) serialises every call on the channel's
 * virtqueue (virtio-core does no locking) and protects chan->cinfo;
 * chan->free_lock the free list; chan->pending_lock the pending list;
 * msg->poll_lock the message's poll state. Order: lock, then poll_lock or
 * pending_lock; free_lock is innermost. No lock is held across an up-call.
 */
#include <vscmi/os.h>
#include <vscmi/scmi.h>
#include <vscmi/scmi_wire.h>
#include <vscmi/virtio.h>

#include <scmi/agent/core.h>
#include <scmi/agent/transport.h>

#ifndef CONFIG_SCMI_MAX_MSG_SIZE
#define CONFIG_SCMI_MAX_MSG_SIZE 128
#endif

/* Header and status around the payload (Linux's SCMI_MSG_MAX_PROT_OVERHEAD). */
#define SCMI_VIO_OVERHEAD (SCMI_HDR_SIZE + SCMI_STATUS_SIZE)
#define SCMI_VIO_PDU_SIZE (CONFIG_SCMI_MAX_MSG_SIZE + SCMI_VIO_OVERHEAD)
#define SCMI_VIO_MAX_TX_MSG 128u
/* Descriptors one buffer may need: buffers of up to a page never straddle
 * one (the DMA allocators promise it); larger ones are split per page. */
#define SCMI_VIO_DESC_PER_BUF \
	(SCMI_VIO_PDU_SIZE <= OS_PAGE_SIZE ? 1u : \
	 (unsigned)OS_DIV_ROUND_UP(SCMI_VIO_PDU_SIZE, OS_PAGE_SIZE) + 1u)

enum scmi_vio_poll_state {
	SCMI_VIO_NOT_POLLED,
	SCMI_VIO_POLLING,		/* a poller waits for it */
	SCMI_VIO_POLL_TIMEOUT,		/* its poller gave up: a late reply */
	SCMI_VIO_POLL_DONE,		/* back from the device, for its poller */
};

struct scmi_vio_chan;

struct scmi_vio_msg {
	struct scmi_vio_msg *next;	/* free or pending list link */
	struct scmi_vio_chan *chan;
	uint8_t *request;		/* tx: device-readable */
	uint8_t *input;			/* device-writable */
	uint32_t rx_len;		/* written by the device, clamped; under chan->lock */
	uint32_t req_hdr;		/* private copy of the request header */
	atomic_int users;		/* references: device, polled xfer */
	bool on_free;			/* on the free list; under chan->free_lock */
	os_spinlock_t poll_lock;	/* protects poll_state, xfer_ref */
	int poll_state;
	bool xfer_ref;			/* a polled xfer holds a reference */
	unsigned poll_idx;		/* used-index reference; under chan->lock */
};

struct scmi_vio_dev;

struct scmi_vio_chan {
	struct scmi_vio_dev *vdev;
	bool is_rx;
	struct virtq *vq;
	unsigned qsize;			/* vring entries */
	unsigned nmsg;
	struct scmi_vio_msg *msgs;

	os_spinlock_t lock;		/* the virtqueue, cinfo, cb_enabled */
	struct scmi_chan_info *cinfo;
	bool cb_enabled;

	os_spinlock_t free_lock;	/* free_list */
	struct scmi_vio_msg *free_list;
	unsigned nfree;

	os_spinlock_t pending_lock;	/* pending list */
	struct scmi_vio_msg *pending_head, **pending_tail;
	struct os_work deferred;

	atomic_int users;		/* 0: down */
	struct os_completion shutdown_done;

	atomic_uint_fast64_t late, dropped, deferred_msgs;
};

struct scmi_vio_dev {
	struct virtio_dev *dev;
	struct scmi_vio_chan chan[2];	/* [VIRTIO_SCMI_VQ_TX], [VIRTIO_SCMI_VQ_RX] */
	bool has_rx;
	struct scmi_transport_desc desc;
	struct scmi_handle *handle;
	bool connected;
};

/* ---- channel references -------------------------------------------------------- */

static bool scmi_vio_chan_acquire(struct scmi_vio_chan *ch)
{
	int u = atomic_load(&ch->users);

	while (u > 0)
		if (atomic_compare_exchange_weak(&ch->users, &u, u + 1))
			return true;
	return false;
}

static void scmi_vio_chan_release(struct scmi_vio_chan *ch)
{
	if (atomic_fetch_sub(&ch->users, 1) == 1)
		os_complete(&ch->shutdown_done);
}

/*
 * The device broke a queue (virtio-core marked it and logged why): every
 * later operation on it fails at once, so ask the transport to reset the
 * device; the reset runs our disconnect() and restore() from its own
 * context. Called without ch->lock (the transport may take its own locks).
 */
static void scmi_vio_queue_broken(struct scmi_vio_chan *ch)
{
	virtio_request_reset(ch->vdev->dev);
}

/* The channel may be used (again). */
static void scmi_vio_chan_up(struct scmi_vio_chan *ch)
{
	os_completion_reinit(&ch->shutdown_done);
	ch->cb_enabled = true;
	atomic_store(&ch->users, 1);
}

/* Synchronous shutdown: when this returns nobody is inside the channel
 * and nobody can enter it. */
static void scmi_vio_chan_down(struct scmi_vio_chan *ch)
{
	if (atomic_load(&ch->users) <= 0)
		return;
	scmi_vio_chan_release(ch);
	while (os_completion_wait(&ch->shutdown_done, OS_NSEC_PER_SEC))
		os_warn("scmi-virtio: waiting for %s channel users",
			ch->is_rx ? "event" : "command");
	os_work_cancel_sync(&ch->deferred);
}

/* ---- messages ----------------------------------------------------------------- */

static struct scmi_vio_msg *scmi_vio_msg_get(struct scmi_vio_chan *ch)
{
	struct scmi_vio_msg *m;

	os_spin_lock(&ch->free_lock);
	m = ch->free_list;
	if (m) {
		ch->free_list = m->next;
		ch->nfree--;
		m->on_free = false;
	}
	os_spin_unlock(&ch->free_lock);
	if (m) {
		m->next = NULL;
		atomic_store(&m->users, 1);
	}
	return m;
}

static void scmi_vio_msg_free(struct scmi_vio_chan *ch, struct scmi_vio_msg *m)
{
	os_spin_lock(&ch->free_lock);
	if (!m->on_free) {
		m->on_free = true;
		m->next = ch->free_list;
		ch->free_list = m;
		ch->nfree++;
	}
	os_spin_unlock(&ch->free_lock);
}

/* Drop one reference; the last one puts the message back on the free list. */
static void scmi_vio_msg_put(struct scmi_vio_chan *ch, struct scmi_vio_msg *m)
{
	if (atomic_fetch_sub(&m->users, 1) == 1)
		scmi_vio_msg_free(ch, m);
}

/* Hand an event buffer to the device. ch->lock held. */
static int scmi_vio_post_rx_locked(struct scmi_vio_chan *ch, struct scmi_vio_msg *m)
{
	struct virtq_sg sg = { m->input, SCMI_VIO_PDU_SIZE };

	return virtq_add_sgs(ch->vq, &sg, 0, 1, m);
}

/* Re-post a consumed event buffer, or free it if the channel is going. */
static void scmi_vio_rx_repost(struct scmi_vio_chan *ch, struct scmi_vio_msg *m)
{
	int ret;

	os_spin_lock(&ch->lock);
	ret = scmi_vio_post_rx_locked(ch, m);
	/* The device sees the buffer (avail idx) before the kick. */
	if (!ret)
		virtq_kick(ch->vq);
	os_spin_unlock(&ch->lock);
	if (ret) {
		os_warn("scmi-virtio: cannot re-post an event buffer (%d)", ret);
		atomic_store(&m->users, 0);
		scmi_vio_msg_free(ch, m);
	}
}

/*
 * A message the device returned, taken off the ring by whoever: hand it to
 * the core (after checking what can be checked here), then release the
 * device's reference / re-post it. The channel is acquired.
 */
static void scmi_vio_deliver(struct scmi_vio_chan *ch, struct scmi_vio_msg *m)
{
	struct scmi_chan_info *cinfo;
	uint32_t hdr;

	os_spin_lock(&ch->lock);
	cinfo = ch->cinfo;
	os_spin_unlock(&ch->lock);

	if (m->rx_len < SCMI_HDR_SIZE || !cinfo) {
		atomic_fetch_add(&ch->dropped, 1);
		if (cinfo)
			scmi_rx_dropped(cinfo);
	} else {
		/* The header is read from shared memory exactly once. */
		hdr = scmi_get_le32(m->input);
		if (!ch->is_rx && hdr != m->req_hdr) {
			/* A response must carry its command's header. */
			atomic_fetch_add(&ch->dropped, 1);
			scmi_rx_dropped(cinfo);
		} else {
			scmi_rx_callback(cinfo, hdr, m);
		}
	}
	if (ch->is_rx)
		scmi_vio_rx_repost(ch, m);
	else
		scmi_vio_msg_put(ch, m);
}

/*
 * A command message came back (rx_len set). Decide who delivers it.
 * Returns true if the caller must deliver it (or queue it for delivery).
 */
static bool scmi_vio_tx_returned(struct scmi_vio_chan *ch, struct scmi_vio_msg *m)
{
	int st;

	os_spin_lock(&m->poll_lock);
	st = m->poll_state;
	if (st == SCMI_VIO_POLLING)
		m->poll_state = SCMI_VIO_POLL_DONE;
	os_spin_unlock(&m->poll_lock);
	if (st == SCMI_VIO_POLLING) {
		/* Its poller fetches it; the xfer's reference keeps it. */
		scmi_vio_msg_put(ch, m);
		return false;
	}
	if (st == SCMI_VIO_POLL_TIMEOUT)
		atomic_fetch_add(&ch->late, 1);
	return true;
}

/* ---- the queue callbacks and the deferred work --------------------------------- */

static void scmi_vio_complete(struct scmi_vio_chan *ch)
{
	for (;;) {
		struct scmi_vio_msg *m;
		uint32_t len = 0;

		if (!scmi_vio_chan_acquire(ch))
			return;
		os_spin_lock(&ch->lock);
		if (ch->cb_enabled) {
			virtq_disable_cb(ch->vq);
			ch->cb_enabled = false;
		}
		m = virtq_get_buf(ch->vq, &len);
		if (!m && virtq_is_broken(ch->vq)) {
			os_spin_unlock(&ch->lock);
			scmi_vio_chan_release(ch);
			scmi_vio_queue_broken(ch);
			return;
		}
		if (!m) {
			if (virtq_enable_cb(ch->vq)) {
				ch->cb_enabled = true;
				os_spin_unlock(&ch->lock);
				scmi_vio_chan_release(ch);
				return;
			}
			/* More arrived while re-enabling: go round again. */
			os_spin_unlock(&ch->lock);
			scmi_vio_chan_release(ch);
			continue;
		}
		m->rx_len = len;
		os_spin_unlock(&ch->lock);
		if (ch->is_rx || scmi_vio_tx_returned(ch, m))
			scmi_vio_deliver(ch, m);
		scmi_vio_chan_release(ch);
	}
}

static void scmi_vio_vq_callback(struct virtq *vq, void *priv)
{
	scmi_vio_complete(priv);
}

/* Deliver messages other pollers pre-fetched, then anything still queued. */
static void scmi_vio_deferred_work(struct os_work *w)
{
	struct scmi_vio_chan *ch = os_container_of(w, struct scmi_vio_chan, deferred);

	if (!scmi_vio_chan_acquire(ch))
		return;
	for (;;) {
		struct scmi_vio_msg *m;

		os_spin_lock(&ch->pending_lock);
		m = ch->pending_head;
		if (m) {
			ch->pending_head = m->next;
			if (!ch->pending_head)
				ch->pending_tail = &ch->pending_head;
		}
		os_spin_unlock(&ch->pending_lock);
		if (!m)
			break;
		m->next = NULL;
		atomic_fetch_add(&ch->deferred_msgs, 1);
		scmi_vio_deliver(ch, m);
	}
	scmi_vio_chan_release(ch);
	scmi_vio_complete(ch);
}

/* ---- transport ops --------------------------------------------------------------- */

static bool scmi_vio_chan_available(void *tpriv, bool tx)
{
	struct scmi_vio_dev *vd = tpriv;

	return tx ? vd->chan[VIRTIO_SCMI_VQ_TX].vq != NULL : vd->has_rx;
}

static int scmi_vio_chan_setup(void *tpriv, struct scmi_chan_info *cinfo, bool tx)
{
	struct scmi_vio_dev *vd = tpriv;
	struct scmi_vio_chan *ch = &vd->chan[tx ? VIRTIO_SCMI_VQ_TX : VIRTIO_SCMI_VQ_RX];

	os_spin_lock(&ch->lock);
	ch->cinfo = cinfo;
	os_spin_unlock(&ch->lock);
	cinfo->transport_info = ch;
	return 0;
}

static void scmi_vio_chan_free(void *tpriv, struct scmi_chan_info *cinfo)
{
	struct scmi_vio_chan *ch = cinfo->transport_info;

	/* No up-call into the core after this: shut down, then unbind. */
	scmi_vio_chan_down(ch);
	os_spin_lock(&ch->lock);
	ch->cinfo = NULL;
	os_spin_unlock(&ch->lock);
}

static int scmi_vio_get_max_msg(struct scmi_chan_info *cinfo)
{
	struct scmi_vio_chan *ch = cinfo->transport_info;

	return (int)ch->nmsg;
}

static int scmi_vio_send_message(struct scmi_chan_info *cinfo, struct scmi_xfer *x)
{
	struct scmi_vio_chan *ch = cinfo->transport_info;
	struct scmi_vio_msg *m;
	struct virtq_sg sg[2];
	bool notify = false, broken;
	int ret;

	if (x->tx.len > CONFIG_SCMI_MAX_MSG_SIZE || x->rx_max > CONFIG_SCMI_MAX_MSG_SIZE)
		return -EMSGSIZE;
	if (!scmi_vio_chan_acquire(ch))
		return -ECONNRESET;
	m = scmi_vio_msg_get(ch);
	if (!m) {
		scmi_vio_chan_release(ch);
		return -ENOBUFS;
	}
	m->req_hdr = x->hdr;
	scmi_put_le32(m->request, x->hdr);
	memcpy(m->request + SCMI_HDR_SIZE, x->tx.buf, x->tx.len);
	sg[0] = (struct virtq_sg){ m->request, (uint32_t)(SCMI_HDR_SIZE + x->tx.len) };
	sg[1] = (struct virtq_sg){ m->input, (uint32_t)(SCMI_VIO_OVERHEAD + x->rx_max) };

	os_spin_lock(&ch->lock);
	os_spin_lock(&m->poll_lock);
	if (x->poll) {
		m->poll_idx = virtq_enable_cb_prepare(ch->vq);
		m->poll_state = SCMI_VIO_POLLING;
		atomic_fetch_add(&m->users, 1);	/* the xfer's reference */
		m->xfer_ref = true;
		x->tmsg = m;
	} else {
		m->poll_state = SCMI_VIO_NOT_POLLED;
	}
	os_spin_unlock(&m->poll_lock);
	ret = virtq_add_sgs(ch->vq, sg, 1, 1, m);
	/* The device sees the request (avail idx) before the kick. */
	if (!ret)
		notify = virtq_kick_prepare(ch->vq);
	broken = ret && virtq_is_broken(ch->vq);
	os_spin_unlock(&ch->lock);
	/* The kick (a system call on hosted platforms) outside the lock, as
	 * Linux does; the channel reference keeps the queue alive. */
	if (notify)
		virtq_notify(ch->vq);

	if (ret) {
		if (x->poll) {
			x->tmsg = NULL;
			os_spin_lock(&m->poll_lock);
			m->xfer_ref = false;
			os_spin_unlock(&m->poll_lock);
			scmi_vio_msg_put(ch, m);
		}
		scmi_vio_msg_put(ch, m);
		ret = ret == -ENOSPC ? -ENOBUFS : ret;
	}
	if (broken)
		scmi_vio_queue_broken(ch);
	scmi_vio_chan_release(ch);
	return ret;
}

static int scmi_vio_fetch(struct scmi_chan_info *cinfo, void *msg, uint32_t *hdr,
			  void *buf, size_t cap, size_t *len)
{
	struct scmi_vio_msg *m = msg;
	size_t n;

	if (m->rx_len < SCMI_HDR_SIZE)
		return -EPROTO;
	if (hdr)
		*hdr = scmi_get_le32(m->input);
	n = m->rx_len - SCMI_HDR_SIZE;
	*len = n;
	if (buf && cap)
		memcpy(buf, m->input + SCMI_HDR_SIZE, OS_MIN(n, cap));
	return 0;
}

static void scmi_vio_mark_txdone(struct scmi_chan_info *cinfo, int ret,
				 struct scmi_xfer *x)
{
	struct scmi_vio_chan *ch = cinfo->transport_info;
	struct scmi_vio_msg *m = x->tmsg;

	if (!m)
		return;
	x->tmsg = NULL;
	/* Under poll_lock: atomic with a reclaim after a disconnect. */
	os_spin_lock(&m->poll_lock);
	/* Still with the device: whoever gets it back treats it as late. */
	if (m->poll_state == SCMI_VIO_POLLING)
		m->poll_state = SCMI_VIO_POLL_TIMEOUT;
	m->xfer_ref = false;
	scmi_vio_msg_put(ch, m);
	os_spin_unlock(&m->poll_lock);
}

static bool scmi_vio_poll_done(struct scmi_chan_info *cinfo, struct scmi_xfer *x)
{
	struct scmi_vio_chan *ch = cinfo->transport_info;
	struct scmi_vio_msg *m = x->tmsg, *next;
	bool found = false, queued = false, broken;
	uint32_t len;
	int st;

	if (!m)
		return false;
	os_spin_lock(&m->poll_lock);
	st = m->poll_state;
	os_spin_unlock(&m->poll_lock);
	if (st == SCMI_VIO_POLL_DONE)
		return true;
	if (!scmi_vio_chan_acquire(ch))
		return false;

	os_spin_lock(&ch->lock);
	if (!virtq_poll(ch->vq, m->poll_idx)) {
		os_spin_unlock(&ch->lock);
		scmi_vio_chan_release(ch);
		return false;
	}
	virtq_disable_cb(ch->vq);
	while (!found && (next = virtq_get_buf(ch->vq, &len))) {
		next->rx_len = len;
		os_spin_lock(&next->poll_lock);
		st = next->poll_state;
		if (st == SCMI_VIO_POLLING)
			next->poll_state = SCMI_VIO_POLL_DONE;
		os_spin_unlock(&next->poll_lock);
		if (st == SCMI_VIO_POLLING) {
			found = next == m;
			/* This poller or another fetches it; drop the device's ref. */
			scmi_vio_msg_put(ch, next);
			continue;
		}
		if (st == SCMI_VIO_POLL_TIMEOUT)
			atomic_fetch_add(&ch->late, 1);
		/* An interrupt-driven transfer's (or a late) reply: deferred. */
		os_spin_lock(&ch->pending_lock);
		next->next = NULL;
		*ch->pending_tail = next;
		ch->pending_tail = &next->next;
		os_spin_unlock(&ch->pending_lock);
		queued = true;
	}
	/* Take a fresh reference and let interrupts flow again; anything
	 * already there is left for the deferred work. */
	m->poll_idx = virtq_enable_cb_prepare(ch->vq);
	if (virtq_poll(ch->vq, m->poll_idx))
		queued = true;
	ch->cb_enabled = true;
	broken = virtq_is_broken(ch->vq);
	os_spin_unlock(&ch->lock);
	if (queued)
		os_work_queue(&ch->deferred);
	if (broken)
		scmi_vio_queue_broken(ch);
	scmi_vio_chan_release(ch);
	return found;
}

static const struct scmi_transport_ops scmi_vio_ops = {
	.chan_available = scmi_vio_chan_available,
	.chan_setup = scmi_vio_chan_setup,
	.chan_free = scmi_vio_chan_free,
	.get_max_msg = scmi_vio_get_max_msg,
	.send_message = scmi_vio_send_message,
	.fetch_response = scmi_vio_fetch,
	.fetch_notification = scmi_vio_fetch,
	.mark_txdone = scmi_vio_mark_txdone,
	.poll_done = scmi_vio_poll_done,
};

/* ---- message pools -------------------------------------------------------------------- */

static void scmi_vio_pool_free(struct scmi_vio_dev *vd, struct scmi_vio_chan *ch)
{
	struct virtio_dev *dev = vd->dev;

	for (unsigned i = 0; i < ch->nmsg; i++) {
		if (ch->msgs[i].request)
			dev->ops->dma_free(dev, ch->msgs[i].request, SCMI_VIO_PDU_SIZE);
		if (ch->msgs[i].input)
			dev->ops->dma_free(dev, ch->msgs[i].input, SCMI_VIO_PDU_SIZE);
	}
	os_free(ch->msgs);
	ch->msgs = NULL;
	ch->nmsg = 0;
	ch->free_list = NULL;
	ch->nfree = 0;
}

static int scmi_vio_pool_alloc(struct scmi_vio_dev *vd, struct scmi_vio_chan *ch,
			       unsigned n)
{
	struct virtio_dev *dev = vd->dev;

	ch->msgs = os_calloc(n, sizeof(*ch->msgs));
	if (!ch->msgs)
		return -ENOMEM;
	ch->nmsg = n;
	for (unsigned i = 0; i < n; i++) {
		struct scmi_vio_msg *m = &ch->msgs[i];

		m->chan = ch;
		os_spin_init(&m->poll_lock);
		/* Requests are only read by the device (granted read-only on
		 * Xen); responses and events are written. */
		if (!ch->is_rx) {
			m->request = virtio_dma_alloc(dev, SCMI_VIO_PDU_SIZE, false);
			if (!m->request)
				return -ENOMEM;
		}
		m->input = virtio_dma_alloc(dev, SCMI_VIO_PDU_SIZE, true);
		if (!m->input)
			return -ENOMEM;
		scmi_vio_msg_free(ch, m);
	}
	return 0;
}

/*
 * Put every message back on the free list: the device was reset or is
 * gone, the channel is down. Only a polled xfer's reference survives; its
 * mark_txdone frees the message.
 */
static void scmi_vio_pool_reclaim(struct scmi_vio_chan *ch)
{
	os_spin_lock(&ch->pending_lock);
	ch->pending_head = NULL;
	ch->pending_tail = &ch->pending_head;
	os_spin_unlock(&ch->pending_lock);
	for (unsigned i = 0; i < ch->nmsg; i++) {
		struct scmi_vio_msg *m = &ch->msgs[i];

		os_spin_lock(&m->poll_lock);
		if (m->xfer_ref) {
			if (m->poll_state == SCMI_VIO_POLLING)
				m->poll_state = SCMI_VIO_POLL_TIMEOUT;
			atomic_store(&m->users, 1);
		} else {
			m->poll_state = SCMI_VIO_NOT_POLLED;
			atomic_store(&m->users, 0);
			scmi_vio_msg_free(ch, m);
		}
		os_spin_unlock(&m->poll_lock);
	}
}

/* ---- device setup ----------------------------------------------------------------------- */

static int scmi_vio_negotiate(struct scmi_vio_dev *vd)
{
	struct virtio_dev *dev = vd->dev;
	uint64_t offer, want;
	int ret;

	offer = dev->ops->get_features(dev);
	if (!virtio_has_feature(offer, VIRTIO_F_VERSION_1)) {
		os_err("scmi-virtio: %s does not comply with virtio 1.x", dev->name);
		return -EOPNOTSUPP;
	}
	want = VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS);
	if (virtio_has_feature(offer, VIRTIO_SCMI_F_SHARED_MEMORY))
		os_info("scmi-virtio: %s offers SHARED_MEMORY; not used", dev->name);
	ret = virtio_finalize_features(dev, offer & want);
	if (ret)
		return ret;
	if (!virtio_has_feature(dev->features, VIRTIO_F_VERSION_1))
		return -EOPNOTSUPP;
	vd->has_rx = virtio_has_feature(dev->features, VIRTIO_SCMI_F_P2A_CHANNELS);
	return 0;
}

/* Create the queues; @size 0: the device's maximum (first probe). */
static int scmi_vio_find_vqs(struct scmi_vio_dev *vd, unsigned size)
{
	struct virtio_dev *dev = vd->dev;
	struct virtq *vqs[2] = { NULL, NULL };
	struct virtio_vq_info info[2] = {
		{ "cmdq", scmi_vio_vq_callback, &vd->chan[VIRTIO_SCMI_VQ_TX] },
		{ "eventq", scmi_vio_vq_callback, &vd->chan[VIRTIO_SCMI_VQ_RX] },
	};
	unsigned nvqs = vd->has_rx ? 2 : 1;
	int ret;

	if (!dev->ops->find_vqs)
		return -ENOSYS;
	ret = dev->ops->find_vqs(dev, nvqs, size, vqs, info);
	if (ret)
		return ret;
	for (unsigned i = 0; i < nvqs; i++) {
		struct scmi_vio_chan *ch = &vd->chan[i];

		os_spin_lock(&ch->lock);
		ch->vq = vqs[i];
		ch->qsize = virtq_size(vqs[i]);
		os_spin_unlock(&ch->lock);
	}
	return 0;
}

/* Channels up, event buffers posted, DRIVER_OK, kick the event queue. */
static int scmi_vio_start(struct scmi_vio_dev *vd)
{
	struct virtio_dev *dev = vd->dev;
	struct scmi_vio_chan *rx = &vd->chan[VIRTIO_SCMI_VQ_RX];
	int ret = 0;

	if (vd->has_rx) {
		struct scmi_vio_msg *m;

		os_spin_lock(&rx->lock);
		while (!ret && (m = scmi_vio_msg_get(rx))) {
			ret = scmi_vio_post_rx_locked(rx, m);
			if (ret) {
				atomic_store(&m->users, 0);
				scmi_vio_msg_free(rx, m);
			}
		}
		os_spin_unlock(&rx->lock);
		if (ret && ret != -ENOSPC)
			return ret;
		scmi_vio_chan_up(rx);
	}
	scmi_vio_chan_up(&vd->chan[VIRTIO_SCMI_VQ_TX]);
	if (dev->ops->ready) {
		ret = dev->ops->ready(dev);
		if (ret)
			return ret;
	}
	if (vd->has_rx) {
		os_spin_lock(&rx->lock);
		/* The device sees the posted buffers before this kick. */
		virtq_kick(rx->vq);
		os_spin_unlock(&rx->lock);
	}
	vd->connected = true;
	return 0;
}

static void scmi_vio_chan_init(struct scmi_vio_dev *vd, struct scmi_vio_chan *ch,
			       bool is_rx)
{
	ch->vdev = vd;
	ch->is_rx = is_rx;
	os_spin_init(&ch->lock);
	os_spin_init(&ch->free_lock);
	os_spin_init(&ch->pending_lock);
	ch->pending_tail = &ch->pending_head;
	os_work_init(&ch->deferred, scmi_vio_deferred_work);
	os_completion_init(&ch->shutdown_done);
	atomic_store(&ch->users, 0);
}

static void scmi_vio_teardown(struct scmi_vio_dev *vd)
{
	struct virtio_dev *dev = vd->dev;

	for (unsigned i = 0; i < 2; i++)
		scmi_vio_chan_down(&vd->chan[i]);
	/* Messages still with the device are reclaimed before the queues go
	 * (the transport resets the device in del_vqs). */
	for (unsigned i = 0; i < 2; i++) {
		struct scmi_vio_chan *ch = &vd->chan[i];

		if (!ch->vq)
			continue;
		while (virtq_detach_unused_buf(ch->vq))
			;
		scmi_vio_pool_reclaim(ch);
	}
	if (dev->ops->del_vqs)
		dev->ops->del_vqs(dev);
	for (unsigned i = 0; i < 2; i++)
		vd->chan[i].vq = NULL;
}

static void scmi_vio_free(struct scmi_vio_dev *vd)
{
	for (unsigned i = 0; i < 2; i++) {
		scmi_vio_pool_free(vd, &vd->chan[i]);
		os_completion_destroy(&vd->chan[i].shutdown_done);
	}
	os_free(vd);
}

static void scmi_vio_remove(struct virtio_dev *dev)
{
	struct scmi_vio_dev *vd = dev->driver_priv;

	if (!vd)
		return;
	/* The core frees its channels (chan_free shuts them down) first. */
	scmi_core_destroy(vd->handle);
	vd->handle = NULL;
	scmi_vio_teardown(vd);
	dev->driver_priv = NULL;
	scmi_vio_free(vd);
}

static void scmi_vio_close_hook(void *arg)
{
	scmi_vio_remove(arg);
}

static int scmi_vio_probe(struct virtio_dev *dev)
{
	struct scmi_vio_dev *vd;
	unsigned ntx;
	int ret;

	if (dev->device_id != VIRTIO_ID_SCMI)
		return -ENODEV;
	if (!dev->ops || !dev->ops->get_features || !dev->ops->dma_free ||
	    (!dev->ops->dma_alloc && !dev->ops->dma_alloc_dir))
		return -ENOSYS;
	vd = os_zalloc(sizeof(*vd));
	if (!vd)
		return -ENOMEM;
	vd->dev = dev;
	scmi_vio_chan_init(vd, &vd->chan[VIRTIO_SCMI_VQ_TX], false);
	scmi_vio_chan_init(vd, &vd->chan[VIRTIO_SCMI_VQ_RX], true);

	ret = scmi_vio_negotiate(vd);
	if (ret)
		goto out_free;
	ret = scmi_vio_find_vqs(vd, 0);
	if (ret)
		goto out_free;
	/* Two buffers per command message, one descriptor each (as Linux:
	 * vring size / 2) unless a buffer is larger than a page, which the
	 * ring splits at page boundaries. */
	ntx = OS_MIN(vd->chan[VIRTIO_SCMI_VQ_TX].qsize / (2 * SCMI_VIO_DESC_PER_BUF),
		     SCMI_VIO_MAX_TX_MSG);
	if (!ntx) {
		ret = -ENOSPC;
		goto out_teardown;
	}
	ret = scmi_vio_pool_alloc(vd, &vd->chan[VIRTIO_SCMI_VQ_TX], ntx);
	if (!ret && vd->has_rx)
		ret = scmi_vio_pool_alloc(vd, &vd->chan[VIRTIO_SCMI_VQ_RX],
					  vd->chan[VIRTIO_SCMI_VQ_RX].qsize /
						  SCMI_VIO_DESC_PER_BUF);
	if (ret)
		goto out_teardown;

	vd->desc.name = "virtio";
	vd->desc.ops = &scmi_vio_ops;
	vd->desc.max_msg_size = CONFIG_SCMI_MAX_MSG_SIZE;
	vd->desc.can_poll = true;
	ret = scmi_core_create(&vd->desc, vd, &vd->handle);
	if (ret)
		goto out_teardown;
	dev->driver_priv = vd;
	ret = scmi_vio_start(vd);
	if (ret)
		goto out_core;
	scmi_core_set_close_hook(vd->handle, scmi_vio_close_hook, dev);
	os_info("scmi-virtio: %s: %u command slots, %s, messages of %u bytes",
		dev->name ? dev->name : "device", ntx,
		vd->has_rx ? "event queue" : "no event queue",
		(unsigned)CONFIG_SCMI_MAX_MSG_SIZE);
	return 0;

out_core:
	scmi_core_destroy(vd->handle);
	dev->driver_priv = NULL;
out_teardown:
	scmi_vio_teardown(vd);
out_free:
	scmi_vio_free(vd);
	return ret;
}

static void scmi_vio_disconnect(struct virtio_dev *dev)
{
	struct scmi_vio_dev *vd = dev->driver_priv;

	if (!vd || !vd->connected)
		return;
	vd->connected = false;
	/* Waiters wake with -ECONNRESET; then nobody is left in a channel. */
	scmi_core_disconnect(vd->handle, -ECONNRESET);
	for (unsigned i = 0; i < 2; i++)
		scmi_vio_chan_down(&vd->chan[i]);
	/* The device is gone: what it held will never be written again. */
	for (unsigned i = 0; i < 2; i++) {
		struct scmi_vio_chan *ch = &vd->chan[i];

		if (!ch->vq)
			continue;
		while (virtq_detach_unused_buf(ch->vq))
			;
		scmi_vio_pool_reclaim(ch);
		/* The transport deletes the queue after we return: forget it,
		 * so a remove() without a restore() never touches it again. */
		ch->vq = NULL;
	}
}

static int scmi_vio_restore(struct virtio_dev *dev)
{
	struct scmi_vio_dev *vd = dev->driver_priv;
	bool had_rx;
	int ret;

	if (!vd)
		return -ENODEV;
	if (vd->connected)
		scmi_vio_disconnect(dev);
	had_rx = vd->has_rx;
	ret = scmi_vio_negotiate(vd);
	if (ret)
		return ret;
	if (vd->has_rx != had_rx) {
		os_err("scmi-virtio: %s: P2A channel %s across a reconnection",
		       dev->name, had_rx ? "lost" : "appeared");
		vd->has_rx = had_rx;
		return -EPROTO;
	}
	ret = scmi_vio_find_vqs(vd, vd->chan[VIRTIO_SCMI_VQ_TX].qsize);
	if (ret)
		return ret;
	ret = scmi_vio_start(vd);
	if (ret)
		return ret;
	scmi_core_set_connected(vd->handle, true);
	return 0;
}

const struct virtio_driver scmi_virtio_driver = {
	.name = "scmi-virtio",
	.device_id = VIRTIO_ID_SCMI,
	.features = VIRTIO_BIT(VIRTIO_F_VERSION_1) |
		    VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS),
	.probe = scmi_vio_probe,
	.remove = scmi_vio_remove,
	.disconnect = scmi_vio_disconnect,
	.restore = scmi_vio_restore,
};

/* ---- public ------------------------------------------------------------------------------ */

int scmi_open(struct virtio_dev *dev, struct scmi_handle **out)
{
	int ret;

	if (!dev || !out)
		return -EINVAL;
	if (!dev->driver_priv) {
		ret = scmi_vio_probe(dev);
		if (ret)
			return ret;
	}
	*out = ((struct scmi_vio_dev *)dev->driver_priv)->handle;
	return 0;
}

struct scmi_handle *scmi_handle_of(struct virtio_dev *dev)
{
	struct scmi_vio_dev *vd = dev ? dev->driver_priv : NULL;

	return vd ? vd->handle : NULL;
}

int scmi_virtio_get_stats(struct virtio_dev *dev, struct scmi_virtio_stats *st)
{
	struct scmi_vio_dev *vd = dev ? dev->driver_priv : NULL;
	struct scmi_vio_chan *tx, *rx;

	if (!vd || !st)
		return -ENODEV;
	tx = &vd->chan[VIRTIO_SCMI_VQ_TX];
	rx = &vd->chan[VIRTIO_SCMI_VQ_RX];
	os_spin_lock(&tx->free_lock);
	st->tx_msgs = tx->nmsg;
	st->tx_free = tx->nfree;
	os_spin_unlock(&tx->free_lock);
	os_spin_lock(&rx->free_lock);
	st->rx_msgs = rx->nmsg;
	st->rx_free = rx->nfree;
	os_spin_unlock(&rx->free_lock);
	st->late_polled = atomic_load(&tx->late);
	st->dropped = atomic_load(&tx->dropped) + atomic_load(&rx->dropped);
	st->deferred = atomic_load(&tx->deferred_msgs);
	st->connected = vd->connected;
	return 0;
}
