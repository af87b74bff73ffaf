#ifndef EMOCL_CVIDEO_PADDED_ROWS_H
#define EMOCL_CVIDEO_PADDED_ROWS_H
// A frame's rows in memory that libswscale may overrun: each row starts on a 64-byte boundary
// and 256 spare bytes follow the last. libswscale's SIMD loops read and write past a row's end
// (measured: stores up to 13 bytes past a 1-pixel-wide GRAY8 row, loads up to 32 bytes past an
// RGB24 frame), so the scaler is only ever given these rows, never a caller's packed buffer.

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint8_t *data;     // `rows` rows of `stride` bytes, then the spare bytes
  int stride;        // a multiple of 64, at least `row_bytes`
  size_t row_bytes;  // the bytes of a packed row
  int rows;
} cvideo_padded_rows;

/// Allocates `rows` rows of `row_bytes` each; 0 on success, -1 when out of memory. The caller
/// bounds `row_bytes` and `rows` so that the size cannot overflow.
int cvideo_padded_rows_alloc(cvideo_padded_rows *rows, size_t row_bytes, int count);

/// Frees the rows (safe on zeroed or already freed rows).
void cvideo_padded_rows_free(cvideo_padded_rows *rows);

/// Copies the packed frame `in` (rows of `row_bytes`, no gaps) into the padded rows.
void cvideo_padded_rows_fill(cvideo_padded_rows *rows, const uint8_t *in);

/// Copies the padded rows into the packed frame `out` (rows of `row_bytes`, no gaps).
void cvideo_padded_rows_copy_out(const cvideo_padded_rows *rows, uint8_t *out);

#endif
