// SPDX-License-Identifier: MIT
/*
 * vscmi-backd's event loop: epoll for descriptors, a timerfd for one-shot
 * timers kept in a list sorted by deadline (few timers are ever pending: one
 * per delayed SCMI response in flight).
 */
#include "loop.h"

#include <vscmi/os.h>

#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

struct bk_fd_watch {
	int fd;
	bk_fd_fn fn;
	void *arg;
	struct bk_fd_watch *next;
};

struct bk_timer {
	int64_t id;
	uint64_t deadline;
	bk_timer_fn fn;
	void *arg;
	struct bk_timer *next;
};

struct bk_loop {
	int epfd;
	int tfd;
	bool stop;
	int64_t next_id;
	struct bk_fd_watch *watches;
	struct bk_timer *timers;	/* sorted by deadline */
	bk_idle_fn idle;
	void *idle_arg;
};

static void bk_timer_arm(struct bk_loop *l)
{
	struct itimerspec its = { 0 };

	if (l->timers) {
		uint64_t d = l->timers->deadline;

		its.it_value.tv_sec = (time_t)(d / OS_NSEC_PER_SEC);
		its.it_value.tv_nsec = (long)(d % OS_NSEC_PER_SEC);
		if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
			its.it_value.tv_nsec = 1;
	}
	timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void bk_timer_fire(void *arg, uint32_t events)
{
	struct bk_loop *l = arg;
	uint64_t ticks, now = os_now_ns();

	if (read(l->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		os_warn("loop: timerfd read: %s", strerror(errno));
	while (l->timers && l->timers->deadline <= now) {
		struct bk_timer *t = l->timers;

		l->timers = t->next;
		t->fn(t->arg);
		free(t);
	}
	bk_timer_arm(l);
}

int bk_loop_create(struct bk_loop **out)
{
	struct bk_loop *l = calloc(1, sizeof(*l));
	int ret;

	if (!l)
		return -ENOMEM;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (l->epfd < 0 || l->tfd < 0) {
		ret = -errno;
		goto out_free;
	}
	ret = bk_loop_add_fd(l, l->tfd, bk_timer_fire, l);
	if (ret)
		goto out_free;
	*out = l;
	return 0;

out_free:
	if (l->epfd >= 0)
		close(l->epfd);
	if (l->tfd >= 0)
		close(l->tfd);
	free(l);
	return ret;
}

void bk_loop_destroy(struct bk_loop *l)
{
	if (!l)
		return;
	while (l->watches) {
		struct bk_fd_watch *w = l->watches;

		l->watches = w->next;
		free(w);
	}
	while (l->timers) {
		struct bk_timer *t = l->timers;

		l->timers = t->next;
		free(t);
	}
	close(l->tfd);
	close(l->epfd);
	free(l);
}

static int bk_loop_watch(struct bk_loop *l, int fd, uint32_t events, bk_fd_fn fn,
			 void *arg)
{
	struct bk_fd_watch *w = calloc(1, sizeof(*w));
	struct epoll_event ev = { .events = events };

	if (!w)
		return -ENOMEM;
	w->fd = fd;
	w->fn = fn;
	w->arg = arg;
	ev.data.ptr = w;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int ret = -errno;

		free(w);
		return ret;
	}
	w->next = l->watches;
	l->watches = w;
	return 0;
}

int bk_loop_add_fd(struct bk_loop *l, int fd, bk_fd_fn fn, void *arg)
{
	return bk_loop_watch(l, fd, EPOLLIN, fn, arg);
}

int bk_loop_add_fd_edge(struct bk_loop *l, int fd, bk_fd_fn fn, void *arg)
{
	return bk_loop_watch(l, fd, EPOLLIN | EPOLLET, fn, arg);
}

void bk_loop_del_fd(struct bk_loop *l, int fd)
{
	struct bk_fd_watch **pp;

	for (pp = &l->watches; *pp; pp = &(*pp)->next) {
		struct bk_fd_watch *w = *pp;

		if (w->fd != fd)
			continue;
		epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
		*pp = w->next;
		/* An event for it may still be in this round's batch. */
		w->fn = NULL;
		w->next = NULL;
		free(w);
		return;
	}
}

int64_t bk_loop_add_timer(struct bk_loop *l, uint64_t delay_ns, bk_timer_fn fn,
			  void *arg)
{
	struct bk_timer *t = calloc(1, sizeof(*t)), **pp;

	if (!t)
		return -ENOMEM;
	t->id = ++l->next_id;
	t->deadline = os_now_ns() + delay_ns;
	t->fn = fn;
	t->arg = arg;
	for (pp = &l->timers; *pp && (*pp)->deadline <= t->deadline; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	if (l->timers == t)
		bk_timer_arm(l);
	return t->id;
}

void bk_loop_cancel_timers(struct bk_loop *l, void *arg)
{
	struct bk_timer **pp = &l->timers;

	while (*pp) {
		struct bk_timer *t = *pp;

		if (t->arg == arg) {
			*pp = t->next;
			free(t);
		} else {
			pp = &t->next;
		}
	}
	bk_timer_arm(l);
}

unsigned bk_loop_pending_timers(struct bk_loop *l)
{
	unsigned n = 0;

	for (struct bk_timer *t = l->timers; t; t = t->next)
		n++;
	return n;
}

/*
 * A callback may delete any watch, including ones later in the same batch:
 * each event's watch is looked up again before it is dispatched.
 */
static bool bk_watch_alive(struct bk_loop *l, struct bk_fd_watch *w)
{
	for (struct bk_fd_watch *i = l->watches; i; i = i->next)
		if (i == w)
			return true;
	return false;
}

void bk_loop_set_idle(struct bk_loop *l, bk_idle_fn fn, void *arg)
{
	l->idle = fn;
	l->idle_arg = arg;
}

int bk_loop_run(struct bk_loop *l)
{
	struct epoll_event evs[32];

	l->stop = false;
	while (!l->stop) {
		bool busy = l->idle && l->idle(l->idle_arg);
		int n = epoll_wait(l->epfd, evs, (int)OS_ARRAY_SIZE(evs), busy ? 0 : -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n && !l->stop; i++) {
			struct bk_fd_watch *w = evs[i].data.ptr;

			if (bk_watch_alive(l, w) && w->fn)
				w->fn(w->arg, evs[i].events);
		}
	}
	return 0;
}

void bk_loop_stop(struct bk_loop *l)
{
	l->stop = true;
}
