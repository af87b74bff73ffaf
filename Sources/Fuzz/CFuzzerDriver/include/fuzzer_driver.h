#ifndef EMOCL_FUZZER_DRIVER_H
#define EMOCL_FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for programs that have their own `main` (LLVM 13 and later). Defined
/// by the libFuzzer runtime that `-sanitize=fuzzer` links; only referenced in FUZZING builds.
int LLVMFuzzerRunDriver(int *argc, char ***argv,
                        int (*callback)(const uint8_t *data, size_t size));

#endif
