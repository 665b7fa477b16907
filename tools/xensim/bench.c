// SPDX-License-Identifier: MIT
/*
 * xensim-bench: event-channel round trip between two xensim domains next
 * to a raw eventfd ping-pong between two processes (same run), and the
 * cost of a grant map + unmap. Makes its own throw-away machine.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <vscmi/xensim.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct stats {
	double median_us, p99_us, mean_us;
};

static struct stats summarize(uint64_t *v, unsigned n)
{
	struct stats s;
	double sum = 0;

	for (unsigned i = 0; i < n; i++)
		sum += (double)v[i];
	qsort(v, n, sizeof(*v), cmp_u64);
	s.median_us = (double)v[n / 2] / 1000.0;
	s.p99_us = (double)v[(n * 99) / 100] / 1000.0;
	s.mean_us = sum / n / 1000.0;
	return s;
}

/* Samples go through a shared mapping so that children can report them. */
static uint64_t *shared_samples(unsigned n)
{
	void *p = mmap(NULL, n * sizeof(uint64_t), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int wait_ok(pid_t pid)
{
	int st;

	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int raw_eventfd(uint64_t *samples, unsigned n, unsigned warm)
{
	int ab = eventfd(0, 0), ba = eventfd(0, 0);
	uint64_t v = 1;
	pid_t pid;

	if (ab < 0 || ba < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		for (unsigned i = 0; i < n + warm; i++) {
			if (read(ab, &v, 8) != 8 || write(ba, &v, 8) != 8)
				_exit(1);
		}
		_exit(0);
	}
	for (unsigned i = 0; i < n + warm; i++) {
		uint64_t t0 = now_ns();

		if (write(ab, &v, 8) != 8 || read(ba, &v, 8) != 8)
			return -1;
		if (i >= warm)
			samples[i - warm] = now_ns() - t0;
	}
	close(ab);
	close(ba);
	return wait_ok(pid);
}

static int take(struct xsim *x, uint32_t port)
{
	uint32_t p;

	for (;;) {
		if (xsim_evtchn_wait(x, UINT64_MAX))
			return -1;
		if (xsim_evtchn_next_pending(x, &p) == 0 && p == port)
			return 0;
	}
}

static int xsim_pingpong(const char *dir, uint16_t d1, uint16_t d2,
			 uint64_t *samples, unsigned n, unsigned warm)
{
	int pfd[2], bfd[2], rc = -1;
	char ok = 1;
	uint32_t port = 0, lport;
	struct xsim *x;
	pid_t pid;

	if (pipe(pfd) < 0 || pipe(bfd) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		/* The echoing domain: bind, then answer every event. */
		if (xsim_attach(dir, d2, &x) || read(pfd[0], &port, 4) != 4 ||
		    xsim_evtchn_bind_interdomain(x, d1, port, &lport))
			_exit(1);
		xsim_evtchn_clear(x, lport);
		/* Sends to a port not bound yet are dropped, as on Xen. */
		if (write(bfd[1], &ok, 1) != 1)
			_exit(1);
		for (unsigned i = 0; i < n + warm; i++)
			if (take(x, lport) || xsim_evtchn_send(x, lport))
				_exit(1);
		xsim_detach(x);
		_exit(0);
	}
	if (xsim_attach(dir, d1, &x))
		goto out;
	if (xsim_evtchn_alloc_unbound(x, d2, &port) || write(pfd[1], &port, 4) != 4 ||
	    read(bfd[0], &ok, 1) != 1)
		goto out_detach;
	for (unsigned i = 0; i < n + warm; i++) {
		uint64_t t0 = now_ns();

		if (xsim_evtchn_send(x, port) || take(x, port))
			goto out_detach;
		if (i >= warm)
			samples[i - warm] = now_ns() - t0;
	}
	rc = 0;
out_detach:
	xsim_detach(x);
out:
	if (wait_ok(pid))
		rc = -1;
	close(pfd[0]);
	close(pfd[1]);
	close(bfd[0]);
	close(bfd[1]);
	return rc;
}

static int grant_cost(const char *dir, uint16_t d1, uint64_t *samples, unsigned n)
{
	struct xsim *g, *m;
	grant_entry_v1_t *gt;
	uint8_t *page;
	uint64_t gfn;
	int16_t st;
	int rc = -1;

	/* Map+unmap is a mapper-side cost; the granter need not be
	 * another process for it. */
	if (xsim_attach(dir, d1, &g))
		return -1;
	if (xsim_attach(dir, 0, &m))
		goto out_g;
	page = xsim_alloc_pages(g, 1);
	if (!page || xsim_va_to_gfn(g, page, &gfn))
		goto out_m;
	gt = xsim_gnttab_table(g, NULL);
	gt[8].domid = 0;
	gt[8].frame = (uint32_t)gfn;
	__atomic_store_n(&gt[8].flags, GTF_permit_access, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = now_ns();
		volatile uint8_t *p = xsim_gnttab_map(m, d1, 8, false, &st);

		if (!p)
			goto out_m;
		p[0] = (uint8_t)i;	/* touch it: the page fault is part of it */
		if (xsim_gnttab_unmap(m, (void *)p))
			goto out_m;
		samples[i] = now_ns() - t0;
	}
	rc = xsim_gnttab_end_access(g, 8);
out_m:
	xsim_detach(m);
out_g:
	xsim_detach(g);
	return rc;
}

static const char usage_text[] =
	"usage: xensim-bench [--machine M] [ITERATIONS]\n"
	"Event-channel round trip (xensim domain to domain, and raw eventfd\n"
	"between two processes) and grant map+unmap cost. Without --machine it\n"
	"makes a throw-away machine; with it, two temporary domains on machine\n"
	"M (which `xensim start` runs), destroyed at the end.\n";

int main(int argc, char **argv)
{
	unsigned n = 20000, warm = 2000;
	char tmp[] = "/tmp/xsim-bench-XXXXXX", name[2][32];
	const char *dir = NULL;
	struct stats raw, sim, gm;
	uint64_t *sa, *sb;
	struct xsim *x0 = NULL;
	uint16_t d1 = 0, d2 = 0;
	bool own = true;
	int rc = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_text, stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--machine") && i + 1 < argc) {
			dir = argv[++i];
			own = false;
			continue;
		}
		n = (unsigned)strtoul(argv[i], NULL, 0);
		if (n < 100 || n > 10000000) {
			fprintf(stderr, "xensim-bench: ITERATIONS wants 100..10000000\n");
			return 2;
		}
	}
	snprintf(name[0], sizeof(name[0]), "bench1-%d", getpid());
	snprintf(name[1], sizeof(name[1]), "bench2-%d", getpid());
	if (own) {
		if (!mkdtemp(tmp) || xsim_machine_create(tmp, NULL)) {
			fprintf(stderr, "xensim-bench: cannot make a machine in %s\n", tmp);
			return 1;
		}
		dir = tmp;
	}
	sa = shared_samples(n);
	sb = shared_samples(n);
	if (!sa || !sb || xsim_attach(dir, 0, &x0) ||
	    xsim_domain_create(x0, name[0], 4, 0, &d1) ||
	    xsim_domain_create(x0, name[1], 4, 0, &d2) ||
	    /* A machine daemon must not destroy them between the runs. */
	    xsim_domain_set_persistent(x0, d1, true) ||
	    xsim_domain_set_persistent(x0, d2, true)) {
		fprintf(stderr, "xensim-bench: cannot set up domains on %s\n", dir);
		goto out;
	}
	/* Interleave the two so that both see the same machine weather. */
	if (raw_eventfd(sa, n / 2, warm) ||
	    xsim_pingpong(dir, d1, d2, sb, n / 2, warm) ||
	    raw_eventfd(sa + n / 2, n - n / 2, warm) ||
	    xsim_pingpong(dir, d1, d2, sb + n / 2, n - n / 2, warm)) {
		fprintf(stderr, "xensim-bench: ping-pong failed\n");
		goto out;
	}
	raw = summarize(sa, n);
	sim = summarize(sb, n);
	if (grant_cost(dir, d1, sa, n)) {
		fprintf(stderr, "xensim-bench: grant map/unmap failed\n");
		goto out;
	}
	gm = summarize(sa, n);
	printf("event-channel round trip, %u iterations, %ld CPUs:\n", n,
	       sysconf(_SC_NPROCESSORS_ONLN));
	printf("  raw eventfd ping-pong   median %7.2f us   p99 %7.2f us\n",
	       raw.median_us, raw.p99_us);
	printf("  xensim domain<->domain  median %7.2f us   p99 %7.2f us\n",
	       sim.median_us, sim.p99_us);
	printf("  ratio xensim/raw        median %7.2f      p99 %7.2f\n",
	       sim.median_us / raw.median_us, sim.p99_us / raw.p99_us);
	printf("grant map + touch + unmap, %u iterations:\n", n);
	printf("  median %7.2f us   p99 %7.2f us   mean %7.2f us\n",
	       gm.median_us, gm.p99_us, gm.mean_us);
	rc = 0;
out:
	if (x0) {
		if (d1)
			xsim_domain_destroy(x0, d1);
		if (d2)
			xsim_domain_destroy(x0, d2);
		xsim_detach(x0);
	}
	if (own)
		xsim_machine_remove(tmp);
	return rc;
}
