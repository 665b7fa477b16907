// SPDX-License-Identifier: MIT
/*
 * The xenstored node tree: path rules, permissions, per-domain accounting
 * and the create / write / remove / set-permissions operations, applied
 * either to the main tree or to a transaction's private copy (a "view").
 *
 * Semantics follow Xen's C xenstored: a new node inherits its parent's
 * permissions and an unprivileged creator becomes its owner; the owner and
 * dom0 get every right; a missing node reads as ENOENT only when the
 * closest existing ancestor would grant the access, else EACCES, so that
 * a guest cannot probe nodes it may not see. Every change stamps the node
 * with a fresh generation number, the parent too when its child list
 * changes; transactions detect conflicts by comparing generations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_priv.h"

void xsd_view_init(struct xsd_view *v, struct xsd_conn *c)
{
	v->e = c->e;
	v->c = c;
	v->tx = c->cur_tx;
	v->root = v->tx ? xsd_txn_root(v->tx) : c->e->root;
}

bool xsd_privileged(const struct xsd_conn *c)
{
	return c->domid == 0;
}

unsigned xsd_perm_for(const struct xsd_conn *c, const struct xsd_perm *p,
		      unsigned n)
{
	unsigned i;

	/* Owners and dom0 get it all; a target's owner counts as ours. */
	if (xsd_privileged(c) || p[0].domid == c->domid ||
	    (c->target >= 0 && p[0].domid == c->target))
		return XSD_PERM_ALL;
	for (i = 1; i < n; i++)
		if (p[i].domid == c->domid ||
		    (c->target >= 0 && p[i].domid == c->target))
			return p[i].perm;
	return p[0].perm;
}

static bool valid_chars(const char *s)
{
	for (; *s; s++) {
		char ch = *s;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' ||
		      ch == '_' || ch == '@'))
			return false;
	}
	return true;
}

/* Offset of what follows "/local/domain/<1..5 digits>/", else 0. */
static size_t local_offset(const char *p)
{
	static const char pfx[] = "/local/domain/";
	size_t i = sizeof(pfx) - 1, digits = 0;

	if (strncmp(p, pfx, i) != 0)
		return 0;
	while (p[i] >= '0' && p[i] <= '9' && digits < 5) {
		i++;
		digits++;
	}
	if (!digits || p[i] != '/')
		return 0;
	return i + 1;
}

int xsd_canonical(const struct xsd_conn *c, const char *path,
		  bool allow_special, char *out, bool *relative)
{
	size_t len = strlen(path);
	int n;

	if (!valid_chars(path) || (path[0] == '@' && !allow_special))
		return -EINVAL;
	if (len > XENSTORE_ABS_PATH_MAX)
		return -EINVAL;
	if (path[0] != '/' && path[0] != '@') {
		n = snprintf(out, XENSTORE_ABS_PATH_MAX + 1,
			     "/local/domain/%u/%s", c->domid, path);
		if (n < 0 || n > XENSTORE_ABS_PATH_MAX)
			return -EINVAL;
		len = (size_t)n;
		if (relative)
			*relative = true;
	} else {
		memcpy(out, path, len + 1);
		if (relative)
			*relative = false;
	}
	if (len > 1 && out[len - 1] == '/')
		return -EINVAL;
	if (strstr(out, "//"))
		return -EINVAL;
	if (!xsd_privileged(c) && len - local_offset(out) > c->e->q.path_len)
		return -EINVAL;
	return 0;
}

int xsd_special_index(const char *path)
{
	if (!strcmp(path, "@introduceDomain"))
		return XSD_SPECIAL_INTRODUCE;
	if (!strcmp(path, "@releaseDomain"))
		return XSD_SPECIAL_RELEASE;
	return -1;
}

static struct xsd_node *find_child(const struct xsd_node *n, const char *name,
				   size_t len)
{
	unsigned i;

	for (i = 0; i < n->nr_child; i++) {
		const char *cn = n->child[i]->name;

		if (strlen(cn) == len && !memcmp(cn, name, len))
			return n->child[i];
	}
	return NULL;
}

struct xsd_node *xsd_node_lookup(struct xsd_node *root, const char *path)
{
	struct xsd_node *n = root;
	const char *p = path + 1, *slash;

	if (path[0] != '/')
		return NULL;
	while (n && *p) {
		slash = strchr(p, '/');
		if (!slash)
			slash = p + strlen(p);
		n = find_child(n, p, (size_t)(slash - p));
		p = *slash ? slash + 1 : slash;
	}
	return n;
}

struct xsd_node *xsd_node_alloc(const char *name, const struct xsd_perm *p,
				unsigned nr_perms)
{
	struct xsd_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->name = strdup(name);
	n->perms = calloc(nr_perms, sizeof(*p));
	if (!n->name || !n->perms) {
		free(n->name);
		free(n->perms);
		free(n);
		return NULL;
	}
	memcpy(n->perms, p, nr_perms * sizeof(*p));
	n->nr_perms = nr_perms;
	return n;
}

void xsd_tree_free(struct xsd_node *n)
{
	unsigned i;

	if (!n)
		return;
	for (i = 0; i < n->nr_child; i++)
		xsd_tree_free(n->child[i]);
	free(n->child);
	free(n->name);
	free(n->value);
	free(n->perms);
	free(n);
}

static int reserve_child(struct xsd_node *parent)
{
	struct xsd_node **nc;
	unsigned cap;

	if (parent->nr_child < parent->cap_child)
		return 0;
	cap = parent->cap_child ? parent->cap_child * 2 : 4;
	nc = realloc(parent->child, cap * sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	parent->child = nc;
	parent->cap_child = cap;
	return 0;
}

int xsd_node_add_child(struct xsd_node *parent, struct xsd_node *child)
{
	int rc = reserve_child(parent);

	if (rc)
		return rc;
	parent->child[parent->nr_child++] = child;
	parent->childlen += (unsigned)strlen(child->name) + 1;
	child->parent = parent;
	return 0;
}

void xsd_node_unlink(struct xsd_node *n)
{
	struct xsd_node *p = n->parent;
	unsigned i;

	if (!p)
		return;
	for (i = 0; i < p->nr_child; i++) {
		if (p->child[i] != n)
			continue;
		memmove(&p->child[i], &p->child[i + 1],
			(p->nr_child - i - 1) * sizeof(p->child[0]));
		p->nr_child--;
		p->childlen -= (unsigned)strlen(n->name) + 1;
		break;
	}
	n->parent = NULL;
}

int xsd_node_set_value(struct xsd_node *n, const void *v, unsigned len)
{
	uint8_t *nv = NULL;

	if (len) {
		nv = malloc(len);
		if (!nv)
			return -ENOMEM;
		memcpy(nv, v, len);
	}
	free(n->value);
	n->value = nv;
	n->len = len;
	return 0;
}

int xsd_node_set_perms(struct xsd_node *n, const struct xsd_perm *p,
		       unsigned nr)
{
	struct xsd_perm *np = calloc(nr, sizeof(*np));

	if (!np)
		return -ENOMEM;
	memcpy(np, p, nr * sizeof(*np));
	free(n->perms);
	n->perms = np;
	n->nr_perms = nr;
	return 0;
}

/* What Xen counts against the node-size quota: header, perms, data, kids. */
unsigned xsd_node_size(const struct xsd_node *n)
{
	return 16 + n->nr_perms * 8 + n->len + n->childlen;
}

struct xsd_node *xsd_tree_copy(struct xsd_engine *e, const struct xsd_node *n,
			       struct xsd_node *parent)
{
	struct xsd_node *c;
	unsigned i;

	c = xsd_node_alloc(n->name, n->perms, n->nr_perms);
	if (!c)
		return NULL;
	c->gen = n->gen;
	c->parent = parent;
	if (xsd_node_set_value(c, n->value, n->len))
		goto fail;
	if (n->nr_child) {
		c->child = calloc(n->nr_child, sizeof(*c->child));
		if (!c->child)
			goto fail;
		c->cap_child = n->nr_child;
	}
	for (i = 0; i < n->nr_child; i++) {
		struct xsd_node *k = xsd_tree_copy(e, n->child[i], c);

		if (!k)
			goto fail;
		c->child[c->nr_child++] = k;
	}
	c->childlen = n->childlen;
	return c;
fail:
	xsd_tree_free(c);
	return NULL;
}

void xsd_node_touch_gen(struct xsd_engine *e, struct xsd_node *n)
{
	n->gen = ++e->gen;
}

struct xsd_dom *xsd_dom_find(struct xsd_engine *e, uint16_t domid)
{
	struct xsd_dom *d;

	for (d = e->doms; d; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

struct xsd_dom *xsd_dom_get(struct xsd_engine *e, uint16_t domid)
{
	struct xsd_dom *d = xsd_dom_find(e, domid);

	if (d)
		return d;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->domid = domid;
	d->next = e->doms;
	e->doms = d;
	return d;
}

static void account(struct xsd_engine *e, uint16_t owner, int sign)
{
	struct xsd_dom *d = xsd_dom_get(e, owner);

	/* Without memory the count drifts; xsd_engine_check() says so. */
	if (!d)
		return;
	if (sign > 0)
		d->nodes++;
	else if (d->nodes)
		d->nodes--;
	if (sign > 0)
		e->st.nodes++;
	else if (e->st.nodes)
		e->st.nodes--;
}

void xsd_account_subtree(struct xsd_engine *e, struct xsd_node *n, int sign)
{
	unsigned i;

	account(e, n->perms[0].domid, sign);
	for (i = 0; i < n->nr_child; i++)
		xsd_account_subtree(e, n->child[i], sign);
}

/* Own nodes counted against @v's connection: main tree + transaction. */
static long own_nodes(struct xsd_view *v)
{
	struct xsd_dom *d = xsd_dom_find(v->e, v->c->domid);
	long n = d ? (long)d->nodes : 0;

	if (v->tx)
		n += *xsd_txn_node_delta(v->tx);
	return n;
}

static void count_own(struct xsd_view *v, const struct xsd_node *n, int sign)
{
	unsigned i;

	if (n->perms[0].domid == v->c->domid)
		*xsd_txn_node_delta(v->tx) += sign;
	for (i = 0; i < n->nr_child; i++)
		count_own(v, n->child[i], sign);
}

static struct xsd_node *view_lookup(struct xsd_view *v, const char *path)
{
	int s = xsd_special_index(path);

	if (path[0] == '@')
		return s >= 0 ? v->e->special[s] : NULL;
	return xsd_node_lookup(v->root, path);
}

/* Parent path of canonical @path into @buf ("/" for top-level nodes). */
static void parent_path(const char *path, char *buf)
{
	const char *slash = strrchr(path + 1, '/');
	size_t l = slash ? (size_t)(slash - path) : 0;

	/* Top-level nodes and the @specials have "/" as parent, as in Xen. */
	if (!l) {
		memcpy(buf, "/", 2);
		return;
	}
	memmove(buf, path, l);
	buf[l] = '\0';
}

int xsd_view_get(struct xsd_view *v, const char *path, unsigned perm,
		 struct xsd_node **out)
{
	char anc[XENSTORE_ABS_PATH_MAX + 1];
	struct xsd_node *n = view_lookup(v, path), *a = NULL;
	int rc;

	*out = NULL;
	if (v->tx && path[0] == '/') {
		rc = xsd_txn_access(v->tx, path, n);
		if (rc)
			return rc;
	}
	if (n) {
		if ((xsd_perm_for(v->c, n->perms, n->nr_perms) & perm) != perm)
			return -EACCES;
		*out = n;
		return 0;
	}
	/* Do not tell them it is missing unless the ancestors would. */
	strcpy(anc, path);
	while (!a && strcmp(anc, "/")) {
		parent_path(anc, anc);
		a = xsd_node_lookup(v->root, anc);
	}
	if (!a || !(xsd_perm_for(v->c, a->perms, a->nr_perms) & perm))
		return -EACCES;
	return -ENOENT;
}

static int note_modified(struct xsd_view *v, const char *path, bool removed)
{
	return v->tx ? xsd_txn_modified(v->tx, path, removed) : 0;
}

int xsd_view_create(struct xsd_view *v, const char *path, const void *val,
		    unsigned len, struct xsd_node **out)
{
	char buf[XENSTORE_ABS_PATH_MAX + 1];
	struct xsd_node *parent = NULL, *top = NULL, *leaf = NULL, *n;
	const char *p;
	unsigned levels = 0, i;
	size_t plen;
	bool unpriv = !xsd_privileged(v->c);
	int rc;

	if (path[0] != '/' || !strcmp(path, "/"))
		return -EINVAL;
	/* Walk up to the closest existing ancestor, noting missing levels. */
	strcpy(buf, path);
	while (!parent) {
		if (v->tx) {
			rc = xsd_txn_access(v->tx, buf, NULL);
			if (rc)
				return rc;
		}
		levels++;
		parent_path(buf, buf);
		parent = xsd_node_lookup(v->root, buf);
		if (!parent && !strcmp(buf, "/"))
			return -EIO;
	}
	plen = strlen(buf);
	if (v->tx) {
		rc = xsd_txn_access(v->tx, buf, parent);
		if (rc)
			return rc;
	}
	if (unpriv) {
		if (own_nodes(v) + (long)levels > (long)v->e->q.nodes)
			return -ENOSPC;
		if (16 + parent->nr_perms * 8 + len > v->e->q.node_size)
			return -ENOSPC;
	}
	/* Build the missing chain detached, then hook it in. */
	p = path + (plen == 1 ? 1 : plen + 1);
	n = NULL;
	for (i = 0; i < levels; i++) {
		const char *slash = strchr(p, '/');
		size_t l = slash ? (size_t)(slash - p) : strlen(p);
		struct xsd_node *k;
		char name[XENSTORE_ABS_PATH_MAX + 1];

		memcpy(name, p, l);
		name[l] = '\0';
		k = xsd_node_alloc(name, parent->perms, parent->nr_perms);
		if (!k) {
			rc = -ENOMEM;
			goto fail;
		}
		if (unpriv)
			k->perms[0].domid = v->c->domid;
		if (n) {
			rc = xsd_node_add_child(n, k);
			if (rc) {
				xsd_tree_free(k);
				goto fail;
			}
		} else {
			top = k;
		}
		n = k;
		p += l + (slash ? 1 : 0);
	}
	leaf = n;
	rc = xsd_node_set_value(leaf, val, len);
	if (rc)
		goto fail;
	if (unpriv && xsd_node_size(parent) + strlen(top->name) + 1 >
		      v->e->q.node_size) {
		rc = -ENOSPC;
		goto fail;
	}
	rc = xsd_node_add_child(parent, top);
	if (rc)
		goto fail;
	xsd_node_touch_gen(v->e, parent);
	for (n = top; n; n = n->nr_child ? n->child[0] : NULL)
		xsd_node_touch_gen(v->e, n);
	if (v->tx) {
		count_own(v, top, +1);
		rc = note_modified(v, buf, false);
		if (!rc)
			rc = note_modified(v, path, false);
		if (rc)
			return rc;	/* the transaction is marked failed */
	} else {
		xsd_account_subtree(v->e, top, +1);
	}
	*out = leaf;
	return 0;
fail:
	xsd_tree_free(top);
	return rc;
}

int xsd_view_write(struct xsd_view *v, struct xsd_node *n, const char *path,
		   const void *val, unsigned len)
{
	int rc;

	if (!xsd_privileged(v->c) &&
	    xsd_node_size(n) - n->len + len > v->e->q.node_size)
		return -ENOSPC;
	rc = xsd_node_set_value(n, val, len);
	if (rc)
		return rc;
	xsd_node_touch_gen(v->e, n);
	return note_modified(v, path, false);
}

int xsd_view_set_perms(struct xsd_view *v, struct xsd_node *n,
		       const char *path, const struct xsd_perm *p, unsigned nr)
{
	uint16_t old_owner = n->perms[0].domid;
	bool main_tree = !v->tx || path[0] == '@';
	int rc;

	rc = xsd_node_set_perms(n, p, nr);
	if (rc)
		return rc;
	xsd_node_touch_gen(v->e, n);
	if (main_tree) {
		if (path[0] == '/' && old_owner != p[0].domid) {
			account(v->e, old_owner, -1);
			account(v->e, p[0].domid, +1);
		}
		return 0;
	}
	if (old_owner == v->c->domid)
		(*xsd_txn_node_delta(v->tx))--;
	if (p[0].domid == v->c->domid)
		(*xsd_txn_node_delta(v->tx))++;
	return note_modified(v, path, false);
}

/* Post-order: children's watches first, as Xen's tree walk does. */
static int rm_walk(struct xsd_view *v, struct xsd_node *n, char *path,
		   size_t plen, bool root)
{
	unsigned i;
	int rc;

	if (v->tx) {
		rc = xsd_txn_access(v->tx, path, n);
		if (rc)
			return rc;
	}
	for (i = 0; i < n->nr_child; i++) {
		size_t l = strlen(n->child[i]->name);

		if (plen + 1 + l > XENSTORE_ABS_PATH_MAX)
			continue;	/* cannot exist: paths are checked */
		path[plen] = '/';
		memcpy(path + plen + 1, n->child[i]->name, l + 1);
		rc = rm_walk(v, n->child[i], path, plen + 1 + l, false);
		path[plen] = '\0';
		if (rc)
			return rc;
	}
	xsd_view_fire(v, path, !root, NULL, 0);
	return 0;
}

int xsd_view_rm(struct xsd_view *v, struct xsd_node *n, const char *path)
{
	char buf[XENSTORE_ABS_PATH_MAX + 2];
	char ppath[XENSTORE_ABS_PATH_MAX + 1];
	struct xsd_node *parent = n->parent;
	int rc;

	if (!parent)
		return -EINVAL;
	parent_path(path, ppath);
	if (v->tx) {
		rc = xsd_txn_access(v->tx, ppath, parent);
		if (rc)
			return rc;
	}
	strcpy(buf, path);
	rc = rm_walk(v, n, buf, strlen(buf), true);
	if (rc)
		return rc;
	xsd_node_unlink(n);
	xsd_node_touch_gen(v->e, parent);
	if (v->tx) {
		count_own(v, n, -1);
		rc = note_modified(v, ppath, false);
		if (!rc)
			rc = note_modified(v, path, true);
	} else {
		xsd_account_subtree(v->e, n, -1);
	}
	xsd_tree_free(n);
	return rc;
}

/* "r5", "w0", "b12", "n3": one entry per NUL-terminated string. */
int xsd_perms_parse(const char *s, size_t len, struct xsd_perm *out,
		    unsigned max, unsigned *nr)
{
	size_t off = 0;
	unsigned n = 0;

	while (off < len) {
		const char *str = s + off;
		size_t l = strnlen(str, len - off);
		unsigned long id = 0;
		size_t i;
		uint8_t perm;

		if (l == len - off)
			break;	/* trailing bytes without a NUL: ignored */
		switch (str[0]) {
		case 'n': perm = XSD_PERM_NONE; break;
		case 'r': perm = XSD_PERM_READ; break;
		case 'w': perm = XSD_PERM_WRITE; break;
		case 'b': perm = XSD_PERM_RW; break;
		default: return -EINVAL;
		}
		if (l < 2)
			return -EINVAL;
		for (i = 1; i < l; i++) {
			if (str[i] < '0' || str[i] > '9')
				return -EINVAL;
			id = id * 10 + (unsigned long)(str[i] - '0');
			if (id > 0xffff)
				return -EINVAL;
		}
		if (n == max)
			return -ENOSPC;
		out[n].domid = (uint16_t)id;
		out[n].perm = perm;
		n++;
		off += l + 1;
	}
	*nr = n;
	return n ? 0 : -EINVAL;
}

size_t xsd_perms_format(const struct xsd_perm *p, unsigned nr, char *buf,
			size_t len)
{
	static const char letter[] = { 'n', 'r', 'w', 'b' };
	size_t off = 0;
	unsigned i;

	for (i = 0; i < nr; i++) {
		int w = snprintf(buf + off, len - off, "%c%u",
				 letter[p[i].perm & XSD_PERM_RW], p[i].domid);

		if (w < 0 || (size_t)w + 1 > len - off)
			return 0;
		off += (size_t)w + 1;
	}
	return off;
}
