// SPDX-License-Identifier: MIT
/*
 * The xensim machine daemon and the toolstack's xenstore calls.
 *
 * Theory of operation: `xensim start` forks one daemon per machine. It
 * listens on <dir>/xensim.sock; every process that attaches connects and
 * keeps the connection open, so its death shows here as end-of-file and is
 * cleaned up at once with xsim_reap() (a once-a-second sweep catches the
 * rest). A domU left with no process is destroyed, and xenstored is told
 * (RELEASE), which fires @releaseDomain as on Xen. The daemon also starts
 * xenstored (xensim-xenstored next to the xensim binary, if present) and
 * restarts nothing: a dead xenstored is logged. "stop" on the socket takes
 * the machine down and removes its directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#include "xensim_cli.h"
#include "xsim_priv.h"

#define MAX_CLIENTS 256

static void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void logmsg(const char *fmt, ...)
{
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	strftime(ts, sizeof(ts), "%H:%M:%S", localtime_r(&now, &tm));
	fprintf(stderr, "%s xensim[%d]: ", ts, getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ------------------------------------------------------------------ */
/* xenstore, as a toolstack */

static struct xs_handle *ts_open(struct xsim *x)
{
	if (access(xsim_xenstored_socket(x), F_OK) < 0)
		return NULL;
	setenv("XENSTORED_PATH", xsim_xenstored_socket(x), 1);
	return xs_open(XS_OPEN_SOCKETONLY);
}

static bool ts_mkdir(struct xs_handle *h, const char *path, uint16_t owner,
		     uint16_t reader)
{
	struct xs_permissions perms[2] = {
		{ .id = owner, .perms = XS_PERM_NONE },
		{ .id = reader, .perms = XS_PERM_READ },
	};

	return xs_mkdir(h, XBT_NULL, path) &&
	       xs_set_permissions(h, XBT_NULL, path, perms, owner == reader ? 1 : 2);
}

/*
 * What xen-init-dom0 writes on a real host: dom0's own directory with its
 * name, so toolstacks and back-ends can resolve "Domain-0" / 0 as on Xen.
 */
static void ts_dom0(struct xsim *x)
{
	struct xs_handle *h = NULL;

	/* xenstored may still be binding its socket. */
	for (int i = 0; i < 100 && !(h = ts_open(x)); i++)
		usleep(20000);
	if (!h) {
		logmsg("xenstored not reachable: /local/domain/0 not written");
		return;
	}
	if (!ts_mkdir(h, "/local/domain/0", 0, 0) ||
	    !xs_write(h, XBT_NULL, "/local/domain/0/name", "Domain-0", 8) ||
	    !xs_write(h, XBT_NULL, "/local/domain/0/domid", "0", 1))
		logmsg("cannot write /local/domain/0: %s", strerror(errno));
	xs_close(h);
}

int xsim_ts_introduce(struct xsim *x, uint16_t domid)
{
	static const char *const subdirs[] = { "device", "data", "control" };
	struct xsim_domain_info info;
	struct xs_handle *h;
	char path[128], val[32];
	bool ok;
	int rc;

	rc = xsim_domain_info(x, domid, &info);
	if (rc)
		return rc;
	h = ts_open(x);
	if (!h)
		return -ENOENT;
	/* As libxl: the domain may read its directory, dom0 owns it; the
	 * domain owns the subdirectories it writes to. */
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	ok = ts_mkdir(h, path, 0, domid);
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	ok = ok && xs_write(h, XBT_NULL, path, info.name, strlen(info.name));
	snprintf(path, sizeof(path), "/local/domain/%u/domid", domid);
	snprintf(val, sizeof(val), "%u", domid);
	ok = ok && xs_write(h, XBT_NULL, path, val, strlen(val));
	for (size_t i = 0; ok && i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, subdirs[i]);
		ok = ts_mkdir(h, path, domid, domid);
	}
	ok = ok && xs_introduce_domain(h, domid, info.xenstore_gfn, info.xenstore_port);
	rc = ok ? 0 : -(errno ? errno : EIO);
	xs_close(h);
	return rc;
}

int xsim_ts_release(struct xsim *x, uint16_t domid)
{
	struct xs_handle *h = ts_open(x);
	char path[64];
	bool ok;

	if (!h)
		return -ENOENT;
	ok = xs_release_domain(h, domid);
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	xs_rm(h, XBT_NULL, path);
	xs_close(h);
	return ok ? 0 : -(errno ? errno : EIO);
}

/* ------------------------------------------------------------------ */
/* The daemon */

struct daemon {
	struct xsim *x;
	int lfd, sfd;
	int clients[MAX_CLIENTS];
	unsigned nr_clients;
	/* Every registered attachment's eventfd, for senders that cannot
	 * take it with pidfd_getfd(). */
	struct { int fd; uint32_t gen; } efd[XSIM_MAX_ATTACH];
	pid_t xenstored;
	bool stop;
};

static void reap(struct daemon *d)
{
	uint64_t destroyed;
	int n = xsim_reap(d->x, &destroyed);

	for (uint16_t i = 1; i < XSIM_MAX_DOMAINS; i++) {
		if (!(destroyed & (1ull << i)))
			continue;
		logmsg("dom%u: last process gone, domain destroyed", i);
		if (xsim_ts_release(d->x, i) && access(xsim_xenstored_socket(d->x), F_OK) == 0)
			logmsg("dom%u: could not release it in xenstored", i);
	}
	if (n)
		logmsg("reaped %d dead process(es)", n);
}

static int listen_on(const char *dir)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, n;

	n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/" XSIM_DAEMON_SOCK, dir);
	if (n < 0 || (size_t)n >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	unlink(sa.sun_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	return fd;
}

static void write_pid(const char *dir, const char *name, pid_t pid)
{
	char path[PATH_MAX], buf[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "%d\n", pid);
	if (write(fd, buf, (size_t)n) != n)
		logmsg("cannot write %s", path);
	close(fd);
}

static pid_t start_xenstored(const char *dir, const char *bin, sigset_t *old)
{
	char sock[PATH_MAX];
	pid_t pid;

	if (!bin || access(bin, X_OK) < 0) {
		logmsg("no xenstored (%s): xenstore is not available", bin ? bin : "-");
		return 0;
	}
	pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, old, NULL);
		setenv("XENSIM_MACHINE", dir, 1);
		setenv("XENSIM_DOMID", "0", 1);
		execl(bin, bin, "--machine", dir, (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		return 0;
	write_pid(dir, XSIM_XENSTORED_PID, pid);
	/* Wait for its socket, so that `xensim create` can introduce. */
	snprintf(sock, sizeof(sock), "%s/" XSIM_XENSTORED_SOCK, dir);
	for (int i = 0; i < 300 && access(sock, F_OK) < 0; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			logmsg("xenstored exited at start");
			return 0;
		}
		usleep(10000);
	}
	logmsg("xenstored running, pid %d", pid);
	return pid;
}

static void stop_all(struct daemon *d)
{
	struct xsim_shm *s = d->x->shm;
	pid_t me = getpid();

	for (int round = 0; round < 2; round++) {
		bool any = false;

		for (int a = 0; a < XSIM_MAX_ATTACH; a++) {
			struct xsim_att *att = &s->att[a];

			if (att->in_use && att->pid != me &&
			    att->pid != d->xenstored &&
			    xsim_pid_alive(att->pid, att->starttime)) {
				kill(att->pid, round ? SIGKILL : SIGTERM);
				any = true;
			}
		}
		for (int i = 0; any && i < 100; i++) {
			usleep(10000);
			reap(d);
		}
	}
	if (d->xenstored > 0) {
		kill(d->xenstored, SIGTERM);
		for (int i = 0; i < 200 && waitpid(d->xenstored, NULL, WNOHANG) == 0; i++)
			usleep(10000);
		if (waitpid(d->xenstored, NULL, WNOHANG) == 0) {
			kill(d->xenstored, SIGKILL);
			waitpid(d->xenstored, NULL, 0);
		}
	}
}

/* Take a queued "attach" message of client @j, if that is what is next. */
static void absorb_attach(struct daemon *d, unsigned j)
{
	char buf[64];
	int fd, slot;
	unsigned gen;
	ssize_t n = recv(d->clients[j], buf, sizeof(buf) - 1, MSG_PEEK | MSG_DONTWAIT);

	if (n <= 0)
		return;
	buf[n] = '\0';
	if (strncmp(buf, "attach ", 7) ||
	    xsim_recv_fd(d->clients[j], buf, sizeof(buf), &fd) <= 0)
		return;
	if (sscanf(buf, "attach %d %u", &slot, &gen) == 2 && fd >= 0 &&
	    slot >= 0 && slot < XSIM_MAX_ATTACH) {
		if (d->efd[slot].fd >= 0)
			close(d->efd[slot].fd);
		d->efd[slot].fd = fd;
		d->efd[slot].gen = gen;
	} else if (fd >= 0) {
		close(fd);
	}
}

static void client_input(struct daemon *d, unsigned i)
{
	char buf[64];
	int fd, slot;
	unsigned gen;
	int n = xsim_recv_fd(d->clients[i], buf, sizeof(buf), &fd);

	if (n == -EAGAIN || n == -EINTR)
		return;
	if (n <= 0) {
		close(d->clients[i]);
		d->clients[i] = d->clients[--d->nr_clients];
		reap(d);
		return;
	}
	if (sscanf(buf, "attach %d %u", &slot, &gen) == 2 && fd >= 0 &&
	    slot >= 0 && slot < XSIM_MAX_ATTACH) {
		if (d->efd[slot].fd >= 0)
			close(d->efd[slot].fd);
		d->efd[slot].fd = fd;
		d->efd[slot].gen = gen;
		return;
	}
	if (fd >= 0)
		close(fd);
	if (sscanf(buf, "getfd %d %u", &slot, &gen) == 2) {
		bool ok = slot >= 0 && slot < XSIM_MAX_ATTACH &&
			  d->efd[slot].fd >= 0 && d->efd[slot].gen == gen;

		/* Its registration may still be queued on its connection:
		 * the receiver publishes its eventfd only after sending it. */
		for (unsigned j = 0; !ok && j < d->nr_clients; j++) {
			absorb_attach(d, j);
			ok = slot >= 0 && slot < XSIM_MAX_ATTACH &&
			     d->efd[slot].fd >= 0 && d->efd[slot].gen == gen;
		}

		xsim_send_fd(d->clients[i], ok ? "fd" : "none", ok ? d->efd[slot].fd : -1);
		return;
	}
	if (!strncmp(buf, "stop", 4)) {
		logmsg("stop requested");
		d->stop = true;
	}
}

void xsim_daemon_main(const char *dir, const char *xenstored, int ready_fd)
{
	struct daemon d = { .lfd = -1, .sfd = -1 };
	struct pollfd pfd[MAX_CLIENTS + 2];
	sigset_t set, old;
	char rdy = 1;
	int rc;

	for (int i = 0; i < XSIM_MAX_ATTACH; i++)
		d.efd[i].fd = -1;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);
	d.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);

	rc = xsim_attach_flags(dir, 0, XSIM_ATTACH_HOLDER, &d.x);
	if (rc) {
		logmsg("attach: %s", strerror(-rc));
		_exit(1);
	}
	if (xsim_lock(d.x->shm) == 0) {
		d.x->shm->daemon_pid = getpid();
		xsim_unlock(d.x->shm);
	}
	write_pid(dir, XSIM_DAEMON_PID, getpid());
	d.lfd = listen_on(dir);
	if (d.lfd < 0) {
		logmsg("listen: %s", strerror(-d.lfd));
		_exit(1);
	}
	d.xenstored = start_xenstored(dir, xenstored, &old);
	if (d.xenstored > 0)
		ts_dom0(d.x);
	logmsg("machine %s up", dir);
	if (write(ready_fd, &rdy, 1) != 1)
		logmsg("parent gone");
	close(ready_fd);

	while (!d.stop) {
		unsigned n = 0;

		pfd[n++] = (struct pollfd){ .fd = d.lfd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = d.sfd, .events = POLLIN };
		for (unsigned i = 0; i < d.nr_clients; i++)
			pfd[n++] = (struct pollfd){ .fd = d.clients[i], .events = POLLIN };
		rc = poll(pfd, n, 1000);
		if (rc < 0 && errno != EINTR)
			break;
		if (rc <= 0) {
			reap(&d);	/* the sweep */
			continue;
		}
		if (pfd[0].revents & POLLIN) {
			int c = accept4(d.lfd, NULL, NULL, SOCK_CLOEXEC);

			if (c >= 0 && d.nr_clients < MAX_CLIENTS)
				d.clients[d.nr_clients++] = c;
			else if (c >= 0)
				close(c);
		}
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(d.sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo != SIGCHLD) {
					d.stop = true;
					continue;
				}
				for (pid_t p; (p = waitpid(-1, NULL, WNOHANG)) > 0;) {
					if (p == d.xenstored) {
						logmsg("xenstored (pid %d) exited", p);
						d.xenstored = 0;
					}
				}
			}
		}
		/* Clients from the end: client_input() may remove one. */
		for (unsigned i = n; i-- > 2;)
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				client_input(&d, i - 2);
	}

	stop_all(&d);
	for (unsigned i = 0; i < d.nr_clients; i++)
		close(d.clients[i]);
	close(d.lfd);
	{
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s", dir);
		xsim_detach(d.x);
		rc = xsim_machine_remove(path);
		logmsg("machine %s removed (%s)", path, rc ? strerror(-rc) : "ok");
	}
	_exit(0);
}
