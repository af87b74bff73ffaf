#ifndef EMOCL_PLANAR_H
#define EMOCL_PLANAR_H
// Float convolutions and max pooling on planar maps ([channels][rows][columns], a row stride and
// a plane stride), for networks with few channels on large maps (MTCNN's P-Net). The work is
// vectorised along the rows: a tile is 32 output columns of one row × a block of output channels
// whose sums stay in registers while every input channel and tap goes by, one broadcast weight
// feeding each multiply-add (im2col would build a matrix of 9·channels rows for GEMMs only 10 to
// 32 outputs tall).
//
// Tiles always hold 32 columns, so a call writes columns up to the row's width rounded up to 32
// and reads up to 32 + kernel − 1 columns past the last valid input one: every map's row stride
// must be at least its width rounded up to 32, and each buffer needs ``EMOCL_PLANAR_SLACK`` floats
// past its last plane. The extra columns hold values computed from whatever lies there (keep the
// buffers' memory initialised, e.g. zeroed once, so that it holds finite numbers); no valid output
// reads them.
//
// The kernels are compiled for AVX-512 and for AVX2 with FMA whatever the build's target CPU;
// `isa` chooses (see `emocl_planar_isa`), and the weights must be packed for the same `isa`.

/// Floats a planar buffer needs past the end of its last plane.
#define EMOCL_PLANAR_SLACK 64
/// Columns of a tile: row strides must be at least a map's width rounded up to this.
#define EMOCL_PLANAR_TILE 32

/// The best instruction set the kernels support on this CPU (with the OS saving its registers):
/// 2 AVX-512 F, 1 AVX2 with FMA, 0 none (the kernels must not be called).
int emocl_planar_isa(void);

/// The floats `emocl_planar_pack` writes: outChannels · inChannels · kernel · kernel.
/// Weights `[outChannels][inChannels][kernel][kernel]` (PyTorch's layout) packed for `isa`: per
/// block of output channels that one tile keeps in registers, `[inChannels][kernel·kernel][block]`.
void emocl_planar_pack(const float *weights, int outChannels, int inChannels, int kernel, int isa,
                       float *packed);

/// Valid `kernel × kernel` (1 or 3) convolution, stride 1, of `inChannels` planes into
/// `outChannels` planes of `outHeight × outWidth` (valid columns; see the file's comment for
/// the rest), plus `bias`, then a PReLU with one `slope` per output channel unless `slope` is
/// NULL. `packed` comes from `emocl_planar_pack` with the same `isa` (1 or 2).
void emocl_planar_conv(int isa, const float *in, long inRowStride, long inPlaneStride,
                       int inChannels, int kernel, const float *packed, const float *bias,
                       const float *slope, int outChannels, int outHeight, int outWidth,
                       float *out, long outRowStride, long outPlaneStride);

/// The floats `emocl_planar_pack_winograd` writes: 16 · outChannels · inChannels.
/// 3×3 weights `[outChannels][inChannels][3][3]` transformed for Winograd F(2×2, 3×3)
/// (U = G g Gᵀ, 4×4 per kernel, computed in double) and packed for `isa`: per block of output
/// channels, `[16][inChannels][block]`.
void emocl_planar_pack_winograd(const float *weights, int outChannels, int inChannels, int isa,
                                float *packed);

/// The same valid 3×3 convolution + bias (+ PReLU) as `emocl_planar_conv` with `kernel` 3, by
/// Winograd F(2×2, 3×3): 16 multiply-adds per input and output channel for each 2×2 block of
/// outputs instead of 36, at the price of transforms that only pay off with several channels in
/// and out (rounding errors measured up to 2.4e-7 of the outputs' largest magnitude). `packed`
/// comes from `emocl_planar_pack_winograd` with the same `isa`. Same layout contract as the
/// direct kernel (tiles of 32 columns, row strides, slack). Rows go in pairs: with an odd
/// `outHeight`, the last pair's second row is computed from a repeated input row and not
/// stored, so neither the input nor the output needs a row more. `scratch` holds
/// `emocl_planar_winograd_scratch(inChannels)` floats (the transformed input of one chunk).
void emocl_planar_conv_winograd(int isa, const float *in, long inRowStride, long inPlaneStride,
                                int inChannels, const float *packed, const float *bias,
                                const float *slope, int outChannels, int outHeight,
                                int outWidth, float *out, long outRowStride,
                                long outPlaneStride, float *scratch);

/// Floats of scratch `emocl_planar_conv_winograd` needs for `inChannels` (either instruction
/// set): 16 transformed elements × channels × 32 columns.
long emocl_planar_winograd_scratch(int inChannels);

/// 2×2 max pooling, stride 2, with windows that run past the bottom or right edge clipped to
/// the map (PyTorch's `ceil_mode=True`): `(inHeight + 1) / 2 × (inWidth + 1) / 2` outputs per
/// plane. When `inWidth` is odd, column `inWidth` of every row of `in` is overwritten with the
/// lowest float (the row stride leaves room for it), which clips the last window.
void emocl_planar_max_pool2_ceil(int isa, float *in, long inRowStride, long inPlaneStride,
                                 int channels, int inHeight, int inWidth, float *out,
                                 long outRowStride, long outPlaneStride);

/// The floats `emocl_planar_pack_conv_pool2` writes: outChannels · inChannels · kernel · kernel.
/// The same layout as `emocl_planar_pack` (per block, `[inChannels][kernel·kernel][block]`) with
/// the fused kernel's blocks: at most 6 output channels with either instruction set (AVX-512's
/// tiles hold two rows of sums).
void emocl_planar_pack_conv_pool2(const float *weights, int outChannels, int inChannels,
                                  int kernel, int isa, float *packed);

/// `emocl_planar_conv` (valid `kernel × kernel`, 1 or 3, + `bias`, + PReLU unless `slope` is
/// NULL) of `convHeight × convWidth` outputs, followed at once by `emocl_planar_max_pool2_ceil`'s
/// pool (PReLU before the maximum): only the `(convHeight + 1) / 2 × (convWidth + 1) / 2` pooled
/// planes are written, the convolution's go no further than a tile (registers; with AVX2, one
/// row of the tile on the stack). The same floats as the two
/// kernels one after the other (each sum in the same order). `packed` comes from
/// `emocl_planar_pack_conv_pool2` with the same `isa`. Reads as the plain convolution of
/// `convHeight` rows does (input rows `convHeight + kernel − 1`, the file's column contract, the
/// input untouched); writes pooled columns up to the pooled width rounded up to 16 (the output's
/// row stride must be at least the pooled width rounded up to 32, as for any map), where columns
/// past the pooled width hold values computed from the input's extra columns.
void emocl_planar_conv_pool2(int isa, const float *in, long inRowStride, long inPlaneStride,
                             int inChannels, int kernel, const float *packed, const float *bias,
                             const float *slope, int outChannels, int convHeight, int convWidth,
                             float *out, long outRowStride, long outPlaneStride);

#endif
