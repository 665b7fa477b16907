// SPDX-License-Identifier: MIT
/*
 * vscmi-attach / vscmi-detach: the command-line front of xsdev.c. Works on
 * real Xen and on xensim (XENSTORED_PATH set to the machine's socket).
 */
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <xenstore.h>

#include <vscmi/os.h>
#include <vscmi/virtio.h>

#include "tools/vscmi-attach/attach.h"

enum { EXIT_USAGE = 2, EXIT_NODOMAIN = 3, EXIT_EXISTS = 4, EXIT_XENSTORE = 5 };

static const char attach_usage[] =
"Usage: vscmi-attach [OPTION]... DOMAIN\n"
"Give DOMAIN (a name or a domain id) a virtio-pv SCMI device served by the\n"
"back-end domain (vscmi-backd). Like `xl block-attach`, it only writes\n"
"xenstore; the guest's front-end and the back-end then connect by themselves.\n"
"\n"
"  -b, --backend DOM   back-end domain, name or id (default 0, dom0)\n"
"  -d, --devid N       device number within the guest (default 0)\n"
"  -h, --help          this help\n"
"\n"
"Exit status: 0 done, 2 bad usage, 3 no such domain, 4 device already\n"
"there, 5 xenstore error.\n";

static const char detach_usage[] =
"Usage: vscmi-detach [OPTION]... DOMAIN\n"
"Remove DOMAIN's virtio-pv SCMI device: the back-end disconnects it and\n"
"unmaps everything, the guest's front-end sees its device go away.\n"
"\n"
"  -d, --devid N       device number within the guest (default 0)\n"
"  -h, --help          this help\n"
"\n"
"Exit status: 0 done, 2 bad usage, 3 no such domain or device, 5 xenstore error.\n";

static void die_usage(const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
static void die_usage(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	exit(EXIT_USAGE);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "devid", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prog = basename(argv[0]);
	bool detach = strstr(prog, "detach") != NULL;
	const char *backend = "0";
	unsigned domid, be = 0;
	uint64_t devid = 0;
	struct xs_handle *xs;
	char err[256];
	int c, ret;

	while ((c = getopt_long(argc, argv, detach ? "d:h" : "b:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			backend = optarg;
			break;
		case 'd':
			if (os_parse_u64(optarg, 10, 0xffff, &devid))
				die_usage(prog, "--devid wants a number 0..65535, not '%s'", optarg);
			break;
		case 'h':
			fputs(detach ? detach_usage : attach_usage, stdout);
			return 0;
		default:
			die_usage(prog, "unknown option");
		}
	}
	if (optind + 1 != argc)
		die_usage(prog, "name exactly one DOMAIN");

	xs = xs_open(0);
	if (!xs) {
		fprintf(stderr, "%s: cannot connect to xenstore: %s\n", prog, strerror(errno));
		return EXIT_XENSTORE;
	}
	if (vsa_resolve_domain(xs, argv[optind], &domid)) {
		fprintf(stderr, "%s: no domain '%s'\n", prog, argv[optind]);
		xs_close(xs);
		return EXIT_NODOMAIN;
	}
	if (!detach && vsa_resolve_domain(xs, backend, &be)) {
		fprintf(stderr, "%s: no back-end domain '%s'\n", prog, backend);
		xs_close(xs);
		return EXIT_NODOMAIN;
	}
	if (detach)
		ret = vsa_detach(xs, domid, (unsigned)devid, err, sizeof(err));
	else
		ret = vsa_attach(xs, domid, be, (unsigned)devid, err, sizeof(err));
	xs_close(xs);
	if (ret) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return ret == -EEXIST ? EXIT_EXISTS :
		       ret == -ENOENT ? EXIT_NODOMAIN : EXIT_XENSTORE;
	}
	if (detach)
		printf("detached virtio-pv device %u from domain %u\n", (unsigned)devid, domid);
	else
		printf("attached virtio-pv device %u to domain %u (back-end domain %u)\n",
		       (unsigned)devid, domid, be);
	return 0;
}
