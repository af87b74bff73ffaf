// Float convolutions and max pooling on pixel-major maps (emocl_nhwc.h). The output pixels,
// counted row after row, go in tiles of P (each with its own input offset, so a tile may span
// rows) × V vectors of output channels: AVX-512 takes up to 4 vectors of 16 (P = 12, 12, 8 or 6
// for V = 1…4: at most 24 of the 32 registers hold sums), AVX2 up to 2 vectors of 8 (P = 12 or
// 6). Layers with more vectors take them in groups, each group sweeping all the tiles while its
// weights stay in cache. A last, partial tile repeats its last pixel and stores only its own.
#include "emocl_nhwc.h"
#include "winograd_f2_weights.h"

#include <string.h>

// Winograd tiles transformed, multiplied and transformed back together (emocl_nhwc_conv_winograd).
#define EMOCL_NWINO_CHUNK 24

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

// Winograd F(2×2, 3×3) (emocl_nhwc_conv_winograd). With the usual
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
//   Aᵀ = [1 1 1 0; 0 1 −1 −1],
// the 2×2 outputs at (2ty, 2tx) are Aᵀ [Σ_ci U_ci ⊙ V_ci] A + bias, with V = Bᵀ d B of the 4×4
// input tile d at (2ty, 2tx) and U = G g Gᵀ of each 3×3 kernel g (packed once, here). In the
// pixel-major layout each of the 16 elements k of U ⊙ V, summed over input channels, is a GEMM
// `[tiles][Cin] × [Cin][Cout]`: 16 multiply-adds per input and output channel for 4 outputs,
// against 36 direct.

void emocl_nhwc_pack_winograd(const float *weights, int outChannels, int inChannels,
                              int storedInChannels, float *packed) {
  long stored = (outChannels + 15) / 16 * 16;
  memset(packed, 0, sizeof(float) * 16 * storedInChannels * stored);
  for (int o = 0; o < outChannels; o++)
    for (int ci = 0; ci < inChannels; ci++) {
      double u[16];
      emocl_winograd_f2_kernel(weights + ((long)o * inChannels + ci) * 9, u);
      for (int k = 0; k < 16; k++) packed[((long)k * storedInChannels + ci) * stored + o] = (float)u[k];
    }
}

long emocl_nhwc_winograd_scratch(int channels, int blocks) {
  return 16L * EMOCL_NWINO_CHUNK * (channels + blocks * 16L) + blocks * 16L;
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

// Winograd F(2×2, 3×3) on pixel-major maps, a chunk of up to EMOCL_NWINO_CHUNK tiles (counted
// row after row of tiles) at a time, so that its transformed inputs and sums stay in cache:
//   1. V = Bᵀ d B of every tile of the chunk and input channel into `Vs[16][T][C]` (the loop
//      over channels vectorises);
//   2. for each k of the 16, M_k = V_k U_k, `[T][C] × [C][blocks·16]` into `Ms[16][T][blocks·16]`,
//      by the direct kernel as a 1×1 convolution of a 1 × T map (zero bias, no PReLU);
//   3. per tile and vector of output channels, Aᵀ M A + bias, PReLU, the outputs inside the map
//      stored.
// Odd output sizes: the last row (column) of tiles has its second output row (column) past the
// map. Its fourth input row (column) would be one past the input, so the read is clamped to the
// last row (column): an output tile's first row (column) takes only V's first three rows
// (columns), which never read the tile's fourth input row (column), so the clamped values reach
// only the outputs that are not stored. Nothing is read past the input or written past the
// output.
#define EMOCL_DEFINE_NHWC_WINOGRAD(SFX, TGT, VT, L, VMAX, VMIN)                                    \
  __attribute__((target(TGT))) static void nwino_input_##SFX(                                    \
      const float *in, int H, int W, int C, int tw, int first, int T, float *Vs) {               \
    for (int t = 0; t < T; t++) {                                                                \
      int ty = (first + t) / tw, tx = (first + t) % tw;                                          \
      const float *d[4][4];                                                                      \
      for (int i = 0; i < 4; i++) {                                                              \
        int y = 2 * ty + i < H ? 2 * ty + i : H - 1;                                             \
        for (int j = 0; j < 4; j++) {                                                            \
          int x = 2 * tx + j < W ? 2 * tx + j : W - 1;                                           \
          d[i][j] = in + ((long)y * W + x) * C;                                                  \
        }                                                                                        \
      }                                                                                          \
      float *v = Vs + (long)t * C;                                                               \
      long kstride = (long)T * C;                                                                \
      /* The scratch never overlaps the input: channels in vectors. */                           \
      _Pragma("clang loop vectorize(assume_safety)") for (int c = 0; c < C; c++) {               \
        float b[4][4];                                                                           \
        _Pragma("unroll") for (int j = 0; j < 4; j++) {                                          \
          float d0 = d[0][j][c], d1 = d[1][j][c], d2 = d[2][j][c], d3 = d[3][j][c];              \
          b[0][j] = d0 - d2;                                                                     \
          b[1][j] = d1 + d2;                                                                     \
          b[2][j] = d2 - d1;                                                                     \
          b[3][j] = d1 - d3;                                                                     \
        }                                                                                        \
        _Pragma("unroll") for (int i = 0; i < 4; i++) {                                          \
          v[(i * 4 + 0) * kstride + c] = b[i][0] - b[i][2];                                      \
          v[(i * 4 + 1) * kstride + c] = b[i][1] + b[i][2];                                      \
          v[(i * 4 + 2) * kstride + c] = b[i][2] - b[i][1];                                      \
          v[(i * 4 + 3) * kstride + c] = b[i][1] - b[i][3];                                      \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }                                                                                              \
  __attribute__((target(TGT))) static void nwino_output_##SFX(                                   \
      const float *Ms, int T, int first, int tw, int oh, int ow, int blocks, const float *bias,  \
      const float *slope, float *out) {                                                          \
    long cs = (long)blocks * 16, kstride = (long)T * cs;                                         \
    for (int t = 0; t < T; t++) {                                                                \
      int ty = (first + t) / tw, tx = (first + t) % tw;                                          \
      int rows = oh - 2 * ty < 2 ? 1 : 2, cols = ow - 2 * tx < 2 ? 1 : 2;                        \
      float *o = out + ((long)(2 * ty) * ow + 2 * tx) * cs;                                      \
      for (long c = 0; c < cs; c += L) {                                                         \
        const float *m = Ms + t * cs + c;                                                        \
        VT r[2][4];                                                                              \
        _Pragma("unroll") for (int j = 0; j < 4; j++) {                                          \
          VT m0 = nload_##SFX(m + (0 * 4 + j) * kstride);                                        \
          VT m1 = nload_##SFX(m + (1 * 4 + j) * kstride);                                        \
          VT m2 = nload_##SFX(m + (2 * 4 + j) * kstride);                                        \
          VT m3 = nload_##SFX(m + (3 * 4 + j) * kstride);                                        \
          r[0][j] = m0 + m1 + m2;                                                                \
          r[1][j] = m1 - m2 - m3;                                                                \
        }                                                                                        \
        VT b = nload_##SFX(bias + c);                                                            \
        VT s = slope ? nload_##SFX(slope + c) : (VT){0};                                         \
        _Pragma("unroll") for (int i = 0; i < 2; i++) {                                          \
          VT y[2] = {r[i][0] + r[i][1] + r[i][2] + b, r[i][1] - r[i][2] - r[i][3] + b};          \
          _Pragma("unroll") for (int j = 0; j < 2; j++) {                                        \
            if (i < rows && j < cols) {                                                          \
              VT a = y[j];                                                                       \
              if (slope) {                                                                       \
                VT zero = (VT){0};                                                               \
                a = (VT)VMAX(a, zero) + (VT)VMIN(a, zero) * s;                                   \
              }                                                                                  \
              memcpy(o + ((long)i * ow + j) * cs + c, &a, sizeof a);                             \
            }                                                                                    \
          }                                                                                      \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
  }                                                                                              \
  __attribute__((target(TGT))) static void nwino_##SFX(                                          \
      const float *in, int H, int W, int C, const float *packed, int blocks, const float *bias,  \
      const float *slope, float *out, float *scratch) {                                          \
    int oh = H - 2, ow = W - 2, th = (oh + 1) / 2, tw = (ow + 1) / 2, n = th * tw;               \
    long cs = (long)blocks * 16;                                                                 \
    int chunks = (n + EMOCL_NWINO_CHUNK - 1) / EMOCL_NWINO_CHUNK;                                \
    int per = (n + chunks - 1) / chunks;                                                         \
    float *Vs = scratch, *Ms = Vs + 16L * EMOCL_NWINO_CHUNK * C;                                 \
    float *zeros = Ms + 16L * EMOCL_NWINO_CHUNK * cs;                                            \
    memset(zeros, 0, sizeof(float) * cs);                                                        \
    for (int first = 0; first < n; first += per) {                                               \
      int T = n - first < per ? n - first : per;                                                 \
      nwino_input_##SFX(in, H, W, C, tw, first, T, Vs);                                          \
      for (int k = 0; k < 16; k++)                                                               \
        nconv_##SFX(Vs + (long)k * T * C, 1, T, C, packed + (long)k * C * cs, 1, blocks, zeros,  \
                    0, Ms + (long)k * T * cs);                                                   \
      nwino_output_##SFX(Ms, T, first, tw, oh, ow, blocks, bias, slope, out);                    \
    }                                                                                            \
  }

EMOCL_DEFINE_NHWC_WINOGRAD(avx512, "avx512f,fma", nv16, 16, _mm512_max_ps, _mm512_min_ps)
EMOCL_DEFINE_NHWC_WINOGRAD(avx2, "avx2,fma", nv8, 8, _mm256_max_ps, _mm256_min_ps)

void emocl_nhwc_conv_winograd(int isa, const float *in, int height, int width, int channels,
                              const float *packed, int blocks, const float *bias,
                              const float *slope, float *out, float *scratch) {
  if (isa == 2)
    nwino_avx512(in, height, width, channels, packed, blocks, bias, slope, out, scratch);
  else if (isa == 1)
    nwino_avx2(in, height, width, channels, packed, blocks, bias, slope, out, scratch);
}

#else

void emocl_nhwc_conv(int isa, const float *in, int height, int width, int channels,
                     const float *packed, int kernel, int blocks, const float *bias,
                     const float *slope, float *out) {}

void emocl_nhwc_conv_winograd(int isa, const float *in, int height, int width, int channels,
                              const float *packed, int blocks, const float *bias,
                              const float *slope, float *out, float *scratch) {}

#endif
