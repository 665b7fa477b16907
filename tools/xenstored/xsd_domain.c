// SPDX-License-Identifier: MIT
/*
 * xenstored domain requests: INTRODUCE, RELEASE, RESUME, SET_TARGET,
 * GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED, RESET_WATCHES and CONTROL.
 *
 * INTRODUCE hands the domain's ring to the embedding server through the
 * introduce callback (in xensim the ring is found through libxensim, so
 * the mfn is recorded but not used, as Xen ignores it too). Releasing a
 * domain - RELEASE, or the server noticing its death - drops its
 * connection, removes the nodes it owned and its entries in other nodes'
 * permissions (current Xen deletes orphaned nodes the same way), and fires
 * @releaseDomain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>

#include "xsd_priv.h"

int xsd_do_get_domain_path(struct xsd_conn *c, const char *buf, size_t len)
{
	const char *arg = xsd_onearg(buf, len);
	char path[32];

	if (!arg)
		return -EINVAL;
	snprintf(path, sizeof(path), "/local/domain/%u",
		 (unsigned)xsd_atoi(arg));
	return xsd_reply(c, XS_GET_DOMAIN_PATH, path, strlen(path) + 1);
}

int xsd_do_is_introduced(struct xsd_conn *c, const char *buf, size_t len)
{
	const char *arg = xsd_onearg(buf, len);
	struct xsd_dom *d;
	unsigned long domid;
	bool yes;

	if (!arg)
		return -EINVAL;
	domid = xsd_atoi(arg);
	if (domid == XSD_DOMID_SELF || domid == 0) {
		yes = true;	/* dom0 is always connected */
	} else {
		d = domid <= 0xffff ? xsd_dom_find(c->e, (uint16_t)domid) : NULL;
		yes = d && d->introduced;
	}
	return xsd_reply(c, XS_IS_DOMAIN_INTRODUCED, yes ? "T" : "F", 2);
}

int xsd_do_introduce(struct xsd_conn *c, const char *buf, size_t len)
{
	struct xsd_engine *e = c->e;
	const char *vec[3];
	unsigned long domid, port;
	uint64_t mfn;
	struct xsd_dom *d;
	struct xsd_conn *dc;
	size_t off = 0;
	int i, err = 0;

	if (xsd_count_strings(buf, len) < 3)
		return -EINVAL;
	for (i = 0; i < 3; i++) {
		vec[i] = buf + off;
		off += strlen(buf + off) + 1;
	}
	domid = xsd_atoi(vec[0]);
	mfn = xsd_atoi(vec[1]);		/* unused: libxensim knows the ring */
	port = xsd_atoi(vec[2]);
	if ((long)(int32_t)port <= 0)
		return -EINVAL;
	if (domid == 0 || domid >= XSD_DOMID_FIRST_RESERVED)
		return -EINVAL;
	d = xsd_dom_get(e, (uint16_t)domid);
	if (!d)
		return -ENOMEM;
	if (!d->introduced) {
		if (e->cb.introduce)
			dc = e->cb.introduce(e->cb.arg, (uint16_t)domid, mfn,
					     (uint32_t)port, &err);
		else
			dc = xsd_conn_new(e, (uint16_t)domid);
		if (!dc)
			return -(err ? err : ENOMEM);
		dc->dom = d;
		d->conn = dc;
		d->introduced = true;
		d->port = (uint32_t)port;
		d->mfn = mfn;
		xsd_fire_special(e, XSD_SPECIAL_INTRODUCE);
	} else {
		/* Xen re-binds the event channel and resets the connection. */
		d->port = (uint32_t)port;
		if (d->conn) {
			if (e->cb.reintroduce)
				e->cb.reintroduce(e->cb.arg, d->conn,
						  (uint32_t)port);
			xsd_conn_reset(d->conn);
		}
	}
	return xsd_reply_ok(c);
}

static void drop_acl_entries(struct xsd_node *n, uint16_t domid)
{
	unsigned j, k;

	for (j = 1, k = 1; j < n->nr_perms; j++)
		if (n->perms[j].domid != domid)
			n->perms[k++] = n->perms[j];
	n->nr_perms = k;
}

/*
 * Remove the subtrees owned by @domid below @n (whose path is @path, of
 * length @plen) and drop @domid's entries from the other nodes' ACLs.
 */
static void drop_domain_nodes(struct xsd_view *v, struct xsd_node *n,
			      char *path, size_t plen, uint16_t domid)
{
	unsigned i = 0;

	while (i < n->nr_child) {
		struct xsd_node *k = n->child[i];
		size_t l = strlen(k->name), at = plen == 1 ? 1 : plen + 1;

		if (at + l > XENSTORE_ABS_PATH_MAX) {
			i++;
			continue;	/* cannot exist: paths are checked */
		}
		if (plen != 1)
			path[plen] = '/';
		memcpy(path + at, k->name, l + 1);
		if (k->perms[0].domid == domid) {
			xsd_view_rm(v, k, path);	/* child i is now the next */
			path[plen] = '\0';
			continue;
		}
		drop_domain_nodes(v, k, path, at + l, domid);
		path[plen] = '\0';
		i++;
	}
	drop_acl_entries(n, domid);
}

/* Forget @d: its connection, its nodes; fire @releaseDomain. */
static void release_domain(struct xsd_engine *e, struct xsd_dom *d)
{
	char path[XENSTORE_ABS_PATH_MAX + 2] = "/";
	struct xsd_conn *dc = d->conn;
	struct xsd_conn *c, *dom0;

	if (dc) {
		/* Its watches go first: no events to the dead domain. */
		xsd_watches_free(dc);
		if (e->cb.conn_gone)
			e->cb.conn_gone(e->cb.arg, dc);
		xsd_conn_free(dc);
	}
	d->conn = NULL;
	d->introduced = false;
	/* SET_TARGET links to the domain go too. */
	for (c = e->conns; c; c = c->next)
		if (c->target == d->domid)
			c->target = -1;
	/* The removal runs with dom0's rights, as Xen's does. */
	dom0 = calloc(1, sizeof(*dom0));
	if (dom0) {
		struct xsd_view v = { .e = e, .c = dom0, .root = e->root };

		dom0->e = e;
		dom0->target = -1;
		drop_domain_nodes(&v, e->root, path, 1, d->domid);
		free(dom0);
	}
	drop_acl_entries(e->special[0], d->domid);
	drop_acl_entries(e->special[1], d->domid);
	xsd_fire_special(e, XSD_SPECIAL_RELEASE);
}

int xsd_domain_release(struct xsd_engine *e, uint16_t domid)
{
	struct xsd_dom *d = xsd_dom_find(e, domid);

	if (!d || !d->introduced)
		return -ENOENT;
	release_domain(e, d);
	return 0;
}

bool xsd_domain_introduced(struct xsd_engine *e, uint16_t domid)
{
	struct xsd_dom *d = xsd_dom_find(e, domid);

	return d && d->introduced;
}

unsigned xsd_domain_list(struct xsd_engine *e, uint16_t *out, unsigned max)
{
	struct xsd_dom *d;
	unsigned n = 0;

	for (d = e->doms; d; d = d->next) {
		if (!d->introduced)
			continue;
		if (n < max)
			out[n] = d->domid;
		n++;
	}
	return n;
}

/* Xen's onearg_domain(): a connected domU, EINVAL / ENOENT otherwise. */
static int onearg_domain(struct xsd_conn *c, const char *buf, size_t len,
			 struct xsd_dom **out)
{
	const char *arg = xsd_onearg(buf, len);
	unsigned long domid;
	struct xsd_dom *d;

	if (!arg)
		return -EINVAL;
	domid = xsd_atoi(arg);
	if (domid == 0)
		return -EINVAL;
	d = domid <= 0xffff ? xsd_dom_find(c->e, (uint16_t)domid) : NULL;
	if (!d || !d->introduced)
		return -ENOENT;
	if (!d->conn)
		return -EINVAL;
	*out = d;
	return 0;
}

int xsd_do_release(struct xsd_conn *c, const char *buf, size_t len)
{
	struct xsd_dom *d;
	int rc = onearg_domain(c, buf, len, &d);

	if (rc)
		return rc;
	release_domain(c->e, d);
	return xsd_reply_ok(c);
}

int xsd_do_resume(struct xsd_conn *c, const char *buf, size_t len)
{
	struct xsd_dom *d;
	int rc = onearg_domain(c, buf, len, &d);

	if (rc)
		return rc;
	return xsd_reply_ok(c);
}

int xsd_do_set_target(struct xsd_conn *c, const char *buf, size_t len)
{
	unsigned long domid, tdomid;
	struct xsd_dom *d, *t;

	if (xsd_count_strings(buf, len) < 2)
		return -EINVAL;
	domid = xsd_atoi(buf);
	tdomid = xsd_atoi(buf + strlen(buf) + 1);
	d = domid <= 0xffff ? xsd_dom_find(c->e, (uint16_t)domid) : NULL;
	t = tdomid <= 0xffff ? xsd_dom_find(c->e, (uint16_t)tdomid) : NULL;
	if (!d || !d->introduced || !t || !t->introduced)
		return -ENOENT;
	if (!d->conn || !t->conn)
		return -EINVAL;
	d->conn->target = t->domid;
	return xsd_reply_ok(c);
}

int xsd_do_reset_watches(struct xsd_conn *c, const char *buf, size_t len)
{
	xsd_watches_free(c);
	xsd_txns_free(c);
	return xsd_reply_ok(c);
}

static int control_reply(struct xsd_conn *c, const char *text)
{
	return xsd_reply(c, XS_CONTROL, text, strlen(text) + 1);
}

/*
 * CONTROL <command>|[<args>|]: Xen's set is implementation specific; ours
 * is check, log, print, help, quota, stats and freeze (fault injection).
 */
int xsd_do_control(struct xsd_conn *c, const char *buf, size_t len)
{
	struct xsd_engine *e = c->e;
	char text[1024];
	const char *arg = NULL;
	unsigned nstr = xsd_count_strings(buf, len);

	if (nstr < 1)
		return -EINVAL;
	if (nstr >= 2)
		arg = buf + strlen(buf) + 1;
	if (!strcmp(buf, "check"))
		return xsd_engine_check(e) ? -EIO : xsd_reply_ok(c);
	if (!strcmp(buf, "log") || !strcmp(buf, "logfile"))
		return xsd_reply_ok(c);
	if (!strcmp(buf, "print")) {
		if (!arg)
			return -EINVAL;
		os_info("xenstored: %s", arg);
		return xsd_reply_ok(c);
	}
	if (!strcmp(buf, "help"))
		return control_reply(c, "check\nfreeze <ms>\nhelp\n"
				     "log [on|off]\nprint <string>\nquota\n"
				     "stats\n");
	if (!strcmp(buf, "quota")) {
		snprintf(text, sizeof(text),
			 "nodes: %u\nnode-size: %u\nwatches: %u\n"
			 "transactions: %u\nnode-permissions: %u\n"
			 "path-length: %u\ntransaction-nodes: %u\n",
			 e->q.nodes, e->q.node_size, e->q.watches,
			 e->q.transactions, e->q.perms, e->q.path_len,
			 e->q.txn_nodes);
		return control_reply(c, text);
	}
	if (!strcmp(buf, "stats")) {
		snprintf(text, sizeof(text),
			 "nodes: %u\nrequests: %llu\nerrors: %llu\n"
			 "watch-events: %llu\nwatch-events-dropped: %llu\n"
			 "transaction-commits: %llu\n"
			 "transaction-conflicts: %llu\n", e->st.nodes,
			 (unsigned long long)e->st.requests,
			 (unsigned long long)e->st.errors,
			 (unsigned long long)e->st.watch_events,
			 (unsigned long long)e->st.watch_events_dropped,
			 (unsigned long long)e->st.txn_commits,
			 (unsigned long long)e->st.txn_conflicts);
		return control_reply(c, text);
	}
	if (!strcmp(buf, "freeze")) {
		uint64_t ms;

		if (!arg || os_parse_u64(arg, 10, 600000, &ms))
			return -EINVAL;
		if (!e->cb.freeze)
			return -ENOSYS;
		e->cb.freeze(e->cb.arg, (unsigned)ms);
		return xsd_reply_ok(c);
	}
	return -EINVAL;
}
