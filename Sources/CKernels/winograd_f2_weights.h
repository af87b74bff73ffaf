#ifndef EMOCL_WINOGRAD_F2_WEIGHTS_H
#define EMOCL_WINOGRAD_F2_WEIGHTS_H
// Winograd F(2×2, 3×3)'s transformed kernel, shared by the planar (planar_conv.c) and the
// pixel-major (nhwc_conv.c) packings: with G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], U = G g Gᵀ of one
// 3×3 kernel `g` (row-major) as 16 doubles, row-major; each packing rounds them to float once.
static inline void emocl_winograd_f2_kernel(const float *g, double u[16]) {
  double t[4][3];
  for (int c = 0; c < 3; c++) {
    double g0 = g[c], g1 = g[3 + c], g2 = g[6 + c];
    t[0][c] = g0;
    t[1][c] = 0.5 * (g0 + g1 + g2);
    t[2][c] = 0.5 * (g0 - g1 + g2);
    t[3][c] = g2;
  }
  for (int r = 0; r < 4; r++) {
    u[r * 4 + 0] = t[r][0];
    u[r * 4 + 1] = 0.5 * (t[r][0] + t[r][1] + t[r][2]);
    u[r * 4 + 2] = 0.5 * (t[r][0] - t[r][1] + t[r][2]);
    u[r * 4 + 3] = t[r][2];
  }
}
#endif
