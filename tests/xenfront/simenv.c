// SPDX-License-Identifier: MIT
/*
 * Test environment for xen-frontend (see simenv.h): the toolstack's part of
 * a guest's life, done with libxensim and libxenstore as xl would.
 */
#include "simenv.h"
#include "tools/vscmi-attach/attach.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xenstore.h>

#include <vscmi/xensim.h>

#include "tools/xenstored/server.h"

extern char **environ;

static void *simenv_xsd_thread(void *arg)
{
	struct simenv *e = arg;

	xsd_server_run(e->xsd);
	return NULL;
}

int simenv_up(struct simenv *e, const char *self_exe)
{
	char tmpl[] = "/tmp/vscmi-xf-XXXXXX", sock[128];
	struct xsd_server_opts o = { 0 };
	int ret;

	memset(e, 0, sizeof(*e));
	e->self_exe = self_exe;
	if (!mkdtemp(tmpl))
		return -errno;
	snprintf(e->dir, sizeof(e->dir), "%s/m", tmpl);
	ret = xsim_machine_create(e->dir, NULL);
	if (ret) {
		fprintf(stderr, "simenv: xsim_machine_create(%s): %s\n", e->dir,
			strerror(-ret));
		return ret;
	}
	o.dir = e->dir;
	ret = xsd_server_new(&o, &e->xsd);
	if (ret) {
		fprintf(stderr, "simenv: xsd_server_new: %s\n", strerror(-ret));
		return ret;
	}
	if (pthread_create(&e->xsd_thread, NULL, simenv_xsd_thread, e))
		return -EAGAIN;
	snprintf(sock, sizeof(sock), "%s/%s", e->dir, XSD_SOCKET_NAME);
	setenv("XENSTORED_PATH", sock, 1);
	setenv("XENSIM_MACHINE", e->dir, 1);
	ret = xsim_attach(e->dir, 0, &e->dom0);
	if (ret)
		return ret;
	for (int i = 0; i < 200 && !e->xs; i++) {
		e->xs = xs_open(0);
		if (!e->xs)
			usleep(10000);
	}
	return e->xs ? 0 : -ECONNREFUSED;
}

void simenv_down(struct simenv *e)
{
	char parent[64];

	if (e->xs)
		xs_close(e->xs);
	if (e->xsd) {
		xsd_server_stop(e->xsd);
		pthread_join(e->xsd_thread, NULL);
		xsd_server_free(e->xsd);
	}
	xsim_detach(e->dom0);
	xsim_machine_remove(e->dir);
	snprintf(parent, sizeof(parent), "%s", e->dir);
	*strrchr(parent, '/') = '\0';
	rmdir(parent);
}

int simenv_write(struct simenv *e, const char *dir, const char *key,
		 const char *val)
{
	return vsa_xs_printf(e->xs, XBT_NULL, dir, key, "%s", val);
}

long long simenv_read_num(struct simenv *e, const char *dir, const char *key)
{
	char path[256];
	unsigned int len;
	char *v;
	long long n;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	v = xs_read(e->xs, XBT_NULL, path, &len);
	if (!v)
		return -1;
	n = (long long)strtoull(v, NULL, 0);
	free(v);
	return n;
}

int simenv_guest_new(struct simenv *e, const char *name, uint16_t *domid)
{
	struct xsim_domain_info info;
	struct xs_permissions perms[1];
	char dir[64];
	int ret;

	ret = xsim_domain_create(e->dom0, name, 0, 0, domid);
	if (ret)
		return ret;
	ret = xsim_domain_info(e->dom0, *domid, &info);
	if (ret)
		return ret;
	if (!xs_introduce_domain(e->xs, *domid, info.xenstore_gfn, info.xenstore_port))
		return -errno;
	snprintf(dir, sizeof(dir), "/local/domain/%u", *domid);
	perms[0] = (struct xs_permissions){ .id = *domid, .perms = XS_PERM_NONE };
	if (!xs_mkdir(e->xs, XBT_NULL, dir) ||
	    !xs_set_permissions(e->xs, XBT_NULL, dir, perms, 1) ||
	    vsa_xs_printf(e->xs, XBT_NULL, dir, "name", "%s", name) ||
	    vsa_xs_printf(e->xs, XBT_NULL, dir, "domid", "%u", *domid))
		return -errno;
	return 0;
}

void simenv_guest_destroy(struct simenv *e, uint16_t domid)
{
	char dir[96];

	xsim_domain_destroy(e->dom0, domid);
	xs_release_domain(e->xs, domid);
	snprintf(dir, sizeof(dir), "/local/domain/%u", domid);
	xs_rm(e->xs, XBT_NULL, dir);
	snprintf(dir, sizeof(dir), "/local/domain/0/backend/virtio-pv/%u", domid);
	xs_rm(e->xs, XBT_NULL, dir);
	xsim_reap(e->dom0, NULL);
}

void simenv_be_path(uint16_t domid, unsigned devid, char *buf, size_t len)
{
	snprintf(buf, len, "/local/domain/0/backend/virtio-pv/%u/%u", domid, devid);
}

void simenv_fe_path(uint16_t domid, unsigned devid, char *buf, size_t len)
{
	snprintf(buf, len, "/local/domain/%u/device/virtio-pv/%u", domid, devid);
}

int simenv_device_add(struct simenv *e, uint16_t domid, unsigned devid)
{
	struct xs_permissions fe_perms[2] = {
		{ .id = domid, .perms = XS_PERM_NONE },
		{ .id = 0, .perms = XS_PERM_READ },
	};
	struct xs_permissions be_perms[2] = {
		{ .id = 0, .perms = XS_PERM_NONE },
		{ .id = domid, .perms = XS_PERM_READ },
	};
	char fe[96], be[96];

	simenv_fe_path(domid, devid, fe, sizeof(fe));
	simenv_be_path(domid, devid, be, sizeof(be));
	if (!xs_mkdir(e->xs, XBT_NULL, fe) ||
	    !xs_set_permissions(e->xs, XBT_NULL, fe, fe_perms, 2) ||
	    vsa_xs_printf(e->xs, XBT_NULL, fe, "backend", "%s", be) ||
	    vsa_xs_printf(e->xs, XBT_NULL, fe, "backend-id", "%u", 0) ||
	    vsa_xs_printf(e->xs, XBT_NULL, fe, "device-id", "%d", 32) ||
	    vsa_xs_printf(e->xs, XBT_NULL, fe, "state", "%d", 1) ||
	    !xs_mkdir(e->xs, XBT_NULL, be) ||
	    !xs_set_permissions(e->xs, XBT_NULL, be, be_perms, 2) ||
	    vsa_xs_printf(e->xs, XBT_NULL, be, "frontend", "%s", fe) ||
	    vsa_xs_printf(e->xs, XBT_NULL, be, "frontend-id", "%u", domid) ||
	    vsa_xs_printf(e->xs, XBT_NULL, be, "device-id", "%d", 32) ||
	    vsa_xs_printf(e->xs, XBT_NULL, be, "online", "1") ||
	    vsa_xs_printf(e->xs, XBT_NULL, be, "state", "%d", 1))
		return -errno;
	return 0;
}

void simenv_device_remove(struct simenv *e, uint16_t domid, unsigned devid)
{
	char p[96];

	simenv_fe_path(domid, devid, p, sizeof(p));
	xs_rm(e->xs, XBT_NULL, p);
	simenv_be_path(domid, devid, p, sizeof(p));
	xs_rm(e->xs, XBT_NULL, p);
}

pid_t simenv_peer_start(struct simenv *e, uint16_t domid, unsigned devid,
			const char *mode)
{
	char d[16], v[16];
	char *argv[] = { (char *)e->self_exe, "--peer", e->dir, d, v,
			 (char *)mode, NULL };
	pid_t pid;

	snprintf(d, sizeof(d), "%u", domid);
	snprintf(v, sizeof(v), "%u", devid);
	if (posix_spawn(&pid, e->self_exe, NULL, NULL, argv, environ))
		return -1;
	return pid;
}

void simenv_peer_stop(struct simenv *e, pid_t pid, int sig)
{
	if (pid <= 0)
		return;
	kill(pid, sig);
	waitpid(pid, NULL, 0);
	if (sig == SIGKILL)
		xsim_reap(e->dom0, NULL);
}

int simenv_freeze_xenstored(struct simenv *e, unsigned ms)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", e->dir, XSD_FREEZE_NAME);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "%u\n", ms);
	fclose(f);
	xsd_server_freeze_signal(e->xsd);
	return 0;
}

int simenv_audit(struct simenv *e)
{
	return xsim_audit(e->dom0, getenv("XF_AUDIT_VERBOSE") ? stderr : NULL);
}
