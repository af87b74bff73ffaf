import Tensor

/// One way of computing a 2-D convolution without bias over a batch stored
/// `[channels, n, height, width]` (a channel's planes of all `n` images back to back): input
/// `x` `[C, n, H, W]`, weights `W` `[outputs, C, kh, kw]` (PyTorch order), output `y`
/// `[outputs, n, OH, OW]`.
///
/// An instance is built for one geometry, output count and chunk size (images per GEMM); it
/// owns whatever must outlive a call (transformed or flipped kernels). The transient working
/// memory of a call (im2col columns, Winograd tiles) is lent by the caller as `scratch`,
/// ``scratchSize`` floats that hold nothing from one call to the next, so the result never
/// depends on the order of calls. (A workspace lends one arena to all its convolutions, which
/// run one at a time, instead of one per layer.)
///
/// ``NetworkPlanner/convolution(for:outputs:chunk:)`` picks the algorithm of a layer;
/// ``ReferenceConvolution`` is the naive definition the others are tested against.
public protocol ConvolutionAlgorithm: AnyObject {
  /// The input planes, kernel, stride and padding.
  var geometry: ConvGeometry { get }
  /// Output channels.
  var outputs: Int { get }
  /// Floats of `scratch` every call of this instance needs, for batches of any size.
  var scratchSize: Int { get }

  /// `y = W ⊛ x` for `batch` images. `threads` > 1 lets the call split itself between that
  /// many threads (single images, with OpenBLAS single-threaded); `frozenWeights` says `weight`
  /// has not changed since the last call with `frozenWeights`, so transforms of it may be
  /// reused.
  func forward(
    _ x: UnsafePointer<Float>, batch: Int, weight: UnsafePointer<Float>,
    into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, threads: Int,
    frozenWeights: Bool)

  /// `dW += ∂loss/∂W` (`[outputs, C, kh, kw]`) given the input `x` and the output gradient
  /// `dy` (`[outputs, n, OH, OW]`).
  func accumulateWeightGradient(
    input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, batch: Int,
    into dW: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>)

  /// `dx = ∂loss/∂x` (`[C, n, H, W]`, overwritten) given the output gradient `dy`.
  func inputGradient(
    outputGradient dy: UnsafePointer<Float>, batch: Int, weight: UnsafePointer<Float>,
    into dx: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>)
}

extension ConvolutionAlgorithm {
  /// `y = W ⊛ x` on the calling thread, recomputing any weight transform.
  public func forward(
    _ x: UnsafePointer<Float>, batch: Int, weight: UnsafePointer<Float>,
    into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    forward(
      x, batch: batch, weight: weight, into: y, scratch: scratch, threads: 1,
      frozenWeights: false)
  }

  /// Part `t` of `parts` near-equal parts of `0..<total` (the rows or channels one thread of a
  /// split convolution takes).
  static func slice(_ t: Int, of parts: Int, total: Int) -> Range<Int> {
    (total * t / parts)..<(total * (t + 1) / parts)
  }
}
