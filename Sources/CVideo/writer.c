// Encoding RGB frames into a video file (libavcodec + libavformat): H.264 through libx264 when
// this FFmpeg has it, MPEG-4 part 2 otherwise.

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvideo.h"
#include "padded_rows.h"
#include "source.h"

struct cvideo_writer {
  AVFormatContext *format;
  AVCodecContext *encoder;
  AVStream *stream;
  AVFrame *frame;
  AVPacket *packet;
  struct SwsContext *scaler;
  // The caller's frame copied into rows libswscale may read past: reading the caller's buffer
  // directly faults when it ends at a page boundary.
  cvideo_padded_rows staging;
  int width, height;  // of the RGB input; the encoded size is rounded down to even numbers
  int64_t last_pts;
  int64_t frame_duration;  // in the encoder's time base (ms), for the last frame's length
  int header_written;
};

static void release(cvideo_writer *w) {
  if (!w) return;
  sws_freeContext(w->scaler);
  cvideo_padded_rows_free(&w->staging);
  av_frame_free(&w->frame);
  av_packet_free(&w->packet);
  avcodec_free_context(&w->encoder);
  if (w->format) {
    if (w->format->pb) avio_closep(&w->format->pb);
    avformat_free_context(w->format);
  }
  free(w);
}

/// Sends `frame` (NULL to flush) and writes every packet the encoder gives back.
static cvideo_status drain(cvideo_writer *w, AVFrame *frame, char *message) {
  int error = avcodec_send_frame(w->encoder, frame);
  if (error < 0) {
    cvideo_describe(message, "encoding failed", error);
    return CVIDEO_FAILED;
  }
  for (;;) {
    error = avcodec_receive_packet(w->encoder, w->packet);
    if (error == AVERROR(EAGAIN) || error == AVERROR_EOF) return CVIDEO_OK;
    if (error < 0) {
      cvideo_describe(message, "encoding failed", error);
      return CVIDEO_FAILED;
    }
    // Without a duration the muxer gives the last frame none, and readers drop it.
    if (w->packet->duration <= 0) w->packet->duration = w->frame_duration;
    av_packet_rescale_ts(w->packet, w->encoder->time_base, w->stream->time_base);
    w->packet->stream_index = w->stream->index;
    error = av_interleaved_write_frame(w->format, w->packet);
    if (error < 0) {
      cvideo_describe(message, "writing the video failed", error);
      return CVIDEO_IO;
    }
  }
}

cvideo_status cvideo_writer_open(const char *path, int width, int height, double fps,
                                 cvideo_writer **writer, char *codec, char *message) {
  message[0] = 0;
  codec[0] = 0;
  *writer = NULL;
  cvideo_silence_log();
  int even_width = width & ~1, even_height = height & ~1;
  if (even_width < 2 || even_height < 2 || width > 16384 || height > 16384) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "cannot encode frames of %dx%d", width, height);
    return CVIDEO_UNSUPPORTED;
  }
  if (!(fps > 0 && fps <= 1000)) fps = 25;
  cvideo_writer *w = calloc(1, sizeof *w);
  if (!w) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "out of memory");
    return CVIDEO_FAILED;
  }
  w->width = width;
  w->height = height;
  w->last_pts = -1;
  w->frame_duration = llround(1000 / (fps > 0 && fps <= 1000 ? fps : 25));
  if (w->frame_duration < 1) w->frame_duration = 1;
  cvideo_status status = CVIDEO_FAILED;
  if (avformat_alloc_output_context2(&w->format, NULL, NULL, path) < 0 &&
      avformat_alloc_output_context2(&w->format, NULL, "mp4", NULL) < 0) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "no MP4 muxer in this FFmpeg");
    goto fail;
  }
  const AVCodec *encoder = avcodec_find_encoder_by_name("libx264");
  if (!encoder) encoder = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
  if (!encoder) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "neither libx264 nor MPEG-4 encoder in this FFmpeg");
    status = CVIDEO_UNSUPPORTED;
    goto fail;
  }
  snprintf(codec, 32, "%s", encoder->name);
  w->stream = avformat_new_stream(w->format, NULL);
  w->encoder = avcodec_alloc_context3(encoder);
  w->frame = av_frame_alloc();
  w->packet = av_packet_alloc();
  if (!w->stream || !w->encoder || !w->frame || !w->packet) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "out of memory");
    goto fail;
  }
  AVCodecContext *e = w->encoder;
  e->width = even_width;
  e->height = even_height;
  e->pix_fmt = AV_PIX_FMT_YUV420P;
  // Milliseconds: frames keep the times they were read at (variable frame rates stay right).
  e->time_base = (AVRational){1, 1000};
  e->framerate = av_d2q(fps, 100000);
  e->gop_size = (int)fmin(250, ceil(fps * 2));
  e->thread_count = 0;
  if (encoder->id == AV_CODEC_ID_H264) {
    av_opt_set(e->priv_data, "preset", "veryfast", 0);
    av_opt_set(e->priv_data, "crf", "23", 0);
  } else {
    e->flags |= AV_CODEC_FLAG_QSCALE;
    e->global_quality = FF_QP2LAMBDA * 4;
  }
  if (w->format->oformat->flags & AVFMT_GLOBALHEADER) e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  int error = avcodec_open2(e, encoder, NULL);
  if (error < 0) {
    cvideo_describe(message, "cannot open the encoder", error);
    goto fail;
  }
  error = avcodec_parameters_from_context(w->stream->codecpar, e);
  if (error < 0) {
    cvideo_describe(message, "cannot set the stream parameters", error);
    goto fail;
  }
  w->stream->time_base = e->time_base;
  w->frame->format = e->pix_fmt;
  w->frame->width = e->width;
  w->frame->height = e->height;
  error = av_frame_get_buffer(w->frame, 0);
  if (error < 0) {
    cvideo_describe(message, "out of memory", error);
    goto fail;
  }
  w->scaler = sws_getContext(width, height, AV_PIX_FMT_RGB24, even_width, even_height,
                             AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL, NULL);
  if (!w->scaler) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "cannot convert RGB to YUV");
    goto fail;
  }
  if (cvideo_padded_rows_alloc(&w->staging, (size_t)width * 3, height) != 0) {
    snprintf(message, CVIDEO_MESSAGE_SIZE, "out of memory");
    goto fail;
  }
  // "file:" keeps a path such as "a:b.mp4" from being read as a protocol.
  size_t length = strlen(path) + 6;
  char *url = malloc(length);
  if (!url) goto fail;
  snprintf(url, length, "file:%s", path);
  error = avio_open(&w->format->pb, url, AVIO_FLAG_WRITE);
  free(url);
  if (error < 0) {
    cvideo_describe(message, "cannot create the file", error);
    status = CVIDEO_IO;
    goto fail;
  }
  error = avformat_write_header(w->format, NULL);
  if (error < 0) {
    cvideo_describe(message, "cannot write the header", error);
    status = CVIDEO_IO;
    goto fail;
  }
  w->header_written = 1;
  *writer = w;
  return CVIDEO_OK;
fail:
  release(w);
  return status;
}

cvideo_status cvideo_writer_write(cvideo_writer *w, const uint8_t *rgb, double time,
                                  char *message) {
  message[0] = 0;
  int error = av_frame_make_writable(w->frame);
  if (error < 0) {
    cvideo_describe(message, "out of memory", error);
    return CVIDEO_FAILED;
  }
  cvideo_padded_rows_fill(&w->staging, rgb);
  const uint8_t *planes[4] = {w->staging.data, NULL, NULL, NULL};
  int strides[4] = {w->staging.stride, 0, 0, 0};
  sws_scale(w->scaler, planes, strides, 0, w->height, w->frame->data, w->frame->linesize);
  int64_t pts = isfinite(time) && time > 0 ? llround(time * 1000) : 0;
  if (pts <= w->last_pts) pts = w->last_pts + 1;
  w->last_pts = pts;
  w->frame->pts = pts;
  return drain(w, w->frame, message);
}

cvideo_status cvideo_writer_close(cvideo_writer *w, char *message) {
  message[0] = 0;
  cvideo_status status = drain(w, NULL, message);
  if (w->header_written) {
    int error = av_write_trailer(w->format);
    if (error < 0 && status == CVIDEO_OK) {
      cvideo_describe(message, "cannot finish the file", error);
      status = CVIDEO_IO;
    }
  }
  release(w);
  return status;
}
