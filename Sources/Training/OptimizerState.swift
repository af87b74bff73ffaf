import Foundation
import NeuralNet

/// An optimiser's saved state.
public struct OptimizerState: Sendable, Equatable {
  public var steps: Int
  /// Momentum (SGD) or first moment (AdamW), laid out like the parameters.
  public var first: [Float]
  /// Second moment (AdamW), or empty.
  public var second: [Float]
}
