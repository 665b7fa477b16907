/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the multi-process xensim tests: a throw-away machine, forked
 * children that run as a domain, and a tiny pipe protocol to pass numbers
 * between parent and child.
 */
#ifndef TESTS_UNIT_XSIM_TEST_UTIL_H
#define TESTS_UNIT_XSIM_TEST_UTIL_H

#include <stdint.h>
#include <sys/types.h>

#include <vscmi/xensim.h>

/* A machine in a fresh temporary directory, attached as dom0. */
struct xt_machine {
	char dir[64];
	struct xsim *dom0;
};

int xt_machine_start(struct xt_machine *m);
void xt_machine_stop(struct xt_machine *m);

/* A bidirectional channel between the parent and one child. */
struct xt_chan {
	int to_child[2];
	int to_parent[2];
};

/* Fork a child that attaches to @dir as @domid and runs @fn; its return
 * value (0 = success, else the failing line) becomes its exit status. */
typedef int (*xt_child_fn)(struct xsim *x, struct xt_chan *c, void *arg);
pid_t xt_spawn(const char *dir, uint16_t domid, struct xt_chan *c,
	       xt_child_fn fn, void *arg);
/* Wait for @pid; returns its exit status, or 1000 + signal. */
int xt_wait(pid_t pid);

/* Parent side / child side of the channel. -1 on EOF or error. */
int xt_send(struct xt_chan *c, int parent, uint64_t v);
int64_t xt_recv(struct xt_chan *c, int parent);

/* In a child: fail with the line number unless @cond. */
#define XT_CHECK(cond) do { if (!(cond)) return __LINE__; } while (0)

#endif /* TESTS_UNIT_XSIM_TEST_UTIL_H */
