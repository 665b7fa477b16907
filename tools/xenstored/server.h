/* SPDX-License-Identifier: MIT */
/*
 * The xensim-xenstored server: the engine (xenstored.h) behind its two
 * front doors, a unix socket for dom0's libxenstore and every introduced
 * guest's xenstore ring page + event channel (through libxensim), driven
 * by one poll(2) loop. Used by the daemon's main() and by tests that run
 * the server on a thread.
 */
#ifndef VSCMI_XSD_SERVER_H
#define VSCMI_XSD_SERVER_H

#include <stdbool.h>

#include "xenstored.h"

struct xsd_server;

struct xsd_server_opts {
	const char *dir;	/* machine (state) directory */
	bool socket_only;	/* no libxensim: the socket door only */
	const struct xsd_quota *quota;	/* NULL: Xen's defaults */
};

/** File names inside the machine directory (shared with libxensim). */
#define XSD_SOCKET_NAME	"xenstored.sock"
#define XSD_PID_NAME	"xenstored.pid"
#define XSD_FREEZE_NAME	"xenstored.freeze"

/**
 * xsd_server_new() - create the engine, attach to the machine as dom0
 * (unless socket_only) and listen on <dir>/xenstored.sock (a stale socket
 * file is replaced; a live one is -EADDRINUSE).
 */
int xsd_server_new(const struct xsd_server_opts *o, struct xsd_server **out);
/** xsd_server_run() - serve until xsd_server_stop(). 0 or -errno. */
int xsd_server_run(struct xsd_server *s);
/** xsd_server_stop() - make run() return; async-signal-safe. */
void xsd_server_stop(struct xsd_server *s);
/**
 * xsd_server_freeze_signal() - SIGUSR1's work: read the milliseconds from
 * <dir>/xenstored.freeze and freeze for that long. Async-signal-safe (it
 * only wakes the loop, which does the reading).
 */
void xsd_server_freeze_signal(struct xsd_server *s);
/** xsd_server_free() - close everything, remove the socket. NULL is OK. */
void xsd_server_free(struct xsd_server *s);
/** The server's engine (for tests; only from the server's thread). */
struct xsd_engine *xsd_server_engine(struct xsd_server *s);

#endif /* VSCMI_XSD_SERVER_H */
