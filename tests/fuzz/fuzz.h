/* The one entry point every fuzz target defines (libFuzzer's); replay.c
 * calls it on files so that `make check` reruns corpora and regressions
 * under any compiler. */
#ifndef CADV_FUZZ_H
#define CADV_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#endif
