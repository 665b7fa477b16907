// SPDX-License-Identifier: MIT
/*
 * xenstored transactions: TRANSACTION_START / TRANSACTION_END.
 *
 * A transaction works on a private copy of the tree taken when it starts
 * ("the whole db is copied", as docs/misc/xenstore.txt puts it). Every node
 * it reads, writes, creates or removes is recorded once, with the
 * generation it had in the copy before the transaction touched it (0 for
 * a node that did not exist). At commit, if any recorded node's generation
 * in the main tree differs - it was changed, created or removed by someone
 * else meanwhile - the commit fails with EAGAIN and the caller retries, as
 * with Xen. Otherwise the changed paths are replayed onto the main tree in
 * path order (parents first) and the watch events queued during the
 * transaction fire.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_priv.h"

#define TXN_BUCKETS 256

/** One node the transaction has seen. */
struct txn_acc {
	struct txn_acc *next;	/* hash chain */
	uint64_t gen;		/* at first access; 0: did not exist */
	bool modified;
	bool removed;		/* subtree removed (maybe recreated later) */
	char path[];
};

struct txn_event {
	struct txn_event *next;
	bool exact;
	char path[];
};

struct xsd_txn {
	struct xsd_txn *next;
	uint32_t id;
	bool failed;		/* a change could not be recorded */
	int node_delta;		/* nodes the connection's domain gained */
	unsigned nr_acc;
	unsigned max_acc;	/* transaction-nodes quota; 0: none (dom0) */
	struct xsd_node *root;	/* the private copy */
	struct txn_acc *acc[TXN_BUCKETS];
	struct txn_event *ev_head, *ev_tail;
};

static unsigned hash_path(const char *p)
{
	unsigned h = 2166136261u;

	while (*p)
		h = (h ^ (unsigned char)*p++) * 16777619u;
	return h % TXN_BUCKETS;
}

static struct txn_acc *acc_find(struct xsd_txn *t, const char *path)
{
	struct txn_acc *a;

	for (a = t->acc[hash_path(path)]; a; a = a->next)
		if (!strcmp(a->path, path))
			return a;
	return NULL;
}

struct xsd_txn *xsd_txn_lookup(struct xsd_conn *c, uint32_t id)
{
	struct xsd_txn *t;

	for (t = c->txns; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

struct xsd_node *xsd_txn_root(struct xsd_txn *t)
{
	return t->root;
}

int *xsd_txn_node_delta(struct xsd_txn *t)
{
	return &t->node_delta;
}

int xsd_txn_access(struct xsd_txn *t, const char *path,
		   const struct xsd_node *n)
{
	size_t l = strlen(path) + 1;
	struct txn_acc *a;
	unsigned h;

	if (acc_find(t, path))
		return 0;
	if (t->max_acc && t->nr_acc >= t->max_acc)
		return -ENOSPC;
	a = malloc(sizeof(*a) + l);
	if (!a)
		return -ENOMEM;
	memcpy(a->path, path, l);
	a->gen = n ? n->gen : 0;
	a->modified = false;
	a->removed = false;
	h = hash_path(path);
	a->next = t->acc[h];
	t->acc[h] = a;
	t->nr_acc++;
	return 0;
}

int xsd_txn_modified(struct xsd_txn *t, const char *path, bool removed)
{
	struct txn_acc *a = acc_find(t, path);

	if (!a) {
		/* Every change is recorded as an access first: a bug. */
		t->failed = true;
		return -EIO;
	}
	a->modified = true;
	a->removed |= removed;
	return 0;
}

int xsd_txn_queue_event(struct xsd_txn *t, const char *path, bool exact)
{
	size_t l = strlen(path) + 1;
	struct txn_event *ev = malloc(sizeof(*ev) + l);

	if (!ev) {
		t->failed = true;
		return -ENOMEM;
	}
	ev->next = NULL;
	ev->exact = exact;
	memcpy(ev->path, path, l);
	if (t->ev_tail)
		t->ev_tail->next = ev;
	else
		t->ev_head = ev;
	t->ev_tail = ev;
	return 0;
}

static void txn_free(struct xsd_txn *t)
{
	unsigned i;

	for (i = 0; i < TXN_BUCKETS; i++) {
		while (t->acc[i]) {
			struct txn_acc *a = t->acc[i];

			t->acc[i] = a->next;
			free(a);
		}
	}
	while (t->ev_head) {
		struct txn_event *ev = t->ev_head;

		t->ev_head = ev->next;
		free(ev);
	}
	xsd_tree_free(t->root);
	free(t);
}

void xsd_txns_free(struct xsd_conn *c)
{
	while (c->txns) {
		struct xsd_txn *t = c->txns;

		c->txns = t->next;
		txn_free(t);
	}
	c->nr_txns = 0;
}

int xsd_do_txn_start(struct xsd_conn *c, const char *buf, size_t len)
{
	char reply[16];
	struct xsd_txn *t;
	uint32_t id;

	if (c->cur_tx)
		return -EBUSY;
	if (!xsd_privileged(c) && c->nr_txns >= c->e->q.transactions)
		return -ENOSPC;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->root = xsd_tree_copy(c->e, c->e->root, NULL);
	if (!t->root) {
		free(t);
		return -ENOMEM;
	}
	do {
		id = c->e->next_txid++;
	} while (!id || xsd_txn_lookup(c, id));
	t->id = id;
	t->max_acc = xsd_privileged(c) ? 0 : c->e->q.txn_nodes;
	t->next = c->txns;
	c->txns = t;
	c->nr_txns++;
	snprintf(reply, sizeof(reply), "%u", id);
	return xsd_reply(c, XS_TRANSACTION_START, reply, strlen(reply) + 1);
}

/* The main tree's node at @path, creating missing ones from @tn's line. */
static struct xsd_node *ensure_main(struct xsd_engine *e,
				    const struct xsd_node *tn)
{
	struct xsd_node *parent, *n;
	unsigned i;

	if (!tn->parent)
		return e->root;
	parent = ensure_main(e, tn->parent);
	if (!parent)
		return NULL;
	for (i = 0; i < parent->nr_child; i++)
		if (!strcmp(parent->child[i]->name, tn->name))
			return parent->child[i];
	n = xsd_node_alloc(tn->name, tn->perms, tn->nr_perms);
	if (!n)
		return NULL;
	if (xsd_node_set_value(n, tn->value, tn->len) ||
	    xsd_node_add_child(parent, n)) {
		xsd_tree_free(n);
		return NULL;
	}
	xsd_node_touch_gen(e, n);
	xsd_node_touch_gen(e, parent);
	xsd_account_subtree(e, n, +1);
	return n;
}

static void main_remove(struct xsd_engine *e, struct xsd_node *m)
{
	struct xsd_node *parent = m->parent;

	if (!parent)
		return;
	xsd_node_unlink(m);
	xsd_node_touch_gen(e, parent);
	xsd_account_subtree(e, m, -1);
	xsd_tree_free(m);
}

/* Make the main tree's @path what the transaction left there. */
static int apply_one(struct xsd_engine *e, struct xsd_txn *t,
		     const struct txn_acc *a)
{
	struct xsd_node *m = xsd_node_lookup(e->root, a->path);
	struct xsd_node *tn = xsd_node_lookup(t->root, a->path);
	bool changed = false;
	int rc;

	if (m && (a->removed || !tn)) {
		main_remove(e, m);
		m = NULL;
	}
	if (!tn)
		return 0;
	if (!m) {
		m = ensure_main(e, tn);
		return m ? 0 : -ENOMEM;
	}
	if (m->len != tn->len || (tn->len && memcmp(m->value, tn->value,
						    tn->len))) {
		rc = xsd_node_set_value(m, tn->value, tn->len);
		if (rc)
			return rc;
		changed = true;
	}
	if (m->nr_perms != tn->nr_perms ||
	    memcmp(m->perms, tn->perms, tn->nr_perms * sizeof(*tn->perms))) {
		uint16_t old_owner = m->perms[0].domid;

		rc = xsd_node_set_perms(m, tn->perms, tn->nr_perms);
		if (rc)
			return rc;
		if (old_owner != tn->perms[0].domid && m->parent) {
			/* One node changes hands: move its count. */
			struct xsd_dom *from = xsd_dom_get(e, old_owner);
			struct xsd_dom *to = xsd_dom_get(e, tn->perms[0].domid);

			if (from && from->nodes)
				from->nodes--;
			if (to)
				to->nodes++;
		}
		changed = true;
	}
	if (changed)
		xsd_node_touch_gen(e, m);
	return 0;
}

/*
 * Xen writes the transaction's node records, child lists included, so the
 * children of a changed node keep the transaction's order. (No conflict
 * means nobody else changed that child list meanwhile.)
 */
static void order_children(struct xsd_node *m, const struct xsd_node *tn)
{
	unsigned i, j;

	for (i = 0; i < tn->nr_child && i < m->nr_child; i++) {
		for (j = i; j < m->nr_child; j++)
			if (!strcmp(m->child[j]->name, tn->child[i]->name))
				break;
		if (j < m->nr_child && j != i) {
			struct xsd_node *k = m->child[j];

			memmove(&m->child[i + 1], &m->child[i],
				(j - i) * sizeof(m->child[0]));
			m->child[i] = k;
		}
	}
}

static int cmp_acc(const void *a, const void *b)
{
	const struct txn_acc *x = *(const struct txn_acc *const *)a;
	const struct txn_acc *y = *(const struct txn_acc *const *)b;

	return strcmp(x->path, y->path);
}

static int txn_commit(struct xsd_conn *c, struct xsd_txn *t)
{
	struct xsd_engine *e = c->e;
	struct txn_acc **mods = NULL, *a;
	unsigned i, n = 0;
	struct txn_event *ev;
	int rc = 0;

	if (t->failed)
		return -ENOMEM;
	/* Conflict: anything we saw is not what it was. */
	for (i = 0; i < TXN_BUCKETS; i++) {
		for (a = t->acc[i]; a; a = a->next) {
			struct xsd_node *m = xsd_node_lookup(e->root, a->path);

			if ((m ? m->gen : 0) != a->gen) {
				e->st.txn_conflicts++;
				return -EAGAIN;
			}
			n += a->modified;
		}
	}
	if (!xsd_privileged(c) && t->node_delta > 0) {
		struct xsd_dom *d = xsd_dom_find(e, c->domid);

		if ((d ? d->nodes : 0) + (unsigned)t->node_delta > e->q.nodes)
			return -ENOSPC;
	}
	if (n) {
		mods = calloc(n, sizeof(*mods));
		if (!mods)
			return -ENOMEM;
		n = 0;
		for (i = 0; i < TXN_BUCKETS; i++)
			for (a = t->acc[i]; a; a = a->next)
				if (a->modified)
					mods[n++] = a;
		/* Parents sort before their children. */
		qsort(mods, n, sizeof(*mods), cmp_acc);
		for (i = 0; i < n && !rc; i++)
			rc = apply_one(e, t, mods[i]);
		for (i = 0; i < n && !rc; i++) {
			struct xsd_node *m = xsd_node_lookup(e->root,
							     mods[i]->path);
			struct xsd_node *tn = xsd_node_lookup(t->root,
							      mods[i]->path);

			if (m && tn)
				order_children(m, tn);
		}
		free(mods);
	}
	e->st.txn_commits++;
	for (ev = t->ev_head; ev; ev = ev->next)
		xsd_fire_watches(e, ev->path, ev->exact, NULL, 0);
	return rc;
}

int xsd_do_txn_end(struct xsd_conn *c, const char *buf, size_t len)
{
	const char *arg = xsd_onearg(buf, len);
	struct xsd_txn *t = c->cur_tx, **pp;
	bool commit;
	int rc = 0;

	if (!arg)
		return -EINVAL;
	if (!strcmp(arg, "T"))
		commit = true;
	else if (!strcmp(arg, "F"))
		commit = false;
	else
		return -EINVAL;
	if (!t)
		return -ENOENT;
	/* The transaction ends whatever the outcome. */
	for (pp = &c->txns; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	c->nr_txns--;
	c->cur_tx = NULL;
	if (commit)
		rc = txn_commit(c, t);
	txn_free(t);
	if (rc)
		return rc;
	return xsd_reply_ok(c);
}
