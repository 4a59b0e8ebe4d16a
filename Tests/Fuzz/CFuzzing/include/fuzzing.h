#ifndef CFUZZING_H
#define CFUZZING_H
#include <stddef.h>
#include <stdint.h>

// libFuzzer's entry for programs that bring their own main (compiler-rt, LLVM 11 and later).
// Declared here because Swift cannot import a symbol that only the fuzzer runtime defines.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
