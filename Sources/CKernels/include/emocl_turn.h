#ifndef EMOCL_TURN_H
#define EMOCL_TURN_H
// A square crop turned about its centre with bilinear sampling (MTCNN's turned second looks,
// Pipeline's TurnedCrops): output pixel (u, v) of `output` (`[3][side][side]`) samples `input`
// (`[3][big][big]`) at
//   x = bigMiddle + c·du − s·dv − ½,   y = bigMiddle + s·du + c·dv − ½,
// with du = u + ½ − side/2, dv = v + ½ − side/2 and bigMiddle = big/2, each sum evaluated left to
// right and rounded on its own (no fused multiply-adds): with x0 = ⌊x⌋, y0 = ⌊y⌋, ax = x − x0,
// ay = y − y0, top = p[0] + ax·(p[1] − p[0]), bottom = p[big] + ax·(p[big + 1] − p[big]) and the
// value top + ay·(bottom − top), where p is the input at (x0, y0). A pixel whose 2×2 neighbourhood
// is not inside the input is left as it is. The same floats on every path: `isa` 2 gathers 16
// pixels at a time with AVX-512, anything else runs the scalar loop.
void emocl_turn_crop(int isa, const float *input, int big, float *output, int side, float c,
                     float s);
#endif
