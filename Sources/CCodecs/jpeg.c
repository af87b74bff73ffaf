// JPEG through the TurboJPEG API. TurboJPEG keeps libjpeg's setjmp/longjmp inside itself and
// returns -1 with a message, so no jump crosses into Swift. One decompressor per thread is kept
// (created on first use, destroyed when the thread exits) because creating one per image costs
// more than decoding a 48x48 image.

#include "ccodecs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

static pthread_key_t handle_key;
static pthread_once_t handle_key_once = PTHREAD_ONCE_INIT;

static void destroy_handle(void *handle) {
  if (handle != NULL) tjDestroy((tjhandle)handle);
}

static void make_handle_key(void) { pthread_key_create(&handle_key, destroy_handle); }

static tjhandle thread_handle(char *message) {
  pthread_once(&handle_key_once, make_handle_key);
  tjhandle handle = (tjhandle)pthread_getspecific(handle_key);
  if (handle == NULL) {
    handle = tjInitDecompress();
    if (handle == NULL) {
      snprintf(message, CCODECS_MESSAGE_SIZE, "cannot create a JPEG decompressor: %s",
               tjGetErrorStr2(NULL));
      return NULL;
    }
    pthread_setspecific(handle_key, handle);
  }
  return handle;
}

// Copies the handle's error message, then discards the handle: after an error in
// tjDecompressHeader3, TurboJPEG 2.1 leaves libjpeg mid-header, and reusing that state makes the
// next, valid image fail. Errors are rare, so a fresh decompressor is cheap insurance.
static void fail(tjhandle handle, char *message) {
  snprintf(message, CCODECS_MESSAGE_SIZE, "%s", tjGetErrorStr2(handle));
  pthread_setspecific(handle_key, NULL);
  tjDestroy(handle);
}

ccodecs_status ccodecs_jpeg_header(const uint8_t *data, size_t size, int *width, int *height,
                                   int *colorspace, char *message) {
  message[0] = 0;
  tjhandle handle = thread_handle(message);
  if (handle == NULL) return CCODECS_FAILED;
  int subsampling = 0;
  if (tjDecompressHeader3(handle, data, (unsigned long)size, width, height, &subsampling,
                          colorspace) != 0) {
    fail(handle, message);
    return CCODECS_CORRUPT;
  }
  // A stream that ends before its frame header reads as a "tables-only" stream: no size.
  if (*width <= 0 || *height <= 0) {
    snprintf(message, CCODECS_MESSAGE_SIZE,
             "no frame header before the end of the data (truncated file?)");
    pthread_setspecific(handle_key, NULL);
    tjDestroy(handle);
    return CCODECS_CORRUPT;
  }
  return CCODECS_OK;
}

ccodecs_status ccodecs_jpeg_decode(const uint8_t *data, size_t size, uint8_t *out, int width,
                                   int height, ccodecs_jpeg_output output, int strict,
                                   char *message) {
  message[0] = 0;
  tjhandle handle = thread_handle(message);
  if (handle == NULL) return CCODECS_FAILED;
  int format;
  switch (output) {
    case CCODECS_JPEG_OUT_GRAY: format = TJPF_GRAY; break;
    case CCODECS_JPEG_OUT_RGB: format = TJPF_RGB; break;
    case CCODECS_JPEG_OUT_CMYK: format = TJPF_CMYK; break;
    default:
      snprintf(message, CCODECS_MESSAGE_SIZE, "unknown JPEG output layout %d", (int)output);
      return CCODECS_FAILED;
  }
  // Accurate DCT and fancy upsampling are TurboJPEG's defaults (as in Pillow and OpenCV).
  // LIMITSCANS refuses progressive files with absurd scan counts, which would take minutes.
  int flags = TJFLAG_ACCURATEDCT | TJFLAG_LIMITSCANS;
  if (strict) flags |= TJFLAG_STOPONWARNING;
  if (tjDecompress2(handle, data, (unsigned long)size, out, width, width * (int)output, height,
                    format, flags) != 0) {
    // Without STOPONWARNING a warning still returns -1 after a complete decode.
    if (!strict && tjGetErrorCode(handle) == TJERR_WARNING) return CCODECS_OK;
    fail(handle, message);
    return strstr(message, "Unsupported") != NULL ? CCODECS_UNSUPPORTED : CCODECS_CORRUPT;
  }
  return CCODECS_OK;
}
