// SPDX-License-Identifier: MIT
/*
 * virtio-core driver and device roles talking to each other: across two
 * threads, and across two processes (fork) over one MAP_SHARED mapping, the
 * way a guest and a back-end share granted pages. Tens of thousands of
 * request/response pairs of varying sizes (split at page boundaries, some in
 * two pieces) are checked byte for byte, with EVENT_IDX on and off, across
 * the 2^16 index wrap, and with real notification suppression: each side
 * sleeps on a doorbell counter after re-enabling notifications, so a lost
 * kick or interrupt shows up as a timeout.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <vscmi/os.h>
#include <vscmi/virtio.h>

#define NUM 64
#define MAX_REQ 300
#define RESP_EXTRA 4
#define SLOT_REQ MAX_REQ			/* not page aligned: slots straddle pages */
#define SLOT_RESP (MAX_REQ + RESP_EXTRA)
#define NSLOTS 48
#define PAGE 4096u
#define SHM_PAGES 16
#define WAIT_NS (20 * OS_NSEC_PER_SEC)

/* Everything both sides share, at fixed offsets in one mapping. */
struct shm_ctl {
	_Atomic uint32_t doorbell;	/* driver -> device kicks */
	_Atomic uint32_t irq;		/* device -> driver interrupts */
	atomic_int stop;
	atomic_int device_failed;
	uint64_t served;
};

struct pair {
	char *shm;			/* SHM_PAGES pages */
	struct shm_ctl *ctl;
	void *desc, *avail, *used;
	char *req_pool, *resp_pool;
	bool event_idx;
	uint16_t start;
	unsigned messages;
};

static void pair_init(struct pair *p, bool event_idx, uint16_t start,
		      unsigned messages)
{
	memset(p, 0, sizeof(*p));
	p->shm = mmap(NULL, SHM_PAGES * PAGE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(p->shm != MAP_FAILED);
	p->ctl = (struct shm_ctl *)(void *)p->shm;
	p->desc = p->shm + 1 * PAGE;
	p->avail = p->shm + 2 * PAGE;
	p->used = p->shm + 3 * PAGE;
	p->req_pool = p->shm + 4 * PAGE;
	p->resp_pool = p->shm + 9 * PAGE;
	_Static_assert(NSLOTS * SLOT_REQ <= 5 * PAGE, "request pool fits");
	_Static_assert(NSLOTS * SLOT_RESP <= 7 * PAGE, "response pool fits");
	p->event_idx = event_idx;
	p->start = start;
	p->messages = messages;
}

static void pair_fini(struct pair *p)
{
	munmap(p->shm, SHM_PAGES * PAGE);
}

/* Spin a little, then yield, until *@v != @old or the deadline passes. */
static bool wait_change(_Atomic uint32_t *v, uint32_t old, atomic_int *stop)
{
	uint64_t deadline = os_now_ns() + WAIT_NS;
	unsigned spins = 0;

	while (atomic_load(v) == old) {
		if (stop && atomic_load(stop))
			return true;
		if (++spins < 1000) {
			os_cpu_relax();
			continue;
		}
		sched_yield();
		if (os_now_ns() > deadline)
			return false;
	}
	return true;
}

/* ---- device side ---------------------------------------------------------------- */


/* The device may read the whole mapping but write only the rings' used area
 * and the response pool: requests are "granted read-only". */
static void *dev_translate(void *ctx, uint64_t dma, uint32_t len, bool write)
{
	struct pair *p = ctx;
	uint64_t base = (uintptr_t)p->shm, end = base + SHM_PAGES * PAGE;
	uint64_t wbase = (uintptr_t)p->resp_pool;

	if (dma < base + PAGE || dma > end || len > end - dma)
		return NULL;
	if (write && !(dma >= wbase || (dma >= (uintptr_t)p->used &&
					 dma + len <= (uintptr_t)p->used + PAGE)))
		return NULL;
	return (void *)(uintptr_t)dma;
}

static const struct virtq_mem_ops dev_mem_ops = { dev_translate };

static int device_create(struct pair *p, struct virtq_dev **vq)
{
	struct virtq_dev_config cfg = {
		.name = "pair-dev",
		.num = NUM,
		.desc = (uintptr_t)p->desc,
		.avail = (uintptr_t)p->avail,
		.used = (uintptr_t)p->used,
		.event_idx = p->event_idx,
		.mem = &dev_mem_ops,
		.mem_ctx = p,
		.max_chain_bytes = 2 * MAX_REQ + RESP_EXTRA,
		.start_idx = p->start,
	};

	return virtq_dev_create(&cfg, vq);
}

/* Serve until told to stop; 0 or -1. */
static int device_run(struct pair *p, struct virtq_dev *vq)
{
	struct shm_ctl *ctl = p->ctl;
	uint8_t req[MAX_REQ], resp[SLOT_RESP];

	for (;;) {
		struct virtq_dev_chain c;
		size_t n, i, w;
		uint32_t sum = 0;
		uint32_t bell;
		int r = virtq_dev_pop(vq, &c);

		if (r < 0)
			return -1;
		if (r == 1) {
			if (c.out_len > MAX_REQ || c.in_len < c.out_len + RESP_EXTRA)
				return -1;
			n = virtq_dev_read(&c, 0, req, sizeof(req));
			if (n != c.out_len)
				return -1;
			for (i = 0; i < n; i++) {
				sum += req[i];
				resp[RESP_EXTRA + i] = req[i] ^ 0xa5;
			}
			memcpy(resp, &sum, RESP_EXTRA);
			w = virtq_dev_write(&c, 0, resp, n + RESP_EXTRA);
			if (w != n + RESP_EXTRA)
				return -1;
			if (virtq_dev_push(vq, c.head, (uint32_t)w))
				return -1;
			ctl->served++;
			continue;
		}
		if (virtq_dev_need_interrupt(vq))
			atomic_fetch_add(&ctl->irq, 1);
		if (atomic_load(&ctl->stop))
			return 0;
		bell = atomic_load(&ctl->doorbell);
		if (!virtq_dev_enable_notify(vq))
			continue;
		if (!wait_change(&ctl->doorbell, bell, &ctl->stop))
			return -1;
		/* Busy again: no kicks needed until the ring runs dry. */
		virtq_dev_disable_notify(vq);
	}
}

struct dev_thread_arg {
	struct pair *p;
	struct virtq_dev *vq;
};

static void *device_thread(void *arg)
{
	struct dev_thread_arg *a = arg;

	if (device_run(a->p, a->vq))
		atomic_store(&a->p->ctl->device_failed, 1);
	return NULL;
}

/* ---- driver side ---------------------------------------------------------------- */

struct slot {
	unsigned idx;
	uint32_t seq, len;
	bool busy;
};

static void drv_notify(struct virtq *vq, void *priv)
{
	struct shm_ctl *ctl = priv;

	atomic_fetch_add(&ctl->doorbell, 1);
}

static const struct virtq_dma page_split_dma = {
	.ops = NULL,		/* filled from virtq_dma_identity at run time */
	.seg_boundary = PAGE,
};

static uint8_t req_byte(uint32_t seq, size_t i)
{
	return (uint8_t)(seq * 31 + i * 7 + 1);
}

static struct virtq_dma split_dma;

/* The driver's queue, created before the device may look at the ring (as
 * the transport handshake orders it). */
static int driver_create(struct pair *p, struct virtq **vq)
{
	struct virtq_config cfg = {
		.name = "pair-drv",
		.num = NUM,
		.desc = p->desc,
		.avail = p->avail,
		.used = p->used,
		.event_idx = p->event_idx,
		.dma = &split_dma,
		.notify = drv_notify,
		.priv = p->ctl,
		.start_idx = p->start,
	};

	split_dma = page_split_dma;
	split_dma.ops = virtq_dma_identity.ops;
	return virtq_create(&cfg, vq);
}

/* Drive @p->messages request/response pairs; returns 0 or a line number. */
static int driver_run(struct pair *p, struct virtq *vq)
{
	struct shm_ctl *ctl = p->ctl;
	struct slot slots[NSLOTS];
	unsigned sent = 0, received = 0, k;
	struct virtq_stats st;
	int ret = 0;

	memset(slots, 0, sizeof(slots));
	for (k = 0; k < NSLOTS; k++)
		slots[k].idx = k;

	while (received < p->messages) {
		struct slot *s;
		uint32_t len, bell;
		unsigned got = 0, batch = 1 + received % 7, added = 0;

		/* Small, varying batches: the device is often still busy when
		 * we kick, so suppression is exercised as well as wake-ups. */
		for (k = 0; k < NSLOTS && sent < p->messages && added < batch; k++) {
			struct virtq_sg sg[3];
			uint8_t *req = (uint8_t *)p->req_pool + k * SLOT_REQ;
			unsigned nout;
			size_t i;
			int r;

			s = &slots[k];
			if (s->busy)
				continue;
			s->seq = sent;
			s->len = 1 + (sent * 37) % MAX_REQ;
			for (i = 0; i < s->len; i++)
				req[i] = req_byte(s->seq, i);
			memset(p->resp_pool + k * SLOT_RESP, 0, SLOT_RESP);
			/* Every third request travels in two pieces. */
			if (s->len > 1 && sent % 3 == 0) {
				sg[0] = (struct virtq_sg){ req, s->len / 2 };
				sg[1] = (struct virtq_sg){ req + s->len / 2,
							   s->len - s->len / 2 };
				nout = 2;
			} else {
				sg[0] = (struct virtq_sg){ req, s->len };
				nout = 1;
			}
			sg[nout] = (struct virtq_sg){ p->resp_pool + k * SLOT_RESP,
						      SLOT_RESP };
			r = virtq_add_sgs(vq, sg, nout, 1, s);
			if (r == -ENOSPC)
				break;
			if (r) {
				ret = __LINE__;
				goto out;
			}
			s->busy = true;
			sent++;
			added++;
		}
		virtq_kick(vq);

		while ((s = virtq_get_buf(vq, &len)) != NULL) {
			const uint8_t *resp = (uint8_t *)p->resp_pool + s->idx * SLOT_RESP;
			uint32_t sum = 0, got_sum;
			size_t i;

			if (!s->busy || len != s->len + RESP_EXTRA) {
				ret = __LINE__;
				goto out;
			}
			for (i = 0; i < s->len; i++) {
				sum += req_byte(s->seq, i);
				if (resp[RESP_EXTRA + i] != (req_byte(s->seq, i) ^ 0xa5)) {
					ret = __LINE__;
					goto out;
				}
			}
			memcpy(&got_sum, resp, sizeof(got_sum));
			if (got_sum != sum) {
				ret = __LINE__;
				goto out;
			}
			s->busy = false;
			received++;
			got++;
		}
		if (virtq_is_broken(vq) || atomic_load(&ctl->device_failed)) {
			ret = __LINE__;
			goto out;
		}
		if (got || received == p->messages)
			continue;
		bell = atomic_load(&ctl->irq);
		if (!virtq_enable_cb(vq))
			continue;
		if (!wait_change(&ctl->irq, bell, &ctl->device_failed)) {
			ret = __LINE__;
			goto out;
		}
	}
	virtq_get_stats(vq, &st);
	if (st.added != p->messages || st.used != p->messages || st.len_clamped)
		ret = __LINE__;
	if (st.notifies + st.notifies_suppressed == 0)
		ret = __LINE__;
	print_message("%s, start %u: %u messages, %llu kicks (%llu suppressed), %u interrupts\n",
		      p->event_idx ? "EVENT_IDX" : "flags", p->start, p->messages,
		      (unsigned long long)st.notifies,
		      (unsigned long long)st.notifies_suppressed,
		      (unsigned)atomic_load(&ctl->irq));
out:
	if (ret)
		fprintf(stderr, "driver failed at line %d after %u/%u (broken: %s)\n",
			ret, received, p->messages,
			virtq_broken_reason(vq) ? virtq_broken_reason(vq) : "no");
	atomic_store(&ctl->stop, 1);
	atomic_fetch_add(&ctl->doorbell, 1);
	return ret;
}

/* ---- the tests -------------------------------------------------------------------- */

static void run_threads(bool event_idx, uint16_t start, unsigned messages)
{
	struct dev_thread_arg a = { 0 };
	struct virtq *vq;
	struct pair p;
	pthread_t t;
	int ret;

	pair_init(&p, event_idx, start, messages);
	a.p = &p;
	assert_int_equal(driver_create(&p, &vq), 0);
	assert_int_equal(device_create(&p, &a.vq), 0);
	assert_int_equal(pthread_create(&t, NULL, device_thread, &a), 0);
	ret = driver_run(&p, vq);
	pthread_join(t, NULL);
	virtq_destroy(vq);
	virtq_dev_destroy(a.vq);
	assert_int_equal(ret, 0);
	assert_int_equal(atomic_load(&p.ctl->device_failed), 0);
	assert_int_equal(p.ctl->served, messages);
	pair_fini(&p);
}

static void test_threads_event_idx(void **state)
{
	run_threads(true, 0, 30000);
}

static void test_threads_flags(void **state)
{
	run_threads(false, 0, 30000);
}

static void test_threads_wrap(void **state)
{
	run_threads(true, 65000, 5000);
	run_threads(false, 65500, 2000);
}

static void run_fork(bool event_idx, uint16_t start, unsigned messages)
{
	struct pair p;
	struct virtq_dev *vq;
	struct virtq *dvq;
	pid_t pid;
	int status, ret;

	pair_init(&p, event_idx, start, messages);
	assert_int_equal(driver_create(&p, &dvq), 0);
	assert_int_equal(device_create(&p, &vq), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The back-end process: only the shared mapping connects us. */
		int rc = device_run(&p, vq);

		virtq_dev_destroy(vq);
		virtq_destroy(dvq);
		if (rc)
			atomic_store(&p.ctl->device_failed, 1);
		_exit(rc ? 1 : 0);
	}
	virtq_dev_destroy(vq);	/* the parent's copy is not used */
	ret = driver_run(&p, dvq);
	virtq_destroy(dvq);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(ret, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(p.ctl->served, messages);
	pair_fini(&p);
}

static void test_processes_event_idx(void **state)
{
	run_fork(true, 65300, 20000);
}

static void test_processes_flags(void **state)
{
	run_fork(false, 0, 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_event_idx),
		cmocka_unit_test(test_threads_flags),
		cmocka_unit_test(test_threads_wrap),
		cmocka_unit_test(test_processes_event_idx),
		cmocka_unit_test(test_processes_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
