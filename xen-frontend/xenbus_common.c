// SPDX-License-Identifier: MIT
/*
 * The parts of the xenstore client both implementations share (ring:
 * xenstore.c, libxenstore: xenstore_linux.c): formatted writes, strict
 * number parsing and the transaction retry loop.
 */
#include "xenbus.h"

int xenbus_parse_u64(const char *s, unsigned base, uint64_t max, uint64_t *out)
{
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return -EINVAL;
	return os_parse_u64(s, base, max, out);
}

int xenbus_printf(struct xenbus *xb, xenbus_tx_t tx, const char *dir,
		  const char *key, const char *fmt, ...)
{
	char path[256], val[256];
	va_list ap;
	int n;

	if (os_snprintf(path, sizeof(path), "%s/%s", dir, key) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	n = os_vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(val))
		return -E2BIG;
	return xenbus_write(xb, tx, path, val);
}

int xenbus_read_u64(struct xenbus *xb, xenbus_tx_t tx, const char *dir,
		    const char *key, unsigned base, uint64_t max, uint64_t *out)
{
	char path[256], val[32];
	int ret;

	if (os_snprintf(path, sizeof(path), "%s/%s", dir, key) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	ret = xenbus_read(xb, tx, path, val, sizeof(val));
	if (ret == -EOVERFLOW)
		return -EINVAL;		/* longer than any number we accept */
	if (ret < 0)
		return ret;
	return xenbus_parse_u64(val, base, max, out);
}

int xenbus_transact(struct xenbus *xb, unsigned tries,
		    int (*fn)(struct xenbus *xb, xenbus_tx_t tx, void *arg),
		    void *arg)
{
	int ret = -EAGAIN;

	for (unsigned i = 0; i < tries && ret == -EAGAIN; i++) {
		xenbus_tx_t tx;

		ret = xenbus_transaction_start(xb, &tx);
		if (ret)
			return ret;
		ret = fn(xb, tx, arg);
		if (ret) {
			xenbus_transaction_end(xb, tx, true);
			if (ret != -EAGAIN)
				return ret;
			continue;
		}
		ret = xenbus_transaction_end(xb, tx, false);
	}
	return ret;
}
