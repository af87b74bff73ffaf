// Area resampling from a summed-area table (emocl_area.h), separably: per output row, the
// window's column sums `bottom − top` for the whole span of table columns the row's windows
// cover (contiguous vectors); then per output column, one difference of two of those sums per
// channel (scalar loads from L1); then a contiguous pass that converts, divides by the pixel
// count and normalises. The scalar loop this replaces read four table cells per value and spent
// about 9 cycles a value (one 1 MP detection resamples about 2.2 million); gathering the corners
// into vectors was slower still on the Ice Lake measured (gathers run microcoded there).
#include "emocl_area.h"

#define EMOCL_INLINE static inline __attribute__((always_inline))

/// One output row's windows from `columns`, the column sums of its table rows over the span the
/// windows cover (`columns[i]` for table offset `first + i`): per window the difference of two
/// of them per channel (scalar loads from L1) into `sums`, then a contiguous pass that converts,
/// divides by the pixel count and normalises.
EMOCL_INLINE void area_windows(const uint32_t *columns, int first, int height,
                               const int32_t *colStart, const int32_t *colEnd, int outWidth,
                               uint32_t *sums, float *o, long outPlaneStride) {
  for (int x = 0; x < outWidth; x++) {
    const uint32_t *a = columns + (colStart[x] - first), *b = columns + (colEnd[x] - first);
    sums[x] = b[0] - a[0];
    sums[outWidth + x] = b[1] - a[1];
    sums[2 * outWidth + x] = b[2] - a[2];
  }
  for (int c = 0; c < 3; c++) {
    const uint32_t *s = sums + c * outWidth;
    float *p = o + c * outPlaneStride;
    for (int x = 0; x < outWidth; x++) {
      // (c1 − c0) / 3 columns times `height` rows: the same integer and float operations, in
      // the same order, as the scalar loop, so the same roundings.
      float count = (float)(height * ((colEnd[x] - colStart[x]) / 3));
      p[x] = ((float)s[x] / count - 127.5f) * 0.0078125f;
    }
  }
}

/// Output rows `0 ..< rows` from the table, inlined into one function per instruction set so
/// that the compiler vectorises the contiguous passes for it. `scratch` holds `span` column sums
/// then `3 · outWidth` window sums.
EMOCL_INLINE void area_rows(const uint32_t *table, long tableStride, const int32_t *rowStart,
                            const int32_t *rowEnd, int rows, const int32_t *colStart,
                            const int32_t *colEnd, int outWidth, float *out, long outRowStride,
                            long outPlaneStride, uint32_t *scratch) {
  // The table cells any window of a row reads: `first ..< first + span`.
  int first = colStart[0], span = colEnd[outWidth - 1] + 3 - first;
  uint32_t *columns = scratch, *sums = scratch + span;
  for (int r = 0; r < rows; r++) {
    const uint32_t *top = table + rowStart[r] * tableStride + first;
    const uint32_t *bottom = table + rowEnd[r] * tableStride + first;
    // Wrapping 32-bit differences: exact whenever a window's true sum is below 2³².
    for (int i = 0; i < span; i++) columns[i] = bottom[i] - top[i];
    area_windows(columns, first, rowEnd[r] - rowStart[r], colStart, colEnd, outWidth, sums,
                 out + r * outRowStride, outPlaneStride);
  }
}

#if defined(__x86_64__)
// `area_rows` compiled for one instruction set (the compiler vectorises its contiguous passes
// for that set's registers).
#define EMOCL_DEFINE_AREA(SFX, TGT)                                                              \
  __attribute__((target(TGT))) static void area_##SFX(                                           \
      const uint32_t *table, long tableStride, const int32_t *rowStart, const int32_t *rowEnd,   \
      int rows, const int32_t *colStart, const int32_t *colEnd, int outWidth, float *out,        \
      long outRowStride, long outPlaneStride, uint32_t *scratch) {                               \
    area_rows(table, tableStride, rowStart, rowEnd, rows, colStart, colEnd, outWidth, out,       \
              outRowStride, outPlaneStride, scratch);                                            \
  }

EMOCL_DEFINE_AREA(avx512, "avx512f,avx512dq,avx512vl,avx2,fma")
EMOCL_DEFINE_AREA(avx2, "avx2,fma")
#endif

long emocl_area_scratch(const int32_t *colStart, const int32_t *colEnd, int outWidth) {
  return colEnd[outWidth - 1] + 3 - colStart[0] + 3L * outWidth;
}

void emocl_area_resample(int isa, const uint32_t *table, long tableStride, const int32_t *rowStart,
                         const int32_t *rowEnd, int rows, const int32_t *colStart,
                         const int32_t *colEnd, int outWidth, float *out, long outRowStride,
                         long outPlaneStride, uint32_t *scratch) {
#if defined(__x86_64__)
  if (isa == 2) {
    area_avx512(table, tableStride, rowStart, rowEnd, rows, colStart, colEnd, outWidth, out,
                outRowStride, outPlaneStride, scratch);
    return;
  }
  if (isa == 1) {
    area_avx2(table, tableStride, rowStart, rowEnd, rows, colStart, colEnd, outWidth, out,
              outRowStride, outPlaneStride, scratch);
  }
#endif
}

void emocl_row_sums(const uint8_t *pixels, long pixelStride, int channels, int rows, int columns,
                    uint32_t *sums) {
  for (int y = 0; y < rows; y++) {
    const uint8_t *p = pixels + y * pixelStride;
    uint32_t s[3] = {0, 0, 0};
    if (channels == 3) {
      for (int x = 0; x < columns; x++) {
        s[0] += p[3 * x];
        s[1] += p[3 * x + 1];
        s[2] += p[3 * x + 2];
      }
    } else {
      for (int x = 0; x < columns; x++) s[0] += p[x];
      s[1] = s[2] = s[0];
    }
    sums[3 * y] = s[0];
    sums[3 * y + 1] = s[1];
    sums[3 * y + 2] = s[2];
  }
}

void emocl_summed_area_rows(const uint8_t *pixels, long pixelStride, int channels, int rows,
                            int x0, int x1, const uint32_t *left, uint32_t *table,
                            long tableStride) {
  for (int y = 0; y < rows; y++) {
    const uint8_t *p = pixels + y * pixelStride;
    uint32_t *here = table + (y + 1) * tableStride, *above = here - tableStride;
    uint32_t s0 = left ? left[3 * y] : 0, s1 = left ? left[3 * y + 1] : 0,
             s2 = left ? left[3 * y + 2] : 0;
    // Three independent running sums, each cell the sum so far plus the cell above (one pass:
    // the table's 12 bytes a pixel are written once; running sums into a buffer first, then the
    // row above added in vectors, measured slower).
    if (channels == 3) {
      for (int x = x0; x < x1; x++) {
        s0 += p[3 * x];
        s1 += p[3 * x + 1];
        s2 += p[3 * x + 2];
        here[3 * x + 3] = above[3 * x + 3] + s0;
        here[3 * x + 4] = above[3 * x + 4] + s1;
        here[3 * x + 5] = above[3 * x + 5] + s2;
      }
    } else {
      for (int x = x0; x < x1; x++) {
        s0 += p[x];
        here[3 * x + 3] = above[3 * x + 3] + s0;
        here[3 * x + 4] = above[3 * x + 4] + s0;
        here[3 * x + 5] = above[3 * x + 5] + s0;
      }
    }
  }
}
