/* SPDX-License-Identifier: MIT */
/*
 * Error numbers. Every vscmi library returns negative errno values; hosted
 * builds use the C library's, the freestanding build defines the same
 * numbers as Linux and Xen (xen/errno.h) use.
 */
#ifndef VSCMI_ERRNO_H
#define VSCMI_ERRNO_H

#if __STDC_HOSTED__
#include <errno.h>
#else
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EISDIR 21
#define EINVAL 22
#define ENOSPC 28
#define EROFS 30
#define ERANGE 34
#define EDEADLK 35
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ENOTEMPTY 39
#define ELOOP 40
#define ENODATA 61
#define ETIME 62
#define ECOMM 70
#define EPROTO 71
#define EBADMSG 74
#define EOVERFLOW 75
#define EMSGSIZE 90
#define EPROTONOSUPPORT 93
#define EOPNOTSUPP 95
#define EADDRINUSE 98
#define ECONNRESET 104
#define ENOBUFS 105
#define EISCONN 106
#define ENOTCONN 107
#define ESHUTDOWN 108
#define ETIMEDOUT 110
#define ECONNREFUSED 111
#define EALREADY 114
#define EINPROGRESS 115
#define EREMOTEIO 121
#define ECANCELED 125
#endif

#endif /* VSCMI_ERRNO_H */
