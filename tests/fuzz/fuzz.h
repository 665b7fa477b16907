/* SPDX-License-Identifier: MIT */
/*
 * The libFuzzer entry point every tests/fuzz/fuzz_<name>.c defines. With
 * clang it links against libFuzzer (make fuzz); with any compiler it links
 * against tests/fuzz/replay_main.c, which feeds it the committed corpus
 * (make test). A target must be deterministic, return 0, and signal a bug
 * by crashing (abort, or a sanitizer report).
 */
#ifndef VSCMI_FUZZ_H
#define VSCMI_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/** Abort with a message when an invariant a target checks does not hold. */
#define FUZZ_CHECK(cond)                                                      \
	do {                                                                  \
		if (!(cond))                                                  \
			fuzz_check_failed(__FILE__, __LINE__, #cond);         \
	} while (0)

#include <stdio.h>
#include <stdlib.h>

static inline void fuzz_check_failed(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, what);
	abort();
}

#endif /* VSCMI_FUZZ_H */
