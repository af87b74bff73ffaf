// Int8 convolutions with VPDPBUSD (emocl_int8.h). The output pixels, counted row after row,
// go in tiles of 8 (then single pixels at the end) × 1 or 2 vectors of 16 output channels: the
// 8 · 2 accumulators stay in registers while every tap and input-channel group goes by, one
// 4-byte broadcast of the input feeding both multiply-adds. A tile may span output rows (a
// 5×5 map is three tiles and a pixel, not five rows of single pixels), so each pixel carries
// its own input and output offsets. Layers with more than 2 vectors of outputs take them in
// pairs, each pair sweeping all the tiles while its weights stay in cache.
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

/// A convolution's fixed arguments.
typedef struct {
  const uint8_t *in;
  int width, channels, kernel;
  /// Bytes from one (tap, group) of the packed weights to the next: all blocks' 64 bytes.
  long weightStride;
  const float *scale, *offset, *slope;
  int outChannels;
} Layer;

/// Sums of `pixels` output pixels (pixel p's top-left input at `in + at[p]`) for `pair`
/// vectors of 16 output channels (weights from `weights`, already at the pair's first
/// vector) into `acc[vector][pixel]`.
EMOCL_AVX512 EMOCL_INLINE void accumulate(const Layer *l, const long *at, const int8_t *weights,
                                          int pair, int pixels, __m512i acc[2][8]) {
  for (int b = 0; b < pair; b++)
    for (int p = 0; p < pixels; p++) acc[b][p] = _mm512_setzero_si512();
  int groups = l->channels / 4;
  for (int ky = 0; ky < l->kernel; ky++) {
    for (int kx = 0; kx < l->kernel; kx++) {
      const uint8_t *src = l->in + ((long)ky * l->width + kx) * l->channels;
      const int8_t *w = weights + (long)(ky * l->kernel + kx) * groups * l->weightStride;
      for (int g = 0; g < groups; g++, w += l->weightStride, src += 4) {
        __m512i w0 = _mm512_loadu_si512((const void *)w);
        __m512i w1 = pair > 1 ? _mm512_loadu_si512((const void *)(w + 64)) : w0;
        for (int p = 0; p < pixels; p++) {
          int32_t four;
          memcpy(&four, src + at[p], 4);
          __m512i a = _mm512_set1_epi32(four);
          acc[0][p] = _mm512_dpbusd_epi32(acc[0][p], a, w0);
          if (pair > 1) acc[1][p] = _mm512_dpbusd_epi32(acc[1][p], a, w1);
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

/// Where the outputs go: bytes (`inverseStep`, `zeroPoint`; pixel p's channels at `bytes +
/// to[p]`) or floats (channel c of pixel p at `floats[c · planeStride + to[p]]`).
typedef struct {
  const float *inverseStep, *zeroPoint;
  uint8_t *bytes;
  float *floats;
  long planeStride;
} Output;

EMOCL_AVX512 EMOCL_INLINE void store(const Layer *l, const Output *o, __m512i acc[2][8],
                                     int first, int pair, int pixels, const long *to) {
  float lanes[16];
  for (int p = 0; p < pixels; p++) {
    for (int i = 0; i < pair; i++) {
      int b = first + i;
      __m512 v = dequantize(acc[i][p], l->scale + 16 * b, l->offset + 16 * b,
                            l->slope ? l->slope + 16 * b : 0);
      if (o->floats) {
        _mm512_storeu_ps(lanes, v);
        int n = l->outChannels - 16 * b < 16 ? l->outChannels - 16 * b : 16;
        for (int c = 0; c < n; c++) o->floats[(16 * b + c) * o->planeStride + to[p]] = lanes[c];
        continue;
      }
      __m512i q = _mm512_cvtps_epi32(_mm512_fmadd_ps(v, _mm512_loadu_ps(o->inverseStep + 16 * b),
                                                     _mm512_loadu_ps(o->zeroPoint + 16 * b)));
      q = _mm512_max_epi32(q, _mm512_setzero_si512());
      _mm_mask_storeu_epi8(o->bytes + to[p] + 16 * b, channel_mask(b, l->outChannels),
                           _mm512_cvtusepi32_epi8(q));
    }
  }
}

/// Every pixel of an `outHeight × outWidth` output for the vectors `first ..< first + pair`,
/// in tiles of 8 and then single pixels: pixel (y, x) reads `in + (y · width + x) · channels`
/// and is stored at offset `y · rowStride + x · pixelStride`. Always inlined with a constant
/// `pair`, so the accumulators are registers.
EMOCL_AVX512 EMOCL_INLINE void sweep(const Layer *l, const Output *o, const int8_t *weights,
                                     int first, int pair, int outHeight, int outWidth,
                                     long rowStride, long pixelStride) {
  __m512i acc[2][8];
  long at[8], to[8];
  const int8_t *w = weights + 64L * first;
  int total = outHeight * outWidth;
  for (int i = 0; i < total; i += 8) {
    int pixels = total - i < 8 ? total - i : 8;
    for (int p = 0; p < pixels; p++) {
      int y = (i + p) / outWidth, x = (i + p) % outWidth;
      at[p] = ((long)y * l->width + x) * l->channels;
      to[p] = y * rowStride + x * pixelStride;
    }
    if (pixels == 8) {
      accumulate(l, at, w, pair, 8, acc);
      store(l, o, acc, first, pair, 8, to);
    } else {
      for (int p = 0; p < pixels; p++) {
        accumulate(l, at + p, w, pair, 1, acc);
        store(l, o, acc, first, pair, 1, to + p);
      }
    }
  }
}

/// The whole convolution, the output vectors in pairs (and a last single one).
EMOCL_AVX512 static void convolve(const Layer *l, const Output *o, const int8_t *weights,
                                  int blocks, int height, long rowStride, long pixelStride) {
  int outHeight = height - l->kernel + 1, outWidth = l->width - l->kernel + 1;
  for (int first = 0; first < blocks; first += 2) {
    if (blocks - first >= 2)
      sweep(l, o, weights, first, 2, outHeight, outWidth, rowStride, pixelStride);
    else
      sweep(l, o, weights, first, 1, outHeight, outWidth, rowStride, pixelStride);
  }
}

EMOCL_AVX512 void emocl_int8_conv_bytes_strided(
    const uint8_t *in, int height, int width, int channels, const int8_t *weights, int kernel,
    int blocks, const float *scale, const float *offset, const float *slope,
    const float *inverseOutStep, const float *outZeroPoint, int outChannels, uint8_t *out,
    long rowStride, long pixelStride) {
  Layer l = {in, width, channels, kernel, 64L * blocks, scale, offset, slope, outChannels};
  Output o = {inverseOutStep, outZeroPoint, out, 0, 0};
  convolve(&l, &o, weights, blocks, height, rowStride, pixelStride);
}

void emocl_int8_conv_bytes(const uint8_t *in, int height, int width, int channels,
                           const int8_t *weights, int kernel, int blocks, const float *scale,
                           const float *offset, const float *slope, const float *inverseOutStep,
                           const float *outZeroPoint, int outChannels, uint8_t *out) {
  long outWidth = width - kernel + 1;
  emocl_int8_conv_bytes_strided(in, height, width, channels, weights, kernel, blocks, scale,
                                offset, slope, inverseOutStep, outZeroPoint, outChannels, out,
                                outWidth * outChannels, outChannels);
}

EMOCL_AVX512 void emocl_int8_conv_floats(const uint8_t *in, int height, int width, int channels,
                                         const int8_t *weights, int kernel, int blocks,
                                         const float *scale, const float *offset,
                                         const float *slope, int outChannels, float *out,
                                         long planeStride) {
  Layer l = {in, width, channels, kernel, 64L * blocks, scale, offset, slope, outChannels};
  Output o = {0, 0, 0, out, planeStride};
  convolve(&l, &o, weights, blocks, height, width - kernel + 1, 1);
}

#else

int emocl_int8_supported(void) { return 0; }

// Never called: Swift checks emocl_int8_supported() first.
void emocl_int8_conv_bytes_strided(const uint8_t *in, int height, int width, int channels,
                                   const int8_t *weights, int kernel, int blocks,
                                   const float *scale, const float *offset, const float *slope,
                                   const float *inverseOutStep, const float *outZeroPoint,
                                   int outChannels, uint8_t *out, long rowStride,
                                   long pixelStride) {
  (void)in, (void)height, (void)width, (void)channels, (void)weights, (void)kernel;
  (void)blocks, (void)scale, (void)offset, (void)slope, (void)inverseOutStep, (void)outZeroPoint;
  (void)outChannels, (void)out, (void)rowStride, (void)pixelStride;
}

void emocl_int8_conv_bytes(const uint8_t *in, int height, int width, int channels,
                           const int8_t *weights, int kernel, int blocks, const float *scale,
                           const float *offset, const float *slope, const float *inverseOutStep,
                           const float *outZeroPoint, int outChannels, uint8_t *out) {
  emocl_int8_conv_bytes_strided(in, height, width, channels, weights, kernel, blocks, scale,
                                offset, slope, inverseOutStep, outZeroPoint, outChannels, out, 0,
                                0);
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
