// A crop turned with bilinear sampling (emocl_turn.h). The scalar loop is the definition; the
// AVX-512 path computes 16 pixels of a row at a time with the same operations in the same order
// (this file is compiled without contraction into fused multiply-adds) and gathers the four
// neighbours of each, so both give the same floats.
#include "emocl_turn.h"

#include <math.h>

#pragma clang fp contract(off)

static void turn_scalar(const float *input, int big, float *output, int side, float c, float s) {
  int plane = side * side, bigPlane = big * big;
  float middle = (float)side / 2, bigMiddle = (float)big / 2;
  for (int v = 0; v < side; v++) {
    float dv = (float)v + 0.5f - middle;
    for (int u = 0; u < side; u++) {
      float du = (float)u + 0.5f - middle;
      float x = bigMiddle + c * du - s * dv - 0.5f;
      float y = bigMiddle + s * du + c * dv - 0.5f;
      float fx = floorf(x), fy = floorf(y);
      // Outside the input (or not a number): left as it is.
      if (!(fx >= 0 && fy >= 0 && fx + 1 < (float)big && fy + 1 < (float)big)) continue;
      int x0 = (int)fx, y0 = (int)fy;
      float ax = x - (float)x0, ay = y - (float)y0;
      int i = y0 * big + x0;
      for (int ch = 0; ch < 3; ch++) {
        const float *p = input + ch * bigPlane + i;
        float top = p[0] + ax * (p[1] - p[0]);
        float bottom = p[big] + ax * (p[big + 1] - p[big]);
        output[ch * plane + v * side + u] = top + ay * (bottom - top);
      }
    }
  }
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f"))) static void turn_avx512(const float *input, int big,
                                                           float *output, int side, float c,
                                                           float s) {
  int plane = side * side, bigPlane = big * big;
  float middle = (float)side / 2, bigMiddle = (float)big / 2;
  const __m512 lanes =
      _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512 vc = _mm512_set1_ps(c), vs = _mm512_set1_ps(s);
  const __m512 half = _mm512_set1_ps(0.5f), vmiddle = _mm512_set1_ps(middle);
  const __m512 vbigMiddle = _mm512_set1_ps(bigMiddle), zero = _mm512_setzero_ps();
  const __m512 one = _mm512_set1_ps(1), vbig = _mm512_set1_ps((float)big);
  const __m512i vbigi = _mm512_set1_epi32(big);
  for (int v = 0; v < side; v++) {
    float dv = (float)v + 0.5f - middle;
    __m512 sdv = _mm512_set1_ps(s * dv), cdv = _mm512_set1_ps(c * dv);
    for (int u = 0; u < side; u += 16) {
      __mmask16 inRow = side - u >= 16 ? 0xFFFF : (__mmask16)((1u << (side - u)) - 1);
      // du = (u + lane) + ½ − middle: the lane's column as a float, exact, then the same sums.
      __m512 du = _mm512_sub_ps(_mm512_add_ps(_mm512_add_ps(_mm512_set1_ps((float)u), lanes), half),
                                vmiddle);
      __m512 x = _mm512_sub_ps(
          _mm512_sub_ps(_mm512_add_ps(vbigMiddle, _mm512_mul_ps(vc, du)), sdv), half);
      __m512 y = _mm512_sub_ps(
          _mm512_add_ps(_mm512_add_ps(vbigMiddle, _mm512_mul_ps(vs, du)), cdv), half);
      __m512 fx = _mm512_roundscale_ps(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
      __m512 fy = _mm512_roundscale_ps(y, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
      // The scalar loop's test, lane by lane (ordered compares: a NaN fails them).
      __mmask16 ok = inRow & _mm512_cmp_ps_mask(fx, zero, _CMP_GE_OQ) &
                     _mm512_cmp_ps_mask(fy, zero, _CMP_GE_OQ) &
                     _mm512_cmp_ps_mask(_mm512_add_ps(fx, one), vbig, _CMP_LT_OQ) &
                     _mm512_cmp_ps_mask(_mm512_add_ps(fy, one), vbig, _CMP_LT_OQ);
      if (!ok) continue;
      __m512i x0 = _mm512_cvttps_epi32(fx), y0 = _mm512_cvttps_epi32(fy);
      __m512 ax = _mm512_sub_ps(x, _mm512_cvtepi32_ps(x0));
      __m512 ay = _mm512_sub_ps(y, _mm512_cvtepi32_ps(y0));
      __m512i i = _mm512_add_epi32(_mm512_mullo_epi32(y0, vbigi), x0);
      __m512i i1 = _mm512_add_epi32(i, _mm512_set1_epi32(1));
      __m512i ib = _mm512_add_epi32(i, vbigi), ib1 = _mm512_add_epi32(ib, _mm512_set1_epi32(1));
      for (int ch = 0; ch < 3; ch++) {
        const float *p = input + ch * bigPlane;
        __m512 p00 = _mm512_mask_i32gather_ps(zero, ok, i, p, 4);
        __m512 p01 = _mm512_mask_i32gather_ps(zero, ok, i1, p, 4);
        __m512 p10 = _mm512_mask_i32gather_ps(zero, ok, ib, p, 4);
        __m512 p11 = _mm512_mask_i32gather_ps(zero, ok, ib1, p, 4);
        __m512 top = _mm512_add_ps(p00, _mm512_mul_ps(ax, _mm512_sub_ps(p01, p00)));
        __m512 bottom = _mm512_add_ps(p10, _mm512_mul_ps(ax, _mm512_sub_ps(p11, p10)));
        __m512 value = _mm512_add_ps(top, _mm512_mul_ps(ay, _mm512_sub_ps(bottom, top)));
        _mm512_mask_storeu_ps(output + ch * plane + v * side + u, ok, value);
      }
    }
  }
}
#endif

void emocl_turn_crop(int isa, const float *input, int big, float *output, int side, float c,
                     float s) {
#if defined(__x86_64__)
  if (isa == 2) {
    turn_avx512(input, big, output, side, c, s);
    return;
  }
#endif
  turn_scalar(input, big, output, side, c, s);
}
