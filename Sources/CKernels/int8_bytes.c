// The quantization of float activations into bytes for the int8 convolutions (emocl_int8.h), and
// max pooling of bytes, in plain C: the compiler vectorises it for whatever CPU the build targets.
#include "emocl_int8.h"

void emocl_u8_quantize_planes(const float *in, int planes, int height, int width, long rowStride,
                              long planeStride, const float *inverseStep, const float *zeroPoint,
                              int channels, uint8_t *out) {
  for (int y = 0; y < height; y++) {
    uint8_t *dst = out + (long)y * width * channels;
    for (int c = 0; c < channels; c++) {
      if (c >= planes) {
        for (int x = 0; x < width; x++) dst[(long)x * channels + c] = 128;
        continue;
      }
      const float *src = in + c * planeStride + y * rowStride;
      float inverse = inverseStep[c], shift = zeroPoint[c] + 0.5f;
      for (int x = 0; x < width; x++) {
        // Rounded half up: clamped first, so the truncation is a floor.
        float v = src[x] * inverse + shift;
        v = v < 0.0f ? 0.0f : (v > 255.0f ? 255.0f : v);
        dst[(long)x * channels + c] = (uint8_t)(int)v;
      }
    }
  }
}

void emocl_u8_max_pool2(const uint8_t *in, int height, int width, int channels, uint8_t *out,
                        long rowStride) {
  long row = (long)width * channels;
  for (int y = 0; y < height / 2; y++) {
    for (int x = 0; x < width / 2; x++) {
      const uint8_t *a = in + 2 * y * row + 2L * x * channels, *b = a + row;
      uint8_t *dst = out + y * rowStride + (long)x * channels;
      for (int c = 0; c < channels; c++) {
        uint8_t top = a[c] > a[c + channels] ? a[c] : a[c + channels];
        uint8_t bottom = b[c] > b[c + channels] ? b[c] : b[c + channels];
        dst[c] = top > bottom ? top : bottom;
      }
    }
  }
}

void emocl_u8_max_pool_ceil(const uint8_t *in, int height, int width, int channels, int kernel,
                            int stride, int outHeight, int outWidth, uint8_t *out) {
  long row = (long)width * channels;
  for (int oy = 0; oy < outHeight; oy++) {
    int y0 = oy * stride, y1 = y0 + kernel < height ? y0 + kernel : height;
    for (int ox = 0; ox < outWidth; ox++) {
      int x0 = ox * stride, x1 = x0 + kernel < width ? x0 + kernel : width;
      uint8_t *dst = out + ((long)oy * outWidth + ox) * channels;
      const uint8_t *first = in + y0 * row + (long)x0 * channels;
      for (int c = 0; c < channels; c++) dst[c] = first[c];
      for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
          const uint8_t *src = in + y * row + (long)x * channels;
          for (int c = 0; c < channels; c++) dst[c] = src[c] > dst[c] ? src[c] : dst[c];
        }
      }
    }
  }
}
