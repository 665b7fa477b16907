// SPDX-License-Identifier: MIT
/*
 * xenstored engine core: connections, xs_wire framing, the request
 * dispatcher and the data requests (READ, WRITE, MKDIR, RM, DIRECTORY,
 * DIRECTORY_PART, GET_PERMS, SET_PERMS).
 *
 * Theory of operation: a front door (socket, ring, test, fuzzer) owns a
 * struct xsd_conn per client and pushes the client's bytes into
 * xsd_conn_feed(). The framing keeps one partial message per connection;
 * a header announcing more than XENSTORE_PAYLOAD_MAX bytes kills the
 * connection, as Xen does, because the stream can no longer be trusted.
 * Each complete message goes through one validator (type known, privilege,
 * transaction id) and then one handler from a table indexed by the message
 * type, like Xen's wire_funcs; a handler returns a negative errno that
 * becomes an ERROR reply carrying Xen's errno string, or queues its own
 * reply. Replies and watch events go to a per-connection output queue the
 * front door drains; identical pending watch events are merged and events
 * beyond the output quota are dropped, as Xen drops them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>

#include "xsd_priv.h"

/* ---- helpers on request payloads ------------------------------------- */

/* Number of NUL-terminated strings in @buf (bytes after the last ignored). */
unsigned xsd_count_strings(const char *buf, size_t len)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		if (!buf[i])
			n++;
	return n;
}

/* Exactly one string, NUL at the very end: else NULL (EINVAL). */
const char *xsd_onearg(const char *buf, size_t len)
{
	if (!len || memchr(buf, 0, len) != buf + len - 1)
		return NULL;
	return buf;
}

/* atoi() as Xen uses it: leading sign and digits, junk ends the number. */
unsigned long xsd_atoi(const char *s)
{
	unsigned long v = 0;
	bool neg = false;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 0xffffffffUL)
			v = 0xffffffffUL;
		s++;
	}
	return neg ? (unsigned long)(uint32_t)(-(int64_t)v) : v;
}

/* ---- output ------------------------------------------------------------ */

static struct xsd_msg *msg_new(uint32_t type, uint32_t req_id, uint32_t tx_id,
			       const void *payload, size_t len)
{
	struct xsd_sockmsg hdr = {
		.type = type, .req_id = req_id, .tx_id = tx_id,
		.len = (uint32_t)len,
	};
	struct xsd_msg *m = malloc(sizeof(*m) + sizeof(hdr) + len);

	if (!m)
		return NULL;
	m->next = NULL;
	m->size = (uint32_t)(sizeof(hdr) + len);
	m->off = 0;
	m->watch_event = false;
	memcpy(m->data, &hdr, sizeof(hdr));
	if (len)
		memcpy(m->data + sizeof(hdr), payload, len);
	return m;
}

static void queue_msg(struct xsd_conn *c, struct xsd_msg *m)
{
	if (c->out_tail)
		c->out_tail->next = m;
	else
		c->out_head = m;
	c->out_tail = m;
	c->out_bytes += m->size;
}

static int send_error(struct xsd_conn *c, int err)
{
	const char *s = xsd_errors[0].errstring;	/* EINVAL */
	size_t i;
	struct xsd_msg *m;

	for (i = 0; i < OS_ARRAY_SIZE(xsd_errors); i++) {
		if (xsd_errors[i].errnum == err) {
			s = xsd_errors[i].errstring;
			break;
		}
	}
	c->e->st.errors++;
	m = msg_new(XS_ERROR, c->cur_hdr.req_id, c->cur_hdr.tx_id, s,
		    strlen(s) + 1);
	if (!m)
		return -ENOMEM;
	queue_msg(c, m);
	return 0;
}

int xsd_reply(struct xsd_conn *c, uint32_t type, const void *payload,
	      size_t len)
{
	struct xsd_msg *m;

	if (len > XENSTORE_PAYLOAD_MAX)
		return send_error(c, E2BIG);
	m = msg_new(type, c->cur_hdr.req_id, c->cur_hdr.tx_id, payload, len);
	if (!m)
		return -ENOMEM;
	queue_msg(c, m);
	return 0;
}

int xsd_reply_ok(struct xsd_conn *c)
{
	return xsd_reply(c, c->cur_hdr.type, "OK", 3);
}

void xsd_send_event(struct xsd_conn *c, const char *path, const char *token)
{
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
	char buf[XENSTORE_PAYLOAD_MAX];
	struct xsd_msg *m;

	if (pl + tl > XENSTORE_PAYLOAD_MAX)
		return;		/* Xen does not send over-long events either */
	memcpy(buf, path, pl);
	memcpy(buf + pl, token, tl);
	/* An identical event still queued says it all (not for @specials). */
	if (path[0] != '@') {
		for (m = c->out_head; m; m = m->next)
			if (m->watch_event && m->off == 0 &&
			    m->size == sizeof(struct xsd_sockmsg) + pl + tl &&
			    !memcmp(m->data + sizeof(struct xsd_sockmsg), buf,
				    pl + tl))
				return;
	}
	if (c->out_bytes > c->e->q.out_bytes) {
		c->e->st.watch_events_dropped++;
		return;
	}
	m = msg_new(XS_WATCH_EVENT, 0, 0, buf, pl + tl);
	if (!m) {
		c->e->st.watch_events_dropped++;
		return;
	}
	m->watch_event = true;
	queue_msg(c, m);
	c->e->st.watch_events++;
}

size_t xsd_conn_out_peek(struct xsd_conn *c, const void **data)
{
	struct xsd_msg *m = c->out_head;

	if (!m) {
		*data = NULL;
		return 0;
	}
	*data = m->data + m->off;
	return m->size - m->off;
}

void xsd_conn_out_consume(struct xsd_conn *c, size_t n)
{
	while (n && c->out_head) {
		struct xsd_msg *m = c->out_head;
		size_t left = m->size - m->off;
		size_t take = n < left ? n : left;

		m->off += (uint32_t)take;
		c->out_bytes -= take;
		n -= take;
		if (m->off == m->size) {
			c->out_head = m->next;
			if (!c->out_head)
				c->out_tail = NULL;
			free(m);
		}
	}
}

size_t xsd_conn_out_pending(const struct xsd_conn *c)
{
	return c->out_bytes;
}

static void out_free(struct xsd_conn *c)
{
	while (c->out_head) {
		struct xsd_msg *m = c->out_head;

		c->out_head = m->next;
		free(m);
	}
	c->out_tail = NULL;
	c->out_bytes = 0;
}

/* ---- data requests ----------------------------------------------------- */

/* Canonicalise the one-string payload and find the node with @perm. */
static int get_arg_node(struct xsd_conn *c, const char *buf, size_t len,
			bool special, unsigned perm, struct xsd_view *v,
			char *path, struct xsd_node **n)
{
	const char *arg = xsd_onearg(buf, len);
	int rc;

	if (!arg)
		return -EINVAL;
	rc = xsd_canonical(c, arg, special, path, NULL);
	if (rc)
		return rc;
	xsd_view_init(v, c);
	return xsd_view_get(v, path, perm, n);
}

static int do_read(struct xsd_conn *c, const char *buf, size_t len)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xsd_view v;
	struct xsd_node *n;
	int rc = get_arg_node(c, buf, len, false, XSD_PERM_READ, &v, path, &n);

	if (rc)
		return rc;
	return xsd_reply(c, XS_READ, n->value, n->len);
}

static int do_write(struct xsd_conn *c, const char *buf, size_t len)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xsd_view v;
	struct xsd_node *n;
	size_t off;
	int rc;

	if (xsd_count_strings(buf, len) < 1)
		return -EINVAL;
	rc = xsd_canonical(c, buf, false, path, NULL);
	if (rc)
		return rc;
	off = strlen(buf) + 1;
	xsd_view_init(&v, c);
	rc = xsd_view_get(&v, path, XSD_PERM_WRITE, &n);
	if (rc == -ENOENT)
		rc = xsd_view_create(&v, path, buf + off, (unsigned)(len - off),
				     &n);
	else if (!rc)
		rc = xsd_view_write(&v, n, path, buf + off,
				    (unsigned)(len - off));
	if (rc)
		return rc;
	xsd_view_fire(&v, path, false, NULL, 0);
	return xsd_reply_ok(c);
}

static int do_mkdir(struct xsd_conn *c, const char *buf, size_t len)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xsd_view v;
	struct xsd_node *n;
	int rc = get_arg_node(c, buf, len, false, XSD_PERM_WRITE, &v, path, &n);

	if (rc == -ENOENT) {
		rc = xsd_view_create(&v, path, NULL, 0, &n);
		if (rc)
			return rc;
		xsd_view_fire(&v, path, false, NULL, 0);
	} else if (rc) {
		return rc;
	}
	return xsd_reply_ok(c);
}

static int do_rm(struct xsd_conn *c, const char *buf, size_t len)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xsd_view v;
	struct xsd_node *n;
	int rc = get_arg_node(c, buf, len, false, XSD_PERM_WRITE, &v, path, &n);

	if (rc == -ENOENT) {
		/* Already gone is fine, if the parent exists. */
		char *slash = strrchr(path + 1, '/');

		if (slash)
			*slash = '\0';
		else
			path[1] = '\0';
		if (xsd_node_lookup(v.root, path))
			return xsd_reply_ok(c);
		return -ENOENT;
	}
	if (rc)
		return rc;
	if (!strcmp(path, "/"))
		return -EINVAL;
	rc = xsd_view_rm(&v, n, path);
	if (rc)
		return rc;
	return xsd_reply_ok(c);
}

static int child_list(const struct xsd_node *n, char *out, size_t max,
		      size_t *len)
{
	size_t off = 0;
	unsigned i;

	for (i = 0; i < n->nr_child; i++) {
		size_t l = strlen(n->child[i]->name) + 1;

		if (off + l > max)
			return -E2BIG;
		memcpy(out + off, n->child[i]->name, l);
		off += l;
	}
	*len = off;
	return 0;
}

static int do_directory(struct xsd_conn *c, const char *buf, size_t len)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	char out[XENSTORE_PAYLOAD_MAX];
	struct xsd_view v;
	struct xsd_node *n;
	size_t olen;
	int rc = get_arg_node(c, buf, len, false, XSD_PERM_READ, &v, path, &n);

	if (rc)
		return rc;
	rc = child_list(n, out, sizeof(out), &olen);
	if (rc)
		return rc;	/* libxenstore falls back to DIRECTORY_PART */
	return xsd_reply(c, XS_DIRECTORY, out, olen);
}

/*
 * <gencnt>|<children from byte @off>... with a final extra NUL once the
 * list is complete: the framing of Xen's send_directory_part().
 */
static int do_directory_part(struct xsd_conn *c, const char *buf, size_t len)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	char out[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_view v;
	struct xsd_node *n;
	size_t genlen, olen = 0, off, kl;
	char *kids, *k;
	unsigned i;
	int rc, w;

	if (xsd_count_strings(buf, len) != 2)
		return -EINVAL;
	rc = xsd_canonical(c, buf, false, path, NULL);
	if (rc)
		return rc;
	xsd_view_init(&v, c);
	rc = xsd_view_get(&v, path, XSD_PERM_READ, &n);
	if (rc)
		return rc;
	off = xsd_atoi(buf + strlen(buf) + 1);
	w = snprintf(out, sizeof(out), "%llu", (unsigned long long)n->gen);
	genlen = (size_t)w + 1;
	if (off >= n->childlen) {
		out[genlen] = '\0';
		return xsd_reply(c, XS_DIRECTORY_PART, out, genlen + 1);
	}
	kids = malloc(n->childlen);
	if (!kids)
		return -ENOMEM;
	for (i = 0, kl = 0; i < n->nr_child; i++) {
		size_t l = strlen(n->child[i]->name) + 1;

		memcpy(kids + kl, n->child[i]->name, l);
		kl += l;
	}
	/* As many names from @off as fit; a name is never split. */
	k = kids + off;
	while (olen + strlen(k) < XENSTORE_PAYLOAD_MAX - genlen - 1) {
		olen += strlen(k) + 1;
		k += strlen(k) + 1;
		if (off + olen == n->childlen)
			break;
	}
	memcpy(out + genlen, kids + off, olen);
	free(kids);
	if (off + olen == n->childlen)
		out[genlen + olen++] = '\0';
	return xsd_reply(c, XS_DIRECTORY_PART, out, genlen + olen);
}

static int do_get_perms(struct xsd_conn *c, const char *buf, size_t len)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	char out[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_view v;
	struct xsd_node *n;
	size_t olen;
	int rc = get_arg_node(c, buf, len, true, XSD_PERM_READ, &v, path, &n);

	if (rc)
		return rc;
	olen = xsd_perms_format(n->perms, n->nr_perms, out, sizeof(out));
	if (!olen)
		return -E2BIG;
	return xsd_reply(c, XS_GET_PERMS, out, olen);
}

static int do_set_perms(struct xsd_conn *c, const char *buf, size_t len)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xsd_perm *p = NULL, *old = NULL;
	unsigned nr, want, nr_old;
	struct xsd_view v;
	struct xsd_node *n;
	size_t off;
	int rc;

	want = xsd_count_strings(buf, len);
	if (want < 2)
		return -EINVAL;
	want--;
	if (!xsd_privileged(c) && want > c->e->q.perms)
		return -ENOSPC;
	p = calloc(want, sizeof(*p));
	if (!p)
		return -ENOMEM;
	off = strlen(buf) + 1;
	rc = xsd_perms_parse(buf + off, len - off, p, want, &nr);
	if (rc)
		goto out;
	rc = xsd_canonical(c, buf, true, path, NULL);
	if (rc)
		goto out;
	xsd_view_init(&v, c);
	rc = xsd_view_get(&v, path, XSD_PERM_WRITE | XSD_PERM_OWNER, &n);
	if (rc)
		goto out;
	/* Only dom0 may give a node away. */
	if (!xsd_privileged(c) && p[0].domid != n->perms[0].domid) {
		rc = -EPERM;
		goto out;
	}
	nr_old = n->nr_perms;
	old = calloc(nr_old, sizeof(*old));
	if (!old) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(old, n->perms, nr_old * sizeof(*old));
	rc = xsd_view_set_perms(&v, n, path, p, nr);
	if (rc)
		goto out;
	xsd_view_fire(&v, path, false, old, nr_old);
	rc = xsd_reply_ok(c);
out:
	free(old);
	free(p);
	return rc;
}

/* ---- dispatch ---------------------------------------------------------- */

typedef int (*xsd_handler_fn)(struct xsd_conn *c, const char *buf,
			      size_t len);

#define XSD_F_PRIV	(1u << 0)	/* dom0 only (EACCES otherwise) */
#define XSD_F_NOTID	(1u << 1)	/* tx_id is ignored */

static const struct {
	xsd_handler_fn fn;
	unsigned flags;
} handlers[XS_TYPE_COUNT] = {
	[XS_CONTROL]		= { xsd_do_control, XSD_F_PRIV },
	[XS_DIRECTORY]		= { do_directory, 0 },
	[XS_READ]		= { do_read, 0 },
	[XS_GET_PERMS]		= { do_get_perms, 0 },
	[XS_WATCH]		= { xsd_do_watch, XSD_F_NOTID },
	[XS_UNWATCH]		= { xsd_do_unwatch, XSD_F_NOTID },
	[XS_TRANSACTION_START]	= { xsd_do_txn_start, 0 },
	[XS_TRANSACTION_END]	= { xsd_do_txn_end, 0 },
	[XS_INTRODUCE]		= { xsd_do_introduce, XSD_F_PRIV },
	[XS_RELEASE]		= { xsd_do_release, XSD_F_PRIV },
	[XS_GET_DOMAIN_PATH]	= { xsd_do_get_domain_path, 0 },
	[XS_WRITE]		= { do_write, 0 },
	[XS_MKDIR]		= { do_mkdir, 0 },
	[XS_RM]			= { do_rm, 0 },
	[XS_SET_PERMS]		= { do_set_perms, 0 },
	[XS_IS_DOMAIN_INTRODUCED] = { xsd_do_is_introduced, XSD_F_PRIV },
	[XS_RESUME]		= { xsd_do_resume, XSD_F_PRIV },
	[XS_SET_TARGET]		= { xsd_do_set_target, XSD_F_PRIV },
	[XS_RESET_WATCHES]	= { xsd_do_reset_watches, 0 },
	[XS_DIRECTORY_PART]	= { do_directory_part, 0 },
};

static void process_message(struct xsd_conn *c)
{
	const char *payload = (const char *)c->in + sizeof(struct xsd_sockmsg);
	uint32_t type;
	int rc;

	memcpy(&c->cur_hdr, c->in, sizeof(c->cur_hdr));
	type = c->cur_hdr.type;
	c->in[sizeof(struct xsd_sockmsg) + c->cur_hdr.len] = 0;	/* guard */
	c->e->st.requests++;
	c->cur_tx = NULL;

	if (type >= XS_TYPE_COUNT || !handlers[type].fn) {
		rc = -ENOSYS;
	} else if ((handlers[type].flags & XSD_F_PRIV) && !xsd_privileged(c)) {
		rc = -EACCES;
	} else {
		rc = 0;
		if (!(handlers[type].flags & XSD_F_NOTID) && c->cur_hdr.tx_id) {
			c->cur_tx = xsd_txn_lookup(c, c->cur_hdr.tx_id);
			if (!c->cur_tx)
				rc = -ENOENT;
		}
		if (!rc)
			rc = handlers[type].fn(c, payload, c->cur_hdr.len);
	}
	if (rc < 0)
		send_error(c, -rc);
	c->cur_tx = NULL;
}

int xsd_conn_feed(struct xsd_conn *c, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	const size_t hl = sizeof(struct xsd_sockmsg);

	while (len) {
		struct xsd_sockmsg hdr;
		size_t want, take;

		if (c->broken)
			return -EPROTO;
		if (c->in_used < hl) {
			want = hl - c->in_used;
		} else {
			memcpy(&hdr, c->in, hl);
			want = hl + hdr.len - c->in_used;
		}
		take = len < want ? len : want;
		memcpy(c->in + c->in_used, p, take);
		c->in_used += take;
		p += take;
		len -= take;
		if (c->in_used < hl)
			break;
		memcpy(&hdr, c->in, hl);
		if (hdr.len > XENSTORE_PAYLOAD_MAX) {
			os_warn("xenstored: domain %u sent a %u-byte payload; "
				"connection dropped", c->domid, hdr.len);
			c->broken = true;
			return -EPROTO;
		}
		if (c->in_used == hl + hdr.len) {
			process_message(c);
			c->in_used = 0;
		}
	}
	return c->broken ? -EPROTO : 0;
}

bool xsd_conn_broken(const struct xsd_conn *c)
{
	return c->broken;
}

/* ---- connections and the engine ---------------------------------------- */

struct xsd_conn *xsd_conn_new(struct xsd_engine *e, uint16_t domid)
{
	struct xsd_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->e = e;
	c->domid = domid;
	c->target = -1;
	c->next = e->conns;
	if (e->conns)
		e->conns->prev = c;
	e->conns = c;
	return c;
}

void xsd_conn_reset(struct xsd_conn *c)
{
	xsd_watches_free(c);
	xsd_txns_free(c);
	out_free(c);
	c->in_used = 0;
	c->broken = false;
}

void xsd_conn_free(struct xsd_conn *c)
{
	struct xsd_engine *e;

	if (!c)
		return;
	e = c->e;
	xsd_watches_free(c);
	xsd_txns_free(c);
	out_free(c);
	if (c->dom && c->dom->conn == c)
		c->dom->conn = NULL;
	if (c->prev)
		c->prev->next = c->next;
	else
		e->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c);
}

uint16_t xsd_conn_domid(const struct xsd_conn *c)
{
	return c->domid;
}

void xsd_conn_set_priv(struct xsd_conn *c, void *priv)
{
	c->priv = priv;
}

void *xsd_conn_priv(const struct xsd_conn *c)
{
	return c->priv;
}

static struct xsd_node *initial_node(struct xsd_engine *e, const char *name,
				     struct xsd_node *parent)
{
	static const struct xsd_perm none0 = { .domid = 0, .perm = 0 };
	struct xsd_node *n = xsd_node_alloc(name, &none0, 1);

	if (!n)
		return NULL;
	xsd_node_touch_gen(e, n);
	if (parent) {
		if (xsd_node_add_child(parent, n)) {
			xsd_tree_free(n);
			return NULL;
		}
		xsd_account_subtree(e, n, +1);
	}
	return n;
}

struct xsd_engine *xsd_engine_new(const struct xsd_quota *quota,
				  const struct xsd_engine_cb *cb)
{
	static const struct xsd_quota defq = XSD_QUOTA_DEFAULT;
	struct xsd_engine *e = calloc(1, sizeof(*e));
	struct xsd_node *tool;

	if (!e)
		return NULL;
	e->q = quota ? *quota : defq;
	if (cb)
		e->cb = *cb;
	e->next_txid = 1;
	/* Xen's initial store: /, /tool, /tool/xenstored, the specials. */
	e->root = initial_node(e, "", NULL);
	if (!e->root)
		goto fail;
	xsd_account_subtree(e, e->root, +1);
	tool = initial_node(e, "tool", e->root);
	if (!tool || !initial_node(e, "xenstored", tool))
		goto fail;
	e->special[XSD_SPECIAL_INTRODUCE] = initial_node(e, "@introduceDomain",
							 NULL);
	e->special[XSD_SPECIAL_RELEASE] = initial_node(e, "@releaseDomain",
						       NULL);
	if (!e->special[0] || !e->special[1])
		goto fail;
	return e;
fail:
	xsd_engine_free(e);
	return NULL;
}

void xsd_engine_free(struct xsd_engine *e)
{
	if (!e)
		return;
	while (e->conns)
		xsd_conn_free(e->conns);
	while (e->doms) {
		struct xsd_dom *d = e->doms;

		e->doms = d->next;
		free(d);
	}
	xsd_tree_free(e->root);
	xsd_tree_free(e->special[0]);
	xsd_tree_free(e->special[1]);
	free(e);
}

void xsd_engine_stats(struct xsd_engine *e, struct xsd_stats *st)
{
	*st = e->st;
}

struct check_ctx {
	struct xsd_engine *e;
	unsigned *owned;	/* per domid */
	unsigned nodes;
	int bad;
};

static void check_tree(struct check_ctx *k, const struct xsd_node *n)
{
	unsigned i, childlen = 0;

	k->nodes++;
	k->owned[n->perms[0].domid]++;
	if (!n->nr_perms) {
		os_err("xenstored check: node without permissions");
		k->bad++;
	}
	for (i = 0; i < n->nr_child; i++) {
		if (n->child[i]->parent != n) {
			os_err("xenstored check: bad parent link");
			k->bad++;
		}
		childlen += (unsigned)strlen(n->child[i]->name) + 1;
		check_tree(k, n->child[i]);
	}
	if (childlen != n->childlen) {
		os_err("xenstored check: child list length mismatch");
		k->bad++;
	}
}

int xsd_engine_check(struct xsd_engine *e)
{
	struct check_ctx k = { .e = e };
	struct xsd_dom *d;
	struct xsd_conn *c;

	k.owned = calloc(65536, sizeof(*k.owned));
	if (!k.owned)
		return -ENOMEM;
	check_tree(&k, e->root);
	if (k.nodes != e->st.nodes) {
		os_err("xenstored check: %u nodes, counted %u", k.nodes,
		       e->st.nodes);
		k.bad++;
	}
	for (d = e->doms; d; d = d->next) {
		unsigned w = 0;
		struct xsd_watch *wt;

		if (d->nodes != k.owned[d->domid]) {
			os_err("xenstored check: domain %u owns %u nodes, "
			       "accounted %u", d->domid, k.owned[d->domid],
			       d->nodes);
			k.bad++;
		}
		for (c = e->conns; c; c = c->next)
			if (c->domid == d->domid)
				for (wt = c->watches; wt; wt = wt->next)
					w++;
		if (w != d->watches) {
			os_err("xenstored check: domain %u has %u watches, "
			       "accounted %u", d->domid, w, d->watches);
			k.bad++;
		}
		if (d->introduced != (d->conn != NULL) && d->conn) {
			os_err("xenstored check: connection of a domain that "
			       "is not introduced");
			k.bad++;
		}
	}
	for (c = e->conns; c; c = c->next) {
		size_t sum = 0;
		struct xsd_msg *m;

		for (m = c->out_head; m; m = m->next)
			sum += m->size - m->off;
		if (sum != c->out_bytes) {
			os_err("xenstored check: output accounting");
			k.bad++;
		}
	}
	free(k.owned);
	return k.bad ? -EIO : 0;
}
