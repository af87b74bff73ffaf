// Float convolutions and max pooling on pixel-major maps (emocl_nhwc.h). The output pixels,
// counted row after row, go in tiles of P (each with its own input offset, so a tile may span
// rows) × V vectors of output channels: AVX-512 takes up to 4 vectors of 16 (P = 12, 12, 8 or 6
// for V = 1…4: at most 24 of the 32 registers hold sums), AVX2 up to 2 vectors of 8 (P = 12 or
// 6). Layers with more vectors take them in groups, each group sweeping all the tiles while its
// weights stay in cache. A last, partial tile repeats its last pixel and stores only its own.
#include "emocl_nhwc.h"

#include <string.h>

#pragma clang fp contract(fast)

void emocl_nhwc_pack(const float *weights, int outChannels, int inChannels, int storedInChannels,
                     int kernel, float *packed) {
  int taps = kernel * kernel, stored = (outChannels + 15) / 16 * 16;
  for (int t = 0; t < taps; t++)
    for (int ci = 0; ci < storedInChannels; ci++)
      for (int o = 0; o < stored; o++)
        *packed++ = ci < inChannels && o < outChannels
                        ? weights[((long)o * inChannels + ci) * taps + t]
                        : 0.0f;
}

typedef float pool_vector __attribute__((vector_size(64)));

#if defined(__x86_64__)
// Compiled three times (AVX-512, AVX2, baseline), the CPU's best chosen when the program loads:
// the channel loops vectorise to its widest registers.
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void emocl_nhwc_max_pool_ceil(const float *restrict in, int height, int width, int channels,
                              int kernel, int stride, int outHeight, int outWidth,
                              float *restrict out) {
  for (int y = 0; y < outHeight; y++) {
    int y0 = y * stride, y1 = y0 + kernel < height ? y0 + kernel : height;
    for (int x = 0; x < outWidth; x++) {
      int x0 = x * stride, x1 = x0 + kernel < width ? x0 + kernel : width;
      float *restrict dst = out + ((long)y * outWidth + x) * channels;
      const float *first = in + ((long)y0 * width + x0) * channels;
      if (channels % 16 == 0) {
        // 16 channels at a time, their running maximum in one vector (or two, or four).
        for (int c = 0; c < channels; c += 16) {
          pool_vector m;
          memcpy(&m, first + c, sizeof m);
          for (int yy = y0; yy < y1; yy++)
            for (int xx = x0; xx < x1; xx++) {
              pool_vector v;
              memcpy(&v, in + ((long)yy * width + xx) * channels + c, sizeof v);
              m = __builtin_elementwise_max(m, v);
            }
          memcpy(dst + c, &m, sizeof m);
        }
        continue;
      }
      for (int c = 0; c < channels; c++) dst[c] = first[c];
      for (int yy = y0; yy < y1; yy++)
        for (int xx = x0; xx < x1; xx++) {
          const float *src = in + ((long)yy * width + xx) * channels;
          for (int c = 0; c < channels; c++) dst[c] = src[c] > dst[c] ? src[c] : dst[c];
        }
    }
  }
}

#if defined(__x86_64__)
#include <immintrin.h>

#define EMOCL_INLINE static inline __attribute__((always_inline))

// One tile: P pixels (input offsets `at`) × V vectors (`w`, `bias`, `slope` and `out` at the
// group's first channel). V and P are constants at every call.
#define EMOCL_DEFINE_NHWC_TILE(SFX, TGT, VT, L, VMAX, VMIN)                                       \
  __attribute__((target(TGT))) EMOCL_INLINE VT nload_##SFX(const float *p) {                     \
    VT v;                                                                                        \
    memcpy(&v, p, sizeof v);                                                                     \
    return v;                                                                                    \
  }                                                                                              \
  __attribute__((target(TGT))) EMOCL_INLINE void ntile_##SFX(                                    \
      const float *in, const long *at, int C, int K, long rowFloats, const float *w,             \
      long wstride, const float *bias, const float *slope, float *out, long ostride,             \
      const int V, const int P, int pixels) {                                                    \
    VT acc[4][12];                                                                               \
    _Pragma("unroll") for (int v = 0; v < V; v++) {                                              \
      VT b = nload_##SFX(bias + v * L);                                                          \
      _Pragma("unroll") for (int p = 0; p < P; p++) acc[v][p] = b;                               \
    }                                                                                            \
    for (int ky = 0; ky < K; ky++) {                                                             \
      for (int kx = 0; kx < K; kx++) {                                                           \
        const float *src = in + ky * rowFloats + kx * C;                                         \
        const float *wt = w + (long)(ky * K + kx) * C * wstride;                                 \
        for (int ci = 0; ci < C; ci++, wt += wstride) {                                          \
          VT wv[4];                                                                              \
          _Pragma("unroll") for (int v = 0; v < V; v++) wv[v] = nload_##SFX(wt + v * L);         \
          _Pragma("unroll") for (int p = 0; p < P; p++) {                                        \
            float a = src[at[p] + ci];                                                           \
            _Pragma("unroll") for (int v = 0; v < V; v++) acc[v][p] += wv[v] * a;                \
          }                                                                                      \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
    _Pragma("unroll") for (int v = 0; v < V; v++) {                                              \
      VT s = slope ? nload_##SFX(slope + v * L) : (VT){0};                                       \
      _Pragma("unroll") for (int p = 0; p < P; p++) {                                            \
        if (p < pixels) {                                                                        \
          VT a = acc[v][p];                                                                      \
          if (slope) {                                                                           \
            VT zero = (VT){0};                                                                   \
            a = (VT)VMAX(a, zero) + (VT)VMIN(a, zero) * s;                                       \
          }                                                                                      \
          memcpy(out + p * ostride + v * L, &a, sizeof a);                                       \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }

typedef float nv16 __attribute__((vector_size(64)));
typedef float nv8 __attribute__((vector_size(32)));

EMOCL_DEFINE_NHWC_TILE(avx512, "avx512f,fma", nv16, 16, _mm512_max_ps, _mm512_min_ps)
EMOCL_DEFINE_NHWC_TILE(avx2, "avx2,fma", nv8, 8, _mm256_max_ps, _mm256_min_ps)

// The whole convolution for lanes `L`, groups of up to `GV` vectors, `P_OF(V)` pixels a tile.
#define EMOCL_DEFINE_NHWC_CONV(SFX, TGT, L, GV, P_OF, CASES)                                      \
  __attribute__((target(TGT))) static void nconv_##SFX(                                          \
      const float *in, int H, int W, int C, const float *packed, int K, int blocks,              \
      const float *bias, const float *slope, float *out) {                                       \
    int oh = H - K + 1, ow = W - K + 1, n = oh * ow;                                             \
    long ostride = (long)blocks * 16, rowFloats = (long)W * C;                                   \
    int vectors = blocks * 16 / L;                                                               \
    for (int g = 0; g < vectors; g += GV) {                                                      \
      int V = vectors - g < GV ? vectors - g : GV;                                               \
      int P = P_OF(V);                                                                           \
      const float *w = packed + g * L;                                                           \
      const float *b = bias + g * L;                                                             \
      const float *s = slope ? slope + g * L : 0;                                                \
      for (int q = 0; q < n; q += P) {                                                           \
        long at[12];                                                                             \
        for (int p = 0; p < P; p++) {                                                            \
          int qq = q + p < n ? q + p : n - 1;                                                    \
          at[p] = ((long)(qq / ow) * W + qq % ow) * C;                                           \
        }                                                                                        \
        int pixels = n - q < P ? n - q : P;                                                      \
        float *o = out + (long)q * ostride + g * L;                                              \
        switch (V) { CASES(SFX) }                                                                \
      }                                                                                          \
    }                                                                                            \
  }

#define EMOCL_NCASE(SFX, V, P)                                                                   \
  case V:                                                                                        \
    ntile_##SFX(in, at, C, K, rowFloats, w, ostride, b, s, o, ostride, V, P, pixels);            \
    break;
#define EMOCL_NCASES512(SFX)                                                                     \
  EMOCL_NCASE(SFX, 1, 12) EMOCL_NCASE(SFX, 2, 12) EMOCL_NCASE(SFX, 3, 8) EMOCL_NCASE(SFX, 4, 6)  \
  default : break;
#define EMOCL_NCASES2(SFX) EMOCL_NCASE(SFX, 1, 12) EMOCL_NCASE(SFX, 2, 6) default : break;
#define EMOCL_P512(V) ((V) <= 2 ? 12 : (V) == 3 ? 8 : 6)
#define EMOCL_P2(V) ((V) == 1 ? 12 : 6)

EMOCL_DEFINE_NHWC_CONV(avx512, "avx512f,fma", 16, 4, EMOCL_P512, EMOCL_NCASES512)
EMOCL_DEFINE_NHWC_CONV(avx2, "avx2,fma", 8, 2, EMOCL_P2, EMOCL_NCASES2)

void emocl_nhwc_conv(int isa, const float *in, int height, int width, int channels,
                     const float *packed, int kernel, int blocks, const float *bias,
                     const float *slope, float *out) {
  if (isa == 2)
    nconv_avx512(in, height, width, channels, packed, kernel, blocks, bias, slope, out);
  else if (isa == 1)
    nconv_avx2(in, height, width, channels, packed, kernel, blocks, bias, slope, out);
}

#else

void emocl_nhwc_conv(int isa, const float *in, int height, int width, int channels,
                     const float *packed, int kernel, int blocks, const float *bias,
                     const float *slope, float *out) {}

#endif
