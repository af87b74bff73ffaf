/// One top-level layer's accumulated time (see ``Workspace/profiling``), with what it computes.
public struct LayerProfile: Sendable {
  public let layer: LayerSpec
  /// Per-image activation shapes in and out.
  public let input: ActivationShape
  public let output: ActivationShape
  /// Thread-CPU seconds summed over every call since profiling started.
  public let forwardSeconds: Double
  public let backwardSeconds: Double

  /// The layer's kind as a short name (`conv2d`, `batchNorm`, `dense`...).
  public var kind: String { layer.kind }

  /// Multiply-adds ×2 per image of the forward pass as a direct (im2col + GEMM) convolution or
  /// a dense layer computes it; nil for layers that are not GEMMs. A Winograd convolution does
  /// fewer real operations, so GFLOP/s against this count is an effective rate.
  public var forwardFLOPs: Double? {
    switch layer {
    case .conv2d(_, let kernel, _, _, _):
      return 2 * Double(output.size) * Double(input.channels * kernel * kernel)
    case .dense:
      return 2 * Double(output.size) * Double(input.size)
    default:
      return nil
    }
  }

  /// The backward pass does two GEMMs of the forward's size (weight gradient and input
  /// gradient); the first layer skips the input gradient, which nobody reads.
  public func backwardFLOPs(isFirst: Bool) -> Double? {
    forwardFLOPs.map { isFirst ? $0 : 2 * $0 }
  }
}

extension LayerSpec {
  /// The spec's kind as in its JSON form (`conv2d`, `batchNorm`, `relu`...).
  public var kind: String {
    switch self {
    case .conv2d: "conv2d"
    case .batchNorm: "batchNorm"
    case .relu: "relu"
    case .silu: "silu"
    case .maxPool: "maxPool"
    case .maxPoolCeil: "maxPoolCeil"
    case .prelu: "prelu"
    case .avgPool: "avgPool"
    case .globalAvgPool: "globalAvgPool"
    case .dropout: "dropout"
    case .flatten: "flatten"
    case .dense: "dense"
    case .residual: "residual"
    }
  }
}
