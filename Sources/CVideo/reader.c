// Demuxing (libavformat), decoding (libavcodec) and pixel conversion (libswscale) of one video
// stream, one frame at a time: memory stays flat however long the video is.

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avstring.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvideo.h"
#include "padded_rows.h"
#include "source.h"

// Containers read: MP4/MOV, Matroska/WebM, AVI, MPEG-TS and IVF (VP8/VP9/AV1 elementary).
static const char *const containers = "mov,mp4,matroska,webm,avi,mpegts,ivf";
// Packets the decoder may reject in a row before the stream counts as corrupt.
enum { MAX_BAD_PACKETS = 64 };
// Packets of other streams read in a row without one of the video stream: a bound on work for
// a file whose video stream stops early but whose other streams go on.
enum { MAX_OTHER_PACKETS = 1 << 20 };

struct cvideo_reader {
  cvideo_source source;
  AVIOContext *io;
  AVFormatContext *format;
  AVCodecContext *decoder;
  AVPacket *packet;
  AVFrame *frame;
  struct SwsContext *scaler;
  // The converted, unrotated frame, which libswscale writes instead of the caller's buffer.
  cvideo_padded_rows scratch;
  int stream;
  int channels, rotation, coded_width, coded_height, max_side;
  long max_pixels;
  double start, time_base, fps, last_time, stream_duration;
  // The container's end (start plus duration, seconds; 0 when it gives none), and the latest
  // end of any packet read so far, of any stream.
  double format_end, packet_end;
  long frames;
  // The frame count the container's header declares (AVI, MP4), 0 when it declares none.
  long declared_frames;
  int draining, damaged, have_frame;
};

static int fits(const cvideo_reader *r, int width, int height) {
  return width > 0 && height > 0 && width <= r->max_side && height <= r->max_side &&
         (long)width * (long)height <= r->max_pixels;
}

/// Clockwise rotation in degrees (0, 90, 180, 270) from the stream's display matrix.
static int rotation_of(AVStream *stream) {
  const int32_t *matrix = NULL;
#if LIBAVFORMAT_VERSION_MAJOR >= 61
  const AVPacketSideData *side =
      av_packet_side_data_get(stream->codecpar->coded_side_data,
                              stream->codecpar->nb_coded_side_data, AV_PKT_DATA_DISPLAYMATRIX);
  if (side && side->size >= 9 * sizeof(int32_t)) matrix = (const int32_t *)side->data;
#else
  size_t size = 0;
  const uint8_t *data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (data && size >= 9 * sizeof(int32_t)) matrix = (const int32_t *)data;
#endif
  if (!matrix) return 0;
  // av_display_rotation_get gives the counter-clockwise angle the frame is rotated by to show.
  double angle = -av_display_rotation_get(matrix);
  if (isnan(angle)) return 0;
  long quarter = lround(angle / 90.0);
  int degrees = (int)(((quarter % 4) + 4) % 4) * 90;
  return degrees;
}

static void release(cvideo_reader *r) {
  if (!r) return;
  sws_freeContext(r->scaler);
  av_frame_free(&r->frame);
  av_packet_free(&r->packet);
  avcodec_free_context(&r->decoder);
  avformat_close_input(&r->format);
  cvideo_source_context_free(&r->io);
  if (r->source.file) fclose(r->source.file);
  cvideo_padded_rows_free(&r->scratch);
  free(r);
}

static cvideo_status open_reader(cvideo_reader *r, int channels, int max_side, long max_pixels,
                                 int threads, cvideo_info *info, char *message) {
  cvideo_silence_log();
  memset(info, 0, sizeof *info);
  r->channels = channels == 1 ? 1 : 3;
  r->max_side = max_side;
  r->max_pixels = max_pixels;
  r->io = cvideo_source_context(&r->source);
  r->format = avformat_alloc_context();
  r->packet = av_packet_alloc();
  r->frame = av_frame_alloc();
  if (!r->io || !r->format || !r->packet || !r->frame) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "out of memory");
    return CVIDEO_FAILED;
  }
  const AVInputFormat *input = NULL;
  int error = av_probe_input_buffer2(r->io, &input, "", NULL, 0, 0);
  if (error < 0 || !input) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "not a video container FFmpeg recognises");
    return CVIDEO_NOT_VIDEO;
  }
  if (av_match_list(input->name, containers, ',') <= 0) {
    snprintf(message, CVIDEO_MESSAGE_SIZE,
             "not a video container read here (FFmpeg reads it as '%s'); supported: MP4, MOV, "
             "MKV, WebM, AVI, MPEG-TS",
             input->name);
    return CVIDEO_NOT_VIDEO;
  }
  r->format->pb = r->io;
  r->format->flags |= AVFMT_FLAG_CUSTOM_IO;
  error = avformat_open_input(&r->format, "", input, NULL);
  if (error < 0) {
    // avformat_open_input has freed the context.
    cvideo_describe(message, "cannot read the container", error);
    return CVIDEO_CORRUPT;
  }
  error = avformat_find_stream_info(r->format, NULL);
  if (error < 0) {
    cvideo_describe(message, "cannot read the streams", error);
    return CVIDEO_CORRUPT;
  }
  const AVCodec *codec = NULL;
  r->stream = av_find_best_stream(r->format, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (r->stream == AVERROR_DECODER_NOT_FOUND) {
    int index = av_find_best_stream(r->format, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    const char *name =
        index >= 0 ? avcodec_get_name(r->format->streams[index]->codecpar->codec_id) : "?";
    snprintf(message, CVIDEO_MESSAGE_SIZE, "no decoder for the video codec '%s' in this FFmpeg",
             name);
    return CVIDEO_UNSUPPORTED;
  }
  if (r->stream < 0 ||
      (r->format->streams[r->stream]->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "the file holds no video stream");
    return CVIDEO_NOT_VIDEO;
  }
  AVStream *stream = r->format->streams[r->stream];
  int width = stream->codecpar->width, height = stream->codecpar->height;
  if (width <= 0 || height <= 0) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "the video stream has no frame size");
    return CVIDEO_CORRUPT;
  }
  if (!fits(r, width, height)) {
    snprintf(message, CVIDEO_MESSAGE_SIZE,
             "frames of %dx%d exceed the limit (%d pixels a side, %ld pixels)", width, height,
             max_side, max_pixels);
    return CVIDEO_TOO_LARGE;
  }
  r->decoder = avcodec_alloc_context3(codec);
  if (!r->decoder) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "out of memory");
    return CVIDEO_FAILED;
  }
  error = avcodec_parameters_to_context(r->decoder, stream->codecpar);
  if (error < 0) {
    cvideo_describe(message, "bad codec parameters", error);
    return CVIDEO_CORRUPT;
  }
  r->decoder->thread_count = threads < 0 ? 1 : threads;
  r->decoder->pkt_timebase = stream->time_base;
  error = avcodec_open2(r->decoder, codec, NULL);
  if (error < 0) {
    cvideo_describe(message, "cannot open the decoder", error);
    return CVIDEO_UNSUPPORTED;
  }
  r->coded_width = width;
  r->coded_height = height;
  r->rotation = rotation_of(stream);
  r->time_base = av_q2d(stream->time_base);
  r->start = stream->start_time != AV_NOPTS_VALUE ? (double)stream->start_time * r->time_base : 0;
  AVRational rate = stream->avg_frame_rate.num > 0 && stream->avg_frame_rate.den > 0
                        ? stream->avg_frame_rate
                        : stream->r_frame_rate;
  r->fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
  if (!isfinite(r->fps) || r->fps > 10000) r->fps = 0;
  r->stream_duration =
      stream->duration != AV_NOPTS_VALUE && stream->duration > 0 ? stream->duration * r->time_base : 0;
  double duration = r->stream_duration;
  if (r->format->duration != AV_NOPTS_VALUE && r->format->duration > 0) {
    double format_start = r->format->start_time != AV_NOPTS_VALUE
                              ? (double)r->format->start_time / AV_TIME_BASE
                              : 0;
    r->format_end = format_start + (double)r->format->duration / AV_TIME_BASE;
    if (!isfinite(r->format_end)) r->format_end = 0;
    if (duration <= 0) duration = (double)r->format->duration / AV_TIME_BASE;
  }
  r->packet_end = -INFINITY;
  r->declared_frames = stream->nb_frames > 0 ? (long)stream->nb_frames : 0;
  // `fits` bounds width and height, so the stride and size cannot overflow.
  if (cvideo_padded_rows_alloc(&r->scratch, (size_t)width * (size_t)r->channels, height) != 0) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "out of memory");
    return CVIDEO_FAILED;
  }
  int swaps = r->rotation == 90 || r->rotation == 270;
  info->width = swaps ? height : width;
  info->height = swaps ? width : height;
  info->rotation = r->rotation;
  info->fps = r->fps;
  info->duration = isfinite(duration) ? duration : 0;
  snprintf(info->codec, sizeof info->codec, "%s", avcodec_get_name(stream->codecpar->codec_id));
  snprintf(info->container, sizeof info->container, "%s", input->name);
  r->last_time = -1;
  return CVIDEO_OK;
}

static cvideo_status finish_open(cvideo_reader *r, cvideo_status status, cvideo_reader **reader) {
  if (status != CVIDEO_OK) {
    release(r);
    *reader = NULL;
    return status;
  }
  *reader = r;
  return CVIDEO_OK;
}

cvideo_status cvideo_reader_open(const char *path, int channels, int max_side, long max_pixels,
                                 int threads, cvideo_reader **reader, cvideo_info *info,
                                 char *message) {
  message[0] = 0;
  *reader = NULL;
  cvideo_reader *r = calloc(1, sizeof *r);
  if (!r) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "out of memory");
    return CVIDEO_FAILED;
  }
  r->source.file = fopen(path, "rb");
  if (!r->source.file) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "%s", strerror(errno));
    free(r);
    return CVIDEO_IO;
  }
  cvideo_status status = open_reader(r, channels, max_side, max_pixels, threads, info, message);
  return finish_open(r, status, reader);
}

cvideo_status cvideo_reader_open_memory(const uint8_t *data, size_t size, int channels,
                                        int max_side, long max_pixels, int threads,
                                        cvideo_reader **reader, cvideo_info *info,
                                        char *message) {
  message[0] = 0;
  *reader = NULL;
  cvideo_reader *r = calloc(1, sizeof *r);
  if (!r) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "out of memory");
    return CVIDEO_FAILED;
  }
  r->source.data = data;
  r->source.size = size;
  cvideo_status status = open_reader(r, channels, max_side, max_pixels, threads, info, message);
  return finish_open(r, status, reader);
}

/// Whether a stream that stopped here ended early: it gave fewer than nine tenths of the frames
/// its header declares, less two (an AVI cut short reports the duration of what is left, but its
/// header still counts every frame); its last frame is more than a second and two frames before
/// the end its own duration gives; or, when it gives none (Matroska and WebM do not), every
/// stream's packets stopped that long before the container's end (a file cut short: a video
/// stream that ends while its audio goes on is not).
static int ended_early(const cvideo_reader *r) {
  if (r->declared_frames > 0 && r->frames + 2 < r->declared_frames * 9 / 10) return 1;
  double frame = r->fps > 0 ? 1.0 / r->fps : 0.1;
  if (r->stream_duration > 0) {
    double end = r->start + r->stream_duration;
    return r->last_time + r->start + 2 * frame + 1.0 < end;
  }
  if (r->format_end <= 0 || !isfinite(r->packet_end)) return 0;
  return r->packet_end + 2 * frame + 1.0 < r->format_end;
}

/// Notes where `packet` ends, in seconds of its stream's clock.
static void note_packet_end(cvideo_reader *r, const AVPacket *packet) {
  int64_t at = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
  if (at == AV_NOPTS_VALUE || packet->stream_index < 0 ||
      packet->stream_index >= (int)r->format->nb_streams)
    return;
  double base = av_q2d(r->format->streams[packet->stream_index]->time_base);
  double end = (double)(at + (packet->duration > 0 ? packet->duration : 0)) * base;
  if (isfinite(end) && end > r->packet_end) r->packet_end = end;
}

cvideo_status cvideo_reader_next(cvideo_reader *r, double *time, char *message) {
  message[0] = 0;
  r->have_frame = 0;
  int bad = 0, other = 0;
  for (;;) {
    int error = avcodec_receive_frame(r->decoder, r->frame);
    if (error == 0) {
      if (!fits(r, r->frame->width, r->frame->height)) {
        snprintf(message, CVIDEO_MESSAGE_SIZE,
                 "a frame of %dx%d exceeds the limit (%d pixels a side, %ld pixels)",
                 r->frame->width, r->frame->height, r->max_side, r->max_pixels);
        return CVIDEO_TOO_LARGE;
      }
      int64_t pts = r->frame->best_effort_timestamp;
      double t;
      if (pts != AV_NOPTS_VALUE) {
        t = (double)pts * r->time_base - r->start;
      } else {
        t = r->last_time + (r->fps > 0 ? 1.0 / r->fps : 1.0 / 25);
      }
      if (!isfinite(t) || t < 0) t = r->last_time < 0 ? 0 : r->last_time;
      r->last_time = t;
      r->frames += 1;
      r->have_frame = 1;
      *time = t;
      return CVIDEO_OK;
    }
    if (error == AVERROR_EOF) {
      if (r->damaged || ended_early(r)) {
        snprintf(message, CVIDEO_MESSAGE_SIZE,
                 "the video is truncated or damaged: it stops after %ld frames (%.2f s)",
                 r->frames, r->last_time < 0 ? 0 : r->last_time);
        return CVIDEO_CORRUPT;
      }
      if (r->frames == 0) {
        snprintf(message, CVIDEO_MESSAGE_SIZE, "the video stream holds no decodable frame");
        return CVIDEO_CORRUPT;
      }
      return CVIDEO_END;
    }
    if (error != AVERROR(EAGAIN)) {
      cvideo_describe(message, "decoding failed", error);
      return CVIDEO_CORRUPT;
    }
    if (r->draining) {
      // A decoder that wants input after the flush packet: nothing more will come.
      return CVIDEO_END;
    }
    error = av_read_frame(r->format, r->packet);
    if (error < 0) {
      if (error != AVERROR_EOF) r->damaged = 1;
      r->draining = 1;
      avcodec_send_packet(r->decoder, NULL);
      continue;
    }
    note_packet_end(r, r->packet);
    if (r->packet->stream_index != r->stream) {
      av_packet_unref(r->packet);
      if (++other > MAX_OTHER_PACKETS) {
        r->draining = 1;
        avcodec_send_packet(r->decoder, NULL);
      }
      continue;
    }
    error = avcodec_send_packet(r->decoder, r->packet);
    av_packet_unref(r->packet);
    if (error < 0 && error != AVERROR(EAGAIN)) {
      r->damaged = 1;
      if (++bad > MAX_BAD_PACKETS) {
        cvideo_describe(message, "the video stream is damaged", error);
        return CVIDEO_CORRUPT;
      }
    }
  }
}

static void rotate(const uint8_t *in, int stride, uint8_t *out, int width, int height,
                   int channels, int rotation) {
  // `in` is width x height with rows `stride` bytes apart; `out` is packed, height x width for
  // 90/270, width x height for 180.
  for (int y = 0; y < height; y++) {
    const uint8_t *row = in + (size_t)y * stride;
    for (int x = 0; x < width; x++) {
      size_t target;
      switch (rotation) {
        case 90: target = (size_t)x * height + (size_t)(height - 1 - y); break;
        case 180: target = (size_t)(height - 1 - y) * width + (size_t)(width - 1 - x); break;
        default: target = (size_t)(width - 1 - x) * height + (size_t)y; break;
      }
      memcpy(out + target * channels, row + (size_t)x * channels, (size_t)channels);
    }
  }
}

cvideo_status cvideo_reader_frame(cvideo_reader *r, uint8_t *out, char *message) {
  message[0] = 0;
  if (!r->have_frame) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "no decoded frame to convert");
    return CVIDEO_FAILED;
  }
  AVFrame *f = r->frame;
  enum AVPixelFormat target = r->channels == 1 ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_RGB24;
  r->scaler = sws_getCachedContext(r->scaler, f->width, f->height, (enum AVPixelFormat)f->format,
                                   r->coded_width, r->coded_height, target, SWS_BILINEAR, NULL,
                                   NULL, NULL);
  if (!r->scaler) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "cannot convert frames of pixel format '%s'",
             av_get_pix_fmt_name((enum AVPixelFormat)f->format) ? av_get_pix_fmt_name((enum AVPixelFormat)f->format) : "?");
    return CVIDEO_UNSUPPORTED;
  }
  uint8_t *planes[4] = {r->scratch.data, NULL, NULL, NULL};
  int strides[4] = {r->scratch.stride, 0, 0, 0};
  int rows = sws_scale(r->scaler, (const uint8_t *const *)f->data, f->linesize, 0, f->height,
                       planes, strides);
  if (rows != r->coded_height) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "pixel conversion failed");
    return CVIDEO_FAILED;
  }
  if (r->rotation) {
    rotate(r->scratch.data, r->scratch.stride, out, r->coded_width, r->coded_height, r->channels,
           r->rotation);
  } else {
    cvideo_padded_rows_copy_out(&r->scratch, out);
  }
  return CVIDEO_OK;
}

void cvideo_reader_close(cvideo_reader *reader) { release(reader); }
