#ifndef EMOCL_CVIDEO_H
#define EMOCL_CVIDEO_H
// Small C wrappers around FFmpeg's libavformat, libavcodec, libswscale and libavutil, so that
// Swift never touches FFmpeg's structs. Every call returns a status code and writes a message
// into `message` (at least CVIDEO_MESSAGE_SIZE bytes); FFmpeg never exits or longjmps, and its
// log is silenced (cvideo installs a log callback that drops every line).

#include <stddef.h>
#include <stdint.h>

#define CVIDEO_MESSAGE_SIZE 256

/// Outcome of a shim call.
typedef enum {
  CVIDEO_OK = 0,
  /// No more frames (cvideo_reader_next only).
  CVIDEO_END = 1,
  /// The file could not be read (missing, unreadable).
  CVIDEO_IO = 2,
  /// The bytes are no container FFmpeg recognises, or hold no video stream.
  CVIDEO_NOT_VIDEO = 3,
  /// The container or the stream is damaged or truncated.
  CVIDEO_CORRUPT = 4,
  /// A codec or container this FFmpeg build cannot decode.
  CVIDEO_UNSUPPORTED = 5,
  /// The frame size exceeds the limits given to cvideo_reader_open.
  CVIDEO_TOO_LARGE = 6,
  /// Out of memory or a library that failed to initialise.
  CVIDEO_FAILED = 7,
} cvideo_status;

/// What cvideo_reader_open learnt about the video stream.
typedef struct {
  /// Frame size after the rotation is applied (the size of every frame cvideo_reader_frame
  /// writes).
  int width;
  int height;
  /// Clockwise rotation from the display matrix, applied to every frame: 0, 90, 180 or 270.
  int rotation;
  /// Average frame rate (frames per second); 0 when the container does not say.
  double fps;
  /// Duration in seconds; 0 when unknown.
  double duration;
  /// FFmpeg's names of the codec and the container (e.g. "h264", "mov,mp4,m4a,3gp,3g2,mj2").
  char codec[32];
  char container[64];
} cvideo_info;

typedef struct cvideo_reader cvideo_reader;

/// Opens the video file at `path` (a plain file path: no protocols, no playlists) and its best
/// video stream. `channels` is 1 (grey) or 3 (RGB) for the frames. Frames wider than
/// `max_side` or `max_side` high, or with more than `max_pixels` pixels, are refused.
/// `threads` is the decoder's thread count (0: FFmpeg chooses). On success `*reader` must be
/// released with cvideo_reader_close.
cvideo_status cvideo_reader_open(const char *path, int channels, int max_side, long max_pixels,
                                 int threads, cvideo_reader **reader, cvideo_info *info,
                                 char *message);

/// As cvideo_reader_open over `size` bytes in memory (which must outlive the reader).
cvideo_status cvideo_reader_open_memory(const uint8_t *data, size_t size, int channels,
                                        int max_side, long max_pixels, int threads,
                                        cvideo_reader **reader, cvideo_info *info,
                                        char *message);

/// Decodes the next frame of the stream (without converting its pixels) and reports its
/// presentation time in seconds from the start of the video. CVIDEO_END after the last.
cvideo_status cvideo_reader_next(cvideo_reader *reader, double *time, char *message);

/// Converts the frame cvideo_reader_next decoded last into `out` (`width * height * channels`
/// bytes of the info's size: rows top to bottom, rotation applied).
cvideo_status cvideo_reader_frame(cvideo_reader *reader, uint8_t *out, char *message);

/// Releases the reader and everything FFmpeg allocated for it.
void cvideo_reader_close(cvideo_reader *reader);

typedef struct cvideo_writer cvideo_writer;

/// Creates a video file at `path` (the container from its extension, MP4 when unknown) for RGB
/// frames of `width` x `height` (even numbers) at `fps` frames per second, encoded with H.264
/// (libx264) when available, MPEG-4 part 2 otherwise. `codec` receives the encoder's name.
cvideo_status cvideo_writer_open(const char *path, int width, int height, double fps,
                                 cvideo_writer **writer, char *codec, char *message);

/// Encodes one RGB frame (`width * height * 3` bytes) shown at `time` seconds.
cvideo_status cvideo_writer_write(cvideo_writer *writer, const uint8_t *rgb, double time,
                                  char *message);

/// Flushes the encoder and finishes the file; releases the writer whatever the outcome.
cvideo_status cvideo_writer_close(cvideo_writer *writer, char *message);

#endif
