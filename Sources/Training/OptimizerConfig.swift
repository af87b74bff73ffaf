import Foundation
import NeuralNet

/// Which update rule and its hyper-parameters (PyTorch semantics for both).
public struct OptimizerConfig: Codable, Sendable, Hashable {
  /// The update rule.
  public enum Kind: String, Codable, Sendable, CaseIterable {
    /// SGD with Nesterov momentum; L2 weight decay added to the gradient (`torch.optim.SGD`
    /// with `nesterov=True`).
    case sgd
    /// Adam with decoupled weight decay (`torch.optim.AdamW`).
    case adamw
  }

  public var kind: Kind
  /// SGD momentum μ.
  public var momentum: Float
  /// Adam β₁, β₂ and ε.
  public var beta1: Float
  public var beta2: Float
  public var epsilon: Float
  /// Weight decay, applied only to parameters marked `decay` (weights of convolutions and
  /// dense layers).
  public var weightDecay: Float

  public init(
    kind: Kind, momentum: Float = 0.9, beta1: Float = 0.9, beta2: Float = 0.999,
    epsilon: Float = 1e-8, weightDecay: Float = 0
  ) {
    self.kind = kind
    self.momentum = momentum
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }
}
