// SPDX-License-Identifier: MIT
/*
 * systest-xs: the system test's xenstore helper, cross-built statically so
 * it runs in dom0 and in the guests' busybox initramfs alike. The test's
 * phases are handed from dom0 to the guests and back through xenstore nodes
 * (a guest's own data/ directory), because nothing else crosses between the
 * domains of the emulated machine.
 *
 *   systest-xs read PATH                 print the value; exit 1 if missing
 *   systest-xs write PATH VALUE
 *   systest-xs wait PATH VALUE SECONDS   until PATH reads VALUE (any value: "*");
 *                                        exit 1 on timeout
 *
 * Relative paths are relative to the caller's /local/domain/<domid>.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int matches(struct xs_handle *xs, const char *path, const char *want)
{
	unsigned int len = 0;
	char *v = xs_read(xs, XBT_NULL, path, &len);
	int ok = v && (strcmp(want, "*") == 0 || strcmp(v, want) == 0);

	free(v);
	return ok;
}

/* A watch fires once at once, then on every change under PATH. */
static int wait_value(struct xs_handle *xs, const char *path, const char *want, double secs)
{
	double end = now_s() + secs;
	int ok = 0;

	if (!xs_watch(xs, path, "systest")) {
		fprintf(stderr, "systest-xs: watch %s: %s\n", path, strerror(errno));
		return 2;
	}
	while (!(ok = matches(xs, path, want))) {
		struct pollfd pfd = { .fd = xs_fileno(xs), .events = POLLIN };
		double left = end - now_s();
		unsigned int n;
		char **w;

		if (left <= 0)
			break;
		if (poll(&pfd, 1, (int)(left * 1000) + 1) > 0) {
			w = xs_read_watch(xs, &n);
			free(w);
		}
	}
	xs_unwatch(xs, path, "systest");
	return ok ? 0 : 1;
}

/* Relative paths are made absolute, so messages name the node in full. */
static char *absolute(struct xs_handle *xs, const char *path)
{
	unsigned int len = 0;
	char *domid, *abs;

	if (path[0] == '/' || path[0] == '@')
		return strdup(path);
	domid = xs_read(xs, XBT_NULL, "domid", &len);
	if (!domid || asprintf(&abs, "/local/domain/%s/%s", domid, path) < 0)
		abs = NULL;
	free(domid);
	return abs;
}

int main(int argc, char **argv)
{
	struct xs_handle *xs;
	char *path;
	int ret = 2;

	if (argc < 3) {
		fprintf(stderr, "usage: systest-xs read PATH | write PATH VALUE | "
			"wait PATH VALUE SECONDS\n");
		return 2;
	}
	xs = xs_open(0);
	if (!xs) {
		fprintf(stderr, "systest-xs: cannot open xenstore: %s\n", strerror(errno));
		return 2;
	}
	path = absolute(xs, argv[2]);
	if (!path) {
		fprintf(stderr, "systest-xs: cannot resolve %s: %s\n", argv[2], strerror(errno));
		xs_close(xs);
		return 2;
	}
	argv[2] = path;
	if (!strcmp(argv[1], "read") && argc == 3) {
		unsigned int len = 0;
		char *v = xs_read(xs, XBT_NULL, argv[2], &len);

		if (v)
			printf("%s\n", v);
		ret = v ? 0 : 1;
		free(v);
	} else if (!strcmp(argv[1], "write") && argc == 4) {
		ret = xs_write(xs, XBT_NULL, argv[2], argv[3], strlen(argv[3])) ? 0 : 1;
		if (ret)
			fprintf(stderr, "systest-xs: write %s: %s\n", argv[2], strerror(errno));
	} else if (!strcmp(argv[1], "wait") && argc == 5) {
		ret = wait_value(xs, argv[2], argv[3], atof(argv[4]));
	} else {
		fprintf(stderr, "systest-xs: bad command\n");
	}
	free(path);
	xs_close(xs);
	return ret;
}
