#ifndef EMOCL_CVIDEO_SOURCE_H
#define EMOCL_CVIDEO_SOURCE_H
// Where a reader's bytes come from: an open file or a buffer in memory, behind FFmpeg's custom
// I/O (AVIOContext), so that FFmpeg never opens a path itself (no protocols, no URLs, no
// references to other files).

#include <libavformat/avio.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
  FILE *file;           // NULL for memory
  const uint8_t *data;  // memory only
  size_t size;
  size_t position;
} cvideo_source;

/// An AVIOContext reading `source` (which must outlive it), or NULL when out of memory.
AVIOContext *cvideo_source_context(cvideo_source *source);

/// Frees the context and its buffer (not the source).
void cvideo_source_context_free(AVIOContext **context);

/// Installs the log callback that drops FFmpeg's messages (once per process).
void cvideo_silence_log(void);

/// `av_strerror` of `error` into `message`, prefixed by `what`.
void cvideo_describe(char *message, const char *what, int error);

#endif
