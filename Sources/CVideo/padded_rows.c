#include "padded_rows.h"

#include <libavutil/mem.h>
#include <string.h>

enum { ROW_ALIGN = 64, SPARE_BYTES = 256 };

int cvideo_padded_rows_alloc(cvideo_padded_rows *rows, size_t row_bytes, int count) {
  size_t stride = (row_bytes + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
  rows->data = av_malloc(stride * (size_t)count + SPARE_BYTES);
  rows->stride = (int)stride;
  rows->row_bytes = row_bytes;
  rows->rows = count;
  return rows->data ? 0 : -1;
}

void cvideo_padded_rows_free(cvideo_padded_rows *rows) { av_freep(&rows->data); }

void cvideo_padded_rows_fill(cvideo_padded_rows *rows, const uint8_t *in) {
  for (int y = 0; y < rows->rows; y++)
    memcpy(rows->data + (size_t)y * rows->stride, in + (size_t)y * rows->row_bytes, rows->row_bytes);
}

void cvideo_padded_rows_copy_out(const cvideo_padded_rows *rows, uint8_t *out) {
  for (int y = 0; y < rows->rows; y++)
    memcpy(out + (size_t)y * rows->row_bytes, rows->data + (size_t)y * rows->stride, rows->row_bytes);
}
