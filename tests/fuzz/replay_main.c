// SPDX-License-Identifier: MIT
/*
 * Replay driver for the fuzz targets, for builds without libFuzzer (any
 * compiler; make test runs it under ASan and UBSan): every file named on the
 * command line, and every regular file under every directory named there
 * (recursively, in sorted order), is read into a buffer of exactly its size
 * and passed to LLVMFuzzerTestOneInput once. Prints how many inputs ran;
 * exits non-zero if an argument could not be read. A crash is a failure.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

static unsigned long replayed;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long size;
	int ret = -1;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto out_close;
	/* Exactly @size bytes (at least 1 for malloc), so ASan sees overreads. */
	buf = malloc(size ? (size_t)size : 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
		goto out_close;
	LLVMFuzzerTestOneInput(buf, (size_t)size);
	replayed++;
	ret = 0;
out_close:
	if (ret)
		fprintf(stderr, "replay: %s: read failed\n", path);
	free(buf);
	fclose(f);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(const char *path);

static int replay_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int ret = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char *full;

		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*names));

			if (!nn) {
				ret = -1;
				break;
			}
			names = nn;
		}
		full = malloc(strlen(path) + strlen(e->d_name) + 2);
		if (!full) {
			ret = -1;
			break;
		}
		sprintf(full, "%s/%s", path, e->d_name);
		names[n++] = full;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		if (!ret && replay_path(names[i]))
			ret = -1;
		free(names[i]);
	}
	free(names);
	return ret;
}

static int replay_path(const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return replay_dir(path);
	return replay_file(path);
}

int main(int argc, char **argv)
{
	int i, ret = 0;

	if (argc < 2 || !strcmp(argv[1], "--help")) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: %s FILE|DIR...\n"
			"Feed every file (directories recursively) to the fuzz target once.\n",
			argv[0]);
		return argc < 2 ? 2 : 0;
	}
	for (i = 1; i < argc; i++)
		if (replay_path(argv[i]))
			ret = 1;
	printf("replayed %lu inputs\n", replayed);
	return ret;
}
