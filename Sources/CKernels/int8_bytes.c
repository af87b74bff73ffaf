// Byte-activation helpers around the int8 convolutions (emocl_int8.h), in plain C: the
// compiler vectorises them for whatever CPU the build targets.
#include "emocl_int8.h"


void emocl_u8_max_pool_2x2(const uint8_t *in, int height, int width, int channels,
                           uint8_t *out) {
  int outHeight = (height + 1) / 2, outWidth = (width + 1) / 2;
  for (int oy = 0; oy < outHeight; oy++) {
    const uint8_t *top = in + (long)(2 * oy) * width * channels;
    // A last odd row is pooled with itself.
    const uint8_t *bottom = 2 * oy + 1 < height ? top + (long)width * channels : top;
    uint8_t *dst = out + (long)oy * outWidth * channels;
    for (int ox = 0; ox < outWidth; ox++) {
      int x0 = 2 * ox, x1 = 2 * ox + 1 < width ? 2 * ox + 1 : 2 * ox;
      for (int c = 0; c < channels; c++) {
        uint8_t a = top[(long)x0 * channels + c], b = top[(long)x1 * channels + c];
        uint8_t d = bottom[(long)x0 * channels + c], e = bottom[(long)x1 * channels + c];
        uint8_t m = a > b ? a : b, n = d > e ? d : e;
        dst[(long)ox * channels + c] = m > n ? m : n;
      }
    }
  }
}

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
