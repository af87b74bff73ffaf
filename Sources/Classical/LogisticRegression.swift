import Foundation
import Tensor

/// L2-penalised logistic regression fitted with L-BFGS, one-vs-rest or multinomial (softmax).
///
/// Minimises `C·Σᵢ sᵢ·ℓᵢ + ½‖W‖²` (intercepts unpenalised) as scikit-learn's
/// `LogisticRegression(solver="lbfgs")`; sample weights `sᵢ` are 1 or "balanced" class weights.
/// The loss and gradient are two GEMMs over the `[samples, features]` matrix per evaluation.
public struct LogisticRegression: Sendable, Equatable {
  /// How the K-class problem is decomposed.
  public enum Multiclass: String, Sendable, CaseIterable, Codable {
    /// K independent binary problems "class k against the rest"; probabilities are the K
    /// sigmoids normalised to sum to 1 (as scikit-learn's `OneVsRestClassifier`).
    case oneVsRest = "ovr"
    /// One softmax cross-entropy problem over all K classes.
    case multinomial
  }

  /// How samples are weighted in the loss.
  public enum ClassWeight: String, Sendable, CaseIterable, Codable {
    /// Every sample weighs 1.
    case none
    /// Class c weighs `n / (classes · n_c)` (for a one-vs-rest problem, classes = 2).
    case balanced
  }

  /// How one-vs-rest problems are scheduled; all give the same model up to rounding.
  public enum OneVsRestSchedule: String, Sendable, CaseIterable, Codable {
    /// All problems in lockstep, each evaluation round one K-column GEMM pair over the data
    /// with `threads`-threaded BLAS (the data is read once per round, not K times).
    case batched
    /// `threads` problems at a time, each with single-threaded BLAS.
    case concurrent
    /// One problem at a time with `threads`-threaded BLAS.
    case sequential
  }

  /// Fitting options.
  public struct Options: Sendable, Equatable {
    /// Inverse regularisation strength (scikit-learn's `C`), > 0.
    public var C: Double = 1
    /// Maximum L-BFGS iterations per problem.
    public var maxIterations: Int = 100
    /// Stop when the largest gradient component of the scaled objective is at most this.
    public var tolerance: Double = 1e-4
    /// One-vs-rest or multinomial.
    public var multiclass: Multiclass = .oneVsRest
    /// Sample weighting.
    public var classWeight: ClassWeight = .none
    /// Threads: `threads.workers` one-vs-rest problems at a time under the `concurrent`
    /// schedule; the other schedules run one problem at a time on the process's OpenBLAS
    /// threads. ``threadPolicy(cores:)`` gives the policy that fits the schedule; the executable
    /// applies it to the process.
    public var threads: ThreadPolicy = .blas(2)
    /// One-vs-rest only: how the K binary problems share the machine.
    public var schedule: OneVsRestSchedule = .batched
    /// L-BFGS memory (correction pairs).
    public var memory: Int = 10

    /// Default options (C = 1, 100 iterations, tol 1e-4, one-vs-rest, unweighted).
    public init() {}

    /// The thread policy of these options on `cores` cores: concurrent one-vs-rest problems
    /// each with single-threaded BLAS, or one problem (or the batched lockstep) at a time with
    /// `cores` BLAS threads.
    public func threadPolicy(cores: Int) -> ThreadPolicy {
      multiclass == .oneVsRest && schedule == .concurrent ? .workers(cores) : .blas(cores)
    }
  }

  /// What happened while fitting each sub-problem (one per class for one-vs-rest, one for
  /// multinomial).
  public struct FitReport: Sendable {
    /// L-BFGS iterations per problem.
    public var iterations: [Int]
    /// Function/gradient evaluations per problem.
    public var evaluations: [Int]
    /// Whether each problem met the tolerance before the iteration limit.
    public var converged: [Bool]
    /// Final objective value (scaled as described on the type) per problem.
    public var objective: [Double]
  }

  /// The decomposition the model was fitted with.
  public let multiclass: Multiclass
  /// Weights `[classes, features]`.
  public let coefficients: Tensor
  /// Intercepts `[classes]`.
  public let intercepts: [Float]

  /// Number of classes.
  public var classCount: Int { coefficients.shape[0] }
  /// Number of input features.
  public var featureCount: Int { coefficients.shape[1] }

  /// A model from stored parameters: `coefficients` `[classes, features]`, `intercepts` `[classes]`.
  public init(multiclass: Multiclass, coefficients: Tensor, intercepts: [Float]) throws {
    guard coefficients.rank == 2, coefficients.shape[0] >= 2, coefficients.shape[1] >= 1,
      intercepts.count == coefficients.shape[0]
    else {
      throw ClassicalError.invalidParameters(
        "coefficients \(coefficients.shape) and \(intercepts.count) intercepts do not match")
    }
    guard coefficients.storage.allSatisfy(\.isFinite), intercepts.allSatisfy(\.isFinite) else {
      throw ClassicalError.invalidParameters("logistic regression parameters are not finite")
    }
    self.multiclass = multiclass
    self.coefficients = coefficients
    self.intercepts = intercepts
  }

  /// Fits `features` `[samples, features]` (already standardised if wanted) to `labels` in
  /// `0..<classCount`.
  public static func fit(
    features: Tensor, labels: [Int], classCount: Int, options: Options = Options()
  ) throws -> (model: LogisticRegression, report: FitReport) {
    let counts = try validateFit(
      features: features, labels: labels, classCount: classCount, options: options)
    let d = features.shape[1]
    var lbfgs = LBFGSOptions()
    lbfgs.maxIterations = options.maxIterations
    lbfgs.gradientTolerance = options.tolerance
    lbfgs.memory = options.memory

    var coefficients = [Float](repeating: 0, count: classCount * d)
    var intercepts = [Float](repeating: 0, count: classCount)
    let results: [LBFGSResult]
    switch options.multiclass {
    case .multinomial:
      let result = fitMultinomial(
        features: features, labels: labels, counts: counts, options: options, lbfgs: lbfgs)
      for j in 0..<(classCount * d) { coefficients[j] = Float(result.x[j]) }
      for c in 0..<classCount { intercepts[c] = Float(result.x[classCount * d + c]) }
      results = [result]
    case .oneVsRest:
      results = try fitOneVsRest(
        features: features, labels: labels, counts: counts, options: options, lbfgs: lbfgs)
      for (c, result) in results.enumerated() {
        for j in 0..<d { coefficients[c * d + j] = Float(result.x[j]) }
        intercepts[c] = Float(result.x[d])
      }
    }
    let report = FitReport(
      iterations: results.map(\.iterations), evaluations: results.map(\.evaluations),
      converged: results.map(\.converged), objective: results.map(\.value))
    let model = try LogisticRegression(
      multiclass: options.multiclass,
      coefficients: Tensor(shape: [classCount, d], storage: coefficients), intercepts: intercepts)
    return (model, report)
  }

  /// Checks the arguments of `fit` and returns the number of samples of each class.
  private static func validateFit(
    features: Tensor, labels: [Int], classCount: Int, options: Options
  ) throws -> [Int] {
    try validateFeatures(features)
    guard classCount >= 2 else { throw ClassicalError.tooFewClasses(found: classCount, needed: 2) }
    let counts = try validateLabels(labels, samples: features.shape[0], classCount: classCount)
    let present = counts.filter { $0 > 0 }.count
    guard present >= 2 else { throw ClassicalError.tooFewClasses(found: present, needed: 2) }
    guard options.C > 0, options.C.isFinite else {
      throw ClassicalError.invalidOption("C must be positive, got \(options.C)")
    }
    guard options.maxIterations >= 1, options.tolerance >= 0, options.memory >= 1,
      options.threads.workers >= 1
    else {
      throw ClassicalError.invalidOption(
        "max-iter, memory and threads must be ≥ 1 and tol ≥ 0")
    }
    return counts
  }

  /// One softmax problem over all classes; `x` holds the `[classes, features]` weights, then the
  /// intercepts.
  private static func fitMultinomial(
    features: Tensor, labels: [Int], counts: [Int], options: Options, lbfgs: LBFGSOptions
  ) -> LBFGSResult {
    let n = features.shape[0]
    let present = counts.filter { $0 > 0 }.count
    let weights: [Double] = labels.map { label in
      options.classWeight == .balanced
        ? Double(n) / (Double(present) * Double(counts[label])) : 1
    }
    let objective = LogisticObjective(
      features: features, targets: labels, weights: weights, C: options.C,
      outputs: counts.count)
    return minimizeLBFGS(
      from: [Double](repeating: 0, count: objective.parameterCount), options: lbfgs
    ) { theta, gradient in objective.evaluate(theta, gradient: &gradient) }
  }

  /// One binary problem per class, scheduled as `options.schedule` says; each result's `x` holds
  /// the class's weights, then its intercept.
  private static func fitOneVsRest(
    features: Tensor, labels: [Int], counts: [Int], options: Options, lbfgs: LBFGSOptions
  ) throws -> [LBFGSResult] {
    let (n, d, classCount) = (features.shape[0], features.shape[1], counts.count)
    let binaryTargets = (0..<classCount).map { target in labels.map { $0 == target ? 1 : -1 } }
    let binaryWeights = (0..<classCount).map { target -> [Double] in
      let positives = counts[target]
      return binaryTargets[target].map { y in
        guard options.classWeight == .balanced else { return 1 }
        let size = y == 1 ? positives : n - positives
        return size == 0 ? 0 : Double(n) / (2 * Double(size))
      }
    }
    switch options.schedule {
    case .batched:
      return BatchedBinaryLogistic(
        features: features, targets: binaryTargets.map { $0.map(Float.init) },
        weights: binaryWeights, C: options.C
      ).fit(options: lbfgs)
    case .concurrent, .sequential:
      let concurrent = options.schedule == .concurrent
      return try parallelMap(
        count: classCount, workers: concurrent ? min(options.threads.workers, classCount) : 1
      ) { target in
        let objective = LogisticObjective(
          features: features, targets: binaryTargets[target], weights: binaryWeights[target],
          C: options.C, outputs: 1)
        return minimizeLBFGS(
          from: [Double](repeating: 0, count: d + 1), options: lbfgs
        ) { theta, gradient in objective.evaluate(theta, gradient: &gradient) }
      }
    }
  }

  /// Scores `X·Wᵀ + b` `[samples, classes]`.
  public func decisionFunction(_ features: Tensor) throws -> Tensor {
    try validateFeatures(features, expectedWidth: featureCount)
    var scores = features.matmul(coefficients, transposeOther: true)
    let k = classCount
    scores.storage.withUnsafeMutableBufferPointer { z in
      for i in 0..<features.shape[0] {
        for c in 0..<k { z[i * k + c] += intercepts[c] }
      }
    }
    return scores
  }

  /// Class probabilities `[samples, classes]`: softmax of the scores (multinomial), or the
  /// per-class sigmoids normalised to sum 1 (one-vs-rest).
  public func probabilities(_ features: Tensor) throws -> Tensor {
    var scores = try decisionFunction(features)
    let k = classCount
    scores.storage.withUnsafeMutableBufferPointer { z in
      for i in 0..<features.shape[0] {
        let row = i * k
        var sum: Double = 0
        var values = [Double](repeating: 0, count: k)
        switch multiclass {
        case .multinomial:
          _ = logSumExpParts(count: k) {
            Double(z[row + $0])
          } exponential: {
            values[$0] = $1
          }
        case .oneVsRest:
          for c in 0..<k { values[c] = 1 / (1 + exp(-Double(z[row + c]))) }
        }
        for c in 0..<k { sum += values[c] }
        for c in 0..<k { z[row + c] = Float(sum > 0 ? values[c] / sum : 1 / Double(k)) }
      }
    }
    return scores
  }

  /// The class with the highest score for each sample.
  public func predict(_ features: Tensor) throws -> [Int] {
    argmaxRows(try decisionFunction(features))
  }
}

/// Index of the largest value in each row of a `[rows, columns]` tensor (first on ties).
func argmaxRows(_ matrix: Tensor) -> [Int] {
  let columns = matrix.shape[1]
  return (0..<matrix.shape[0]).map { row in
    var best = 0
    for c in 1..<columns
    where matrix.storage[row * columns + c] > matrix.storage[row * columns + best] {
      best = c
    }
    return best
  }
}
