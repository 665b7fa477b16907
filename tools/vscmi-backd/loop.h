/* SPDX-License-Identifier: MIT */
/*
 * A small event loop for vscmi-backd: file descriptors (epoll) and one-shot
 * timers (a sorted list driving a timerfd). Single-threaded: every callback
 * runs on the loop's thread, so the daemon's state needs no locks.
 */
#ifndef VSCMI_BACKD_LOOP_H
#define VSCMI_BACKD_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct bk_loop;
typedef void (*bk_fd_fn)(void *arg, uint32_t events);
typedef void (*bk_timer_fn)(void *arg);
/** Runs before the loop sleeps; true: work may be waiting that no
 *  descriptor announces, so only peek at the descriptors this turn. */
typedef bool (*bk_idle_fn)(void *arg);

int bk_loop_create(struct bk_loop **out);
void bk_loop_destroy(struct bk_loop *l);
/** Watch @fd for EPOLLIN (and errors); one callback per fd. */
int bk_loop_add_fd(struct bk_loop *l, int fd, bk_fd_fn fn, void *arg);
/** The same, edge-triggered (EPOLLET): @fn runs once per change. */
int bk_loop_add_fd_edge(struct bk_loop *l, int fd, bk_fd_fn fn, void *arg);
void bk_loop_del_fd(struct bk_loop *l, int fd);
/** Run @fn(@arg) once after @delay_ns; returns a timer id > 0 or -errno. */
int64_t bk_loop_add_timer(struct bk_loop *l, uint64_t delay_ns, bk_timer_fn fn,
			  void *arg);
/** Cancel every pending timer whose argument is @arg (a device going away). */
void bk_loop_cancel_timers(struct bk_loop *l, void *arg);
/** Call @fn(@arg) each time before the loop would sleep (one hook). */
void bk_loop_set_idle(struct bk_loop *l, bk_idle_fn fn, void *arg);
/** Dispatch until bk_loop_stop(); returns 0 or -errno. */
int bk_loop_run(struct bk_loop *l);
void bk_loop_stop(struct bk_loop *l);
unsigned bk_loop_pending_timers(struct bk_loop *l);

#endif
