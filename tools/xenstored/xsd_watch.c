// SPDX-License-Identifier: MIT
/*
 * xenstored watches: WATCH, UNWATCH, and the matching of changes against
 * every connection's watches.
 *
 * As in Xen: a watch fires for changes at or below its path (or, for the
 * children of a removed subtree, exactly at its path); it fires once when
 * set up; a watch given as a relative path reports relative event paths;
 * the @introduceDomain and @releaseDomain special watches fire on domain
 * introduction and release. An event is sent only to a connection that can
 * read the changed node or its parent (or, on SET_PERMS, could read it
 * before), so a guest learns nothing about nodes it cannot see.
 */
#include <stdlib.h>
#include <string.h>

#include "xsd_priv.h"

/* Is @child equal to or below @parent? "/" is everyone's parent. */
static bool is_child(const char *child, const char *parent)
{
	size_t len = strlen(parent);

	if (!strcmp(parent, "/"))
		return child[0] == '/';
	if (strncmp(child, parent, len))
		return false;
	return child[len] == '/' || child[len] == '\0';
}

static bool readable(const struct xsd_conn *c, const struct xsd_node *n)
{
	return n && (xsd_perm_for(c, n->perms, n->nr_perms) & XSD_PERM_READ);
}

static bool watch_permitted(struct xsd_engine *e, const struct xsd_conn *c,
			    const char *path, const struct xsd_perm *old,
			    unsigned nr_old)
{
	const struct xsd_node *n;
	int s;

	if (xsd_privileged(c))
		return true;
	if (old && (xsd_perm_for(c, old, nr_old) & XSD_PERM_READ))
		return true;
	s = xsd_special_index(path);
	if (path[0] == '@')
		n = s >= 0 ? e->special[s] : NULL;
	else
		n = xsd_node_lookup(e->root, path);
	if (!n)
		return false;
	if (readable(c, n))
		return true;
	/* Specials have "/" as their parent, as in Xen. */
	return readable(c, n->parent ? n->parent : e->root);
}

void xsd_fire_watches(struct xsd_engine *e, const char *path, bool exact,
		      const struct xsd_perm *old, unsigned nr_old)
{
	struct xsd_conn *c;
	struct xsd_watch *w;

	for (c = e->conns; c; c = c->next) {
		if (c->broken || !c->watches)
			continue;
		if (!watch_permitted(e, c, path, old, nr_old))
			continue;
		for (w = c->watches; w; w = w->next) {
			bool hit = exact ? !strcmp(path, w->path)
					 : is_child(path, w->path);

			if (hit)
				xsd_send_event(c, path + w->prefix_len,
					       w->token);
		}
	}
}

void xsd_view_fire(struct xsd_view *v, const char *path, bool exact,
		   const struct xsd_perm *old, unsigned nr_old)
{
	/* Changes made in a transaction fire when (if) it commits. */
	if (v->tx && path[0] == '/') {
		xsd_txn_queue_event(v->tx, path, exact);
		return;
	}
	xsd_fire_watches(v->e, path, exact, old, nr_old);
}

void xsd_fire_special(struct xsd_engine *e, int which)
{
	xsd_fire_watches(e, which == XSD_SPECIAL_INTRODUCE ? "@introduceDomain"
							  : "@releaseDomain",
			 true, NULL, 0);
}

/* The two strings of WATCH / UNWATCH: exactly two, as Xen insists. */
static int watch_args(struct xsd_conn *c, const char *buf, size_t len,
		      char *path, bool *relative, const char **token)
{
	if (xsd_count_strings(buf, len) != 2)
		return -EINVAL;
	*token = buf + strlen(buf) + 1;
	return xsd_canonical(c, buf, true, path, relative);
}

int xsd_do_watch(struct xsd_conn *c, const char *buf, size_t len)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xsd_watch *w, **tail;
	struct xsd_dom *d;
	const char *token;
	bool relative;
	int rc;

	rc = watch_args(c, buf, len, path, &relative, &token);
	if (rc)
		return rc;
	for (tail = &c->watches; *tail; tail = &(*tail)->next)
		if (!strcmp((*tail)->path, path) &&
		    !strcmp((*tail)->token, token))
			return -EEXIST;
	d = xsd_dom_get(c->e, c->domid);
	if (!d)
		return -ENOMEM;
	if (!xsd_privileged(c) && d->watches >= c->e->q.watches)
		return -E2BIG;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->path = strdup(path);
	w->token = strdup(token);
	if (!w->path || !w->token) {
		free(w->path);
		free(w->token);
		free(w);
		return -ENOMEM;
	}
	/* "/local/domain/<id>/" is stripped from a relative watch's events. */
	w->prefix_len = relative ? (unsigned)(strlen(path) - strlen(buf)) : 0;
	*tail = w;
	d->watches++;
	rc = xsd_reply_ok(c);
	/* Fire once up front, after the reply, as Xen does. */
	xsd_send_event(c, w->path + w->prefix_len, w->token);
	return rc;
}

static void watch_free(struct xsd_conn *c, struct xsd_watch *w)
{
	struct xsd_dom *d = xsd_dom_find(c->e, c->domid);

	if (d && d->watches)
		d->watches--;
	free(w->path);
	free(w->token);
	free(w);
}

int xsd_do_unwatch(struct xsd_conn *c, const char *buf, size_t len)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xsd_watch **pp;
	const char *token;
	bool relative;
	int rc;

	rc = watch_args(c, buf, len, path, &relative, &token);
	if (rc)
		return rc;
	for (pp = &c->watches; *pp; pp = &(*pp)->next) {
		struct xsd_watch *w = *pp;

		if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
			*pp = w->next;
			watch_free(c, w);
			return xsd_reply_ok(c);
		}
	}
	return -ENOENT;
}

void xsd_watches_free(struct xsd_conn *c)
{
	while (c->watches) {
		struct xsd_watch *w = c->watches;

		c->watches = w->next;
		watch_free(c, w);
	}
}
