// Custom I/O over a file or memory, FFmpeg's log silenced, error texts.

#include "source.h"

#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
#include <pthread.h>
#include <string.h>

#include "cvideo.h"

enum { BUFFER_SIZE = 32768 };

static int read_packet(void *opaque, uint8_t *buffer, int size) {
  cvideo_source *source = opaque;
  if (source->file) {
    size_t count = fread(buffer, 1, (size_t)size, source->file);
    if (count == 0) return ferror(source->file) ? AVERROR(EIO) : AVERROR_EOF;
    return (int)count;
  }
  if (source->position >= source->size) return AVERROR_EOF;
  size_t left = source->size - source->position;
  size_t count = left < (size_t)size ? left : (size_t)size;
  memcpy(buffer, source->data + source->position, count);
  source->position += count;
  return (int)count;
}

static int64_t seek(void *opaque, int64_t offset, int whence) {
  cvideo_source *source = opaque;
  int64_t size = -1;
  if (source->file) {
    long here = ftell(source->file);
    if (fseek(source->file, 0, SEEK_END) == 0) size = ftell(source->file);
    fseek(source->file, here, SEEK_SET);
  } else {
    size = (int64_t)source->size;
  }
  whence &= ~AVSEEK_FORCE;
  if (whence == AVSEEK_SIZE) return size;
  int64_t target;
  switch (whence) {
    case SEEK_SET: target = offset; break;
    case SEEK_CUR:
      target = (source->file ? ftell(source->file) : (int64_t)source->position) + offset;
      break;
    case SEEK_END:
      if (size < 0) return AVERROR(EINVAL);
      target = size + offset;
      break;
    default: return AVERROR(EINVAL);
  }
  // Seeking past the end is refused (a truncated file reads as such, not as zeros).
  if (target < 0 || (size >= 0 && target > size)) return AVERROR(EINVAL);
  if (source->file) {
    if (fseek(source->file, (long)target, SEEK_SET) != 0) return AVERROR(EIO);
  } else {
    source->position = (size_t)target;
  }
  return target;
}

AVIOContext *cvideo_source_context(cvideo_source *source) {
  unsigned char *buffer = av_malloc(BUFFER_SIZE);
  if (!buffer) return NULL;
  AVIOContext *context =
      avio_alloc_context(buffer, BUFFER_SIZE, 0, source, read_packet, NULL, seek);
  if (!context) av_free(buffer);
  return context;
}

void cvideo_source_context_free(AVIOContext **context) {
  if (!*context) return;
  av_freep(&(*context)->buffer);
  avio_context_free(context);
}

static void drop(void *context, int level, const char *format, va_list arguments) {
  (void)context;
  (void)level;
  (void)format;
  (void)arguments;
}

static void install(void) {
  av_log_set_level(AV_LOG_QUIET);
  av_log_set_callback(drop);
}

void cvideo_silence_log(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, install);
}

void cvideo_describe(char *message, const char *what, int error) {
  char reason[128];
  if (av_strerror(error, reason, sizeof reason) < 0) snprintf(reason, sizeof reason, "error %d", error);
  snprintf(message, CVIDEO_MESSAGE_SIZE, "%s: %s", what, reason);
}
