/* SPDX-License-Identifier: MIT */
/*
 * libxensim internals: the layout of the machine's shared state file and the
 * process-local handle. Only tools/xensim/ includes this.
 *
 * Every process attached to the machine maps the whole state file
 * read-write; the simulated hypervisor is the library code running in
 * whichever process makes the call. Isolation between domains is enforced
 * by the API (a mapper reaches another arena only through a validated grant
 * map), not by the MMU: a buggy process could scribble on the state file.
 */
#ifndef XENSIM_XSIM_PRIV_H
#define XENSIM_XSIM_PRIV_H

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>

#include <vscmi/xensim.h>

#define XSIM_MAGIC		0x4d495358u	/* "XSIM" */
#define XSIM_VERSION		2	/* 2: 64 domains */
#define XSIM_STATE_FILE		"state"
#define XSIM_DAEMON_SOCK	"xensim.sock"
#define XSIM_DAEMON_PID		"xensim.pid"
#define XSIM_XENSTORED_SOCK	"xenstored.sock"
#define XSIM_XENSTORED_PID	"xenstored.pid"

#define XSIM_MAX_ENTRIES	(XSIM_GNTTAB_MAX_FRAMES * XSIM_ENTRIES_PER_FRAME)
#define XSIM_MAX_PAGES		(XSIM_MAX_MEMORY_MIB * 256u)
#define XSIM_PORT_WORDS		(XSIM_NR_PORTS / 64)
#define XSIM_NO_OWNER		(-1)
#define XSIM_DIR_MAX		(PATH_MAX - 128)	/* room for file names */

/* One event-channel port (Xen's struct evtchn). Changed under the machine
 * lock; the send path reads it lock-free with atomics. */
struct xsim_port {
	_Atomic uint8_t state;		/* enum xsim_evtchn_state */
	uint8_t toolstack;		/* allocated for the domain, not a process */
	_Atomic uint16_t remote_dom;
	_Atomic uint32_t remote_port;
	_Atomic int32_t owner;		/* attachment slot, XSIM_NO_OWNER */
};

/* Xen's active grant entry: pins of one ref of one granter. */
struct xsim_active {
	uint32_t ro_pins;		/* read-only maps + copy pins */
	uint32_t rw_pins;		/* writable maps + copy pins */
	uint32_t frame;			/* frame read at first pin */
	uint16_t domid;			/* mapper that pinned it */
	uint16_t pad;
};

/* A live grant map (for unmap, audit and cleanup of dead processes). */
struct xsim_map_rec {
	uint8_t in_use;
	uint8_t readonly;
	uint16_t mapper;		/* domid */
	uint16_t granter;		/* domid */
	int16_t att;			/* mapping process's attachment slot */
	uint32_t ref;
};

/* An attached process. */
struct xsim_att {
	uint8_t in_use;
	uint8_t holder;			/* XSIM_ATTACH_HOLDER */
	uint16_t domid;
	int32_t pid;
	uint64_t starttime;		/* /proc/pid/stat field 22: pid reuse */
	_Atomic uint32_t gen;		/* bumped at every reuse of the slot */
	_Atomic uint32_t wake_flag;	/* 1: a wake-up is (being) written */
	_Atomic int32_t efd;		/* its eventfd's number in its process */
};

struct xsim_ctr {
	_Atomic uint64_t grant_maps, grant_unmaps, grant_map_failures;
	_Atomic uint64_t grant_copies;
	_Atomic uint64_t evtchn_sends, evtchn_wakeups, evtchn_dropped;
};

struct xsim_fault_state {
	_Atomic uint32_t evt_port, evt_drop, evt_dup, evt_delay_us;
	_Atomic uint32_t map_fail;
	_Atomic int32_t map_fail_status;
	_Atomic uint32_t grant_frames_cap;
};

struct xsim_dom {
	_Atomic uint8_t state;		/* enum xsim_dom_state */
	uint8_t had_process;		/* a process attached once */
	uint8_t persistent;		/* survives its processes */
	char name[XSIM_NAME_MAX];
	uint32_t gen;			/* bumped at every create */
	uint32_t memory_pages;
	_Atomic uint32_t nr_frames;
	uint32_t max_frames;
	uint32_t nr_attached;
	uint32_t xs_port;
	struct xsim_ctr ctr;
	struct xsim_fault_state fault;
	_Atomic uint64_t pending[XSIM_PORT_WORDS];
	_Atomic uint64_t mask[XSIM_PORT_WORDS];
	_Atomic uint64_t redeliver[XSIM_PORT_WORDS];	/* fault: duplicate */
	struct xsim_port ports[XSIM_NR_PORTS];
	uint8_t page_used[XSIM_MAX_PAGES / 8];	/* arena allocator bitmap */
};

/* The head of the state file; grant tables and active entries follow,
 * page aligned, at the offsets below. */
struct xsim_shm {
	uint32_t magic, version;
	/* Protects every field not marked atomic, and all state changes of
	 * ports, maps, pins and domains. Robust: a process dying while
	 * holding it does not wedge the machine. */
	pthread_mutex_t lock;
	int32_t daemon_pid;
	struct xsim_att att[XSIM_MAX_ATTACH];
	struct xsim_map_rec maps[XSIM_MAX_MAPS];
	struct xsim_dom dom[XSIM_MAX_DOMAINS];
};

#define XSIM_ALIGN_UP(v, a)	(((v) + (a) - 1) & ~((size_t)(a) - 1))
#define XSIM_GNTTAB_OFF		XSIM_ALIGN_UP(sizeof(struct xsim_shm), XSIM_PAGE_SIZE)
#define XSIM_GNTTAB_DOM_SIZE	((size_t)XSIM_GNTTAB_MAX_FRAMES * XSIM_PAGE_SIZE)
#define XSIM_ACTIVE_OFF		(XSIM_GNTTAB_OFF + XSIM_MAX_DOMAINS * XSIM_GNTTAB_DOM_SIZE)
#define XSIM_ACTIVE_DOM_SIZE	((size_t)XSIM_MAX_ENTRIES * sizeof(struct xsim_active))
#define XSIM_STATE_SIZE		XSIM_ALIGN_UP(XSIM_ACTIVE_OFF + \
				XSIM_MAX_DOMAINS * XSIM_ACTIVE_DOM_SIZE, XSIM_PAGE_SIZE)

/* A grant map made by this process. */
struct xsim_local_map {
	void *addr;
	uint32_t handle;		/* index in shm->maps */
};

/* This process attached as one domain. */
struct xsim {
	char dir[XSIM_DIR_MAX];
	char xs_sock[PATH_MAX];
	struct xsim_shm *shm;
	uint16_t domid;
	int att;			/* our slot in shm->att */
	uint32_t att_gen;
	uint8_t *arena;
	size_t arena_size;
	int evt_fd;			/* our eventfd (blocking) */
	int daemon_fd;			/* registration with the daemon */
	bool no_pidfd;			/* $XENSIM_NO_PIDFD: daemon path only */

	/* Protects the caches and the local map list below. */
	pthread_mutex_t lock;
	struct { int fd; uint32_t gen; } arena_fd[XSIM_MAX_DOMAINS];
	struct { _Atomic int fd; _Atomic uint32_t gen; } wake_fd[XSIM_MAX_ATTACH];
	struct xsim_local_map *maps;
	unsigned nr_maps, cap_maps;
};

/* machine.c */
int xsim_lock(struct xsim_shm *s);
void xsim_unlock(struct xsim_shm *s);
bool xsim_pid_alive(int32_t pid, uint64_t starttime);
uint64_t xsim_pid_starttime(int32_t pid);
bool xsim_dom_live(struct xsim_dom *d);
int xsim_arena_path(const char *dir, uint16_t domid, char *buf, size_t len);
void xsim_dom_maybe_free(struct xsim *x, uint16_t domid);
void xsim_att_release_locked(struct xsim *x, int slot);
int xsim_send_fd(int sock, const char *msg, int fd);
int xsim_recv_fd(int sock, char *buf, size_t len, int *fd);

/* gnttab.c (machine lock held) */
grant_entry_v1_t *xsim_gnttab_of(struct xsim_shm *s, uint16_t domid);
struct xsim_active *xsim_active_of(struct xsim_shm *s, uint16_t domid);
void xsim_map_release_locked(struct xsim *x, uint32_t handle);
void xsim_local_maps_free(struct xsim *x);

/* evtchn.c */
void xsim_port_close_locked(struct xsim *x, uint16_t domid, uint32_t port);
void xsim_evtchn_wake(struct xsim *x, int slot);
void xsim_evtchn_local_init(struct xsim *x);
void xsim_evtchn_local_fini(struct xsim *x);
void xsim_evtchn_publish(struct xsim *x);
int xsim_daemon_getfd(struct xsim *x, int slot, uint32_t gen);

#endif /* XENSIM_XSIM_PRIV_H */
