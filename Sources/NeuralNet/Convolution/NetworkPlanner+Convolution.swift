import Tensor

extension NetworkPlanner {
  /// Images per GEMM chunk of a convolution whose output planes have `outputPlane` pixels:
  /// about `columnTarget` columns (output pixels) per GEMM, big enough for an efficient GEMM,
  /// small enough for the columns to stay in cache.
  static func convolutionChunk(outputPlane: Int, maxBatch: Int, columnTarget: Int) -> Int {
    max(1, min(maxBatch, columnTarget / outputPlane))
  }

  /// The algorithm of a convolution: ``PointwiseConvolution`` for 1×1 stride-1 unpadded
  /// kernels (they read their input in place), ``WinogradConvolution`` where
  /// ``prefersWinograd(_:)``, else ``Im2colConvolution``; where ``prefersDirect(_:outputs:)``,
  /// a ``DirectConvolution`` runs the forward pass and that algorithm the gradients. Without
  /// `inputGradient` the algorithm only runs forward.
  static func convolution(
    for g: ConvGeometry, outputs: Int, chunk: Int, inputGradient: Bool = true
  ) -> any ConvolutionAlgorithm {
    if let pointwise = PointwiseConvolution(geometry: g, outputs: outputs, chunk: chunk) {
      return pointwise
    }
    let general = generalConvolution(
      for: g, outputs: outputs, chunk: chunk, inputGradient: inputGradient)
    if prefersDirect(g, outputs: outputs),
      let direct = DirectConvolution(geometry: g, outputs: outputs, gradients: general)
    {
      return direct
    }
    return general
  }

  /// Winograd or im2col, as ``convolution(for:outputs:chunk:inputGradient:)`` describes.
  private static func generalConvolution(
    for g: ConvGeometry, outputs: Int, chunk: Int, inputGradient: Bool
  ) -> any ConvolutionAlgorithm {
    if prefersWinograd(g),
      let winograd = WinogradConvolution(
        geometry: g, outputs: outputs, chunk: chunk, inputGradient: inputGradient)
    {
      return winograd
    }
    return Im2colConvolution(
      geometry: g, outputs: outputs, chunk: chunk, inputGradient: inputGradient)
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
