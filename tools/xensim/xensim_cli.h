/* SPDX-License-Identifier: MIT */
/*
 * The `xensim` tool's internal interfaces: the machine daemon and the
 * toolstack's xenstore calls (introduce / release a domain).
 */
#ifndef XENSIM_XENSIM_CLI_H
#define XENSIM_XENSIM_CLI_H

#include <stdint.h>

struct xsim;

/**
 * xsim_daemon_main() - run machine @dir's daemon in this process (never
 * returns): supervise attached processes, reap the dead, start xenstored
 * (@xenstored: path of the binary, or NULL), write one byte to @ready_fd
 * once serving, and on "stop" take everything down and remove the machine.
 */
void xsim_daemon_main(const char *dir, const char *xenstored, int ready_fd)
	__attribute__((noreturn));

/**
 * xsim_ts_introduce() - as a toolstack after building a domain: create
 * /local/domain/<id> (name, domid, device/, data/, control/) with Xen's
 * ownership and send INTRODUCE(domid, ring gfn, port) to xenstored.
 * Returns 0, or -ENOENT if xenstored is not running (callers warn).
 */
int xsim_ts_introduce(struct xsim *x, uint16_t domid);

/**
 * xsim_ts_release() - tell xenstored a domain is gone (RELEASE, which fires
 * @releaseDomain) and remove /local/domain/<id>. -ENOENT: no xenstored.
 */
int xsim_ts_release(struct xsim *x, uint16_t domid);

#endif /* XENSIM_XENSIM_CLI_H */
