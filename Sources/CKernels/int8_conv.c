// Int8 convolutions with VPDPBUSD (emocl_int8.h). Each output row is computed in tiles of 8
// pixels (then single pixels at the row's end) × `blocks` vectors of 16 output channels: the
// 8 · blocks accumulators stay in registers while every tap and input-channel group goes by,
// one 4-byte broadcast of the input feeding `blocks` multiply-adds.
#include "emocl_int8.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

#define EMOCL_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define EMOCL_INLINE static inline __attribute__((always_inline))

int emocl_int8_supported(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0;  // OSXSAVE
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 0xE6) != 0xE6) return 0;  // XMM, YMM, opmask and ZMM state saved by the OS
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  int f = (b >> 16) & 1, bw = (b >> 30) & 1, vl = (b >> 31) & 1, vnni = (c >> 11) & 1;
  return f && bw && vl && vnni;
}

/// Sums of `pixels` adjacent output pixels (from `in`, the top-left input of the first) for
/// `blocks` vectors of 16 output channels into `acc[block][pixel]`.
EMOCL_AVX512 EMOCL_INLINE void accumulate(const uint8_t *in, int width, int channels,
                                          const int8_t *weights, int kernel, int blocks,
                                          int pixels, __m512i acc[2][8]) {
  for (int b = 0; b < blocks; b++)
    for (int p = 0; p < pixels; p++) acc[b][p] = _mm512_setzero_si512();
  int groups = channels / 4;
  for (int ky = 0; ky < kernel; ky++) {
    for (int kx = 0; kx < kernel; kx++) {
      const uint8_t *src = in + ((long)ky * width + kx) * channels;
      const int8_t *w = weights + (long)(ky * kernel + kx) * groups * blocks * 64;
      for (int g = 0; g < groups; g++) {
        __m512i w0 = _mm512_loadu_si512((const void *)(w + (long)g * blocks * 64));
        __m512i w1 = blocks > 1 ? _mm512_loadu_si512((const void *)(w + (long)g * blocks * 64 + 64))
                                : w0;
        for (int p = 0; p < pixels; p++) {
          int32_t four;
          memcpy(&four, src + (long)p * channels + 4 * g, 4);
          __m512i a = _mm512_set1_epi32(four);
          acc[0][p] = _mm512_dpbusd_epi32(acc[0][p], a, w0);
          if (blocks > 1) acc[1][p] = _mm512_dpbusd_epi32(acc[1][p], a, w1);
        }
      }
    }
  }
}

/// `scale · sum + offset`, then the PReLU when `slope` is given.
EMOCL_AVX512 EMOCL_INLINE __m512 dequantize(__m512i sum, const float *scale, const float *offset,
                                            const float *slope) {
  __m512 v = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum), _mm512_loadu_ps(scale),
                             _mm512_loadu_ps(offset));
  if (slope) {
    __mmask16 negative = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LT_OQ);
    v = _mm512_mask_mul_ps(v, negative, v, _mm512_loadu_ps(slope));
  }
  return v;
}

/// Output channels `16·block ..< 16·block + 16` that exist among `outChannels`, as a mask.
static inline __mmask16 channel_mask(int block, int outChannels) {
  int n = outChannels - 16 * block;
  if (n >= 16) return 0xFFFF;
  return n <= 0 ? 0 : (__mmask16)((1u << n) - 1);
}

EMOCL_AVX512 EMOCL_INLINE void store_bytes(__m512i acc[2][8], int blocks, int pixels,
                                           const float *scale, const float *offset,
                                           const float *slope, const float *inverseOutStep,
                                           const float *outZeroPoint, int outChannels,
                                           uint8_t *out) {
  for (int p = 0; p < pixels; p++) {
    for (int b = 0; b < blocks; b++) {
      __m512 v = dequantize(acc[b][p], scale + 16 * b, offset + 16 * b,
                            slope ? slope + 16 * b : 0);
      __m512i q = _mm512_cvtps_epi32(_mm512_fmadd_ps(v, _mm512_loadu_ps(inverseOutStep + 16 * b),
                                                     _mm512_loadu_ps(outZeroPoint + 16 * b)));
      q = _mm512_max_epi32(q, _mm512_setzero_si512());
      _mm_mask_storeu_epi8(out + (long)p * outChannels + 16 * b, channel_mask(b, outChannels),
                           _mm512_cvtusepi32_epi8(q));
    }
  }
}

EMOCL_AVX512 EMOCL_INLINE void store_floats(__m512i acc[2][8], int blocks, int pixels,
                                            const float *scale, const float *offset,
                                            const float *slope, int outChannels, float *out,
                                            long planeStride) {
  float lanes[16];
  for (int p = 0; p < pixels; p++) {
    for (int b = 0; b < blocks; b++) {
      _mm512_storeu_ps(lanes, dequantize(acc[b][p], scale + 16 * b, offset + 16 * b,
                                         slope ? slope + 16 * b : 0));
      int n = outChannels - 16 * b < 16 ? outChannels - 16 * b : 16;
      for (int c = 0; c < n; c++) out[(16 * b + c) * planeStride + p] = lanes[c];
    }
  }
}

/// One output row: tiles of 8 pixels, then single pixels; `blocks` is a constant in each call
/// of this always-inlined function, so the accumulators are registers.
#define EMOCL_ROW(BLOCKS, STORE8, STORE1)                                                     \
  do {                                                                                        \
    __m512i acc[2][8];                                                                        \
    int x = 0;                                                                                \
    for (; x + 8 <= outWidth; x += 8) {                                                       \
      accumulate(row + (long)x * channels, width, channels, weights, kernel, BLOCKS, 8, acc); \
      STORE8;                                                                                 \
    }                                                                                         \
    for (; x < outWidth; x++) {                                                               \
      accumulate(row + (long)x * channels, width, channels, weights, kernel, BLOCKS, 1, acc); \
      STORE1;                                                                                 \
    }                                                                                         \
  } while (0)

EMOCL_AVX512 void emocl_int8_conv_bytes(const uint8_t *in, int height, int width, int channels,
                                        const int8_t *weights, int kernel, int blocks,
                                        const float *scale, const float *offset,
                                        const float *slope, const float *inverseOutStep,
                                        const float *outZeroPoint, int outChannels,
                                        uint8_t *out) {
  int outHeight = height - kernel + 1, outWidth = width - kernel + 1;
  for (int y = 0; y < outHeight; y++) {
    const uint8_t *row = in + (long)y * width * channels;
    uint8_t *dst = out + (long)y * outWidth * outChannels;
#define EMOCL_BYTES(B, P)                                                                   \
  store_bytes(acc, B, P, scale, offset, slope, inverseOutStep, outZeroPoint, outChannels,   \
              dst + (long)x * outChannels)
    if (blocks == 1)
      EMOCL_ROW(1, EMOCL_BYTES(1, 8), EMOCL_BYTES(1, 1));
    else
      EMOCL_ROW(2, EMOCL_BYTES(2, 8), EMOCL_BYTES(2, 1));
#undef EMOCL_BYTES
  }
}

EMOCL_AVX512 void emocl_int8_conv_floats(const uint8_t *in, int height, int width, int channels,
                                         const int8_t *weights, int kernel, int blocks,
                                         const float *scale, const float *offset,
                                         const float *slope, int outChannels, float *out,
                                         long planeStride) {
  int outHeight = height - kernel + 1, outWidth = width - kernel + 1;
  for (int y = 0; y < outHeight; y++) {
    const uint8_t *row = in + (long)y * width * channels;
    float *dst = out + (long)y * outWidth;
#define EMOCL_FLOATS(B, P)                                                                  \
  store_floats(acc, B, P, scale, offset, slope, outChannels, dst + x, planeStride)
    if (blocks == 1)
      EMOCL_ROW(1, EMOCL_FLOATS(1, 8), EMOCL_FLOATS(1, 1));
    else
      EMOCL_ROW(2, EMOCL_FLOATS(2, 8), EMOCL_FLOATS(2, 1));
#undef EMOCL_FLOATS
  }
}

#else

int emocl_int8_supported(void) { return 0; }

void emocl_int8_conv_bytes(const uint8_t *in, int height, int width, int channels,
                           const int8_t *weights, int kernel, int blocks, const float *scale,
                           const float *offset, const float *slope, const float *inverseOutStep,
                           const float *outZeroPoint, int outChannels, uint8_t *out) {
  (void)in, (void)height, (void)width, (void)channels, (void)weights, (void)kernel;
  (void)blocks, (void)scale, (void)offset, (void)slope, (void)inverseOutStep, (void)outZeroPoint;
  (void)outChannels, (void)out;
}

void emocl_int8_conv_floats(const uint8_t *in, int height, int width, int channels,
                            const int8_t *weights, int kernel, int blocks, const float *scale,
                            const float *offset, const float *slope, int outChannels, float *out,
                            long planeStride) {
  (void)in, (void)height, (void)width, (void)channels, (void)weights, (void)kernel;
  (void)blocks, (void)scale, (void)offset, (void)slope, (void)outChannels, (void)out;
  (void)planeStride;
}

#endif
