// Float convolutions and max pooling on planar maps (emocl_planar.h). A tile is 32 output columns
// of one row: AVX-512 runs it as 2 vectors of 16 × up to 12 output channels (24 accumulators of
// the 32 registers), AVX2 as two halves of 2 vectors of 8 × up to 6 channels (12 of 16). For
// every input channel and tap, the tile's input vectors are loaded once and each output
// channel's weight is broadcast from the packed weights straight into its multiply-adds.
#include "emocl_planar.h"
#include "winograd_f2_weights.h"

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
/// blocks of at most `limit`.
static int limited_block_size(int channels, int limit, int b) {
  int blocks = (channels + limit - 1) / limit;
  return channels / blocks + (b < channels % blocks ? 1 : 0);
}

static int limited_block_count(int channels, int limit) { return (channels + limit - 1) / limit; }

/// The size of block `b` when `channels` are shared as evenly as possible among the fewest
/// blocks of at most `block_limit(isa)`.
static int block_size(int channels, int isa, int b) {
  return limited_block_size(channels, block_limit(isa), b);
}

static int block_count(int channels, int isa) {
  return limited_block_count(channels, block_limit(isa));
}

/// `[outChannels][inChannels][kernel][kernel]` into blocks of at most `limit` output channels,
/// each `[inChannels][kernel·kernel][block]`.
static void pack_blocks(const float *weights, int outChannels, int inChannels, int kernel,
                        int limit, float *packed) {
  int taps = kernel * kernel;
  int first = 0;
  for (int b = 0; b < limited_block_count(outChannels, limit); b++) {
    int size = limited_block_size(outChannels, limit, b);
    for (int ci = 0; ci < inChannels; ci++)
      for (int t = 0; t < taps; t++)
        for (int c = 0; c < size; c++)
          *packed++ = weights[((long)(first + c) * inChannels + ci) * taps + t];
    first += size;
  }
}

void emocl_planar_pack(const float *weights, int outChannels, int inChannels, int kernel, int isa,
                       float *packed) {
  pack_blocks(weights, outChannels, inChannels, kernel, block_limit(isa), packed);
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
// `M(A, B, CB)` for every block size CB of an instruction set: 1…6 (AVX2) or 1…12 (AVX-512).
#define EMOCL_FOR_BLOCKS6(M, A, B) M(A, B, 1) M(A, B, 2) M(A, B, 3) M(A, B, 4) M(A, B, 5) M(A, B, 6)
#define EMOCL_FOR_BLOCKS12(M, A, B)                                                              \
  EMOCL_FOR_BLOCKS6(M, A, B)                                                                     \
  M(A, B, 7) M(A, B, 8) M(A, B, 9) M(A, B, 10) M(A, B, 11) M(A, B, 12)
#define EMOCL_CASES6(SFX, K) EMOCL_FOR_BLOCKS6(EMOCL_CASE, SFX, K)
#define EMOCL_CASES12(SFX, K) EMOCL_FOR_BLOCKS12(EMOCL_CASE, SFX, K)

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

// Winograd F(2×2, 3×3) (emocl_planar_conv_winograd). Each lane of a vector holds one 2×2 output
// tile: lane j covers output columns 2j, 2j+1 of rows y, y+1, from input columns 2j…2j+3 of rows
// y…y+3, so a vector of L lanes covers 2L output columns × 2 rows. With Bᵀ, G and Aᵀ the usual
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
//   Aᵀ = [1 1 1 0; 0 1 −1 −1],
// an output tile is Aᵀ [Σ_ci U ⊙ V] A with U = G g Gᵀ (packed at init) and V = Bᵀ d B: 16
// multiply-adds per input channel and output channel for 4 outputs, against 36 direct.
// A chunk (2 vectors, 4L columns, or 1 at a row's end) goes through three steps:
//   1. every input channel's V (16 vectors a lane group) into a scratch `[16][cin][2][L]`;
//   2. per block of output channels and per element k of the 16, the sums over input channels
//      (the direct kernel's register tile: up to 2 vectors × CB channels, one broadcast weight
//      per multiply-add) into `M[16][CBMAX][2][L]`;
//   3. per output channel of the block, Aᵀ M A + bias, PReLU, columns interleaved back, stored.
// Garbage past the valid columns stays out of valid outputs exactly: an output tile's first
// column (row) uses only V's first three columns (rows), which never read the tile's last
// input column (row).

void emocl_planar_pack_winograd(const float *weights, int outChannels, int inChannels, int isa,
                                float *packed) {
  int first = 0;
  for (int b = 0; b < block_count(outChannels, isa); b++) {
    int size = block_size(outChannels, isa, b);
    for (int k = 0; k < 16; k++)
      for (int ci = 0; ci < inChannels; ci++)
        for (int c = 0; c < size; c++) {
          double u[16];
          emocl_winograd_f2_kernel(weights + ((long)(first + c) * inChannels + ci) * 9, u);
          *packed++ = (float)u[k];
        }
    first += size;
  }
}

// Lane shuffles: the even and odd lanes of two vectors (a's first), and two vectors' lanes
// interleaved (first halves, second halves).
__attribute__((target("avx512f"))) EMOCL_INLINE v16 even_avx512(v16 a, v16 b) {
  return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28,
                                 30);
}
__attribute__((target("avx512f"))) EMOCL_INLINE v16 odd_avx512(v16 a, v16 b) {
  return __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29,
                                 31);
}
__attribute__((target("avx512f"))) EMOCL_INLINE v16 zip1_avx512(v16 a, v16 b) {
  return __builtin_shufflevector(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}
__attribute__((target("avx512f"))) EMOCL_INLINE v16 zip2_avx512(v16 a, v16 b) {
  return __builtin_shufflevector(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15,
                                 31);
}
__attribute__((target("avx2"))) EMOCL_INLINE v8 even_avx2(v8 a, v8 b) {
  return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14);
}
__attribute__((target("avx2"))) EMOCL_INLINE v8 odd_avx2(v8 a, v8 b) {
  return __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15);
}
__attribute__((target("avx2"))) EMOCL_INLINE v8 zip1_avx2(v8 a, v8 b) {
  return __builtin_shufflevector(a, b, 0, 8, 1, 9, 2, 10, 3, 11);
}
__attribute__((target("avx2"))) EMOCL_INLINE v8 zip2_avx2(v8 a, v8 b) {
  return __builtin_shufflevector(a, b, 4, 12, 5, 13, 6, 14, 7, 15);
}

// Output channels a Winograd block keeps in registers (as the direct kernel: 2 vectors each).
#define EMOCL_WINO_CBMAX 12

#define EMOCL_DEFINE_WINOGRAD(SFX, TGT, VT, L, CBMAX, VMAX, VMIN)                                \
  /* V of one lane group (2L output columns) of one input channel: rows r0…r3 at the group's */ \
  /* first input column; V's element k goes to v + k·ks. */                                    \
  __attribute__((target(TGT))) EMOCL_INLINE void wino_in_##SFX(                                  \
      const float *r0, const float *r1, const float *r2, const float *r3, float *v, long ks) {   \
    const float *rows[4] = {r0, r1, r2, r3};                                                     \
    VT d[4][4];                                                                                  \
    _Pragma("unroll") for (int r = 0; r < 4; r++) {                                              \
      VT a = load_##SFX(rows[r]), b = load_##SFX(rows[r] + L);                                   \
      VT a2 = load_##SFX(rows[r] + 2), b2 = load_##SFX(rows[r] + L + 2);                         \
      d[r][0] = even_##SFX(a, b);                                                                \
      d[r][1] = odd_##SFX(a, b);                                                                 \
      d[r][2] = even_##SFX(a2, b2);                                                              \
      d[r][3] = odd_##SFX(a2, b2);                                                               \
    }                                                                                            \
    _Pragma("unroll") for (int c = 0; c < 4; c++) {                                              \
      VT t0 = d[0][c] - d[2][c], t1 = d[1][c] + d[2][c];                                         \
      VT t2 = d[2][c] - d[1][c], t3 = d[1][c] - d[3][c];                                         \
      d[0][c] = t0;                                                                              \
      d[1][c] = t1;                                                                              \
      d[2][c] = t2;                                                                              \
      d[3][c] = t3;                                                                              \
    }                                                                                            \
    _Pragma("unroll") for (int r = 0; r < 4; r++) {                                              \
      store_##SFX(v + (r * 4 + 0) * ks, d[r][0] - d[r][2]);                                      \
      store_##SFX(v + (r * 4 + 1) * ks, d[r][1] + d[r][2]);                                      \
      store_##SFX(v + (r * 4 + 2) * ks, d[r][2] - d[r][1]);                                      \
      store_##SFX(v + (r * 4 + 3) * ks, d[r][1] - d[r][3]);                                      \
    }                                                                                            \
  }                                                                                              \
  /* One element of M for a block of CB output channels and NV vectors: v at V's element */     \
  /* (`[cin][2][L]`), u at the block's packed U for the element (`[cin][CB]`), m at M's */        \
  /* element (`[CBMAX][2][L]`). */                                                               \
  __attribute__((target(TGT))) EMOCL_INLINE void wino_mul_##SFX(                                 \
      const float *v, int cin, const float *u, const int CB, const int NV, float *m) {           \
    VT acc[2][CBMAX];                                                                            \
    _Pragma("unroll") for (int c = 0; c < CB; c++) {                                             \
      _Pragma("unroll") for (int n = 0; n < NV; n++) acc[n][c] = (VT){0};                        \
    }                                                                                            \
    for (int ci = 0; ci < cin; ci++) {                                                           \
      VT x[2];                                                                                   \
      _Pragma("unroll") for (int n = 0; n < NV; n++) x[n] = load_##SFX(v + ci * 2 * L + n * L);  \
      _Pragma("unroll") for (int c = 0; c < CB; c++) {                                           \
        float s = u[c];                                                                          \
        _Pragma("unroll") for (int n = 0; n < NV; n++) acc[n][c] += x[n] * s;                    \
      }                                                                                          \
      u += CB;                                                                                   \
    }                                                                                            \
    _Pragma("unroll") for (int c = 0; c < CB; c++) {                                             \
      _Pragma("unroll") for (int n = 0; n < NV; n++) store_##SFX(m + (c * 2 + n) * L, acc[n][c]); \
    }                                                                                            \
  }                                                                                              \
  /* Aᵀ M A + bias, PReLU, for `cb` output channels and `nv` vectors of M (`[16][CBMAX][2][L]`) */ \
  /* into `out` at the block's first channel, the row pair's first row and the chunk's first */  \
  /* column; the second row only when `two`. */                                                  \
  __attribute__((target(TGT))) static void wino_out_##SFX(                                       \
      const float *m, int cb, int nv, const float *bias, const float *slope, float *out,         \
      long ors, long ops, int two) {                                                             \
    const long ks = CBMAX * 2 * L;                                                               \
    for (int c = 0; c < cb; c++) {                                                               \
      for (int n = 0; n < nv; n++) {                                                             \
        const float *p = m + (c * 2 + n) * L;                                                    \
        VT s0[4], s1[4];                                                                         \
        _Pragma("unroll") for (int j = 0; j < 4; j++) {                                          \
          VT m0 = load_##SFX(p + j * ks), m1 = load_##SFX(p + (4 + j) * ks);                     \
          VT m2 = load_##SFX(p + (8 + j) * ks), m3 = load_##SFX(p + (12 + j) * ks);              \
          s0[j] = m0 + m1 + m2;                                                                  \
          s1[j] = m1 - m2 - m3;                                                                  \
        }                                                                                        \
        VT y[4] = {s0[0] + s0[1] + s0[2], s0[1] - s0[2] - s0[3], s1[0] + s1[1] + s1[2],          \
                   s1[1] - s1[2] - s1[3]};                                                       \
        _Pragma("unroll") for (int i = 0; i < 4; i++) {                                          \
          VT a = y[i] + bias[c];                                                                 \
          if (slope) {                                                                           \
            VT zero = (VT){0};                                                                   \
            a = (VT)VMAX(a, zero) + (VT)VMIN(a, zero) * slope[c];                                \
          }                                                                                      \
          y[i] = a;                                                                              \
        }                                                                                        \
        float *o = out + c * ops + n * 2 * L;                                                    \
        store_##SFX(o, zip1_##SFX(y[0], y[1]));                                                  \
        store_##SFX(o + L, zip2_##SFX(y[0], y[1]));                                              \
        if (two) {                                                                               \
          store_##SFX(o + ors, zip1_##SFX(y[2], y[3]));                                          \
          store_##SFX(o + ors + L, zip2_##SFX(y[2], y[3]));                                      \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }

EMOCL_DEFINE_WINOGRAD(avx512, "avx512f,fma", v16, 16, EMOCL_WINO_CBMAX, _mm512_max_ps,
                      _mm512_min_ps)
EMOCL_DEFINE_WINOGRAD(avx2, "avx2,fma", v8, 8, EMOCL_WINO_CBMAX / 2, _mm256_max_ps,
                      _mm256_min_ps)

#define EMOCL_WCASE(SFX, NV, CB)                                                                 \
  case (NV) * 16 + (CB):                                                                         \
    wino_mul_##SFX(v, cin, u, CB, NV, m);                                                        \
    break;
#define EMOCL_WCASES6(SFX, NV) EMOCL_FOR_BLOCKS6(EMOCL_WCASE, SFX, NV)
#define EMOCL_WCASES12(SFX, NV) EMOCL_FOR_BLOCKS12(EMOCL_WCASE, SFX, NV)

// The whole convolution: pairs of rows, then chunks of 2 vectors (4L columns; the row's last
// chunk 1 vector when that covers it, so that writes stay within the width rounded up to 32),
// then blocks of output channels.
#define EMOCL_DEFINE_WINOGRAD_CONV(SFX, TGT, L, CBMAX, CASES)                                    \
  __attribute__((target(TGT))) static void conv_winograd_##SFX(                                  \
      const float *in, long irs, long ips, int cin, const float *packed, const float *bias,      \
      const float *slope, int cout, int outH, int outW, float *out, long ors, long ops,          \
      float *V) {                                                                                \
    const int isa = (L) == 16 ? 2 : 1;                                                           \
    int blocks = block_count(cout, isa);                                                         \
    long ks = (long)cin * 2 * L; /* V's elements apart */                                        \
    float M[16 * CBMAX * 2 * L] __attribute__((aligned(64)));                                   \
    for (int y = 0; y < outH; y += 2) {                                                          \
      int two = y + 1 < outH;                                                                    \
      /* The last pair of an odd height reads row y + 2 again for the row it does not store. */ \
      const float *r0 = in + y * irs, *r1 = r0 + irs, *r2 = r1 + irs, *r3 = two ? r2 + irs : r2; \
      for (int x = 0; x < outW; x += 4 * L) {                                                    \
        int nv = outW - x > 2 * L ? 2 : 1;                                                       \
        for (int ci = 0; ci < cin; ci++) {                                                       \
          long at = ci * ips + x;                                                                \
          for (int n = 0; n < nv; n++)                                                           \
            wino_in_##SFX(r0 + at + n * 2 * L, r1 + at + n * 2 * L, r2 + at + n * 2 * L,         \
                          r3 + at + n * 2 * L, V + ci * 2 * L + n * L, ks);                      \
        }                                                                                        \
        const float *w = packed;                                                                 \
        int first = 0;                                                                           \
        for (int b = 0; b < blocks; b++) {                                                       \
          int size = block_size(cout, isa, b);                                                   \
          for (int k = 0; k < 16; k++) {                                                         \
            const float *v = V + k * ks, *u = w + k * cin * size;                                \
            float *m = M + k * (CBMAX * 2 * L);                                                  \
            switch (nv * 16 + size) { CASES(SFX, 1) CASES(SFX, 2) default : break; }             \
          }                                                                                      \
          wino_out_##SFX(M, size, nv, bias + first, slope ? slope + first : 0,                   \
                         out + first * ops + y * ors + x, ors, ops, two);                        \
          w += 16 * cin * size;                                                                  \
          first += size;                                                                         \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }

EMOCL_DEFINE_WINOGRAD_CONV(avx512, "avx512f,fma", 16, EMOCL_WINO_CBMAX, EMOCL_WCASES12)
EMOCL_DEFINE_WINOGRAD_CONV(avx2, "avx2,fma", 8, EMOCL_WINO_CBMAX / 2, EMOCL_WCASES6)

void emocl_planar_conv_winograd(int isa, const float *in, long inRowStride, long inPlaneStride,
                                int inChannels, const float *packed, const float *bias,
                                const float *slope, int outChannels, int outHeight,
                                int outWidth, float *out, long outRowStride,
                                long outPlaneStride, float *scratch) {
  if (outHeight <= 0 || outWidth <= 0) return;
  if (isa == 2)
    conv_winograd_avx512(in, inRowStride, inPlaneStride, inChannels, packed, bias, slope,
                         outChannels, outHeight, outWidth, out, outRowStride, outPlaneStride,
                         scratch);
  else if (isa == 1)
    conv_winograd_avx2(in, inRowStride, inPlaneStride, inChannels, packed, bias, slope,
                       outChannels, outHeight, outWidth, out, outRowStride, outPlaneStride,
                       scratch);
}

long emocl_planar_winograd_scratch(int inChannels) { return 16L * inChannels * 2 * 16; }

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

// Convolution fused with the 2×2 ceil-mode max pool (emocl_planar_conv_pool2). A tile is two
// convolution rows (a pooled row's pair) × 2 vectors of L columns × a block of up to 6 output
// channels, so a 32-column tile runs as one AVX-512 tile or two AVX2 halves. AVX-512 keeps both
// rows' sums in registers (2 × 2 × 6 = 24 accumulators): for each tap, the 2 vectors of each
// row are loaded and each channel's weight is broadcast once into 4 multiply-adds (the plain
// kernel's 2), which makes the fused layer faster than the plain convolution alone. AVX2 has
// room for one row's sums only (2 × 6 = 12 of 16 registers), so its tile runs the plain
// kernel's loop for each row in turn, the first row's PReLU outputs waiting on the stack.
// Either way each row's sums are added in the plain kernel's order (same floats). Then per
// channel: PReLU on each of the 4 vectors (before any maximum: with a negative slope PReLU is
// not monotonic), the maximum of the two rows, with an odd width column `width` (paired with
// the last valid one) replaced by −∞, the maximum of even and odd lanes: L pooled columns,
// stored. Only that column is clipped: the others past the width pair among themselves into
// pooled columns past the pooled width, and hold values computed from the input's extra columns
// (finite, as the plain kernels' extra columns), never −∞. With an odd height the last pooled
// row is one convolution row (`TWO` 0): it reads K input rows, as the plain convolution of that
// row does.

/// Output channels of a fused tile (the same for both instruction sets; `isa` leaves room for
/// them to differ, as the plain kernel's do).
static int pool_block_limit(int isa) { return 6; }

void emocl_planar_pack_conv_pool2(const float *weights, int outChannels, int inChannels,
                                  int kernel, int isa, float *packed) {
  pack_blocks(weights, outChannels, inChannels, kernel, pool_block_limit(isa), packed);
}

typedef int i16v __attribute__((vector_size(64)));
typedef int i8v __attribute__((vector_size(32)));

// One tile for a block of `CB` channels, `K × K` kernel, `TWO` convolution rows (1 or 2): `in`
// at the first row's first input column, `w` at the block's packed weights, `out` at the block's
// first channel, the pooled row and the tile's first pooled column. `clip` is NULL or 4 vectors
// of bits: 2 masks of the columns kept, then 2 vectors with −∞ in the lanes not kept.
// `SEQ` 0 keeps both rows' sums in registers (2 × 2 × CB): each tap's weights are broadcast
// once for 4 vectors. `SEQ` 1 (AVX2, whose 16 registers cannot hold more than one row of 6
// channels' sums and its inputs) computes the rows one after the other, as the plain kernel
// does, the first row's PReLU outputs waiting on the stack (in L1) for the second's. (AVX2 with
// both rows of 3 channels in registers measured no faster than the plain convolution and pool,
// the compiler spilling; with 2 channels about as fast as `SEQ`, in more blocks.)
#define EMOCL_DEFINE_CONV_POOL(SFX, TGT, VT, VI, L, CBMAX, SEQ, VMAX, VMIN)                      \
  __attribute__((target(TGT))) EMOCL_INLINE VT prelu_##SFX(VT a, const float *slope, int c) {    \
    if (!slope) return a;                                                                        \
    VT zero = (VT){0};                                                                           \
    return (VT)VMAX(a, zero) + (VT)VMIN(a, zero) * slope[c];                                     \
  }                                                                                              \
  __attribute__((target(TGT))) EMOCL_INLINE void conv_pool_tile_##SFX(                           \
      const float *in, long irs, long ips, int cin, const int K, const float *w,                 \
      const float *bias, const float *slope, const int CB, const int TWO, const int *clip,       \
      float *out, long ops) {                                                                    \
    VT rows[2][2][CBMAX]; /* PReLU outputs, [row][vector][channel] */                            \
    if (SEQ) {                                                                                   \
      _Pragma("nounroll") for (int r = 0; r < 1 + TWO; r++) {                                    \
        VT acc[2][CBMAX];                                                                        \
        _Pragma("unroll") for (int c = 0; c < CB; c++) {                                         \
          _Pragma("unroll") for (int v = 0; v < 2; v++) acc[v][c] = (VT){0} + bias[c];           \
        }                                                                                        \
        const float *wc = w;                                                                     \
        for (int ci = 0; ci < cin; ci++) {                                                       \
          const float *plane = in + ci * ips + r * irs;                                          \
          _Pragma("unroll") for (int ky = 0; ky < K; ky++) {                                     \
            _Pragma("unroll") for (int kx = 0; kx < K; kx++) {                                   \
              VT x[2];                                                                           \
              _Pragma("unroll") for (int v = 0; v < 2; v++) x[v] =                               \
                  load_##SFX(plane + ky * irs + kx + v * L);                                     \
              _Pragma("unroll") for (int c = 0; c < CB; c++) {                                   \
                float s = wc[c];                                                                 \
                _Pragma("unroll") for (int v = 0; v < 2; v++) acc[v][c] += x[v] * s;             \
              }                                                                                  \
              wc += CB;                                                                          \
            }                                                                                    \
          }                                                                                      \
        }                                                                                        \
        _Pragma("unroll") for (int c = 0; c < CB; c++) {                                         \
          _Pragma("unroll") for (int v = 0; v < 2; v++) rows[r][v][c] =                          \
              prelu_##SFX(acc[v][c], slope, c);                                                  \
        }                                                                                        \
      }                                                                                          \
    } else {                                                                                     \
      VT acc[2][2][CBMAX];                                                                       \
      _Pragma("unroll") for (int r = 0; r < 1 + TWO; r++) {                                      \
        _Pragma("unroll") for (int c = 0; c < CB; c++) {                                         \
          _Pragma("unroll") for (int v = 0; v < 2; v++) acc[r][v][c] = (VT){0} + bias[c];        \
        }                                                                                        \
      }                                                                                          \
      const float *wc = w;                                                                       \
      for (int ci = 0; ci < cin; ci++) {                                                         \
        const float *plane = in + ci * ips;                                                      \
        _Pragma("unroll") for (int ky = 0; ky < K; ky++) {                                       \
          /* Hidden from the compiler, which would otherwise keep (and spill) the second */      \
          /* row's vectors for the next tap row's first instead of loading them again. */        \
          const float *row = plane + ky * irs;                                                   \
          __asm__ volatile("" : "+r"(row));                                                      \
          _Pragma("unroll") for (int kx = 0; kx < K; kx++) {                                     \
            VT x[2][2];                                                                          \
            _Pragma("unroll") for (int r = 0; r < 1 + TWO; r++) {                                \
              _Pragma("unroll") for (int v = 0; v < 2; v++) x[r][v] =                            \
                  load_##SFX(row + r * irs + kx + v * L);                                        \
            }                                                                                    \
            _Pragma("unroll") for (int c = 0; c < CB; c++) {                                     \
              float s = wc[c];                                                                   \
              _Pragma("unroll") for (int r = 0; r < 1 + TWO; r++) {                              \
                _Pragma("unroll") for (int v = 0; v < 2; v++) acc[r][v][c] += x[r][v] * s;       \
              }                                                                                  \
            }                                                                                    \
            wc += CB;                                                                            \
          }                                                                                      \
        }                                                                                        \
      }                                                                                          \
      _Pragma("unroll") for (int r = 0; r < 1 + TWO; r++) {                                      \
        _Pragma("unroll") for (int c = 0; c < CB; c++) {                                         \
          _Pragma("unroll") for (int v = 0; v < 2; v++) rows[r][v][c] =                          \
              prelu_##SFX(acc[r][v][c], slope, c);                                               \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
    _Pragma("unroll") for (int c = 0; c < CB; c++) {                                             \
      VT p[2];                                                                                   \
      _Pragma("unroll") for (int v = 0; v < 2; v++) {                                            \
        VT m = TWO ? (VT)VMAX(rows[0][v][c], rows[1][v][c]) : rows[0][v][c];                     \
        if (clip) {                                                                              \
          VI keep, fill;                                                                         \
          memcpy(&keep, clip + v * L, sizeof keep);                                              \
          memcpy(&fill, clip + (2 + v) * L, sizeof fill);                                        \
          m = (VT)(((VI)m & keep) | fill);                                                       \
        }                                                                                        \
        p[v] = m;                                                                                \
      }                                                                                          \
      store_##SFX(out + c * ops, (VT)VMAX(even_##SFX(p[0], p[1]), odd_##SFX(p[0], p[1])));       \
    }                                                                                            \
  }

EMOCL_DEFINE_CONV_POOL(avx512, "avx512f,fma", v16, i16v, 16, 6, 0, _mm512_max_ps, _mm512_min_ps)
EMOCL_DEFINE_CONV_POOL(avx2, "avx2,fma", v8, i8v, 8, 6, 1, _mm256_max_ps, _mm256_min_ps)

// Cases by kernel, row count and block size: `KT` is K · 2 + TWO.
#define EMOCL_PCASE(SFX, KT, CB)                                                                 \
  case (KT) * 16 + (CB):                                                                         \
    conv_pool_tile_##SFX(ip, irs, ips, cin, (KT) / 2, w, b, s, CB, (KT) % 2, clip, op, ops);     \
    break;
#define EMOCL_PCASES6(SFX, KT) EMOCL_FOR_BLOCKS6(EMOCL_PCASE, SFX, KT)

// The whole fused layer: pooled rows (pairs of convolution rows), then tiles of 2L convolution
// columns (L pooled ones), then blocks of output channels.
#define EMOCL_DEFINE_CONV_POOL_LAYER(SFX, TGT, L, CASES)                                         \
  __attribute__((target(TGT))) static void conv_pool_##SFX(                                      \
      const float *in, long irs, long ips, int cin, int kernel, const float *packed,             \
      const float *bias, const float *slope, int cout, int convH, int convW, float *out,         \
      long ors, long ops) {                                                                      \
    const int isa = (L) == 16 ? 2 : 1;                                                           \
    int limit = pool_block_limit(isa), blocks = limited_block_count(cout, limit);                \
    long taps = (long)kernel * kernel;                                                           \
    /* An odd width's last window: column convW (in the last tile, from `last` on) to −∞. */     \
    int last = (convW - 1) / (2 * (L)) * (2 * (L));                                              \
    int lastClip[4 * (L)];                                                                       \
    float lowest = -__builtin_inff();                                                            \
    for (int j = 0; j < 2 * (L); j++) {                                                          \
      int past = last + j == convW;                                                              \
      lastClip[j] = past ? 0 : -1;                                                               \
      lastClip[2 * (L) + j] = 0;                                                                 \
      if (past) memcpy(&lastClip[2 * (L) + j], &lowest, sizeof lowest);                          \
    }                                                                                            \
    for (int py = 0; py < (convH + 1) / 2; py++) {                                               \
      int two = 2 * py + 1 < convH;                                                              \
      for (int x = 0; x < convW; x += 2 * (L)) {                                                 \
        const float *ip = in + 2 * py * irs + x;                                                 \
        const int *clip = x == last && convW % 2 ? lastClip : 0;                                 \
        const float *w = packed;                                                                 \
        int first = 0;                                                                           \
        for (int k = 0; k < blocks; k++) {                                                       \
          int size = limited_block_size(cout, limit, k);                                         \
          float *op = out + first * ops + py * ors + x / 2;                                      \
          const float *b = bias + first;                                                         \
          const float *s = slope ? slope + first : 0;                                            \
          switch ((kernel * 2 + two) * 16 + size) {                                              \
            CASES(SFX, 2) CASES(SFX, 3) CASES(SFX, 6) CASES(SFX, 7) default : break;             \
          }                                                                                      \
          w += cin * taps * size;                                                                \
          first += size;                                                                         \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }

EMOCL_DEFINE_CONV_POOL_LAYER(avx512, "avx512f,fma", 16, EMOCL_PCASES6)
EMOCL_DEFINE_CONV_POOL_LAYER(avx2, "avx2,fma", 8, EMOCL_PCASES6)

void emocl_planar_conv_pool2(int isa, const float *in, long inRowStride, long inPlaneStride,
                             int inChannels, int kernel, const float *packed, const float *bias,
                             const float *slope, int outChannels, int convHeight, int convWidth,
                             float *out, long outRowStride, long outPlaneStride) {
  if (convHeight <= 0 || convWidth <= 0) return;
  if (isa == 2)
    conv_pool_avx512(in, inRowStride, inPlaneStride, inChannels, kernel, packed, bias, slope,
                     outChannels, convHeight, convWidth, out, outRowStride, outPlaneStride);
  else if (isa == 1)
    conv_pool_avx2(in, inRowStride, inPlaneStride, inChannels, kernel, packed, bias, slope,
                   outChannels, convHeight, convWidth, out, outRowStride, outPlaneStride);
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
void emocl_planar_pack_winograd(const float *weights, int outChannels, int inChannels, int isa,
                                float *packed) {}
void emocl_planar_conv_winograd(int isa, const float *in, long inRowStride, long inPlaneStride,
                                int inChannels, const float *packed, const float *bias,
                                const float *slope, int outChannels, int outHeight,
                                int outWidth, float *out, long outRowStride,
                                long outPlaneStride, float *scratch) {}
long emocl_planar_winograd_scratch(int inChannels) { return 0; }
void emocl_planar_pack_conv_pool2(const float *weights, int outChannels, int inChannels,
                                  int kernel, int isa, float *packed) {}
void emocl_planar_conv_pool2(int isa, const float *in, long inRowStride, long inPlaneStride,
                             int inChannels, int kernel, const float *packed, const float *bias,
                             const float *slope, int outChannels, int convHeight, int convWidth,
                             float *out, long outRowStride, long outPlaneStride) {}

#endif
