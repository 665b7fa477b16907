/* SPDX-License-Identifier: MIT */
/*
 * vscmi-bench internals: latency statistics and the baselines.
 */
#ifndef VSCMI_BENCH_H
#define VSCMI_BENCH_H

#include <stdint.h>

/** Latency distribution of n samples. */
struct bench_lat {
	unsigned n;
	uint64_t median_ns, p99_ns, p999_ns, mean_ns;
	double per_sec;		/* round trips per second, back to back */
};

/** Sort @samples and fill @out. */
void bench_lat_compute(uint64_t *samples, unsigned n, struct bench_lat *out);
/** (a): 128-byte request/response through shm rings, eventfd wake-ups;
 *  both processes pinned to @cpu if >= 0. */
int bench_wakeup_pingpong(unsigned n, int cpu, struct bench_lat *out);
/** (b): a spin ping-pong on one shared cache line. */
int bench_spin_pingpong(unsigned n, struct bench_lat *out);

#endif
