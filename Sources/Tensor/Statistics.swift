// Column statistics of a data matrix `[samples, features]`: the centring and scaling that PCA and
// logistic regression apply to their inputs.

extension Tensor {
  /// The mean of each column of a `[samples, features]` matrix, shape `[features]`.
  package func columnMeans() -> Tensor {
    precondition(rank == 2, "columnMeans needs a rank-2 tensor, got \(shape)")
    return mean(axis: 0)
  }

  /// The variance of each column divided by `samples - ddof`, shape `[features]`.
  package func columnVariances(ddof: Int = 0) -> Tensor {
    precondition(rank == 2, "columnVariances needs a rank-2 tensor, got \(shape)")
    return variance(axis: 0, ddof: ddof)
  }

  /// The matrix with each column's mean subtracted, and those means (`[features]`).
  package func centeredColumns() -> (centered: Tensor, means: Tensor) {
    let means = columnMeans()
    var centered = self
    centered.subtractRowInPlace(means)
    return (centered, means)
  }

  /// The `[features, features]` covariance of the columns of `[samples, features]` (NumPy's
  /// `cov(x, rowvar=False, ddof=ddof)`): `Xcᵀ·Xc / (samples - ddof)` with `Xc` centred, one GEMM.
  public func covariance(ddof: Int = 1) -> Tensor {
    precondition(rank == 2, "covariance needs a rank-2 tensor, got \(shape)")
    let centered = centeredColumns().centered
    var result = centered.matmul(centered, transposeSelf: true)
    result.scaleInPlace(1 / Float(shape[0] - ddof))
    return result
  }
}

/// Per-feature standardisation `(x - mean) / scale` over the last axis, fitted on a training
/// matrix `[samples, features]` and applied unchanged to later data (as scikit-learn's
/// `StandardScaler`).
public struct ColumnStandardizer: Sendable, Equatable {
  /// Mean of each feature, shape `[features]`.
  public let means: Tensor
  /// Standard deviation of each feature, shape `[features]`; a constant feature gets 1, so it
  /// maps to 0 instead of dividing by zero.
  public let scales: Tensor

  /// A standardiser with known statistics (e.g. read from a model file).
  public init(means: Tensor, scales: Tensor) throws(TensorError) {
    guard means.rank == 1 else {
      throw .rankMismatch(operation: "ColumnStandardizer means", expected: 1, shape: means.shape)
    }
    guard scales.shape == means.shape else {
      throw .invalidArgument(
        operation: "ColumnStandardizer",
        reason: "scales \(scales.shape) do not match means \(means.shape)")
    }
    guard means.isFinite, scales.isFinite, scales.storage.allSatisfy({ $0 > 0 }) else {
      throw .invalidArgument(
        operation: "ColumnStandardizer", reason: "means must be finite and scales finite and > 0")
    }
    self.means = means
    self.scales = scales
  }

  /// Fits means and population standard deviations (`ddof` 0, as scikit-learn) to the columns
  /// of `data`, `[samples, features]`, accumulating in Double in two passes (means, then squared
  /// deviations: stable for pixel-sized offsets). A deviation of at most 1e-12 (a constant
  /// feature) gets scale 1.
  public init(fitting data: Tensor) {
    precondition(data.rank == 2, "ColumnStandardizer fits a [samples, features] matrix")
    let (rows, width) = (data.shape[0], data.shape[1])
    var means = [Double](repeating: 0, count: width)
    var sumSquares = [Double](repeating: 0, count: width)
    data.storage.withUnsafeBufferPointer { x in
      for row in 0..<rows {
        let base = row * width
        for column in 0..<width { means[column] += Double(x[base + column]) }
      }
      for column in 0..<width { means[column] /= Double(rows) }
      for row in 0..<rows {
        let base = row * width
        for column in 0..<width {
          let deviation = Double(x[base + column]) - means[column]
          sumSquares[column] += deviation * deviation
        }
      }
    }
    let scales = sumSquares.map { squares -> Float in
      let deviation = (squares / Double(rows)).squareRoot()
      return deviation > 1e-12 ? Float(deviation) : 1
    }
    self.means = Tensor(shape: [width], storage: means.map { Float($0) })
    self.scales = Tensor(shape: [width], storage: scales)
  }

  /// Number of features.
  public var features: Int { means.count }

  /// `(data - means) / scales` for each row of `data` (last axis = features).
  public func transform(_ data: Tensor) -> Tensor {
    var result = data
    transformInPlace(&result)
    return result
  }

  /// Standardises `data` in place: `(x − mean) · (1 / scale)` per feature.
  package func transformInPlace(_ data: inout Tensor) {
    let width = features
    precondition(data.shape.last == width, "data's last axis must hold \(width) features")
    let inverse = scales.storage.map { 1 / $0 }
    let rows = data.count / max(1, width)
    data.storage.withUnsafeMutableBufferPointer { x in
      means.storage.withUnsafeBufferPointer { mean in
        inverse.withUnsafeBufferPointer { inverse in
          for row in 0..<rows {
            let base = row * width
            for column in 0..<width {
              x[base + column] = (x[base + column] - mean[column]) * inverse[column]
            }
          }
        }
      }
    }
  }
}
