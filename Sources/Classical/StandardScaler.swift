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

  /// Fits the statistics of `features` `[samples, features]` (Tensor's `ColumnStandardizer`,
  /// accumulating in Double).
  public static func fit(_ features: Tensor) throws -> StandardScaler {
    try validateFeatures(features)
    let fitted = ColumnStandardizer(fitting: features)
    return try StandardScaler(mean: fitted.means.storage, scale: fitted.scales.storage)
  }

  /// `features` `[samples, features]` standardised with the fitted statistics.
  public func transform(_ features: Tensor) throws -> Tensor {
    try validateFeatures(features, expectedWidth: mean.count)
    do {
      let standardizer = try ColumnStandardizer(
        means: Tensor(shape: [mean.count], storage: mean),
        scales: Tensor(shape: [scale.count], storage: scale))
      return standardizer.transform(features)
    } catch {
      throw ClassicalError.invalidParameters("scaler statistics: \(error)")
    }
  }
}
