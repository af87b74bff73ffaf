import Tensor

/// Where one named tensor lives in a ``ParameterStore``.
public struct ParameterInfo: Codable, Sendable, Hashable {
  /// PyTorch-style state-dict key, e.g. `"0.weight"` or `"12.body.3.running_var"`.
  public var name: String
  /// Tensor shape, e.g. `[32, 1, 3, 3]` for a convolution weight.
  public var shape: [Int]
  /// Index of the first element in the flat store.
  public var offset: Int
  /// Whether weight decay applies (weights of convolutions and dense layers; not biases or
  /// batch-norm parameters).
  public var decay: Bool

  /// Number of elements.
  public var count: Int { shape.reduce(1, *) }
}
