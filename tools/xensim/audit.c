// SPDX-License-Identifier: MIT
/*
 * xensim observability and fault injection: per-domain counters, the fault
 * plans that the event-channel and grant paths consult, the xenstored
 * freeze hand-off, and the audit that checks the machine's invariants
 * (nothing held by dead processes or domains, pins matching maps, flags
 * matching pins, interdomain ports pointing at each other).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xsim_priv.h"

/* ------------------------------------------------------------------ */
/* Counters and fault plans */

int xsim_counters(struct xsim *x, uint16_t domid, struct xsim_counters *c)
{
	struct xsim_ctr *k;

	if (domid >= XSIM_MAX_DOMAINS)
		return -ESRCH;
	k = &x->shm->dom[domid].ctr;
	c->grant_maps = atomic_load(&k->grant_maps);
	c->grant_unmaps = atomic_load(&k->grant_unmaps);
	c->grant_map_failures = atomic_load(&k->grant_map_failures);
	c->grant_copies = atomic_load(&k->grant_copies);
	c->evtchn_sends = atomic_load(&k->evtchn_sends);
	c->evtchn_wakeups = atomic_load(&k->evtchn_wakeups);
	c->evtchn_dropped = atomic_load(&k->evtchn_dropped);
	return 0;
}

int xsim_fault_set(struct xsim *x, uint16_t domid, const struct xsim_fault *f)
{
	struct xsim_fault_state *fs;

	if (x->domid != 0)
		return -EPERM;
	if (domid >= XSIM_MAX_DOMAINS || !xsim_dom_live(&x->shm->dom[domid]))
		return -ESRCH;
	if (f->grant_frames_cap > XSIM_GNTTAB_MAX_FRAMES)
		return -EINVAL;
	fs = &x->shm->dom[domid].fault;
	atomic_store(&fs->evt_port, f->evt_port);
	atomic_store(&fs->evt_drop, f->evt_drop);
	atomic_store(&fs->evt_dup, f->evt_dup);
	atomic_store(&fs->evt_delay_us, f->evt_delay_us);
	atomic_store(&fs->map_fail_status,
		     f->map_fail_status ? f->map_fail_status : GNTST_general_error);
	atomic_store(&fs->map_fail, f->map_fail);
	atomic_store(&fs->grant_frames_cap, f->grant_frames_cap);
	return 0;
}

int xsim_fault_get(struct xsim *x, uint16_t domid, struct xsim_fault *f)
{
	struct xsim_fault_state *fs;

	if (domid >= XSIM_MAX_DOMAINS)
		return -ESRCH;
	fs = &x->shm->dom[domid].fault;
	memset(f, 0, sizeof(*f));
	f->evt_port = atomic_load(&fs->evt_port);
	f->evt_drop = atomic_load(&fs->evt_drop);
	f->evt_dup = atomic_load(&fs->evt_dup);
	f->evt_delay_us = atomic_load(&fs->evt_delay_us);
	f->map_fail = atomic_load(&fs->map_fail);
	f->map_fail_status = (int16_t)atomic_load(&fs->map_fail_status);
	f->grant_frames_cap = (uint16_t)atomic_load(&fs->grant_frames_cap);
	return 0;
}

int xsim_fault_xenstored_freeze(struct xsim *x, unsigned ms)
{
	char path[PATH_MAX], buf[32];
	int fd, n;
	long pid;

	if (x->domid != 0)
		return -EPERM;
	snprintf(path, sizeof(path), "%s/" XSIM_XENSTORED_PID, x->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "%s/xenstored.freeze", x->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%u\n", ms);
	if (write(fd, buf, (size_t)n) != n) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return kill((pid_t)pid, SIGUSR1) < 0 ? -errno : 0;
}

/* ------------------------------------------------------------------ */
/* Audit */

static const char *const dom_state_name[] = {
	[XSIM_DOM_FREE] = "free", [XSIM_DOM_CREATED] = "created",
	[XSIM_DOM_RUNNING] = "running", [XSIM_DOM_DYING] = "dying",
};

static int audit_domain(struct xsim *x, uint16_t id, FILE *out)
{
	struct xsim_shm *s = x->shm;
	struct xsim_dom *d = &s->dom[id];
	grant_entry_v1_t *gt = xsim_gnttab_of(s, id);
	struct xsim_active *act = xsim_active_of(s, id);
	unsigned nr = atomic_load(&d->nr_frames) * XSIM_ENTRIES_PER_FRAME;
	uint8_t st = atomic_load(&d->state);
	int problems = 0;

	if (out)
		fprintf(out, "dom%u %s: %s, %u pages, %u/%u grant frames, %u processes\n",
			id, d->name, dom_state_name[st], d->memory_pages,
			atomic_load(&d->nr_frames), d->max_frames, d->nr_attached);
	if (st == XSIM_DOM_DYING) {
		if (out)
			fprintf(out, "  PROBLEM: destroyed but its pages are still mapped\n");
		problems++;
	}
	for (unsigned r = 0; r < nr; r++) {
		uint16_t fl = __atomic_load_n(&gt[r].flags, __ATOMIC_ACQUIRE);
		unsigned maps = 0;

		for (uint32_t h = 0; h < XSIM_MAX_MAPS; h++)
			if (s->maps[h].in_use && s->maps[h].granter == id &&
			    s->maps[h].ref == r)
				maps++;
		if ((fl & GTF_type_mask) == GTF_invalid && !maps && !act[r].ro_pins &&
		    !act[r].rw_pins)
			continue;
		if (out)
			fprintf(out, "  grant ref %u -> dom%u frame %u%s%s%s, %u maps\n",
				r, gt[r].domid, gt[r].frame,
				fl & GTF_readonly ? " ro" : "",
				fl & GTF_reading ? " reading" : "",
				fl & GTF_writing ? " writing" : "", maps);
		if ((fl & (GTF_reading | GTF_writing)) && !act[r].ro_pins &&
		    !act[r].rw_pins) {
			if (out)
				fprintf(out, "  PROBLEM: ref %u flagged in use with no map\n", r);
			problems++;
		}
		if (maps > act[r].ro_pins + act[r].rw_pins) {
			if (out)
				fprintf(out, "  PROBLEM: ref %u has more maps than pins\n", r);
			problems++;
		}
	}
	for (uint32_t h = 0; h < XSIM_MAX_MAPS; h++) {
		struct xsim_map_rec *m = &s->maps[h];
		struct xsim_att *a;

		if (!m->in_use || m->mapper != id)
			continue;
		a = m->att >= 0 && m->att < XSIM_MAX_ATTACH ? &s->att[m->att] : NULL;
		if (out)
			fprintf(out, "  maps dom%u ref %u %s (pid %d)\n", m->granter,
				m->ref, m->readonly ? "ro" : "rw", a ? a->pid : -1);
		if (!a || !a->in_use || !xsim_pid_alive(a->pid, a->starttime) ||
		    !xsim_dom_live(d)) {
			if (out)
				fprintf(out, "  PROBLEM: map held by a dead process or domain\n");
			problems++;
		}
	}
	for (uint32_t p = 1; p < XSIM_NR_PORTS; p++) {
		struct xsim_port *port = &d->ports[p];
		uint8_t ps = atomic_load(&port->state);
		uint16_t rd = atomic_load(&port->remote_dom);
		uint32_t rp = atomic_load(&port->remote_port);
		int32_t own = atomic_load(&port->owner);
		bool pend = atomic_load(&d->pending[p / 64]) & (1ull << (p % 64));
		bool mask = atomic_load(&d->mask[p / 64]) & (1ull << (p % 64));

		if (ps == XSIM_ECS_FREE || ps == XSIM_ECS_RESERVED)
			continue;
		if (out && ps == XSIM_ECS_INTERDOMAIN)
			fprintf(out, "  port %u interdomain dom%u port %u%s%s owner %d\n", p,
				rd, rp, pend ? " pending" : "", mask ? " masked" : "",
				own >= 0 ? s->att[own].pid : -1);
		else if (out)
			fprintf(out, "  port %u unbound for dom%u%s%s owner %d\n", p, rd,
				pend ? " pending" : "", mask ? " masked" : "",
				own >= 0 ? s->att[own].pid : -1);
		if (ps == XSIM_ECS_INTERDOMAIN) {
			struct xsim_port *peer = rd < XSIM_MAX_DOMAINS && rp < XSIM_NR_PORTS ?
				&s->dom[rd].ports[rp] : NULL;

			if (!peer || !xsim_dom_live(&s->dom[rd]) ||
			    atomic_load(&peer->state) != XSIM_ECS_INTERDOMAIN ||
			    atomic_load(&peer->remote_dom) != id ||
			    atomic_load(&peer->remote_port) != p) {
				if (out)
					fprintf(out, "  PROBLEM: port %u bound to a dead or mismatched peer\n", p);
				problems++;
			}
		}
		if (own >= 0 && (!s->att[own].in_use ||
				 !xsim_pid_alive(s->att[own].pid, s->att[own].starttime))) {
			if (out)
				fprintf(out, "  PROBLEM: port %u owned by a dead process\n", p);
			problems++;
		}
	}
	return problems;
}

int xsim_audit(struct xsim *x, FILE *out)
{
	struct xsim_shm *s = x->shm;
	int problems = 0, rc;

	rc = xsim_lock(s);
	if (rc)
		return rc;
	for (int a = 0; a < XSIM_MAX_ATTACH; a++) {
		if (s->att[a].in_use && !xsim_pid_alive(s->att[a].pid, s->att[a].starttime)) {
			if (out)
				fprintf(out, "PROBLEM: dead process %d still attached as dom%u\n",
					s->att[a].pid, s->att[a].domid);
			problems++;
		}
	}
	for (uint16_t i = 0; i < XSIM_MAX_DOMAINS; i++) {
		if (atomic_load(&s->dom[i].state) != XSIM_DOM_FREE) {
			problems += audit_domain(x, i, out);
			continue;
		}
		for (uint32_t h = 0; h < XSIM_MAX_MAPS; h++) {
			if (s->maps[h].in_use &&
			    (s->maps[h].granter == i || s->maps[h].mapper == i)) {
				if (out)
					fprintf(out, "PROBLEM: map record for freed dom%u\n", i);
				problems++;
			}
		}
	}
	xsim_unlock(s);
	return problems;
}
