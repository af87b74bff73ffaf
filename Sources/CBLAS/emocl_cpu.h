// CPUID and XGETBV for Emocl's choice of BLAS kernels (Tensor's CPUFeatures). Header-only, no
// state; on other architectures every register reads as zero.
#ifndef EMOCL_CPU_H
#define EMOCL_CPU_H

#include <stdint.h>

typedef struct {
  uint32_t eax, ebx, ecx, edx;
} emocl_cpuid_registers;

/// The registers CPUID returns for `leaf` and `subleaf`.
static inline emocl_cpuid_registers emocl_cpuid(uint32_t leaf, uint32_t subleaf) {
  emocl_cpuid_registers r = {0, 0, 0, 0};
#if defined(__x86_64__) || defined(__i386__)
  __asm__ volatile("cpuid"
                   : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                   : "a"(leaf), "c"(subleaf));
#else
  (void)leaf;
  (void)subleaf;
#endif
  return r;
}

/// XCR0, the register state the OS saves on context switches. Only valid when CPUID leaf 1
/// reports OSXSAVE (ECX bit 27); the caller checks.
static inline uint64_t emocl_xgetbv0(void) {
#if defined(__x86_64__) || defined(__i386__)
  uint32_t low, high;
  __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return ((uint64_t)high << 32) | low;
#else
  return 0;
#endif
}

#endif
