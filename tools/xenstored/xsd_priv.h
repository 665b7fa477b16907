/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by the xenstored engine's files: the node tree
 * (xsd_tree.c), the request dispatcher and connections (xsd_core.c),
 * watches (xsd_watch.c), transactions (xsd_txn.c) and domain requests
 * (xsd_domain.c). Nothing outside tools/xenstored includes this.
 */
#ifndef VSCMI_XSD_PRIV_H
#define VSCMI_XSD_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenstored.h"

/* Permission bits, as Xen's XS_PERM_* (xenstore_lib.h). */
#define XSD_PERM_NONE	0x0u
#define XSD_PERM_READ	0x1u
#define XSD_PERM_WRITE	0x2u
#define XSD_PERM_OWNER	0x8u	/* never stored: granted to the owner */
#define XSD_PERM_RW	(XSD_PERM_READ | XSD_PERM_WRITE)
#define XSD_PERM_ALL	(XSD_PERM_READ | XSD_PERM_WRITE | XSD_PERM_OWNER)

#define XSD_DOMID_SELF	0x7FF0u	/* DOMID_SELF of xen.h */
#define XSD_DOMID_FIRST_RESERVED 0x7FF0u

/** One permission entry; entry 0 names the owner and the default. */
struct xsd_perm {
	uint16_t domid;
	uint8_t perm;		/* XSD_PERM_READ | XSD_PERM_WRITE */
};

/**
 * A node. The main tree and every transaction's private copy are made of
 * these. Children keep their creation order (DIRECTORY lists them so).
 */
struct xsd_node {
	struct xsd_node *parent;
	struct xsd_node **child;
	unsigned nr_child, cap_child;
	unsigned childlen;	/* sum of strlen(name) + 1 over children */
	char *name;		/* last path component; "" for the root */
	uint8_t *value;
	unsigned len;
	struct xsd_perm *perms;
	unsigned nr_perms;	/* >= 1 */
	uint64_t gen;		/* generation of the last change */
};

/** Per-domain bookkeeping: accounting and introduction state. */
struct xsd_dom {
	struct xsd_dom *next;
	uint16_t domid;
	unsigned nodes;		/* nodes of the main tree it owns */
	unsigned watches;	/* watches of all its connections */
	bool introduced;
	struct xsd_conn *conn;	/* its ring connection, if introduced */
	uint32_t port;
	uint64_t mfn;
};

struct xsd_watch {
	struct xsd_watch *next;
	char *path;		/* canonical: absolute or @special */
	char *token;
	unsigned prefix_len;	/* stripped from event paths if relative */
};

/** A queued output message: header then payload, sent from @off on. */
struct xsd_msg {
	struct xsd_msg *next;
	uint32_t size;		/* header + payload */
	uint32_t off;
	bool watch_event;
	uint8_t data[];
};

struct xsd_txn;

struct xsd_conn {
	struct xsd_engine *e;
	struct xsd_conn *next, *prev;	/* the engine's connection list */
	uint16_t domid;
	int target;		/* SET_TARGET domid, -1 if none */
	bool broken;
	struct xsd_dom *dom;	/* set for an introduced domain's ring */
	struct xsd_watch *watches;
	struct xsd_txn *txns;
	unsigned nr_txns;
	struct xsd_msg *out_head, *out_tail;
	size_t out_bytes;
	size_t in_used;
	void *priv;
	/* the request being processed */
	struct xsd_txn *cur_tx;
	struct xsd_sockmsg cur_hdr;
	/* input: header then payload, +1 for a terminating NUL guard */
	uint8_t in[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX + 1];
};

struct xsd_engine {
	struct xsd_quota q;
	struct xsd_engine_cb cb;
	struct xsd_node *root;		/* "/" */
	struct xsd_node *special[2];	/* @introduceDomain, @releaseDomain */
	struct xsd_conn *conns;
	struct xsd_dom *doms;
	uint64_t gen;			/* last generation handed out */
	uint32_t next_txid;
	struct xsd_stats st;
};

enum { XSD_SPECIAL_INTRODUCE, XSD_SPECIAL_RELEASE };

/* ---- xsd_tree.c --------------------------------------------------------- */

/** A view of the store: the main tree, or a transaction's copy. */
struct xsd_view {
	struct xsd_engine *e;
	struct xsd_conn *c;
	struct xsd_txn *tx;	/* NULL: the main tree */
	struct xsd_node *root;
};
void xsd_view_init(struct xsd_view *v, struct xsd_conn *c);

bool xsd_privileged(const struct xsd_conn *c);
unsigned xsd_perm_for(const struct xsd_conn *c, const struct xsd_perm *p,
		      unsigned n);
/**
 * Canonicalise @path for @c into @out (XENSTORE_ABS_PATH_MAX + 1 bytes):
 * relative paths are taken below /local/domain/<domid>. 0 or -EINVAL.
 */
int xsd_canonical(const struct xsd_conn *c, const char *path,
		  bool allow_special, char *out, bool *relative);
int xsd_special_index(const char *path);

struct xsd_node *xsd_node_lookup(struct xsd_node *root, const char *path);
struct xsd_node *xsd_tree_copy(struct xsd_engine *e, const struct xsd_node *n,
			       struct xsd_node *parent);
void xsd_tree_free(struct xsd_node *n);
struct xsd_node *xsd_node_alloc(const char *name, const struct xsd_perm *p,
				unsigned nr_perms);
int xsd_node_add_child(struct xsd_node *parent, struct xsd_node *child);
void xsd_node_unlink(struct xsd_node *n);
int xsd_node_set_value(struct xsd_node *n, const void *v, unsigned len);
int xsd_node_set_perms(struct xsd_node *n, const struct xsd_perm *p,
		       unsigned nr);
unsigned xsd_node_size(const struct xsd_node *n);

struct xsd_dom *xsd_dom_get(struct xsd_engine *e, uint16_t domid);
struct xsd_dom *xsd_dom_find(struct xsd_engine *e, uint16_t domid);
void xsd_account_subtree(struct xsd_engine *e, struct xsd_node *n, int sign);

/**
 * Find @path (canonical) needing @perm, with Xen's rule that a missing
 * node reads as ENOENT only if the closest existing ancestor grants @perm,
 * else EACCES. Records the access in the transaction.
 */
int xsd_view_get(struct xsd_view *v, const char *path, unsigned perm,
		 struct xsd_node **out);
/** Create @path and missing parents (inheriting perms); value @val. */
int xsd_view_create(struct xsd_view *v, const char *path, const void *val,
		    unsigned len, struct xsd_node **out);
int xsd_view_write(struct xsd_view *v, struct xsd_node *n, const char *path,
		   const void *val, unsigned len);
int xsd_view_set_perms(struct xsd_view *v, struct xsd_node *n,
		       const char *path, const struct xsd_perm *p,
		       unsigned nr);
/** Remove @path's subtree, firing (or queueing) the watches. */
int xsd_view_rm(struct xsd_view *v, struct xsd_node *n, const char *path);
/** Bump @n's generation (main tree: fresh; transaction: also fresh). */
void xsd_node_touch_gen(struct xsd_engine *e, struct xsd_node *n);

int xsd_perms_parse(const char *s, size_t len, struct xsd_perm *out,
		    unsigned max, unsigned *nr);
size_t xsd_perms_format(const struct xsd_perm *p, unsigned nr, char *buf,
			size_t len);

/* ---- xsd_core.c -------------------------------------------------------- */

int xsd_reply(struct xsd_conn *c, uint32_t type, const void *payload,
	      size_t len);
int xsd_reply_ok(struct xsd_conn *c);
void xsd_send_event(struct xsd_conn *c, const char *path, const char *token);
unsigned xsd_count_strings(const char *buf, size_t len);
const char *xsd_onearg(const char *buf, size_t len);
unsigned long xsd_atoi(const char *s);

/* ---- xsd_watch.c ------------------------------------------------------- */

int xsd_do_watch(struct xsd_conn *c, const char *buf, size_t len);
int xsd_do_unwatch(struct xsd_conn *c, const char *buf, size_t len);
void xsd_watches_free(struct xsd_conn *c);
/**
 * A change at @path (canonical): queue WATCH_EVENTs to every permitted
 * watcher. @exact: only watches on @path itself (children of a removed
 * subtree). @old: the permissions before a SET_PERMS, or NULL.
 */
void xsd_fire_watches(struct xsd_engine *e, const char *path, bool exact,
		      const struct xsd_perm *old, unsigned nr_old);
/** Fire now, or queue in @v's transaction until it commits. */
void xsd_view_fire(struct xsd_view *v, const char *path, bool exact,
		   const struct xsd_perm *old, unsigned nr_old);
void xsd_fire_special(struct xsd_engine *e, int which);

/* ---- xsd_txn.c --------------------------------------------------------- */

struct xsd_txn *xsd_txn_lookup(struct xsd_conn *c, uint32_t id);
struct xsd_node *xsd_txn_root(struct xsd_txn *t);
/** Record that @path was seen, before the transaction changes it. */
int xsd_txn_access(struct xsd_txn *t, const char *path,
		   const struct xsd_node *n);
/** Record that the transaction changed @path. */
int xsd_txn_modified(struct xsd_txn *t, const char *path, bool removed);
int xsd_txn_queue_event(struct xsd_txn *t, const char *path, bool exact);
int *xsd_txn_node_delta(struct xsd_txn *t);
int xsd_do_txn_start(struct xsd_conn *c, const char *buf, size_t len);
int xsd_do_txn_end(struct xsd_conn *c, const char *buf, size_t len);
void xsd_txns_free(struct xsd_conn *c);

/* ---- xsd_domain.c ------------------------------------------------------ */

int xsd_do_introduce(struct xsd_conn *c, const char *buf, size_t len);
int xsd_do_release(struct xsd_conn *c, const char *buf, size_t len);
int xsd_do_resume(struct xsd_conn *c, const char *buf, size_t len);
int xsd_do_set_target(struct xsd_conn *c, const char *buf, size_t len);
int xsd_do_get_domain_path(struct xsd_conn *c, const char *buf, size_t len);
int xsd_do_is_introduced(struct xsd_conn *c, const char *buf, size_t len);
int xsd_do_reset_watches(struct xsd_conn *c, const char *buf, size_t len);
int xsd_do_control(struct xsd_conn *c, const char *buf, size_t len);

#endif /* VSCMI_XSD_PRIV_H */
