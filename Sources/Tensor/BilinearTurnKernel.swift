import CKernels

/// A square crop turned about its centre with bilinear sampling (CKernels' `emocl_turn_crop`,
/// whose header gives the formula): output pixel `(u, v)` of a `side × side` crop samples a
/// `big × big` one at its centre plus the pixel's offset from the crop's centre turned by the
/// angle whose cosine and sine are given. MTCNN's turned second looks use it.
public enum BilinearTurnKernel {
  /// `output` (`[3][side][side]`) from `input` (`[3][big][big]`); a pixel whose 2×2
  /// neighbourhood leaves the input is left as it is. `instructions` `.avx512` gathers 16 pixels
  /// at a time; anything else (nil included) runs the scalar loop. The same floats either way:
  /// both evaluate every sum in the same order without fused multiply-adds.
  public static func turn(
    _ input: UnsafePointer<Float>, big: Int, into output: UnsafeMutablePointer<Float>, side: Int,
    cos: Float, sin: Float, instructions: PlanarInstructions?
  ) {
    precondition(big >= 2 && side >= 1)
    precondition(instructions.map { PlanarInstructions.supported.contains($0) } ?? true)
    emocl_turn_crop(
      instructions?.rawValue ?? 0, input, Int32(big), output, Int32(side), cos, sin)
  }
}
