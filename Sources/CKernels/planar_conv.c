// Float convolutions and max pooling on planar maps (emocl_planar.h). A tile is 32 output columns
// of one row: AVX-512 runs it as 2 vectors of 16 × up to 12 output channels (24 accumulators of
// the 32 registers), AVX2 as two halves of 2 vectors of 8 × up to 6 channels (12 of 16). For
// every input channel and tap, the tile's input vectors are loaded once and each output
// channel's weight is broadcast from the packed weights straight into its multiply-adds.
#include "emocl_planar.h"

#include <float.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

#pragma clang fp contract(fast)

#define EMOCL_INLINE static inline __attribute__((always_inline))

int emocl_planar_isa(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1;
  if (!osxsave || !fma) return 0;
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 0x6) != 0x6) return 0;  // XMM and YMM state saved by the OS
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1;
  if (avx512f && (lo & 0xE6) == 0xE6) return 2;  // and opmask and ZMM state
  return avx2 ? 1 : 0;
}

/// Output channels one tile keeps in registers.
static int block_limit(int isa) { return isa == 2 ? 12 : 6; }

/// The size of block `b` when `channels` are shared as evenly as possible among the fewest
/// blocks of at most `block_limit(isa)`.
static int block_size(int channels, int isa, int b) {
  int limit = block_limit(isa);
  int blocks = (channels + limit - 1) / limit;
  return channels / blocks + (b < channels % blocks ? 1 : 0);
}

static int block_count(int channels, int isa) {
  int limit = block_limit(isa);
  return (channels + limit - 1) / limit;
}

void emocl_planar_pack(const float *weights, int outChannels, int inChannels, int kernel, int isa,
                       float *packed) {
  int taps = kernel * kernel;
  int first = 0;
  for (int b = 0; b < block_count(outChannels, isa); b++) {
    int size = block_size(outChannels, isa, b);
    for (int ci = 0; ci < inChannels; ci++)
      for (int t = 0; t < taps; t++)
        for (int c = 0; c < size; c++)
          *packed++ = weights[((long)(first + c) * inChannels + ci) * taps + t];
    first += size;
  }
}

// One tile (`NV` vectors of `VT`, `L` lanes each, from `in`/`out` at the tile's first column)
// for a block of `CB` output channels with a `K × K` kernel; `w` at the block's packed weights.
// CB and K are constants at every call, so the loops over them unroll and the sums stay in
// registers.
#define EMOCL_DEFINE_TILE(SFX, TGT, VT, L, NV, CBMAX, VMAX, VMIN)                                 \
  __attribute__((target(TGT))) EMOCL_INLINE VT load_##SFX(const float *p) {                      \
    VT v;                                                                                        \
    memcpy(&v, p, sizeof v);                                                                     \
    return v;                                                                                    \
  }                                                                                              \
  __attribute__((target(TGT))) EMOCL_INLINE void store_##SFX(float *p, VT v) {                   \
    memcpy(p, &v, sizeof v);                                                                     \
  }                                                                                              \
  __attribute__((target(TGT))) EMOCL_INLINE void tile_##SFX(                                     \
      const float *in, long irs, long ips, int cin, const int K, const float *w,                 \
      const float *bias, const float *slope, const int CB, float *out, long ors, long ops) {     \
    VT acc[NV][CBMAX];                                                                           \
    _Pragma("unroll") for (int c = 0; c < CB; c++) {                                             \
      _Pragma("unroll") for (int v = 0; v < NV; v++) acc[v][c] = (VT){0} + bias[c];              \
    }                                                                                            \
    for (int ci = 0; ci < cin; ci++) {                                                           \
      const float *plane = in + ci * ips;                                                        \
      _Pragma("unroll") for (int ky = 0; ky < K; ky++) {                                         \
        _Pragma("unroll") for (int kx = 0; kx < K; kx++) {                                       \
          VT x[NV];                                                                              \
          _Pragma("unroll") for (int v = 0; v < NV; v++) x[v] =                                  \
              load_##SFX(plane + ky * irs + kx + v * L);                                         \
          _Pragma("unroll") for (int c = 0; c < CB; c++) {                                       \
            float s = w[c];                                                                      \
            _Pragma("unroll") for (int v = 0; v < NV; v++) acc[v][c] += x[v] * s;                \
          }                                                                                      \
          w += CB;                                                                               \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
    _Pragma("unroll") for (int c = 0; c < CB; c++) {                                             \
      _Pragma("unroll") for (int v = 0; v < NV; v++) {                                           \
        VT a = acc[v][c];                                                                        \
        if (slope) {                                                                             \
          VT zero = (VT){0};                                                                     \
          a = (VT)VMAX(a, zero) + (VT)VMIN(a, zero) * slope[c];                                  \
        }                                                                                        \
        store_##SFX(out + c * ops + v * L, a);                                                   \
      }                                                                                          \
    }                                                                                            \
  }

// A list of lanes passed whole through a macro argument.
#define EMOCL_LANES(...) __VA_ARGS__

typedef float v16 __attribute__((vector_size(64)));
typedef float v8 __attribute__((vector_size(32)));

EMOCL_DEFINE_TILE(avx512, "avx512f,fma", v16, 16, 2, 12, _mm512_max_ps, _mm512_min_ps)
EMOCL_DEFINE_TILE(avx2, "avx2,fma", v8, 8, 2, 6, _mm256_max_ps, _mm256_min_ps)

#define EMOCL_CASE(SFX, K, CB)                                                                   \
  case (K) * 16 + (CB):                                                                          \
    tile_##SFX(ip, irs, ips, cin, K, w, b, s, CB, op, ors, ops);                                 \
    break;
#define EMOCL_CASES6(SFX, K)                                                                     \
  EMOCL_CASE(SFX, K, 1)                                                                          \
  EMOCL_CASE(SFX, K, 2)                                                                          \
  EMOCL_CASE(SFX, K, 3)                                                                          \
  EMOCL_CASE(SFX, K, 4) EMOCL_CASE(SFX, K, 5) EMOCL_CASE(SFX, K, 6)
#define EMOCL_CASES12(SFX, K)                                                                    \
  EMOCL_CASES6(SFX, K)                                                                           \
  EMOCL_CASE(SFX, K, 7)                                                                          \
  EMOCL_CASE(SFX, K, 8)                                                                          \
  EMOCL_CASE(SFX, K, 9) EMOCL_CASE(SFX, K, 10) EMOCL_CASE(SFX, K, 11) EMOCL_CASE(SFX, K, 12)

// The whole convolution: rows, then tiles of 32 columns (`HALVES` sub-tiles of NV·L columns),
// then blocks of output channels (the tile's input rows stay in L1 across the blocks).
#define EMOCL_DEFINE_CONV(SFX, TGT, NVL, CASES)                                                  \
  __attribute__((target(TGT))) static void conv_##SFX(                                           \
      const float *in, long irs, long ips, int cin, int kernel, const float *packed,             \
      const float *bias, const float *slope, int cout, int outH, int outW, float *out,           \
      long ors, long ops) {                                                                      \
    const int isa = (NVL) == 32 ? 2 : 1;                                                         \
    int blocks = block_count(cout, isa);                                                         \
    long taps = (long)kernel * kernel;                                                           \
    for (int y = 0; y < outH; y++) {                                                             \
      for (int x = 0; x < outW; x += (NVL)) {                                                    \
        const float *ip = in + y * irs + x;                                                      \
        const float *w = packed;                                                                 \
        int first = 0;                                                                           \
        for (int k = 0; k < blocks; k++) {                                                       \
          int size = block_size(cout, isa, k);                                                   \
          float *op = out + first * ops + y * ors + x;                                           \
          const float *b = bias + first;                                                         \
          const float *s = slope ? slope + first : 0;                                            \
          switch (kernel * 16 + size) { CASES(SFX, 1) CASES(SFX, 3) default : break; }          \
          w += cin * taps * size;                                                                \
          first += size;                                                                         \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }

EMOCL_DEFINE_CONV(avx512, "avx512f,fma", 32, EMOCL_CASES12)
EMOCL_DEFINE_CONV(avx2, "avx2,fma", 16, EMOCL_CASES6)

void emocl_planar_conv(int isa, const float *in, long inRowStride, long inPlaneStride,
                       int inChannels, int kernel, const float *packed, const float *bias,
                       const float *slope, int outChannels, int outHeight, int outWidth,
                       float *out, long outRowStride, long outPlaneStride) {
  if (isa == 2)
    conv_avx512(in, inRowStride, inPlaneStride, inChannels, kernel, packed, bias, slope,
                outChannels, outHeight, outWidth, out, outRowStride, outPlaneStride);
  else if (isa == 1)
    conv_avx2(in, inRowStride, inPlaneStride, inChannels, kernel, packed, bias, slope,
              outChannels, outHeight, outWidth, out, outRowStride, outPlaneStride);
}

// Pooling: each output vector of L columns comes from 2L input columns of two rows, their
// maximum taken row-wise, then between the even and the odd lanes (`EVEN` and `ODD` list the
// lanes of the pair of vectors).
#define EMOCL_DEFINE_POOL(SFX, TGT, VT, L, VMAX, EVEN, ODD)                                       \
  __attribute__((target(TGT))) static void pool_##SFX(const float *in, long irs, long ips,        \
                                                       int channels, int inH, int inW,           \
                                                       float *out, long ors, long ops) {         \
    int outH = (inH + 1) / 2, outW = (inW + 1) / 2;                                              \
    for (int c = 0; c < channels; c++) {                                                         \
      for (int y = 0; y < outH; y++) {                                                           \
        const float *r0 = in + c * ips + (2 * y) * irs;                                          \
        const float *r1 = 2 * y + 1 < inH ? r0 + irs : r0;                                       \
        float *o = out + c * ops + y * ors;                                                      \
        for (int x = 0; x < outW; x += L) {                                                      \
          VT a = (VT)VMAX(load_##SFX(r0 + 2 * x), load_##SFX(r1 + 2 * x));                       \
          VT b = (VT)VMAX(load_##SFX(r0 + 2 * x + L), load_##SFX(r1 + 2 * x + L));               \
          VT even = __builtin_shufflevector(a, b, EVEN);                                         \
          VT odd = __builtin_shufflevector(a, b, ODD);                                           \
          store_##SFX(o + x, (VT)VMAX(even, odd));                                               \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }

EMOCL_DEFINE_POOL(avx512, "avx512f,fma", v16, 16, _mm512_max_ps,
                  EMOCL_LANES(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30),
                  EMOCL_LANES(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31))
EMOCL_DEFINE_POOL(avx2, "avx2,fma", v8, 8, _mm256_max_ps, EMOCL_LANES(0, 2, 4, 6, 8, 10, 12, 14),
                  EMOCL_LANES(1, 3, 5, 7, 9, 11, 13, 15))

void emocl_planar_max_pool2_ceil(int isa, float *in, long inRowStride, long inPlaneStride,
                                 int channels, int inHeight, int inWidth, float *out,
                                 long outRowStride, long outPlaneStride) {
  if (inWidth % 2 == 1)
    for (int c = 0; c < channels; c++)
      for (int y = 0; y < inHeight; y++) in[c * inPlaneStride + y * inRowStride + inWidth] = -FLT_MAX;
  if (isa == 2)
    pool_avx512(in, inRowStride, inPlaneStride, channels, inHeight, inWidth, out, outRowStride,
                outPlaneStride);
  else if (isa == 1)
    pool_avx2(in, inRowStride, inPlaneStride, channels, inHeight, inWidth, out, outRowStride,
              outPlaneStride);
}

#else

int emocl_planar_isa(void) { return 0; }
void emocl_planar_pack(const float *weights, int outChannels, int inChannels, int kernel, int isa,
                       float *packed) {}
void emocl_planar_conv(int isa, const float *in, long inRowStride, long inPlaneStride,
                       int inChannels, int kernel, const float *packed, const float *bias,
                       const float *slope, int outChannels, int outHeight, int outWidth,
                       float *out, long outRowStride, long outPlaneStride) {}
void emocl_planar_max_pool2_ceil(int isa, float *in, long inRowStride, long inPlaneStride,
                                 int channels, int inHeight, int inWidth, float *out,
                                 long outRowStride, long outPlaneStride) {}

#endif
