/* SPDX-License-Identifier: MIT */
/*
 * Test environment for xen-frontend: an xensim machine in a temporary
 * directory, xensim's xenstored on a thread, dom0 attached (for the
 * toolstack's work and the audit), fresh guests, virtio-pv device
 * directories as vscmi-attach writes them, and loopback back-end processes.
 */
#ifndef VSCMI_TEST_SIMENV_H
#define VSCMI_TEST_SIMENV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct xsim;
struct xs_handle;
struct xsd_server;

struct simenv {
	char dir[64];
	struct xsim *dom0;
	struct xs_handle *xs;		/* dom0, over xenstored's socket */
	struct xsd_server *xsd;
	pthread_t xsd_thread;
	const char *self_exe;		/* to spawn back-end peers */
};

int simenv_up(struct simenv *e, const char *self_exe);
void simenv_down(struct simenv *e);

/** A new running guest, introduced to xenstored, /local/domain/N ready. */
int simenv_guest_new(struct simenv *e, const char *name, uint16_t *domid);
void simenv_guest_destroy(struct simenv *e, uint16_t domid);

/** The device directories vscmi-attach writes (states Initialising). */
int simenv_device_add(struct simenv *e, uint16_t domid, unsigned devid);
void simenv_device_remove(struct simenv *e, uint16_t domid, unsigned devid);

/** Back-end path of a device. */
void simenv_be_path(uint16_t domid, unsigned devid, char *buf, size_t len);
void simenv_fe_path(uint16_t domid, unsigned devid, char *buf, size_t len);

/** xenstore helpers on the dom0 connection. */
int simenv_write(struct simenv *e, const char *dir, const char *key,
		 const char *val);
/** Read @dir/@key as a number; -1 if absent. */
long long simenv_read_num(struct simenv *e, const char *dir, const char *key);

/** Start a loopback back-end process for the device; @mode see loopback.c. */
pid_t simenv_peer_start(struct simenv *e, uint16_t domid, unsigned devid,
			const char *mode);
/** Stop it with @sig and reap it; with SIGKILL also release its leftovers. */
void simenv_peer_stop(struct simenv *e, pid_t pid, int sig);

/** Freeze xenstored for @ms (xenstore "unavailable"). */
int simenv_freeze_xenstored(struct simenv *e, unsigned ms);

/** Run xsim_audit; returns its problem count. @out may be NULL. */
int simenv_audit(struct simenv *e);

#endif
