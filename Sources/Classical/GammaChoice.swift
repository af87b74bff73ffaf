import Foundation
import Tensor

/// How the kernel width γ is chosen when fitting.
public enum GammaChoice: Sendable, Equatable, Codable {
  /// `1 / (features · Var(X))`, the variance taken over all entries (scikit-learn "scale").
  case scale
  /// `1 / features` (scikit-learn "auto").
  case auto
  /// A fixed value.
  case value(Double)

  /// The γ for the training matrix `features` `[samples, features]`.
  public func resolve(for features: Tensor) -> Double {
    let d = Double(features.shape[1])
    switch self {
    case .auto:
      return 1 / d
    case .value(let gamma):
      return gamma
    case .scale:
      var sum = 0.0
      var squares = 0.0
      for v in features.storage {
        sum += Double(v)
        squares += Double(v) * Double(v)
      }
      let count = Double(features.count)
      let variance = squares / count - (sum / count) * (sum / count)
      return variance > 0 ? 1 / (d * variance) : 1
    }
  }
}
