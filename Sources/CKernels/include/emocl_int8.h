#ifndef EMOCL_INT8_H
#define EMOCL_INT8_H
// Int8 convolutions on AVX-512 VNNI (VPDPBUSD: 4 unsigned-byte × signed-byte products summed
// into each of 16 int32 lanes per instruction), for networks whose activations fit in 8 bits.
//
// Activations are NHWC bytes, each channel c with its own step and zero point (byte =
// round(value / step[c]) + zeroPoint[c]), channels padded to a multiple of 4 with bytes whose
// weights are 0. Weights are packed by the caller
// (Tensor's Int8Convolution) as [kernel·kernel][channels/4][blocks·16][4] signed bytes: for each
// tap and group of 4 input channels, 16 output channels' 4 weights per 64-byte vector.
//
// Each output channel o is then `scale[o] · Σ(byte · weight) + offset[o]`, where offset holds
// the bias and the zero points' share, and, with `slope`, a PReLU.
// The functions are compiled for AVX-512 whatever the build's target CPU: call them only when
// `emocl_int8_supported()` says so.

#include <stdint.h>

/// 1 when this CPU runs the int8 kernels (AVX-512 F, BW, VL and VNNI, with the OS saving the
/// AVX-512 registers), 0 otherwise.
int emocl_int8_supported(void);

/// Valid `kernel × kernel` convolution of `in` ([height][width][channels] bytes) giving
/// `[height − kernel + 1][width − kernel + 1][outChannels]` bytes: round(value ·
/// inverseOutStep[o] + outZeroPoint[o]), clamped to 0…255 (both arrays `blocks · 16` long).
/// `outChannels` is a multiple of 4, at most `blocks · 16`, and more than `(blocks − 1) · 16`.
void emocl_int8_conv_bytes(const uint8_t *in, int height, int width, int channels,
                           const int8_t *weights, int kernel, int blocks, const float *scale,
                           const float *offset, const float *slope, const float *inverseOutStep,
                           const float *outZeroPoint, int outChannels, uint8_t *out);

/// The same convolution storing output pixel (y, x)'s channels at `out + y · rowStride + x ·
/// pixelStride` (e.g. inside the next layer's zero-padded input), other bytes untouched.
void emocl_int8_conv_bytes_strided(const uint8_t *in, int height, int width, int channels,
                                   const int8_t *weights, int kernel, int blocks,
                                   const float *scale, const float *offset, const float *slope,
                                   const float *inverseOutStep, const float *outZeroPoint,
                                   int outChannels, uint8_t *out, long rowStride,
                                   long pixelStride);

/// The same convolution giving floats: `outChannels` planes of `(height − kernel + 1) ·
/// (width − kernel + 1)`, `planeStride` apart, row-major.
void emocl_int8_conv_floats(const uint8_t *in, int height, int width, int channels,
                            const int8_t *weights, int kernel, int blocks, const float *scale,
                            const float *offset, const float *slope, int outChannels, float *out,
                            long planeStride);

/// `planes` float planes of `height × width` (`planeStride` apart, rows `rowStride` apart)
/// into `[height][width][channels]` bytes: value · inverseStep[c] + zeroPoint[c] rounded (half
/// up) and clamped to 0…255, the channels after `planes` set to 128. `inverseStep` and
/// `zeroPoint` hold `planes` values. Plain C.
void emocl_u8_quantize_planes(const float *in, int planes, int height, int width, long rowStride,
                              long planeStride, const float *inverseStep, const float *zeroPoint,
                              int channels, uint8_t *out);

/// 2×2 max pooling, stride 2, of `[height][width][channels]` bytes: output pixel (y, x) of
/// `height / 2 × width / 2` (rounded down) at `out + y · rowStride + x · channels`. Exact on
/// bytes, since every channel's quantization is increasing. Plain C.
void emocl_u8_max_pool2(const uint8_t *in, int height, int width, int channels, uint8_t *out,
                        long rowStride);

/// Max pooling of `[height][width][channels]` bytes with a `kernel × kernel` window every
/// `stride` pixels into `[outHeight][outWidth][channels]`, windows that run past the bottom or
/// right edge clipped to the input (PyTorch's `ceil_mode=True`; the caller gives the output
/// size). Exact on bytes, as ``emocl_u8_max_pool2``. Plain C.
void emocl_u8_max_pool_ceil(const uint8_t *in, int height, int width, int channels, int kernel,
                            int stride, int outHeight, int outWidth, uint8_t *out);

#endif
