// SPDX-License-Identifier: MIT
/* Helpers for the multi-process xensim tests (see xsim_test_util.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xsim_test_util.h"

int xt_machine_start(struct xt_machine *m)
{
	int rc;

	snprintf(m->dir, sizeof(m->dir), "/tmp/xsim-test-XXXXXX");
	if (!mkdtemp(m->dir))
		return -errno;
	rc = xsim_machine_create(m->dir, NULL);
	if (!rc)
		rc = xsim_attach(m->dir, 0, &m->dom0);
	if (rc && xsim_machine_remove(m->dir))
		rmdir(m->dir);
	return rc;
}

void xt_machine_stop(struct xt_machine *m)
{
	xsim_detach(m->dom0);
	m->dom0 = NULL;
	xsim_machine_remove(m->dir);
}

pid_t xt_spawn(const char *dir, uint16_t domid, struct xt_chan *c,
	       xt_child_fn fn, void *arg)
{
	struct xsim *x;
	pid_t pid;
	int rc;

	if (pipe(c->to_child) < 0 || pipe(c->to_parent) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid != 0) {
		close(c->to_child[0]);
		close(c->to_parent[1]);
		return pid;
	}
	close(c->to_child[1]);
	close(c->to_parent[0]);
	rc = xsim_attach(dir, domid, &x);
	if (rc) {
		fprintf(stderr, "child attach dom%u: %s\n", domid, strerror(-rc));
		_exit(200);
	}
	rc = fn(x, c, arg);
	if (rc > 0)
		fprintf(stderr, "child dom%u failed at line %d\n", domid, rc);
	/* Leave through xsim_detach only when the test says so; a child
	 * returning -1 "dies" with its state in place, as a crash would. */
	if (rc != -1)
		xsim_detach(x);
	_exit(rc == -1 || rc == 0 ? 0 : 1);
}

int xt_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(st))
		return 1000 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

int xt_send(struct xt_chan *c, int parent, uint64_t v)
{
	int fd = parent ? c->to_child[1] : c->to_parent[1];

	return write(fd, &v, sizeof(v)) == sizeof(v) ? 0 : -1;
}

int64_t xt_recv(struct xt_chan *c, int parent)
{
	int fd = parent ? c->to_parent[0] : c->to_child[0];
	uint64_t v;

	return read(fd, &v, sizeof(v)) == sizeof(v) ? (int64_t)v : -1;
}
