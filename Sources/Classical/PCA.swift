import Tensor

/// Principal component analysis: centring, then the leading eigenvectors of the covariance.
///
/// `full` forms the covariance `XcᵀXc/(n−1)` with one GEMM and takes its top eigenpairs with
/// LAPACK `ssyevr`. `randomized` is Halko, Martinsson & Tropp's range finder: a Gaussian sketch
/// `Xc·Ω`, power iterations re-orthonormalised by QR, then the SVD of the small `QᵀXc`. Each
/// component's sign makes its largest-magnitude entry positive (scikit-learn's `svd_flip`
/// convention for `components_`).
public struct PCA: Sendable, Equatable {
  /// How the components are computed.
  public enum Solver: String, Sendable, CaseIterable, Codable {
    /// Exact: covariance matrix and symmetric eigendecomposition.
    case full
    /// Approximate: randomised SVD of the centred data.
    case randomized
  }

  /// Fitting options.
  public struct Options: Sendable, Equatable {
    /// Number of components kept.
    public var components: Int = 250
    /// Exact or randomised.
    public var solver: Solver = .full
    /// Randomised only: power iterations (each one pass over `Xcᵀ` and one over `Xc`).
    public var powerIterations: Int = 4
    /// Randomised only: extra sketch columns beyond `components`.
    public var oversampling: Int = 10
    /// Randomised only: seed of the Gaussian sketch.
    public var seed: UInt64 = 0

    /// Default options: 250 components, full solver.
    public init() {}
  }

  /// Mean of each input feature, `[features]`.
  public let mean: [Float]
  /// Principal axes as rows, `[components, features]`, orthonormal.
  public let components: Tensor
  /// Variance of the data along each component (divisor n−1), descending.
  public let explainedVariance: [Float]
  /// `explainedVariance` divided by the total variance of the features.
  public let explainedVarianceRatio: [Float]

  /// Number of input features.
  public var featureCount: Int { mean.count }
  /// Number of components.
  public var componentCount: Int { components.shape[0] }

  /// A PCA from stored parameters.
  public init(
    mean: [Float], components: Tensor, explainedVariance: [Float], explainedVarianceRatio: [Float]
  ) throws {
    guard components.rank == 2, components.shape[1] == mean.count, components.shape[0] >= 1,
      explainedVariance.count == components.shape[0],
      explainedVarianceRatio.count == components.shape[0]
    else {
      throw ClassicalError.invalidParameters(
        "PCA components \(components.shape), mean \(mean.count), variances "
          + "\(explainedVariance.count)/\(explainedVarianceRatio.count) do not match")
    }
    guard components.storage.allSatisfy(\.isFinite), mean.allSatisfy(\.isFinite) else {
      throw ClassicalError.invalidParameters("PCA parameters are not finite")
    }
    self.mean = mean
    self.components = components
    self.explainedVariance = explainedVariance
    self.explainedVarianceRatio = explainedVarianceRatio
  }

  /// Fits the components of `features` `[samples, features]`.
  public static func fit(_ features: Tensor, options: Options = Options()) throws -> PCA {
    try validateFeatures(features)
    let (n, d) = (features.shape[0], features.shape[1])
    let k = options.components
    guard k >= 1, k <= min(n, d) else {
      throw ClassicalError.invalidOption(
        "components must be in 1...\(min(n, d)) (samples and features), got \(k)")
    }
    guard n >= 2 else { throw ClassicalError.invalidOption("PCA needs at least 2 samples") }
    guard options.powerIterations >= 0, options.oversampling >= 0 else {
      throw ClassicalError.invalidOption("power iterations and oversampling must be ≥ 0")
    }

    let scaler = try StandardScaler.fit(features)
    var centered = features
    var totalVariance = 0.0
    centered.storage.withUnsafeMutableBufferPointer { x in
      for i in 0..<n {
        for j in 0..<d {
          x[i * d + j] -= scaler.mean[j]
        }
      }
    }
    for j in 0..<d {
      let s = Double(scaler.scale[j])
      // StandardScaler reports 1 for constant features; their variance is 0.
      totalVariance += s == 1 && isConstant(features, column: j) ? 0 : s * s
    }
    totalVariance *= Double(n) / Double(n - 1)

    var values: [Float]
    var vectors: [Float]
    switch options.solver {
    case .full:
      var covariance = centered.matmul(centered, transposeSelf: true)
      let scale = 1 / Float(n - 1)
      for i in 0..<covariance.count { covariance.storage[i] *= scale }
      let eigen = try lapack { () throws(TensorError) in try covariance.symmetricEigen(top: k) }
      values = eigen.values.storage.map { max($0, 0) }
      vectors = eigen.vectors.transposed().storage  // columns [d, k] → rows [k, d]
    case .randomized:
      (values, vectors) = try randomizedComponents(
        centered, count: k, oversampling: options.oversampling,
        powerIterations: options.powerIterations, seed: options.seed)
    }
    flipSigns(&vectors, rows: k, columns: d)
    let ratio = values.map { totalVariance > 0 ? Float(Double($0) / totalVariance) : 0 }
    return try PCA(
      mean: scaler.mean, components: Tensor(shape: [k, d], storage: vectors),
      explainedVariance: values, explainedVarianceRatio: ratio)
  }

  /// Projects `features` `[samples, features]` onto the components: `[samples, components]`.
  public func transform(_ features: Tensor) throws -> Tensor {
    try validateFeatures(features, expectedWidth: featureCount)
    var centered = features
    let d = featureCount
    centered.storage.withUnsafeMutableBufferPointer { x in
      for i in 0..<features.shape[0] {
        for j in 0..<d { x[i * d + j] -= mean[j] }
      }
    }
    return centered.matmul(components, transposeOther: true)
  }
}

private func isConstant(_ features: Tensor, column: Int) -> Bool {
  let d = features.shape[1]
  let first = features.storage[column]
  for i in 1..<features.shape[0] where features.storage[i * d + column] != first { return false }
  return true
}

/// Makes the largest-magnitude entry of each row positive.
private func flipSigns(_ rows: inout [Float], rows count: Int, columns: Int) {
  for r in 0..<count {
    var largest: Float = 0
    for c in 0..<columns where abs(rows[r * columns + c]) > abs(largest) {
      largest = rows[r * columns + c]
    }
    if largest < 0 {
      for c in 0..<columns { rows[r * columns + c] = -rows[r * columns + c] }
    }
  }
}

/// Halko et al.'s randomised SVD of the centred `[n, d]` data: the top `count` variances
/// (σ²/(n−1)) and right singular vectors as rows `[count, d]`.
private func randomizedComponents(
  _ centered: Tensor, count: Int, oversampling: Int, powerIterations: Int, seed: UInt64
) throws -> (values: [Float], vectors: [Float]) {
  let (n, d) = (centered.shape[0], centered.shape[1])
  let l = min(count + oversampling, min(n, d))
  var random = ClassicalRandom(seed: seed)
  let sketch = Tensor(shape: [d, l], storage: (0..<(d * l)).map { _ in random.gaussian() })
  // Range of Xc: Q [n, l] orthonormal, refined by (Xc Xcᵀ)^q power iterations.
  var q = centered.matmul(sketch)
  try lapack { () throws(TensorError) in
    try orthonormalizeColumns(&q.storage, rows: n, columns: l)
  }
  for _ in 0..<powerIterations {
    var z = centered.matmul(q, transposeSelf: true)  // [d, l]
    try lapack { () throws(TensorError) in
      try orthonormalizeColumns(&z.storage, rows: d, columns: l)
    }
    q = centered.matmul(z)  // [n, l]
    try lapack { () throws(TensorError) in
      try orthonormalizeColumns(&q.storage, rows: n, columns: l)
    }
  }
  let small = q.matmul(centered, transposeSelf: true)  // B = Qᵀ Xc, [l, d]
  let svd = try lapack { () throws(TensorError) in try small.svd() }
  let values = svd.singularValues.storage[0..<count].map { $0 * $0 / Float(n - 1) }
  return (values, Array(svd.vt.storage[0..<(count * d)]))
}
