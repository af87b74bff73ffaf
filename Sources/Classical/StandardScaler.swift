import Tensor

/// Per-feature standardisation `(x - mean) / scale`, as scikit-learn's `StandardScaler`:
/// `scale` is the population standard deviation (ddof 0), replaced by 1 for constant features.
public struct StandardScaler: Sendable, Equatable {
  /// Mean of each feature over the fitting samples, `[features]`.
  public var mean: [Float]
  /// Standard deviation of each feature (1 where it is zero), `[features]`.
  public var scale: [Float]

  /// A scaler with given statistics; `mean` and `scale` must have equal, non-zero length.
  public init(mean: [Float], scale: [Float]) throws {
    guard !mean.isEmpty, mean.count == scale.count else {
      throw ClassicalError.invalidParameters(
        "scaler mean (\(mean.count)) and scale (\(scale.count)) must have equal non-zero length")
    }
    guard scale.allSatisfy({ $0 > 0 && $0.isFinite }), mean.allSatisfy(\.isFinite) else {
      throw ClassicalError.invalidParameters("scaler statistics must be finite with positive scale")
    }
    self.mean = mean
    self.scale = scale
  }

  /// Fits the statistics of `features` `[samples, features]`, accumulating in Double.
  public static func fit(_ features: Tensor) throws -> StandardScaler {
    try validateFeatures(features)
    let (rows, width) = (features.shape[0], features.shape[1])
    var sum = [Double](repeating: 0, count: width)
    var sumSquares = [Double](repeating: 0, count: width)
    features.storage.withUnsafeBufferPointer { x in
      // First pass: means. Second pass: squared deviations (stable for pixel-sized offsets).
      for row in 0..<rows {
        let base = row * width
        for column in 0..<width { sum[column] += Double(x[base + column]) }
      }
      let means = sum.map { $0 / Double(rows) }
      for row in 0..<rows {
        let base = row * width
        for column in 0..<width {
          let deviation = Double(x[base + column]) - means[column]
          sumSquares[column] += deviation * deviation
        }
      }
      sum = means
    }
    let scale = sumSquares.map { squares -> Float in
      let deviation = (squares / Double(rows)).squareRoot()
      return deviation > 1e-12 ? Float(deviation) : 1
    }
    return try StandardScaler(mean: sum.map { Float($0) }, scale: scale)
  }

  /// `features` `[samples, features]` standardised with the fitted statistics.
  public func transform(_ features: Tensor) throws -> Tensor {
    try validateFeatures(features, expectedWidth: mean.count)
    var result = features
    let width = mean.count
    let inverse = scale.map { 1 / $0 }
    result.storage.withUnsafeMutableBufferPointer { x in
      mean.withUnsafeBufferPointer { mean in
        inverse.withUnsafeBufferPointer { inverse in
          for row in 0..<features.shape[0] {
            let base = row * width
            for column in 0..<width {
              x[base + column] = (x[base + column] - mean[column]) * inverse[column]
            }
          }
        }
      }
    }
    return result
  }
}
