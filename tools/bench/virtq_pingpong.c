// SPDX-License-Identifier: MIT
/*
 * virtq-pingpong: how many request/response messages per second one split
 * virtqueue carries between two threads, next to a plain shared-memory
 * single-producer/single-consumer ring doing the same copies between the
 * same two threads, measured in the same run.
 *
 * virtqueue: the driver thread adds a 128-byte request (device-readable) and
 * a 128-byte response buffer (device-writable) per message, keeping up to
 * --depth in flight, kicks, and collects used buffers; the device thread
 * pops, copies the request out, writes the response, pushes and checks
 * whether to interrupt. Both spin-poll (callbacks and notifications
 * disabled), so the figure is the ring protocol's cost: descriptors,
 * barriers, shadow-state checks and the copies, without wake-ups.
 *
 * SPSC baseline: two Lamport rings of 128-byte slots (requests, responses);
 * the same copies, the same depth, only head/tail indices.
 */
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vscmi/os.h>
#include <vscmi/virtio.h>

#define MSG 128
#define CACHELINE 64

#define USAGE \
"Usage: virtq-pingpong [OPTION]...\n" \
"\n" \
"Measure request/response messages per second through one split virtqueue\n" \
"(driver and device roles in two spin-polling threads) and through a plain\n" \
"shared-memory SPSC ring pair copying the same 128-byte messages between\n" \
"the same two threads, and print both and their ratio.\n" \
"\n" \
"  -n, --messages N     messages per measurement (default 2000000)\n" \
"  -d, --depth N        messages in flight (default 32)\n" \
"  -s, --size N         virtqueue size, a power of two <= %u (default 256)\n" \
"  -r, --repeat N       measure each N times, report the best (default 3)\n" \
"      --no-event-idx   use the flag-based notification suppression\n" \
"  -c, --cpus A,B       pin the driver thread to CPU A, the device thread to B\n" \
"  -1, --one-thread     run both sides in one thread, timed in thread CPU\n" \
"                       time: the per-message cost, unaffected by a busy\n" \
"                       machine (no cache-line transfers either)\n" \
"  -h, --help           this help\n"

struct opts {
	unsigned long messages;
	unsigned depth, size, repeat;
	bool event_idx;
	bool one_thread;	/* both sides in the caller, CPU-time clock */
	int cpu[2];		/* -1: not pinned */
};

/* Pin the calling thread to @cpu (if >= 0); false on failure. */
static bool pin_self(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return true;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0;
}

/* Wall time, or this thread's CPU time in one-thread mode. */
static uint64_t now_ns(const struct opts *o)
{
	struct timespec ts;

	clock_gettime(o->one_thread ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Page-aligned memory (aligned_alloc wants a size that is a multiple). */
static void *page_alloc(size_t size)
{
	return aligned_alloc(4096, OS_ALIGN_UP(size, (size_t)4096));
}

static void fill(uint8_t *m, uint64_t seq)
{
	memcpy(m, &seq, sizeof(seq));
	memset(m + sizeof(seq), (int)(seq & 0xff), MSG - sizeof(seq));
}

static uint64_t seq_of(const uint8_t *m)
{
	uint64_t s;

	memcpy(&s, m, sizeof(s));
	return s;
}

/* ---- virtqueue pair ------------------------------------------------------------ */

struct vq_bench {
	const struct opts *o;
	struct virtq *vq;
	struct virtq_dev *dvq;
	atomic_int stop;
	atomic_int failed;
	unsigned long served;
};

static void *vq_mem_translate(void *ctx, uint64_t dma, uint32_t len, bool write)
{
	return (void *)(uintptr_t)dma;
}

static const struct virtq_mem_ops vq_identity_mem = { vq_mem_translate };

/* Serve everything available: pop, copy, push. -1 on failure. */
static int vq_device_step(struct vq_bench *b)
{
	uint8_t req[MSG], resp[MSG];
	struct virtq_dev_chain c;
	int r, pushed = 0;

	while ((r = virtq_dev_pop(b->dvq, &c)) == 1) {
		if (virtq_dev_read(&c, 0, req, MSG) != MSG)
			return -1;
		memcpy(resp, req, MSG);
		resp[MSG - 1] ^= 0xff;
		virtq_dev_write(&c, 0, resp, MSG);
		virtq_dev_push(b->dvq, c.head, MSG);
		b->served++;
		pushed++;
	}
	if (r < 0)
		return -1;
	if (pushed)
		(void)virtq_dev_need_interrupt(b->dvq);	/* polled: not sent */
	return pushed;
}

static void *vq_device_thread(void *arg)
{
	struct vq_bench *b = arg;

	pin_self(b->o->cpu[1]);
	while (!atomic_load_explicit(&b->stop, memory_order_relaxed)) {
		int r = vq_device_step(b);

		if (r < 0) {
			atomic_store(&b->failed, 1);
			return NULL;
		}
		if (!r)
			os_cpu_relax();
	}
	return NULL;
}

/* Messages per second through the virtqueue, or 0 on failure. */
static double vq_run(const struct opts *o)
{
	/* desc, avail and used areas each start a page, as on Xen. */
	size_t dsz = OS_ALIGN_UP(virtq_desc_area_size(o->size), (size_t)4096);
	size_t rsz = dsz + 2 * 4096;
	uint8_t *ring = page_alloc(rsz);
	uint8_t *bufs = page_alloc((size_t)o->depth * 2 * MSG);
	struct vq_bench b = { .o = o };
	uint64_t *slot_seq = calloc(o->depth, sizeof(*slot_seq));
	unsigned *free_slots = calloc(o->depth, sizeof(*free_slots));
	unsigned nfree = o->depth, k;
	unsigned long sent = 0, done = 0;
	double rate = 0;
	uint64_t t0, t1;
	pthread_t th;

	if (!ring || !bufs || !slot_seq || !free_slots)
		goto out;
	memset(ring, 0, rsz);
	{
		struct virtq_config cfg = {
			.name = "bench", .num = o->size, .event_idx = o->event_idx,
			.desc = ring, .avail = ring + dsz, .used = ring + dsz + 4096,
		};
		struct virtq_dev_config dcfg = {
			.name = "bench", .num = o->size, .event_idx = o->event_idx,
			.desc = (uintptr_t)cfg.desc, .avail = (uintptr_t)cfg.avail,
			.used = (uintptr_t)cfg.used, .mem = &vq_identity_mem,
		};

		if (virtq_create(&cfg, &b.vq) || virtq_dev_create(&dcfg, &b.dvq))
			goto out;
	}
	for (k = 0; k < o->depth; k++)
		free_slots[k] = k;
	virtq_disable_cb(b.vq);
	virtq_dev_disable_notify(b.dvq);
	if (!o->one_thread && pthread_create(&th, NULL, vq_device_thread, &b))
		goto out;

	t0 = now_ns(o);
	while (done < o->messages) {
		uint32_t len;
		uintptr_t tok;

		while (nfree && sent < o->messages) {
			unsigned s = free_slots[--nfree];
			uint8_t *req = bufs + (size_t)s * 2 * MSG;
			struct virtq_sg sg[2] = { { req, MSG }, { req + MSG, MSG } };

			fill(req, sent);
			slot_seq[s] = sent;
			if (virtq_add_sgs(b.vq, sg, 1, 1, (void *)(uintptr_t)(s + 1))) {
				nfree++;
				break;
			}
			sent++;
		}
		virtq_kick(b.vq);
		if (o->one_thread && vq_device_step(&b) < 0)
			atomic_store(&b.failed, 1);
		while ((tok = (uintptr_t)virtq_get_buf(b.vq, &len)) != 0) {
			unsigned s = (unsigned)(tok - 1);
			const uint8_t *resp = bufs + (size_t)s * 2 * MSG + MSG;

			if (len != MSG || seq_of(resp) != slot_seq[s] ||
			    resp[MSG - 1] != (uint8_t)((slot_seq[s] & 0xff) ^ 0xff)) {
				atomic_store(&b.failed, 1);
				break;
			}
			free_slots[nfree++] = s;
			done++;
		}
		if (atomic_load(&b.failed) || virtq_is_broken(b.vq))
			break;
	}
	t1 = now_ns(o);
	atomic_store(&b.stop, 1);
	if (!o->one_thread)
		pthread_join(th, NULL);
	if (!atomic_load(&b.failed) && done == o->messages)
		rate = (double)done * 1e9 / (double)(t1 - t0);
	else
		fprintf(stderr, "virtq-pingpong: virtqueue run failed after %lu messages\n", done);
out:
	virtq_destroy(b.vq);
	virtq_dev_destroy(b.dvq);
	free(ring);
	free(bufs);
	free(slot_seq);
	free(free_slots);
	return rate;
}

/* ---- plain SPSC ring pair --------------------------------------------------------- */

#define SPSC_SLOTS 256u

struct spsc {
	_Alignas(CACHELINE) atomic_ulong head;	/* written by the producer */
	_Alignas(CACHELINE) atomic_ulong tail;	/* written by the consumer */
	_Alignas(CACHELINE) uint8_t slot[SPSC_SLOTS][MSG];
};

static bool spsc_put(struct spsc *r, const uint8_t *m)
{
	unsigned long h = atomic_load_explicit(&r->head, memory_order_relaxed);

	if (h - atomic_load_explicit(&r->tail, memory_order_acquire) == SPSC_SLOTS)
		return false;
	memcpy(r->slot[h % SPSC_SLOTS], m, MSG);
	/* The consumer sees the slot's bytes before the head that covers them. */
	atomic_store_explicit(&r->head, h + 1, memory_order_release);
	return true;
}

static bool spsc_get(struct spsc *r, uint8_t *m)
{
	unsigned long t = atomic_load_explicit(&r->tail, memory_order_relaxed);

	if (t == atomic_load_explicit(&r->head, memory_order_acquire))
		return false;
	memcpy(m, r->slot[t % SPSC_SLOTS], MSG);
	/* The producer sees our copy finished before it may reuse the slot. */
	atomic_store_explicit(&r->tail, t + 1, memory_order_release);
	return true;
}

struct spsc_bench {
	struct spsc *req, *resp;
	int cpu;
	atomic_int stop;
};

/* Answer every request waiting; false if the response ring was full. */
static bool spsc_server_step(struct spsc_bench *b)
{
	uint8_t m[MSG];

	while (spsc_get(b->req, m)) {
		m[MSG - 1] ^= 0xff;
		if (!spsc_put(b->resp, m))
			return false;	/* cannot happen: depth <= ring size */
	}
	return true;
}

static void *spsc_server_thread(void *arg)
{
	struct spsc_bench *b = arg;
	uint8_t m[MSG];

	pin_self(b->cpu);
	while (!atomic_load_explicit(&b->stop, memory_order_relaxed)) {
		if (!spsc_get(b->req, m)) {
			os_cpu_relax();
			continue;
		}
		m[MSG - 1] ^= 0xff;
		while (!spsc_put(b->resp, m))
			os_cpu_relax();
	}
	return NULL;
}

static double spsc_run(const struct opts *o)
{
	struct spsc_bench b = { .cpu = o->cpu[1] };
	unsigned long sent = 0, done = 0;
	uint8_t m[MSG];
	double rate = 0;
	uint64_t t0, t1;
	pthread_t th;

	b.req = page_alloc(sizeof(struct spsc));
	b.resp = page_alloc(sizeof(struct spsc));
	if (!b.req || !b.resp)
		goto out;
	memset(b.req, 0, sizeof(struct spsc));
	memset(b.resp, 0, sizeof(struct spsc));
	if (!o->one_thread && pthread_create(&th, NULL, spsc_server_thread, &b))
		goto out;
	t0 = now_ns(o);
	while (done < o->messages) {
		while (sent - done < o->depth && sent < o->messages) {
			fill(m, sent);
			if (!spsc_put(b.req, m))
				break;
			sent++;
		}
		if (o->one_thread && !spsc_server_step(&b))
			goto out_stop;
		while (spsc_get(b.resp, m)) {
			if (seq_of(m) != done || m[MSG - 1] != (uint8_t)((done & 0xff) ^ 0xff))
				goto out_stop;
			done++;
		}
	}
out_stop:
	t1 = now_ns(o);
	atomic_store(&b.stop, 1);
	if (!o->one_thread)
		pthread_join(th, NULL);
	if (done == o->messages)
		rate = (double)done * 1e9 / (double)(t1 - t0);
	else
		fprintf(stderr, "virtq-pingpong: SPSC run failed after %lu messages\n", done);
out:
	free(b.req);
	free(b.resp);
	return rate;
}

/* ---- main ---------------------------------------------------------------------------- */

static int parse_ul(const char *s, unsigned long min, unsigned long max,
		    unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "messages", required_argument, NULL, 'n' },
		{ "depth", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "no-event-idx", no_argument, NULL, 'E' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "one-thread", no_argument, NULL, '1' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 2000000, 32, 256, 3, true, false, { -1, -1 } };
	double best_vq = 0, best_spsc = 0;
	unsigned long v;
	unsigned i;
	int c;

	while ((c = getopt_long(argc, argv, "n:d:s:r:c:1h", lopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_ul(optarg, 1, 1ul << 40, &o.messages))
				goto bad;
			break;
		case 'd':
			if (parse_ul(optarg, 1, 4096, &v))
				goto bad;
			o.depth = (unsigned)v;
			break;
		case 's':
			if (parse_ul(optarg, 2, CONFIG_VIRTQ_MAX_SIZE, &v) || (v & (v - 1)))
				goto bad;
			o.size = (unsigned)v;
			break;
		case 'r':
			if (parse_ul(optarg, 1, 100, &v))
				goto bad;
			o.repeat = (unsigned)v;
			break;
		case 'E':
			o.event_idx = false;
			break;
		case '1':
			o.one_thread = true;
			break;
		case 'c': {
			unsigned a, b;
			char extra;

			if (sscanf(optarg, "%u,%u%c", &a, &b, &extra) != 2 ||
			    a >= CPU_SETSIZE || b >= CPU_SETSIZE)
				goto bad;
			o.cpu[0] = (int)a;
			o.cpu[1] = (int)b;
			break;
		}
		case 'h':
			printf(USAGE, CONFIG_VIRTQ_MAX_SIZE);
			return 0;
		default:
			goto bad_usage;
		}
	}
	if (optind != argc)
		goto bad_usage;
	/* Each message takes two descriptors. */
	if (o.depth > o.size / 2) {
		fprintf(stderr, "virtq-pingpong: --depth %u needs a queue of at least %u entries\n",
			o.depth, 2 * o.depth);
		return 2;
	}
	if (o.depth > SPSC_SLOTS) {
		fprintf(stderr, "virtq-pingpong: --depth is at most %u\n", SPSC_SLOTS);
		return 2;
	}

	if (!pin_self(o.cpu[0])) {
		fprintf(stderr, "virtq-pingpong: cannot pin to CPU %d\n", o.cpu[0]);
		return 1;
	}
	for (i = 0; i < o.repeat; i++) {
		double a = vq_run(&o), b = spsc_run(&o);

		if (a == 0 || b == 0)
			return 1;
		best_vq = a > best_vq ? a : best_vq;
		best_spsc = b > best_spsc ? b : best_spsc;
	}
	printf("messages:        %lu x %u bytes each way, depth %u, queue size %u, %s, %s\n",
	       o.messages, MSG, o.depth, o.size, o.event_idx ? "EVENT_IDX" : "flags",
	       o.one_thread ? "one thread (CPU time)" : "two threads");
	printf("virtqueue pair:  %.0f msg/s (%.1f ns/msg)\n", best_vq, 1e9 / best_vq);
	printf("SPSC ring pair:  %.0f msg/s (%.1f ns/msg)\n", best_spsc, 1e9 / best_spsc);
	printf("ratio:           virtqueue = %.2f x SPSC\n", best_vq / best_spsc);
	return 0;

bad:
	fprintf(stderr, "virtq-pingpong: invalid value for -%c: %s\n", c, optarg);
bad_usage:
	fprintf(stderr, USAGE, CONFIG_VIRTQ_MAX_SIZE);
	return 2;
}
