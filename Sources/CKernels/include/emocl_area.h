#ifndef EMOCL_AREA_H
#define EMOCL_AREA_H
// Area resampling from a summed-area table of an RGB image (MTCNN's pyramid levels and crops):
// each output pixel is the mean of a window of input pixels, read as four corner sums of the
// table. A window's sum is `bottom[c1] − bottom[c0] − top[c1] + top[c0]` in wrapping 32-bit
// arithmetic (exact whenever the true sum is below 2³²), converted to float, divided by the
// window's pixel count, then normalised as `(mean − 127.5) · 2⁻⁷`: the same operations, in the
// same order and with the same rounding, as the scalar loop they replace, so the outputs are
// bit-identical.
//
// The table is `[rows + 1][columns + 1][3]` 32-bit sums, `tableStride` values a row. The work is
// separable: per output row, the column sums `bottom − top` of every table column its windows
// span, then per window the difference of two of them. The kernel is compiled for AVX-512 and for
// AVX2 whatever the build's target CPU; `isa` (2 AVX-512, 1 AVX2, as `emocl_planar_isa` says)
// chooses.

#include <stdint.h>

/// Writes output rows `0 ..< rows` (`out` row `r` at `out + r·outRowStride`, channel `c` at
/// `+ c·outPlaneStride`, `outWidth` floats each) of an area resampling: output row `r` sums
/// table rows `rowStart[r] ..< rowEnd[r]` (table row indices), output column `x` the table
/// columns whose first value is at `colStart[x]` and `colEnd[x]` (offsets in the row, 3 per
/// column: the window's first column and one past its last, times 3). Every window must be
/// non-empty and inside the table, and `colStart`, `colEnd` non-decreasing. `scratch` holds
/// `emocl_area_scratch(colStart, colEnd, outWidth)` values.
void emocl_area_resample(int isa, const uint32_t *table, long tableStride, const int32_t *rowStart,
                         const int32_t *rowEnd, int rows, const int32_t *colStart,
                         const int32_t *colEnd, int outWidth, float *out, long outRowStride,
                         long outPlaneStride, uint32_t *scratch);

/// The 32-bit values of scratch `emocl_area_resample` needs for these windows: the table cells
/// of a row they span, plus 3 per output column.
long emocl_area_scratch(const int32_t *colStart, const int32_t *colEnd, int outWidth);

/// The sums of each of rows `0 ..< rows` of an 8-bit image (`pixels`, `pixelStride` bytes a row,
/// `channels` 1 or 3 bytes a pixel) over its pixel columns `0 ..< columns`: 3 values a row
/// into `sums` (a grey image's three alike), for `emocl_summed_area_rows` to start a band of
/// columns from.
void emocl_row_sums(const uint8_t *pixels, long pixelStride, int channels, int rows, int columns,
                    uint32_t *sums);

/// Builds the summed-area table's cells for pixel columns `x0 ..< x1` of every row (table
/// columns `x0 + 1 ... x1`), top to bottom: per row, the running sums along it (starting from
/// `left[3·y ...]`, the row's sums over columns `0 ..< x0`, or from 0 when `left` is NULL),
/// each plus the cell above. Row 0 and column 0 of the table must hold 0;
/// bands of columns can be built at once on different threads. Sums wrap modulo 2³².
void emocl_summed_area_rows(const uint8_t *pixels, long pixelStride, int channels, int rows,
                            int x0, int x1, const uint32_t *left, uint32_t *table,
                            long tableStride);

#endif
