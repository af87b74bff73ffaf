#ifndef EMOCL_NHWC_H
#define EMOCL_NHWC_H
// Float convolutions and max pooling on small pixel-major maps ([rows][columns][channels]), for
// networks run one crop at a time with tens of channels on maps of a few dozen pixels (MTCNN's
// R- and O-Net). The work is vectorised along the output channels: a tile is up to 12 output
// pixels (spanning rows) × up to 4 vectors of 16 output channels whose sums stay in registers
// while every tap and input channel goes by, each input value broadcast into the multiply-adds
// of all the tile's vectors.
//
// Output maps hold `blocks · 16` channels a pixel (the channels past the layer's count hold 0).
// The kernels are compiled for AVX-512 and for AVX2 with FMA whatever the build's target CPU;
// `isa` (1 AVX2, 2 AVX-512, as `emocl_planar_isa` says) chooses.

/// Weights `[outChannels][inChannels][kernel][kernel]` (PyTorch's layout) into
/// `[kernel·kernel][storedInChannels][blocks·16]` (`blocks = ⌈outChannels / 16⌉`), zero for the
/// stored input channels past `inChannels` and the output channels past `outChannels`.
void emocl_nhwc_pack(const float *weights, int outChannels, int inChannels, int storedInChannels,
                     int kernel, float *packed);

/// Valid `kernel × kernel` convolution, stride 1, of `in` (`[height][width][channels]`, with
/// `channels` as stored) into `[height − kernel + 1][width − kernel + 1][blocks · 16]`, plus
/// `bias` (`blocks · 16` floats), then a PReLU with `slope` (`blocks · 16` floats) unless NULL.
void emocl_nhwc_conv(int isa, const float *in, int height, int width, int channels,
                     const float *packed, int kernel, int blocks, const float *bias,
                     const float *slope, float *out);

/// Winograd F(2×2, 3×3) weights: `[outChannels][inChannels][3][3]` (PyTorch's layout) into
/// U = G g Gᵀ of each kernel as `[16][storedInChannels][blocks·16]` (computed in double, rounded
/// once), zero for the stored input channels past `inChannels` and the output channels past
/// `outChannels`.
void emocl_nhwc_pack_winograd(const float *weights, int outChannels, int inChannels,
                              int storedInChannels, float *packed);

/// Floats of scratch `emocl_nhwc_conv_winograd` needs for `channels` stored input channels and
/// `blocks` blocks of 16 output channels, whatever the map's size.
long emocl_nhwc_winograd_scratch(int channels, int blocks);

/// As `emocl_nhwc_conv` with `kernel` 3, by Winograd F(2×2, 3×3) (`packed` from
/// `emocl_nhwc_pack_winograd`): transformed 4×4 input tiles, 16 GEMMs over the input channels,
/// transformed back. Reads only inside `in` and writes only inside `out` (odd output sizes
/// included); `scratch` holds `emocl_nhwc_winograd_scratch(channels, blocks)` floats.
void emocl_nhwc_conv_winograd(int isa, const float *in, int height, int width, int channels,
                              const float *packed, int blocks, const float *bias,
                              const float *slope, float *out, float *scratch);

/// Max pooling of `[height][width][channels]` floats with a `kernel × kernel` window every
/// `stride` pixels into `[outHeight][outWidth][channels]`, windows past the bottom or right edge
/// clipped to the map (PyTorch's `ceil_mode=True`; the caller gives the output size). Plain C,
/// vectorised for the CPU's widest registers.
void emocl_nhwc_max_pool_ceil(const float *in, int height, int width, int channels, int kernel,
                              int stride, int outHeight, int outWidth, float *out);

#endif
