#ifndef EMOCL_CCODECS_H
#define EMOCL_CCODECS_H
// Small C wrappers around libturbojpeg, libpng and libwebp. Each returns an error code and a
// message instead of calling longjmp/exit across Swift frames.
#endif
