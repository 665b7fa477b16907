// SPDX-License-Identifier: MIT
/*
 * xensim machine: state directory, shared state file, domains, attachments,
 * cleanup of dead processes, counters, fault plans and the audit.
 *
 * Theory of operation: a machine is a directory owned by the user (mode
 * 0700) holding "state", a shared-memory file laid out as struct xsim_shm
 * followed by every domain's grant-table frames and active grant entries,
 * plus one arena file per domain ("mem-<domid>"); each attached process has
 * an eventfd for its wake-ups (see evtchn.c). Whoever calls into the library plays the
 * hypervisor for that call: state changes happen under one process-shared
 * robust mutex in the state file; the event-channel send path and the
 * guest's own grant-entry writes are lock-free atomics, as on Xen.
 * A process that dies attached leaves records behind; xsim_reap() (the
 * machine daemon runs it when a registered process's socket closes) undoes
 * them exactly as Xen does when a domain dies or a device file is closed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "xsim_priv.h"

/* ------------------------------------------------------------------ */
/* Helpers */

int xsim_lock(struct xsim_shm *s)
{
	int rc = pthread_mutex_lock(&s->lock);

	if (rc == EOWNERDEAD) {
		/* A process died holding the lock; the records it was
		 * changing may be half-done, which the audit will show. */
		pthread_mutex_consistent(&s->lock);
		rc = 0;
	}
	return -rc;
}

void xsim_unlock(struct xsim_shm *s)
{
	pthread_mutex_unlock(&s->lock);
}

uint64_t xsim_pid_starttime(int32_t pid)
{
	char path[64], buf[1024], *p, *tok, *save = NULL;
	uint64_t start = 0;
	int fd, i;
	ssize_t n;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	/* Field 3 (state) is the first token after the command name. */
	for (i = 3, tok = strtok_r(p + 1, " ", &save); tok;
	     i++, tok = strtok_r(NULL, " ", &save)) {
		if (i == 3 && (tok[0] == 'Z' || tok[0] == 'X'))
			return 0;
		if (i == 22) {
			start = strtoull(tok, NULL, 10);
			break;
		}
	}
	return start ? start : 1;
}

bool xsim_pid_alive(int32_t pid, uint64_t starttime)
{
	return pid > 0 && xsim_pid_starttime(pid) == starttime;
}

bool xsim_dom_live(struct xsim_dom *d)
{
	uint8_t st = atomic_load(&d->state);

	return st == XSIM_DOM_CREATED || st == XSIM_DOM_RUNNING;
}

int xsim_arena_path(const char *dir, uint16_t domid, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/mem-%u", dir, domid);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The directory must be ours and writable by us only. */
static int check_dir(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (st.st_uid != geteuid() || (st.st_mode & 022))
		return -EPERM;
	return 0;
}

static int mkdir_checked(const char *path)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	return check_dir(path);
}

static bool valid_name(const char *n)
{
	size_t i, len = strlen(n);

	if (!len || len >= XSIM_NAME_MAX || n[0] == '.')
		return false;
	for (i = 0; i < len; i++) {
		char c = n[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

int xsim_machine_path(const char *machine, char *buf, size_t len)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	int n;

	if (!machine)
		machine = getenv("XENSIM_MACHINE");
	if (!machine || !*machine)
		machine = "default";
	if (strchr(machine, '/'))
		n = snprintf(buf, len, "%s", machine);
	else if (!valid_name(machine))
		return -EINVAL;
	else if (rt && *rt == '/')
		n = snprintf(buf, len, "%s/xensim/%s", rt, machine);
	else
		n = snprintf(buf, len, "/tmp/xensim-%u/%s",
			     (unsigned)geteuid(), machine);
	if (n < 0 || (size_t)n >= len || (size_t)n >= sizeof(((struct xsim *)0)->dir))
		return -ENAMETOOLONG;
	return 0;
}

/* Create the parent of a machine directory (one level) if it is missing. */
static int make_parent(const char *dir)
{
	char parent[PATH_MAX];
	char *slash;

	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return 0;
	*slash = '\0';
	if (access(parent, F_OK) == 0) {
		/* An existing shared parent such as /tmp is fine as long as
		 * it is sticky; our own parent must pass the owner check. */
		struct stat st;

		if (stat(parent, &st) < 0)
			return -errno;
		if ((st.st_mode & S_ISVTX) || !(st.st_mode & 022))
			return 0;
		return -EPERM;
	}
	return mkdir_checked(parent);
}

/* ------------------------------------------------------------------ */
/* Machine creation */

/* Map the state file; NULL with errno set on failure. */
static struct xsim_shm *map_state(int fd)
{
	void *p = mmap(NULL, XSIM_STATE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Create @domid's arena file of @pages pages. */
static int arena_create(const char *dir, uint16_t domid, unsigned pages)
{
	char path[PATH_MAX];
	int fd, rc;

	rc = xsim_arena_path(dir, domid, path, sizeof(path));
	if (rc)
		return rc;
	unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	rc = ftruncate(fd, (off_t)pages * XSIM_PAGE_SIZE) < 0 ? -errno : 0;
	close(fd);
	if (rc)
		unlink(path);
	return rc;
}

/* Fill a free domain slot. Called with the machine lock held (or before
 * the state file is published). */
static int dom_init(struct xsim_shm *s, const char *dir, uint16_t domid,
		    const char *name, unsigned mib, unsigned frames)
{
	struct xsim_dom *d = &s->dom[domid];
	uint32_t gen = d->gen;
	int rc;

	if (!mib)
		mib = XSIM_DEF_MEMORY_MIB;
	if (!frames)
		frames = XSIM_GNTTAB_DEF_FRAMES;
	if (mib > XSIM_MAX_MEMORY_MIB || frames > XSIM_GNTTAB_MAX_FRAMES)
		return -EINVAL;
	rc = arena_create(dir, domid, mib * 256);
	if (rc)
		return rc;
	memset(d, 0, sizeof(*d));
	d->gen = gen + 1;
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->memory_pages = mib * 256;
	d->max_frames = frames;
	atomic_store(&d->nr_frames, XSIM_GNTTAB_INIT_FRAMES);
	for (unsigned p = 0; p < XSIM_NR_PORTS; p++)
		atomic_store(&d->ports[p].owner, XSIM_NO_OWNER);
	atomic_store(&d->ports[0].state, XSIM_ECS_RESERVED);
	/* The pages below XSIM_FIRST_FREE_GFN are the toolstack's. */
	for (unsigned g = 0; g < XSIM_FIRST_FREE_GFN; g++)
		d->page_used[g / 8] |= 1u << (g % 8);
	memset(xsim_gnttab_of(s, domid), 0, XSIM_GNTTAB_DOM_SIZE);
	memset(xsim_active_of(s, domid), 0, XSIM_ACTIVE_DOM_SIZE);

	if (domid != 0) {
		grant_entry_v1_t *gt = xsim_gnttab_of(s, domid);
		struct xsim_port *p = &d->ports[1];

		/* As a toolstack seeds a guest's table: xenstored may map
		 * the ring page through GNTTAB_RESERVED_XENSTORE. */
		gt[GNTTAB_RESERVED_XENSTORE].domid = 0;
		gt[GNTTAB_RESERVED_XENSTORE].frame = XSIM_XENSTORE_GFN;
		__atomic_store_n(&gt[GNTTAB_RESERVED_XENSTORE].flags,
				 GTF_permit_access, __ATOMIC_RELEASE);
		/* The xenstore event channel: unbound, for dom0. */
		atomic_store(&p->remote_dom, 0);
		p->toolstack = 1;
		atomic_store(&p->state, XSIM_ECS_UNBOUND);
		d->xs_port = 1;
	}
	atomic_store(&d->state, XSIM_DOM_CREATED);
	return 0;
}

static bool machine_in_use(const char *dir)
{
	struct xsim_shm *s;
	char path[PATH_MAX];
	bool used = false;
	int fd;

	snprintf(path, sizeof(path), "%s/" XSIM_STATE_FILE, dir);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	s = map_state(fd);
	if (s) {
		if (s->magic == XSIM_MAGIC) {
			if (s->daemon_pid > 0 && kill(s->daemon_pid, 0) == 0)
				used = true;
			for (int i = 0; i < XSIM_MAX_ATTACH; i++)
				if (s->att[i].in_use &&
				    xsim_pid_alive(s->att[i].pid, s->att[i].starttime))
					used = true;
		}
		munmap(s, XSIM_STATE_SIZE);
	}
	close(fd);
	return used;
}

int xsim_machine_create(const char *machine, const struct xsim_machine_opts *o)
{
	struct xsim_machine_opts def = { 0 };
	char dir[XSIM_DIR_MAX], path[PATH_MAX], tmp[PATH_MAX];
	pthread_mutexattr_t ma;
	struct xsim_shm *s;
	int fd, rc;

	if (!o)
		o = &def;
	rc = xsim_machine_path(machine, dir, sizeof(dir));
	if (rc)
		return rc;
	rc = make_parent(dir);
	if (rc)
		return rc;
	rc = mkdir_checked(dir);
	if (rc)
		return rc;
	if (machine_in_use(dir))
		return -EEXIST;
	/* Whatever is there is stale: start afresh. */
	xsim_machine_remove(dir);
	rc = mkdir_checked(dir);
	if (rc)
		return rc;

	snprintf(path, sizeof(path), "%s/" XSIM_STATE_FILE, dir);
	snprintf(tmp, sizeof(tmp), "%s/" XSIM_STATE_FILE ".new", dir);
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, XSIM_STATE_SIZE) < 0) {
		rc = -errno;
		goto out_close;
	}
	s = map_state(fd);
	if (!s) {
		rc = -errno;
		goto out_close;
	}

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&s->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	s->version = XSIM_VERSION;
	rc = dom_init(s, dir, 0, "Domain-0", o->dom0_memory_mib,
		      o->dom0_max_grant_frames);
	/* Attachers check the magic: it goes last. */
	if (!rc)
		__atomic_store_n(&s->magic, XSIM_MAGIC, __ATOMIC_RELEASE);
	munmap(s, XSIM_STATE_SIZE);
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
out_close:
	close(fd);
	if (rc)
		unlink(tmp);
	return rc;
}

int xsim_machine_remove(const char *machine)
{
	char dir[XSIM_DIR_MAX], path[PATH_MAX * 2];
	struct dirent *de;
	DIR *dh;
	int rc;

	rc = xsim_machine_path(machine, dir, sizeof(dir));
	if (rc)
		return rc;
	rc = check_dir(dir);
	if (rc)
		return rc;
	dh = opendir(dir);
	if (!dh)
		return -errno;
	while ((de = readdir(dh))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(dh);
	return rmdir(dir) < 0 ? -errno : 0;
}

/* ------------------------------------------------------------------ */
/* Attach / detach */

/* Send @msg, with @fd attached if >= 0, on a SEQPACKET socket. */
static int send_fd(int sock, const char *msg, int fd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = strlen(msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		cm.h.cmsg_level = SOL_SOCKET;
		cm.h.cmsg_type = SCM_RIGHTS;
		cm.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&cm.h), &fd, sizeof(int));
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/* Receive a message and the fd attached to it (-1 if none). */
int xsim_recv_fd(int sock, char *buf, size_t len, int *fd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov = { .iov_base = buf, .iov_len = len - 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cm.buf, .msg_controllen = sizeof(cm.buf),
	};
	struct cmsghdr *c;
	ssize_t n = recvmsg(sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

	*fd = -1;
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	return (int)n;
}

int xsim_send_fd(int sock, const char *msg, int fd)
{
	return send_fd(sock, msg, fd);
}

/* Register with the machine daemon, handing it our eventfd so that it can
 * pass it on to senders that may not take it from us directly. */
static void daemon_register(struct xsim *x)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char msg[64];
	int fd, n;

	n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/" XSIM_DAEMON_SOCK, x->dir);
	if (n < 0 || (size_t)n >= sizeof(sa.sun_path))
		return;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return;		/* no daemon: cleanup is up to xsim_reap() */
	}
	snprintf(msg, sizeof(msg), "attach %d %u", x->att, x->att_gen);
	if (send_fd(fd, msg, x->evt_fd)) {
		close(fd);
		return;
	}
	x->daemon_fd = fd;
}

/* Ask the daemon for attachment @slot's eventfd. Called with x->lock. */
int xsim_daemon_getfd(struct xsim *x, int slot, uint32_t gen)
{
	struct pollfd p = { .fd = x->daemon_fd, .events = POLLIN };
	char msg[64];
	int fd = -1;

	if (x->daemon_fd < 0)
		return -ENOTCONN;
	snprintf(msg, sizeof(msg), "getfd %d %u", slot, gen);
	if (send_fd(x->daemon_fd, msg, -1))
		return -EIO;
	if (poll(&p, 1, 1000) != 1 || xsim_recv_fd(x->daemon_fd, msg, sizeof(msg), &fd) <= 0)
		return -EIO;
	if (strncmp(msg, "fd", 2)) {
		if (fd >= 0)
			close(fd);
		return -ESRCH;
	}
	return fd;
}

int xsim_attach(const char *machine, int domid, struct xsim **out)
{
	return xsim_attach_flags(machine, domid, 0, out);
}

int xsim_attach_flags(const char *machine, int domid, unsigned flags,
		      struct xsim **out)
{
	char path[PATH_MAX];
	struct xsim_dom *d;
	struct xsim *x;
	struct stat st;
	int fd, rc, slot = -1;
	const char *env;

	*out = NULL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->evt_fd = x->daemon_fd = -1;
	x->att = -1;
	pthread_mutex_init(&x->lock, NULL);
	for (int i = 0; i < XSIM_MAX_DOMAINS; i++)
		x->arena_fd[i].fd = -1;
	for (int i = 0; i < XSIM_MAX_ATTACH; i++)
		atomic_store(&x->wake_fd[i].fd, -1);

	rc = xsim_machine_path(machine, x->dir, sizeof(x->dir));
	if (rc)
		goto out_free;
	rc = check_dir(x->dir);
	if (rc)
		goto out_free;
	snprintf(x->xs_sock, sizeof(x->xs_sock), "%s/" XSIM_XENSTORED_SOCK, x->dir);
	if (domid < 0) {
		env = getenv("XENSIM_DOMID");
		domid = env ? atoi(env) : 0;
	}
	if (domid < 0 || domid >= XSIM_MAX_DOMAINS) {
		rc = -ESRCH;
		goto out_free;
	}
	x->domid = (uint16_t)domid;

	snprintf(path, sizeof(path), "%s/" XSIM_STATE_FILE, x->dir);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out_free;
	}
	rc = fstat(fd, &st) < 0 ? -errno : 0;
	if (!rc && (st.st_uid != geteuid() || (size_t)st.st_size != XSIM_STATE_SIZE))
		rc = -EPERM;
	if (!rc) {
		x->shm = map_state(fd);
		if (!x->shm)
			rc = -errno;
	}
	close(fd);
	if (rc)
		goto out_free;
	if (__atomic_load_n(&x->shm->magic, __ATOMIC_ACQUIRE) != XSIM_MAGIC ||
	    x->shm->version != XSIM_VERSION) {
		rc = -EPROTO;
		goto out_unmap;
	}

	rc = xsim_lock(x->shm);
	if (rc)
		goto out_unmap;
	d = &x->shm->dom[domid];
	if (!xsim_dom_live(d)) {
		rc = -ESRCH;
		goto out_unlock;
	}
	for (int i = 0; i < XSIM_MAX_ATTACH; i++) {
		if (!x->shm->att[i].in_use) {
			slot = i;
			break;
		}
	}
	if (slot < 0) {
		rc = -ENOSPC;
		goto out_unlock;
	}
	{
		struct xsim_att *a = &x->shm->att[slot];

		a->in_use = 1;
		a->holder = !!(flags & XSIM_ATTACH_HOLDER);
		a->domid = (uint16_t)domid;
		a->pid = getpid();
		a->starttime = xsim_pid_starttime(a->pid);
		x->att_gen = atomic_fetch_add(&a->gen, 1) + 1;
		atomic_store(&a->wake_flag, 0);
		atomic_store(&a->efd, -1);
	}
	x->att = slot;
	d->nr_attached++;
	d->had_process = 1;
	atomic_store(&d->state, XSIM_DOM_RUNNING);
	if (!(flags & XSIM_ATTACH_HOLDER)) {
		for (unsigned p = 1; p < XSIM_NR_PORTS; p++) {
			uint8_t ps = atomic_load(&d->ports[p].state);

			if (ps != XSIM_ECS_FREE &&
			    atomic_load(&d->ports[p].owner) == XSIM_NO_OWNER)
				atomic_store(&d->ports[p].owner, slot);
		}
	}
	x->arena_size = (size_t)d->memory_pages * XSIM_PAGE_SIZE;
	xsim_unlock(x->shm);

	rc = xsim_arena_path(x->dir, x->domid, path, sizeof(path));
	if (rc)
		goto out_detach;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out_detach;
	}
	x->arena = mmap(NULL, x->arena_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (x->arena == MAP_FAILED) {
		x->arena = NULL;
		rc = -errno;
		goto out_detach;
	}
	if (!(flags & XSIM_ATTACH_HOLDER))
		xsim_evtchn_local_init(x);
	daemon_register(x);
	xsim_evtchn_publish(x);
	*out = x;
	return 0;

out_unlock:
	xsim_unlock(x->shm);
out_unmap:
	munmap(x->shm, XSIM_STATE_SIZE);
out_free:
	free(x);
	return rc;
out_detach:
	xsim_detach(x);
	return rc;
}

/* Drop attachment @slot: its maps, its ports, its record. Lock held. */
void xsim_att_release_locked(struct xsim *x, int slot)
{
	struct xsim_shm *s = x->shm;
	struct xsim_att *a = &s->att[slot];
	struct xsim_dom *d;

	if (!a->in_use)
		return;
	for (uint32_t h = 0; h < XSIM_MAX_MAPS; h++)
		if (s->maps[h].in_use && s->maps[h].att == slot)
			xsim_map_release_locked(x, h);
	d = &s->dom[a->domid];
	for (uint32_t p = 1; p < XSIM_NR_PORTS; p++) {
		struct xsim_port *port = &d->ports[p];

		if (atomic_load(&port->owner) != slot)
			continue;
		if (port->toolstack)
			atomic_store(&port->owner, XSIM_NO_OWNER);
		else
			xsim_port_close_locked(x, a->domid, p);
	}
	if (d->nr_attached)
		d->nr_attached--;
	a->in_use = 0;
	a->pid = 0;
	atomic_store(&a->efd, -1);
	atomic_fetch_add(&a->gen, 1);
}

void xsim_detach(struct xsim *x)
{
	if (!x)
		return;
	xsim_local_maps_free(x);
	if (x->att >= 0 && xsim_lock(x->shm) == 0) {
		struct xsim_att *a = &x->shm->att[x->att];

		if (a->in_use && a->pid == getpid() &&
		    atomic_load(&a->gen) == x->att_gen)
			xsim_att_release_locked(x, x->att);
		xsim_unlock(x->shm);
	}
	xsim_evtchn_local_fini(x);
	for (int i = 0; i < XSIM_MAX_DOMAINS; i++)
		if (x->arena_fd[i].fd >= 0)
			close(x->arena_fd[i].fd);
	if (x->daemon_fd >= 0)
		close(x->daemon_fd);
	if (x->arena)
		munmap(x->arena, x->arena_size);
	munmap(x->shm, XSIM_STATE_SIZE);
	pthread_mutex_destroy(&x->lock);
	free(x->maps);
	free(x);
}

uint16_t xsim_domid(struct xsim *x)
{
	return x->domid;
}

const char *xsim_machine_dir(struct xsim *x)
{
	return x->dir;
}

const char *xsim_xenstored_socket(struct xsim *x)
{
	return x->xs_sock;
}

/* ------------------------------------------------------------------ */
/* Domains */

static void info_locked(struct xsim *x, uint16_t domid, struct xsim_domain_info *i)
{
	struct xsim_dom *d = &x->shm->dom[domid];

	memset(i, 0, sizeof(*i));
	i->domid = domid;
	i->state = atomic_load(&d->state);
	memcpy(i->name, d->name, sizeof(i->name));
	i->name[sizeof(i->name) - 1] = '\0';
	i->memory_pages = d->memory_pages;
	i->nr_grant_frames = atomic_load(&d->nr_frames);
	i->max_grant_frames = d->max_frames;
	i->nr_attached = d->nr_attached;
	for (int a = 0; a < XSIM_MAX_ATTACH; a++) {
		if (x->shm->att[a].in_use && x->shm->att[a].domid == domid) {
			i->pid = x->shm->att[a].pid;
			break;
		}
	}
	i->persistent = d->persistent;
	i->xenstore_port = d->xs_port;
	i->xenstore_gfn = XSIM_XENSTORE_GFN;
}

int xsim_domain_info(struct xsim *x, uint16_t domid, struct xsim_domain_info *info)
{
	int rc;

	if (domid >= XSIM_MAX_DOMAINS)
		return -ESRCH;
	rc = xsim_lock(x->shm);
	if (rc)
		return rc;
	if (atomic_load(&x->shm->dom[domid].state) == XSIM_DOM_FREE)
		rc = -ESRCH;
	else
		info_locked(x, domid, info);
	xsim_unlock(x->shm);
	return rc;
}

int xsim_domain_list(struct xsim *x, struct xsim_domain_info *out, unsigned max)
{
	unsigned n = 0;
	int rc = xsim_lock(x->shm);

	if (rc)
		return rc;
	for (uint16_t i = 0; i < XSIM_MAX_DOMAINS; i++) {
		if (atomic_load(&x->shm->dom[i].state) == XSIM_DOM_FREE)
			continue;
		if (n < max)
			info_locked(x, i, &out[n]);
		n++;
	}
	xsim_unlock(x->shm);
	return (int)n;
}

int xsim_domain_name(struct xsim *x, uint16_t domid, char *buf, size_t len)
{
	struct xsim_domain_info i;
	int rc = xsim_domain_info(x, domid, &i);

	if (rc)
		return rc;
	if (strlen(i.name) >= len)
		return -ENAMETOOLONG;
	memcpy(buf, i.name, strlen(i.name) + 1);
	return 0;
}

int xsim_domain_create(struct xsim *x, const char *name, unsigned memory_mib,
		       unsigned max_grant_frames, uint16_t *domid)
{
	struct xsim_shm *s = x->shm;
	int rc, slot = -1;

	if (x->domid != 0)
		return -EPERM;
	if (!name || !valid_name(name) || memory_mib > XSIM_MAX_MEMORY_MIB ||
	    max_grant_frames > XSIM_GNTTAB_MAX_FRAMES)
		return -EINVAL;
	rc = xsim_lock(s);
	if (rc)
		return rc;
	for (uint16_t i = 0; i < XSIM_MAX_DOMAINS; i++) {
		uint8_t st = atomic_load(&s->dom[i].state);

		if (st == XSIM_DOM_FREE) {
			if (slot < 0 && i > 0)
				slot = i;
		} else if (!strcmp(s->dom[i].name, name)) {
			rc = -EEXIST;
			goto out_unlock;
		}
	}
	if (slot < 0) {
		rc = -ENOSPC;
		goto out_unlock;
	}
	rc = dom_init(s, x->dir, (uint16_t)slot, name, memory_mib, max_grant_frames);
	if (!rc)
		*domid = (uint16_t)slot;
out_unlock:
	xsim_unlock(s);
	return rc;
}

/* Free a DYING domain once nobody maps its pages. Lock held. */
void xsim_dom_maybe_free(struct xsim *x, uint16_t domid)
{
	struct xsim_shm *s = x->shm;
	struct xsim_dom *d = &s->dom[domid];
	char path[PATH_MAX];

	if (atomic_load(&d->state) != XSIM_DOM_DYING)
		return;
	for (uint32_t h = 0; h < XSIM_MAX_MAPS; h++)
		if (s->maps[h].in_use && s->maps[h].granter == domid)
			return;
	memset(xsim_gnttab_of(s, domid), 0, XSIM_GNTTAB_DOM_SIZE);
	memset(xsim_active_of(s, domid), 0, XSIM_ACTIVE_DOM_SIZE);
	for (unsigned p = 0; p < XSIM_NR_PORTS; p++) {
		atomic_store(&d->ports[p].state, XSIM_ECS_FREE);
		atomic_store(&d->ports[p].owner, XSIM_NO_OWNER);
	}
	d->name[0] = '\0';
	atomic_store(&d->state, XSIM_DOM_FREE);
	if (xsim_arena_path(x->dir, domid, path, sizeof(path)) == 0)
		unlink(path);
}

/* Destroy @domid as Xen's domain_kill does. Lock held. */
static void dom_destroy_locked(struct xsim *x, uint16_t domid)
{
	struct xsim_shm *s = x->shm;
	struct xsim_dom *d = &s->dom[domid];

	for (int a = 0; a < XSIM_MAX_ATTACH; a++) {
		if (!s->att[a].in_use || s->att[a].domid != domid)
			continue;
		if (s->att[a].pid != getpid() &&
		    xsim_pid_alive(s->att[a].pid, s->att[a].starttime))
			kill(s->att[a].pid, SIGKILL);
		xsim_att_release_locked(x, a);
	}
	for (uint32_t p = 1; p < XSIM_NR_PORTS; p++)
		if (atomic_load(&d->ports[p].state) != XSIM_ECS_FREE)
			xsim_port_close_locked(x, domid, p);
	/* Its grants die with it; pages others still map keep it a zombie. */
	atomic_store(&d->state, XSIM_DOM_DYING);
	xsim_dom_maybe_free(x, domid);
}

int xsim_domain_set_persistent(struct xsim *x, uint16_t domid, bool on)
{
	int rc;

	if (x->domid != 0)
		return -EPERM;
	if (domid == 0 || domid >= XSIM_MAX_DOMAINS)
		return -EINVAL;
	rc = xsim_lock(x->shm);
	if (rc)
		return rc;
	if (!xsim_dom_live(&x->shm->dom[domid]))
		rc = -ESRCH;
	else
		x->shm->dom[domid].persistent = on;
	xsim_unlock(x->shm);
	return rc;
}

int xsim_domain_destroy(struct xsim *x, uint16_t domid)
{
	int rc;

	if (x->domid != 0)
		return -EPERM;
	if (domid == 0)
		return -EINVAL;
	if (domid >= XSIM_MAX_DOMAINS)
		return -ESRCH;
	rc = xsim_lock(x->shm);
	if (rc)
		return rc;
	if (!xsim_dom_live(&x->shm->dom[domid]))
		rc = -ESRCH;
	else
		dom_destroy_locked(x, domid);
	xsim_unlock(x->shm);
	return rc;
}

_Static_assert(XSIM_MAX_DOMAINS <= 64, "xsim_reap() reports domids in a 64-bit map");

int xsim_reap(struct xsim *x, uint64_t *destroyed)
{
	struct xsim_shm *s = x->shm;
	int n = 0;

	if (destroyed)
		*destroyed = 0;
	if (xsim_lock(s))
		return 0;
	for (int a = 0; a < XSIM_MAX_ATTACH; a++) {
		struct xsim_att *att = &s->att[a];

		if (!att->in_use || xsim_pid_alive(att->pid, att->starttime))
			continue;
		xsim_att_release_locked(x, a);
		n++;
	}
	for (uint16_t i = 1; i < XSIM_MAX_DOMAINS; i++) {
		struct xsim_dom *d = &s->dom[i];

		if (atomic_load(&d->state) != XSIM_DOM_RUNNING ||
		    !d->had_process || d->nr_attached)
			continue;
		if (d->persistent) {
			d->had_process = 0;
			atomic_store(&d->state, XSIM_DOM_CREATED);
		} else {
			dom_destroy_locked(x, i);
			if (destroyed)
				*destroyed |= 1ull << i;
		}
	}
	xsim_unlock(s);
	return n;
}
