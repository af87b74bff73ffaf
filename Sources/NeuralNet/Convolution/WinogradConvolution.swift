import Tensor

/// A 3×3 stride-1 convolution by Winograd F(2×2, 3×3) (see ``Winograd``): per chunk of images
/// the transformed input `V` `[16][C][tiles]`, 16 GEMMs `M_ξ[Cout, tiles] = U_ξ[Cout, C] ·
/// V_ξ[C, tiles]`, and the output transform: 2.25× fewer multiply-adds than im2col's
/// `[Cout, 9C] · [9C, pixels]`, and transforms that touch less memory than its nine copies of
/// the input.
///
/// The transformed kernels `U` `[16][Cout][C]` are kept here, and reused across calls while
/// the caller says the weights are frozen. The weight gradient is computed in the transformed
/// domain too (`dU_ξ = dM_ξ · V_ξᵀ`, folded back to 3×3 once); the input gradient goes through
/// ``FlippedKernelGradient``. A call split between threads (a single image) runs im2col
/// instead: the transforms are not split.
public final class WinogradConvolution: ConvolutionAlgorithm {
  public let geometry: ConvGeometry
  public let outputs: Int
  /// Images per chunk.
  public let chunk: Int
  public let scratchSize: Int
  /// `U` of the kernels of the last call.
  private let kernels: WinogradKernels<Winograd>
  /// Runs the calls split between threads.
  private let split: Im2colConvolution
  private let flipped: FlippedKernelGradient?

  /// Whether `g` is a convolution this type computes: 3×3, stride 1, padding at most 2.
  public static func supports(_ g: ConvGeometry) -> Bool { Winograd.supports(g) }

  /// `nil` unless ``supports(_:)``; `chunk` images per chunk.
  public convenience init?(geometry: ConvGeometry, outputs: Int, chunk: Int) {
    self.init(geometry: geometry, outputs: outputs, chunk: chunk, inputGradient: true)
  }

  /// Without `inputGradient`, ``inputGradient(outputGradient:batch:weight:into:scratch:)`` must
  /// not be called (the flipped-kernel convolution of another layer's input gradient).
  init?(geometry: ConvGeometry, outputs: Int, chunk: Int, inputGradient: Bool) {
    guard Self.supports(geometry), outputs > 0 else { return nil }
    self.geometry = geometry
    self.outputs = outputs
    self.chunk = max(1, chunk)
    kernels = WinogradKernels(outputs: outputs, channels: geometry.channels)
    split = Im2colConvolution(
      geometry: geometry, outputs: outputs, chunk: chunk, inputGradient: false)
    flipped =
      inputGradient
      ? FlippedKernelGradient(geometry: geometry, outputs: outputs, chunk: chunk) : nil
    scratchSize = max(
      Winograd.tileScratch(geometry, outputs: outputs, images: self.chunk)
        + 16 * outputs * geometry.channels,
      split.scratchSize, flipped?.scratchSize ?? 0)
  }

  public func forward(
    _ x: UnsafePointer<Float>, batch n: Int, weight: UnsafePointer<Float>,
    into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, threads: Int,
    frozenWeights: Bool
  ) {
    if threads > 1 {
      split.forward(
        x, batch: n, weight: weight, into: y, scratch: scratch, threads: threads,
        frozenWeights: frozenWeights)
      return
    }
    Winograd.forward(
      x, batch: n, geometry: geometry,
      transformedWeights: kernels.transformed(weight, frozenWeights: frozenWeights),
      outputs: outputs, chunk: chunk, into: y, scratch: scratch)
  }

  /// Per chunk the transformed input `V` and output gradient `dM`, then `dU_ξ[Cout, C] (+)=
  /// dM_ξ[Cout, tiles] · V_ξ[C, tiles]ᵀ` (inner dimension the chunk's tiles) into `dU`
  /// `[16][Cout][C]` (in the scratch after the tiles), folded back to 3×3 once.
  public func accumulateWeightGradient(
    input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, batch n: Int,
    into dW: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    let g = geometry
    let c = g.channels
    let inPlane = g.height * g.width
    let outPlane = g.outputHeight * g.outputWidth
    let du = scratch + Winograd.tileScratch(g, outputs: outputs, images: chunk)
    var first = 0
    while first < n {
      let images = min(chunk, n - first)
      let stride = Winograd.rowStride(g, images: images)
      let tiles = images * Winograd.tilesPerImage(g)
      let v = scratch
      let dm = v + 16 * c * stride
      let plane = dm + 16 * outputs * stride
      Winograd.transformInput(
        x + first * inPlane, geometry: g, images: images, channelStride: n * inPlane,
        imageStride: inPlane, channels: 0..<c, into: v, rowStride: stride, plane: plane)
      Winograd.transformOutputGradient(
        dy + first * outPlane, geometry: g, outputs: 0..<outputs, totalOutputs: outputs,
        images: images, channelStride: n * outPlane, imageStride: outPlane, into: dm,
        rowStride: stride, plane: plane)
      for xi in 0..<16 {
        sgemm(
          .none, .transposed, m: outputs, n: c, k: tiles, a: dm + xi * outputs * stride,
          lda: stride, b: v + xi * c * stride, ldb: stride, beta: first == 0 ? 0 : 1,
          c: du + xi * outputs * c, ldc: c)
      }
      first += images
    }
    Winograd.accumulateWeightGradient(du, outputs: outputs, channels: c, into: dW)
  }

  public func inputGradient(
    outputGradient dy: UnsafePointer<Float>, batch n: Int, weight: UnsafePointer<Float>,
    into dx: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    guard let flipped else {
      preconditionFailure("a forward-only convolution has no input gradient")
    }
    flipped.inputGradient(
      outputGradient: dy, batch: n, weight: weight, into: dx, scratch: scratch)
  }
}
