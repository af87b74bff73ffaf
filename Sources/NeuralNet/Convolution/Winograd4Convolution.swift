import Tensor

/// A forward-only 3×3 stride-1 convolution by Winograd F(4×4, 3×3) (see ``Winograd4``): per
/// chunk of images the transformed input `V` `[36][C][tiles]`, 36 GEMMs `M_ξ[Cout, tiles] =
/// U_ξ[Cout, C] · V_ξ[C, tiles]`, and the output transform: 4× fewer multiply-adds than
/// im2col, against ``WinogradConvolution``'s 2.25×.
///
/// Inference only: it has no gradients. The planner builds it only for forward-only
/// workspaces (``NetworkPlanner/convolution(for:outputs:chunk:inputGradient:forwardOnly:)``),
/// whose ``Workspace/backward(outputGradient:inputGradient:)`` refuses to run, so its
/// gradient methods are never reached; they stop the program if they are. Training keeps
/// F(2×2, 3×3), whose weight gradient is computed in its own transformed domain.
///
/// The transformed kernels `U` `[36][Cout][C]` are kept here and reused across calls while
/// the caller says the weights are frozen. A call split between threads (a single image) runs
/// im2col instead: the transforms are not split.
public final class Winograd4Convolution: ConvolutionAlgorithm {
  public let geometry: ConvGeometry
  public let outputs: Int
  /// Images per chunk.
  public let chunk: Int
  public let scratchSize: Int
  /// `U` of the kernels of the last call.
  private let kernels: WinogradKernels<Winograd4>
  /// Runs the calls split between threads.
  private let split: Im2colConvolution

  /// Whether `g` is a convolution this type computes: 3×3, stride 1, padding at most 2.
  public static func supports(_ g: ConvGeometry) -> Bool { Winograd4.supports(g) }

  /// `nil` unless ``supports(_:)``; `chunk` images per chunk.
  public init?(geometry: ConvGeometry, outputs: Int, chunk: Int) {
    guard Self.supports(geometry), outputs > 0 else { return nil }
    self.geometry = geometry
    self.outputs = outputs
    self.chunk = max(1, chunk)
    kernels = WinogradKernels(outputs: outputs, channels: geometry.channels)
    split = Im2colConvolution(
      geometry: geometry, outputs: outputs, chunk: chunk, inputGradient: false)
    scratchSize = max(
      Winograd4.tileScratch(geometry, outputs: outputs, images: self.chunk), split.scratchSize)
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
    Winograd4.forward(
      x, batch: n, geometry: geometry,
      transformedWeights: kernels.transformed(weight, frozenWeights: frozenWeights),
      outputs: outputs, chunk: chunk, into: y, scratch: scratch)
  }

  /// Not available: this convolution is built for forward-only workspaces only.
  public func accumulateWeightGradient(
    input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, batch: Int,
    into dW: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    preconditionFailure(
      "Winograd4Convolution is forward-only (inference): it has no weight gradient")
  }

  /// Not available: this convolution is built for forward-only workspaces only.
  public func inputGradient(
    outputGradient dy: UnsafePointer<Float>, batch: Int, weight: UnsafePointer<Float>,
    into dx: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    preconditionFailure(
      "Winograd4Convolution is forward-only (inference): it has no input gradient")
  }
}
