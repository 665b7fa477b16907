// SPDX-License-Identifier: MIT
/*
 * The machine's own limits, measured in the same run as vscmi's figures:
 *  (a) a wake-up ping-pong between two processes carrying 128 bytes through
 *      a shared-memory ring, each side sleeping on an eventfd: the floor for
 *      anything that blocks;
 *  (b) a spin ping-pong on a shared cache line: the floor for polling.
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vscmi/os.h>

#include "bench.h"

#define MSG 128
#define SLOTS 16

struct ring {
	_Alignas(64) atomic_uint head;
	_Alignas(64) atomic_uint tail;
	_Alignas(64) uint8_t slot[SLOTS][MSG];
};

struct shm_pair {
	struct ring req, resp;
	_Alignas(64) atomic_uint spin;	/* (b): odd = ping, even = pong */
};

static void ring_put(struct ring *r, const uint8_t *msg)
{
	unsigned h = atomic_load_explicit(&r->head, memory_order_relaxed);

	memcpy(r->slot[h % SLOTS], msg, MSG);
	/* The reader sees the slot's bytes before the new head. */
	atomic_store_explicit(&r->head, h + 1, memory_order_release);
}

static int ring_get(struct ring *r, uint8_t *msg)
{
	unsigned t = atomic_load_explicit(&r->tail, memory_order_relaxed);

	if (atomic_load_explicit(&r->head, memory_order_acquire) == t)
		return 0;
	memcpy(msg, r->slot[t % SLOTS], MSG);
	atomic_store_explicit(&r->tail, t + 1, memory_order_release);
	return 1;
}

static void efd_wait(int fd)
{
	uint64_t v;

	while (read(fd, &v, sizeof(v)) != sizeof(v))
		;
}

static void efd_kick(int fd)
{
	uint64_t one = 1;

	while (write(fd, &one, sizeof(one)) != sizeof(one))
		;
}

int bench_wakeup_pingpong(unsigned n, int cpu, struct bench_lat *out)
{
	struct shm_pair *p = mmap(NULL, sizeof(*p), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int to_srv = eventfd(0, 0), to_cli = eventfd(0, 0);
	uint64_t *samples = calloc(n, sizeof(*samples));
	uint8_t msg[MSG] = { 1 };
	pid_t pid;

	if (p == MAP_FAILED || to_srv < 0 || to_cli < 0 || !samples)
		return -ENOMEM;
	memset(p, 0, sizeof(*p));
	if (cpu >= 0) {
		/* Both on one CPU (inherited by the child): every wake-up is a
		 * context switch, never an idle CPU's wake from halt. */
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return -errno;
	}
	pid = fork();
	if (pid == 0) {
		/* The "server": take a request, answer it, sleep again. */
		for (unsigned i = 0; i < n + 1000; i++) {
			efd_wait(to_srv);
			while (ring_get(&p->req, msg)) {
				msg[0]++;
				ring_put(&p->resp, msg);
			}
			efd_kick(to_cli);
		}
		_exit(0);
	}
	for (unsigned i = 0; i < n + 1000; i++) {
		uint64_t t0 = os_now_ns();

		ring_put(&p->req, msg);
		efd_kick(to_srv);
		efd_wait(to_cli);
		while (!ring_get(&p->resp, msg))
			;
		if (i >= 1000)	/* warm-up excluded */
			samples[i - 1000] = os_now_ns() - t0;
	}
	waitpid(pid, NULL, 0);
	bench_lat_compute(samples, n, out);
	free(samples);
	close(to_srv);
	close(to_cli);
	munmap(p, sizeof(*p));
	return 0;
}

int bench_spin_pingpong(unsigned n, struct bench_lat *out)
{
	struct shm_pair *p = mmap(NULL, sizeof(*p), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t *samples = calloc(n, sizeof(*samples));
	pid_t pid;

	if (p == MAP_FAILED || !samples)
		return -ENOMEM;
	atomic_init(&p->spin, 0);
	pid = fork();
	if (pid == 0) {
		for (unsigned i = 0; i < n + 1000; i++) {
			unsigned want = 2 * i + 1;

			while (atomic_load_explicit(&p->spin, memory_order_acquire) != want)
				os_cpu_relax();
			atomic_store_explicit(&p->spin, want + 1, memory_order_release);
		}
		_exit(0);
	}
	for (unsigned i = 0; i < n + 1000; i++) {
		uint64_t t0 = os_now_ns();
		unsigned want = 2 * i + 2;

		atomic_store_explicit(&p->spin, want - 1, memory_order_release);
		while (atomic_load_explicit(&p->spin, memory_order_acquire) != want)
			os_cpu_relax();
		if (i >= 1000)
			samples[i - 1000] = os_now_ns() - t0;
	}
	waitpid(pid, NULL, 0);
	bench_lat_compute(samples, n, out);
	free(samples);
	munmap(p, sizeof(*p));
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void bench_lat_compute(uint64_t *samples, unsigned n, struct bench_lat *out)
{
	uint64_t sum = 0;

	memset(out, 0, sizeof(*out));
	if (!n)
		return;
	qsort(samples, n, sizeof(*samples), cmp_u64);
	for (unsigned i = 0; i < n; i++)
		sum += samples[i];
	out->n = n;
	out->median_ns = samples[n / 2];
	out->p99_ns = samples[(uint64_t)n * 99 / 100];
	out->p999_ns = samples[(uint64_t)n * 999 / 1000];
	out->mean_ns = sum / n;
	out->per_sec = sum ? (double)n * 1e9 / (double)sum : 0;
}
