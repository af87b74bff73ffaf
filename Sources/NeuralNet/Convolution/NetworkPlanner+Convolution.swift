import Tensor

extension NetworkPlanner {
  /// Images per GEMM chunk of a convolution whose output planes have `outputPlane` pixels:
  /// about `columnTarget` columns (output pixels) per GEMM, big enough for an efficient GEMM,
  /// small enough for the columns to stay in cache.
  static func convolutionChunk(outputPlane: Int, maxBatch: Int, columnTarget: Int) -> Int {
    max(1, min(maxBatch, columnTarget / outputPlane))
  }

  /// The algorithm of a convolution: ``PointwiseConvolution`` for 1×1 stride-1 unpadded
  /// kernels (they read their input in place); in a forward-only network
  /// ``Winograd4Convolution`` where ``prefersWinograd4(_:outputs:)``; else
  /// ``WinogradConvolution`` where ``prefersWinograd(_:)``, else ``Im2colConvolution``, and
  /// where ``prefersDirect(_:outputs:)`` a ``DirectConvolution`` runs the forward pass and that
  /// algorithm the gradients. Without `inputGradient` the algorithm computes no input gradient;
  /// with `forwardOnly` (inference: no backward pass at all) it may compute no gradient.
  static func convolution(
    for g: ConvGeometry, outputs: Int, chunk: Int, inputGradient: Bool = true,
    forwardOnly: Bool = false
  ) -> any ConvolutionAlgorithm {
    if let pointwise = PointwiseConvolution(geometry: g, outputs: outputs, chunk: chunk) {
      return pointwise
    }
    if forwardOnly, prefersWinograd4(g, outputs: outputs),
      let winograd4 = Winograd4Convolution(geometry: g, outputs: outputs, chunk: chunk)
    {
      return winograd4
    }
    let general = generalConvolution(
      for: g, outputs: outputs, chunk: chunk, inputGradient: inputGradient,
      forwardOnly: forwardOnly)
    if prefersDirect(g, outputs: outputs),
      let direct = DirectConvolution(geometry: g, outputs: outputs, gradients: general)
    {
      return direct
    }
    return general
  }

  /// Winograd or im2col, as ``convolution(for:outputs:chunk:inputGradient:forwardOnly:)``
  /// describes.
  private static func generalConvolution(
    for g: ConvGeometry, outputs: Int, chunk: Int, inputGradient: Bool, forwardOnly: Bool
  ) -> any ConvolutionAlgorithm {
    if prefersWinograd(g),
      let winograd = WinogradConvolution(
        geometry: g, outputs: outputs, chunk: chunk, inputGradient: inputGradient && !forwardOnly)
    {
      return winograd
    }
    return Im2colConvolution(
      geometry: g, outputs: outputs, chunk: chunk, inputGradient: inputGradient && !forwardOnly)
  }

  /// Whether a forward-only `g` goes through Winograd F(4×4, 3×3) rather than F(2×2, 3×3):
  /// supported, at least 16 input and output channels and 8×8 outputs.
  ///
  /// Measured with `emocl-bench cnn-conv` (frozen weights, 32 images, one thread; thread-CPU
  /// ms per image, F(2×2) → F(4×4), two runs at a load average of about 6 on 2 cores): on
  /// the VGG net's 44×44 32→32 0.283–0.289 → 0.245–0.250, 22×22 32→64 0.132–0.134 →
  /// 0.110–0.113 and 64→64 0.262 → 0.200–0.206, 11×11 64→128 0.155–0.157 → 0.098–0.102 and
  /// 128→128 0.306–0.311 → 0.199–0.212; 16→16 at 44×44 0.092–0.093 → 0.080–0.081. With 8
  /// channels (0.033–0.034 → 0.033–0.035) the transforms eat the saving. At 5×5 (128→256
  /// 0.168–0.172 → 0.164–0.172, 256→256 0.302–0.303 → 0.310) it is a tie at best: 2×2 tiles
  /// of 4×4 cover 8×8 outputs, 36·4 products per image and channel pair, as many as
  /// F(2×2)'s 16·9, with dearer transforms. Chunks of 2 or 4 times the planner's images did
  /// not help either.
  static func prefersWinograd4(_ g: ConvGeometry, outputs: Int) -> Bool {
    Winograd4Convolution.supports(g) && g.channels >= 16 && outputs >= 16
      && min(g.outputHeight, g.outputWidth) >= 8
  }

  /// Whether `g` goes through Winograd: supported, at least 8 input channels and 4×4 outputs.
  /// (Measured on the VGG net: with one input channel the transforms cost more than the
  /// multiply-adds saved; at 5×5, with 3×3 tiles covering 6×6, Winograd still wins slightly.)
  static func prefersWinograd(_ g: ConvGeometry) -> Bool {
    WinogradConvolution.supports(g) && g.channels >= 8 && min(g.outputHeight, g.outputWidth) >= 4
  }

  /// Whether the forward pass of `g` with `outputs` channels goes through
  /// ``DirectConvolution``: stride 1, at most 16 input channels, rows of at least 8 outputs (a
  /// vector), and at most 16 output channels, or 32 on rows of at least 128. (Measured by `emocl-bench conv-algorithms`: 1.2–2× faster
  /// than Winograd and im2col on MTCNN P-Net's layers, slower with more channels, where GEMMs
  /// run well, and on narrow rows of 32 channels, where Winograd's fewer multiply-adds win.)
  static func prefersDirect(_ g: ConvGeometry, outputs: Int) -> Bool {
    DirectConvolution.supports(g) && g.channels <= 16 && g.outputWidth >= 8
      && (outputs <= 16 || (outputs <= 32 && g.outputWidth >= 128))
  }
}
