// SPDX-License-Identifier: MIT
/*
 * vsa_xs_printf(): one formatted xenstore write, shared by vscmi-attach
 * (xsdev.c) and vscmi-backd (xenbus_back.c). A file of its own so a program
 * can have it without the rest of the toolstack glue (the backd_xs fuzz
 * target links it against its fake xenstore).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <xenstore.h>

#include "tools/vscmi-attach/attach.h"

int vsa_xs_printf(struct xs_handle *xs, xs_transaction_t t, const char *dir,
		  const char *key, const char *fmt, ...)
{
	char path[256], val[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_write(xs, t, path, val, strlen(val)) ? 0 : (errno ? -errno : -EIO);
}
