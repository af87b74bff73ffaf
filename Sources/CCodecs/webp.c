// WebP through libwebp's advanced decoding API, writing straight into the caller's buffer.
// libwebp never longjmps or exits; it returns a status code.

#include "ccodecs.h"

#include <stdio.h>
#include <webp/decode.h>

static ccodecs_status report(VP8StatusCode status, char *message) {
  switch (status) {
    case VP8_STATUS_OK: return CCODECS_OK;
    case VP8_STATUS_OUT_OF_MEMORY:
      snprintf(message, CCODECS_MESSAGE_SIZE, "out of memory");
      return CCODECS_FAILED;
    case VP8_STATUS_UNSUPPORTED_FEATURE:
      snprintf(message, CCODECS_MESSAGE_SIZE, "unsupported feature");
      return CCODECS_UNSUPPORTED;
    case VP8_STATUS_NOT_ENOUGH_DATA:
    case VP8_STATUS_SUSPENDED:
      snprintf(message, CCODECS_MESSAGE_SIZE, "not enough data (truncated file?)");
      return CCODECS_CORRUPT;
    case VP8_STATUS_BITSTREAM_ERROR:
      snprintf(message, CCODECS_MESSAGE_SIZE, "bitstream error");
      return CCODECS_CORRUPT;
    default:
      snprintf(message, CCODECS_MESSAGE_SIZE, "decoding failed (status %d)", (int)status);
      return CCODECS_CORRUPT;
  }
}

ccodecs_status ccodecs_webp_header(const uint8_t *data, size_t size, int *width, int *height,
                                   int *has_alpha, int *has_animation, char *message) {
  message[0] = 0;
  WebPBitstreamFeatures features;
  ccodecs_status status = report(WebPGetFeatures(data, size, &features), message);
  if (status != CCODECS_OK) return status;
  *width = features.width;
  *height = features.height;
  *has_alpha = features.has_alpha;
  *has_animation = features.has_animation;
  return CCODECS_OK;
}

ccodecs_status ccodecs_webp_decode(const uint8_t *data, size_t size, uint8_t *out, int width,
                                   int height, int channels, char *message) {
  message[0] = 0;
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) {
    snprintf(message, CCODECS_MESSAGE_SIZE, "libwebp version mismatch");
    return CCODECS_FAILED;
  }
  ccodecs_status status = report(WebPGetFeatures(data, size, &config.input), message);
  if (status != CCODECS_OK) return status;
  if (config.input.width != width || config.input.height != height) {
    snprintf(message, CCODECS_MESSAGE_SIZE, "size differs from the header read before");
    return CCODECS_CORRUPT;
  }
  if (config.input.has_animation) {
    snprintf(message, CCODECS_MESSAGE_SIZE, "animated WebP");
    return CCODECS_UNSUPPORTED;
  }
  config.output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = out;
  config.output.u.RGBA.stride = width * channels;
  config.output.u.RGBA.size = (size_t)width * (size_t)height * (size_t)channels;
  status = report(WebPDecode(data, size, &config), message);
  WebPFreeDecBuffer(&config.output);  // frees nothing of ours; required by the API
  return status;
}
