// Seeded random damage of the video seeds through the CVideo shim, built with AddressSanitizer
// and UndefinedBehaviorSanitizer (Scripts/fuzz/video-shim-asan.sh): the shim's own C code
// instrumented (FFmpeg is not), without the cost of the sanitizer build of the Swift graph.
// Usage: video-shim-asan COPIES FILE...
#include "cvideo.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static uint64_t s = 0x9E3779B97F4A7C15ull;
static unsigned next(void) { s = s * 6364136223846793005ull + 1442695040888963407ull; return (unsigned)(s >> 33); }
int main(int argc, char **argv) {
  int copies = atoi(argv[1]);
  long total = 0, opened = 0, frames = 0;
  for (int f = 2; f < argc; f++) {
    FILE *in = fopen(argv[f], "rb"); fseek(in, 0, SEEK_END); long n = ftell(in); rewind(in);
    uint8_t *seed = malloc(n); fread(seed, 1, n, in); fclose(in);
    uint8_t *copy = malloc(n);
    for (int c = 0; c < copies; c++) {
      memcpy(copy, seed, n);
      int flips = 1 + next() % 16;
      for (int k = 0; k < flips; k++) copy[next() % n] = (uint8_t)next();
      size_t len = (next() % 4 == 0) ? (size_t)(next() % n) + 1 : (size_t)n;
      cvideo_reader *r; cvideo_info info; char msg[256]; double t;
      total++;
      int ch = (c & 1) ? 3 : 1;
      if (cvideo_reader_open_memory(copy, len, ch, 1024, 65536, 1, &r, &info, msg) != CVIDEO_OK) continue;
      opened++;
      uint8_t *buf = malloc((size_t)info.width * info.height * ch);
      for (int i = 0; i < 64 && cvideo_reader_next(r, &t, msg) == CVIDEO_OK; i++) {
        cvideo_reader_frame(r, buf, msg); frames++;
      }
      free(buf);
      cvideo_reader_close(r);
    }
    free(seed); free(copy);
  }
  printf("inputs %ld opened %ld frames %ld\n", total, opened, frames);
}
