#ifndef EMOCL_CCODECS_H
#define EMOCL_CCODECS_H
// Small C wrappers around libturbojpeg, libpng and libwebp. Each returns a status code and writes
// a message into `message` (at least CCODECS_MESSAGE_SIZE bytes) instead of calling longjmp or
// exit across Swift frames: every setjmp/longjmp stays inside these C files.

#include <stddef.h>
#include <stdint.h>

#define CCODECS_MESSAGE_SIZE 256

/// Outcome of a shim call.
typedef enum {
  CCODECS_OK = 0,
  /// The data is damaged or not what the header says (message holds the codec's reason).
  CCODECS_CORRUPT = 1,
  /// The data is valid but uses a feature the codec cannot decode here.
  CCODECS_UNSUPPORTED = 2,
  /// Out of memory or a codec that failed to initialise.
  CCODECS_FAILED = 3,
} ccodecs_status;

// MARK: JPEG (libturbojpeg)

/// JPEG colour spaces as stored in the file (values of TurboJPEG's TJCS).
typedef enum {
  CCODECS_JPEG_RGB = 0,
  CCODECS_JPEG_YCBCR = 1,
  CCODECS_JPEG_GRAY = 2,
  CCODECS_JPEG_CMYK = 3,
  CCODECS_JPEG_YCCK = 4,
} ccodecs_jpeg_colorspace;

/// Pixel layouts a JPEG can be decoded to.
typedef enum {
  CCODECS_JPEG_OUT_GRAY = 1,
  CCODECS_JPEG_OUT_RGB = 3,
  CCODECS_JPEG_OUT_CMYK = 4,
} ccodecs_jpeg_output;

/// Reads the JPEG headers (up to the first scan) without decoding pixels.
ccodecs_status ccodecs_jpeg_header(const uint8_t *data, size_t size, int *width, int *height,
                                   int *colorspace, char *message);

/// Decodes the JPEG into `out` (`width * height * output` bytes; width and height from
/// ccodecs_jpeg_header). When `strict` is non-zero a libjpeg warning (for instance a truncated
/// file, which libjpeg would otherwise pad with grey) is an error.
ccodecs_status ccodecs_jpeg_decode(const uint8_t *data, size_t size, uint8_t *out, int width,
                                   int height, ccodecs_jpeg_output output, int strict,
                                   char *message);

// MARK: PNG (libpng)

/// Reads the PNG header chunks: size, the colour type and bit depth stored in the file, and the
/// number of 8-bit channels ccodecs_png_decode writes (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA).
ccodecs_status ccodecs_png_header(const uint8_t *data, size_t size, int *width, int *height,
                                  int *color_type, int *bit_depth, int *channels,
                                  char *message);

/// Decodes the PNG into `out` (`width * height * channels` bytes as reported by
/// ccodecs_png_header): 16-bit samples keep their high byte, palettes and low bit depths are
/// expanded, transparency (tRNS) becomes an alpha channel, interlacing is undone.
ccodecs_status ccodecs_png_decode(const uint8_t *data, size_t size, uint8_t *out, int width,
                                  int height, int channels, char *message);

/// Encodes 8-bit grey (channels 1) or RGB (channels 3) pixels as a PNG. On success `*png`
/// holds `*png_size` bytes that the caller releases with ccodecs_free.
ccodecs_status ccodecs_png_encode(const uint8_t *pixels, int width, int height, int channels,
                                  uint8_t **png, size_t *png_size, char *message);

// MARK: WebP (libwebp)

/// Reads the WebP header: size and whether it has alpha or animation.
ccodecs_status ccodecs_webp_header(const uint8_t *data, size_t size, int *width, int *height,
                                   int *has_alpha, int *has_animation, char *message);

/// Decodes a still WebP into `out` as RGB (channels 3) or RGBA (channels 4).
ccodecs_status ccodecs_webp_decode(const uint8_t *data, size_t size, uint8_t *out, int width,
                                   int height, int channels, char *message);

/// Releases memory returned by the shims.
void ccodecs_free(void *pointer);

#endif
