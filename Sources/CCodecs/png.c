// PNG through libpng. libpng reports errors by calling our error function, which records the
// message and longjmps back to the setjmp in the same C function: no jump crosses into Swift.
// Warnings are ignored (libpng only warns about things it can recover from, such as a bad CRC
// in an ancillary chunk, which it then drops).

#include "ccodecs.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const uint8_t *data;
  size_t size;
  size_t position;
  char *message;
} png_reader;

static void on_error(png_structp png, png_const_charp text) {
  png_reader *reader = (png_reader *)png_get_error_ptr(png);
  if (reader != NULL && reader->message != NULL)
    snprintf(reader->message, CCODECS_MESSAGE_SIZE, "%s", text);
  png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp text) {
  (void)png;
  (void)text;
}

static void read_bytes(png_structp png, png_bytep out, size_t count) {
  png_reader *reader = (png_reader *)png_get_io_ptr(png);
  if (count > reader->size - reader->position) {
    png_error(png, "unexpected end of data (truncated file?)");
  }
  memcpy(out, reader->data + reader->position, count);
  reader->position += count;
}

// Sets libpng's transformations to 8-bit G, GA, RGB or RGBA; returns that channel count and
// sets the number of interlace passes to read.
static int configure(png_structp png, png_infop info, int *passes) {
  int color_type = png_get_color_type(png, info);
  int bit_depth = png_get_bit_depth(png, info);
  int has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
  if (bit_depth == 16) png_set_strip_16(png);  // keep the high byte, as Pillow and OpenCV
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (has_trns) png_set_tRNS_to_alpha(png);
  *passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  return png_get_channels(png, info);
}

static ccodecs_status open_reader(png_reader *reader, png_structp *png, png_infop *info) {
  *png = png_create_read_struct(PNG_LIBPNG_VER_STRING, reader, on_error, on_warning);
  *info = *png == NULL ? NULL : png_create_info_struct(*png);
  if (*info == NULL) {
    if (*png != NULL) png_destroy_read_struct(png, NULL, NULL);
    snprintf(reader->message, CCODECS_MESSAGE_SIZE, "cannot create a PNG reader");
    return CCODECS_FAILED;
  }
  png_set_read_fn(*png, reader, read_bytes);
  return CCODECS_OK;
}

ccodecs_status ccodecs_png_header(const uint8_t *data, size_t size, int *width, int *height,
                                  int *color_type, int *bit_depth, int *channels,
                                  char *message) {
  message[0] = 0;
  png_reader reader = {data, size, 0, message};
  png_structp png;
  png_infop info;
  ccodecs_status status = open_reader(&reader, &png, &info);
  if (status != CCODECS_OK) return status;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, NULL);
    return CCODECS_CORRUPT;
  }
  png_read_info(png, info);
  int passes = 0;
  *width = (int)png_get_image_width(png, info);
  *height = (int)png_get_image_height(png, info);
  *color_type = png_get_color_type(png, info);
  *bit_depth = png_get_bit_depth(png, info);
  *channels = configure(png, info, &passes);
  png_destroy_read_struct(&png, &info, NULL);
  return CCODECS_OK;
}

ccodecs_status ccodecs_png_decode(const uint8_t *data, size_t size, uint8_t *out, int width,
                                  int height, int channels, char *message) {
  message[0] = 0;
  png_reader reader = {data, size, 0, message};
  png_structp png;
  png_infop info;
  ccodecs_status status = open_reader(&reader, &png, &info);
  if (status != CCODECS_OK) return status;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, NULL);
    return CCODECS_CORRUPT;
  }
  png_read_info(png, info);
  if ((int)png_get_image_width(png, info) != width ||
      (int)png_get_image_height(png, info) != height) {
    png_error(png, "size differs from the header read before");
  }
  int passes = 0;
  if (configure(png, info, &passes) != channels) {
    png_error(png, "channel count differs from the header read before");
  }
  size_t row_bytes = (size_t)width * (size_t)channels;
  if (png_get_rowbytes(png, info) != row_bytes) png_error(png, "unexpected row size");
  // Row by row (each pass of an interlaced image refines the rows in place), so no array of
  // row pointers is needed.
  for (int pass = 0; pass < passes; pass++) {
    for (int y = 0; y < height; y++) png_read_row(png, out + (size_t)y * row_bytes, NULL);
  }
  png_destroy_read_struct(&png, &info, NULL);
  return CCODECS_OK;
}

typedef struct {
  uint8_t *data;
  size_t size;
  size_t capacity;
  char *message;
} png_writer;

static void on_write_error(png_structp png, png_const_charp text) {
  png_writer *writer = (png_writer *)png_get_error_ptr(png);
  snprintf(writer->message, CCODECS_MESSAGE_SIZE, "%s", text);
  png_longjmp(png, 1);
}

static void write_bytes(png_structp png, png_bytep bytes, size_t count) {
  png_writer *writer = (png_writer *)png_get_io_ptr(png);
  if (count > writer->capacity - writer->size) {
    size_t capacity = writer->capacity * 2 + count;
    uint8_t *grown = realloc(writer->data, capacity);
    if (grown == NULL) png_error(png, "out of memory");
    writer->data = grown;
    writer->capacity = capacity;
  }
  memcpy(writer->data + writer->size, bytes, count);
  writer->size += count;
}

static void flush_bytes(png_structp png) { (void)png; }

ccodecs_status ccodecs_png_encode(const uint8_t *pixels, int width, int height, int channels,
                                  uint8_t **png_out, size_t *png_size, char *message) {
  message[0] = 0;
  *png_out = NULL;
  *png_size = 0;
  if (channels != 1 && channels != 3) {
    snprintf(message, CCODECS_MESSAGE_SIZE, "cannot encode %d channels", channels);
    return CCODECS_FAILED;
  }
  // On the heap, so that its contents are well defined after a longjmp.
  png_writer *writer = calloc(1, sizeof(png_writer));
  if (writer == NULL) {
    snprintf(message, CCODECS_MESSAGE_SIZE, "out of memory");
    return CCODECS_FAILED;
  }
  writer->message = message;
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, writer, on_write_error, on_warning);
  png_infop info = png == NULL ? NULL : png_create_info_struct(png);
  if (info == NULL) {
    if (png != NULL) png_destroy_write_struct(&png, NULL);
    free(writer);
    snprintf(message, CCODECS_MESSAGE_SIZE, "cannot create a PNG writer");
    return CCODECS_FAILED;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    free(writer->data);
    free(writer);
    return CCODECS_FAILED;
  }
  png_set_write_fn(png, writer, write_bytes, flush_bytes);
  png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
               channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  size_t row_bytes = (size_t)width * (size_t)channels;
  for (int y = 0; y < height; y++) png_write_row(png, pixels + (size_t)y * row_bytes);
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  *png_out = writer->data;
  *png_size = writer->size;
  free(writer);
  return CCODECS_OK;
}
