import Foundation
import Tensor

/// A multiclass kernel support vector classifier (C-SVC), each binary machine trained by SMO
/// (`SMOSolver`), combined one-vs-one (as libsvm / scikit-learn `SVC`) or one-vs-rest.
///
/// All machines share one matrix of support vectors, so predicting is one kernel block
/// `K(X, SV)` `[samples, supportVectors]` and one GEMM with the dual coefficients.
public struct SVC: Sendable, Equatable {
  /// How the K-class problem is decomposed into binary machines.
  public enum Multiclass: String, Sendable, CaseIterable, Codable {
    /// K(K−1)/2 machines, one per class pair (i, j), i < j, ordered (0,1), (0,2), …, (1,2), …;
    /// prediction by majority vote (ties to the lower class).
    case oneVsOne = "ovo"
    /// K machines "class c against the rest"; prediction by the largest decision value.
    case oneVsRest = "ovr"
  }

  /// The kernel family; its γ comes from `Options.gamma`.
  public enum KernelType: String, Sendable, CaseIterable, Codable {
    case linear, polynomial, rbf
  }

  /// Fitting options (scikit-learn `SVC` defaults except the cache size).
  public struct Options: Sendable, Equatable {
    /// Penalty on slack (box bound of the multipliers), > 0.
    public var C: Double = 1
    /// Kernel family.
    public var kernel: KernelType = .rbf
    /// γ of the polynomial and RBF kernels.
    public var gamma: GammaChoice = .scale
    /// Degree of the polynomial kernel.
    public var degree: Int = 3
    /// Constant term of the polynomial kernel.
    public var coef0: Double = 0
    /// Stopping tolerance on the maximal KKT violation (libsvm `eps`).
    public var tolerance: Double = 1e-3
    /// Bytes of kernel rows cached, split between the concurrently trained machines.
    public var cacheBytes: Int = 1 << 30
    /// One-vs-one or one-vs-rest.
    public var multiclass: Multiclass = .oneVsOne
    /// "balanced" scales C of class c by `n / (K·n_c)`.
    public var classWeight: LogisticRegression.ClassWeight = .none
    /// Fit Platt sigmoids on out-of-fold decision values so `probabilities` works.
    public var probability: Bool = false
    /// Folds of the cross-validation that produces the decision values for Platt scaling.
    public var probabilityFolds: Int = 5
    /// Seed of the fold assignment.
    public var seed: UInt64 = 0
    /// Machines trained concurrently: `threads.workers`, each calling BLAS; run with
    /// single-threaded OpenBLAS (``ThreadPolicy/workers(_:)``, applied by the executable).
    public var threads: ThreadPolicy = .workers(2)
    /// SMO iteration limit per machine (0: max(10⁷, 100·n) as libsvm).
    public var maxIterations: Int = 0

    /// Default options: C = 1, RBF with γ "scale", one-vs-one, no probabilities.
    public init() {}
  }

  /// Per-machine facts from fitting.
  public struct FitReport: Sendable {
    /// SMO iterations per machine.
    public var iterations: [Int]
    /// Machines that stopped at the iteration limit instead of the tolerance.
    public var unconverged: Int
    /// Training-set index of each support vector (row of `supportVectors`).
    public var supportIndices: [Int]
    /// Support vectors per class.
    public var supportCounts: [Int]
    /// Kernel rows computed per machine (cache misses).
    public var kernelRowsComputed: [Int]
  }

  /// The kernel with γ resolved.
  public let kernel: Kernel
  /// The decomposition.
  public let multiclass: Multiclass
  /// Number of classes.
  public let classCount: Int
  /// Support vectors `[supportVectors, features]`.
  public let supportVectors: Tensor
  /// `yᵢαᵢ` of each machine for each support vector, `[machines, supportVectors]` (0 where a
  /// vector does not belong to a machine).
  public let dualCoefficients: Tensor
  /// `−ρ` of each machine: decision = Σ coefficientᵢ·k(svᵢ, x) + intercept.
  public let intercepts: [Float]
  /// Platt sigmoids per machine (empty when fitted without probabilities).
  public let platt: [PlattScaling]

  /// Number of binary machines.
  public var machineCount: Int { intercepts.count }
  /// Number of input features.
  public var featureCount: Int { supportVectors.shape[1] }

  /// Machine count for a decomposition of `classCount` classes.
  public static func machineCount(_ multiclass: Multiclass, classCount: Int) -> Int {
    multiclass == .oneVsOne ? classCount * (classCount - 1) / 2 : classCount
  }

  /// The class pair of each one-vs-one machine, in machine order.
  public static func pairs(classCount: Int) -> [(Int, Int)] {
    var result: [(Int, Int)] = []
    for i in 0..<classCount {
      for j in (i + 1)..<classCount { result.append((i, j)) }
    }
    return result
  }

  /// A classifier from stored parameters.
  public init(
    kernel: Kernel, multiclass: Multiclass, classCount: Int, supportVectors: Tensor,
    dualCoefficients: Tensor, intercepts: [Float], platt: [PlattScaling]
  ) throws {
    try kernel.validate()
    let machines = SVC.machineCount(multiclass, classCount: classCount)
    guard classCount >= 2, supportVectors.rank == 2, supportVectors.shape[1] >= 1,
      dualCoefficients.shape == [machines, supportVectors.shape[0]], intercepts.count == machines,
      platt.isEmpty || platt.count == machines
    else {
      throw ClassicalError.invalidParameters(
        "SVC with \(classCount) classes (\(machines) machines): support vectors "
          + "\(supportVectors.shape), coefficients \(dualCoefficients.shape), "
          + "\(intercepts.count) intercepts, \(platt.count) sigmoids do not match")
    }
    guard supportVectors.storage.allSatisfy(\.isFinite),
      dualCoefficients.storage.allSatisfy(\.isFinite), intercepts.allSatisfy(\.isFinite)
    else { throw ClassicalError.invalidParameters("SVC parameters are not finite") }
    self.kernel = kernel
    self.multiclass = multiclass
    self.classCount = classCount
    self.supportVectors = supportVectors
    self.dualCoefficients = dualCoefficients
    self.intercepts = intercepts
    self.platt = platt
  }

  /// Fits `features` `[samples, features]` to `labels` in `0..<classCount`.
  public static func fit(
    features: Tensor, labels: [Int], classCount: Int, options: Options = Options()
  ) throws -> (model: SVC, report: FitReport) {
    let counts = try validateFit(
      features: features, labels: labels, classCount: classCount, options: options)
    let present = counts.filter { $0 > 0 }.count
    let (n, d) = (features.shape[0], features.shape[1])
    let kernel = try fitKernel(features: features, options: options)
    let classWeights = counts.map { count -> Double in
      guard options.classWeight == .balanced, count > 0 else { return 1 }
      return Double(n) / (Double(present) * Double(count))
    }
    let machines = binaryProblems(
      labels: labels, classCount: classCount, multiclass: options.multiclass)
    let workers = max(1, min(options.threads.workers, machines.count))
    let budget = options.cacheBytes / workers

    let trained = try parallelMap(count: machines.count, workers: workers) { m in
      let (indices, positive) = machines[m]
      let bounds = indices.map { options.C * classWeights[labels[$0]] }
      let rows = gatherRows(features, indices)
      let machine = trainBinary(
        kernel: kernel, data: rows, d: d, positive: positive, bounds: bounds, options: options,
        budget: budget)
      var sigmoid: PlattScaling? = nil
      if options.probability {
        let decisions = crossValidatedDecisions(
          kernel: kernel, data: rows, d: d, positive: positive, bounds: bounds,
          options: options, budget: budget, seed: options.seed &+ UInt64(m))
        let fitted = PlattScaling.fit(decisions: decisions, positive: positive)
        // Rounded to Float32, the precision model files store, so a saved model is identical.
        sigmoid = PlattScaling(a: Double(Float(fitted.a)), b: Double(Float(fitted.b)))
      }
      return (machine, sigmoid)
    }
    return try assemble(
      trained: trained, machines: machines, features: features, labels: labels,
      classCount: classCount, kernel: kernel, options: options)
  }

  /// Checks the arguments of `fit` and returns the number of samples of each class.
  private static func validateFit(
    features: Tensor, labels: [Int], classCount: Int, options: Options
  ) throws -> [Int] {
    try validateFeatures(features)
    let counts = try validateLabels(labels, samples: features.shape[0], classCount: classCount)
    let present = counts.filter { $0 > 0 }.count
    guard classCount >= 2, present >= 2 else {
      throw ClassicalError.tooFewClasses(found: present, needed: 2)
    }
    guard options.C > 0, options.C.isFinite, options.tolerance > 0,
      options.cacheBytes >= 0, options.maxIterations >= 0
    else {
      throw ClassicalError.invalidOption(
        "C and tolerance must be positive, threads ≥ 1, cache and iterations ≥ 0")
    }
    guard !options.probability || options.probabilityFolds >= 2 else {
      throw ClassicalError.invalidOption("probability needs at least 2 folds")
    }
    return counts
  }

  /// The kernel of `options` with its γ resolved on `features`.
  private static func fitKernel(features: Tensor, options: Options) throws -> Kernel {
    let gamma = options.gamma.resolve(for: features)
    let kernel: Kernel
    switch options.kernel {
    case .linear: kernel = .linear
    case .rbf: kernel = .rbf(gamma: gamma)
    case .polynomial:
      kernel = .polynomial(degree: options.degree, gamma: gamma, coef0: options.coef0)
    }
    try kernel.validate()
    return kernel
  }

  /// Each machine's problem: the training indices it uses and which of them are positive.
  private static func binaryProblems(
    labels: [Int], classCount: Int, multiclass: Multiclass
  ) -> [(indices: [Int], positive: [Bool])] {
    let n = labels.count
    switch multiclass {
    case .oneVsOne:
      return pairs(classCount: classCount).map { (first, second) in
        let indices =
          (0..<n).filter { labels[$0] == first } + (0..<n).filter { labels[$0] == second }
        return (indices, indices.map { labels[$0] == first })
      }
    case .oneVsRest:
      return (0..<classCount).map { c in (Array(0..<n), labels.map { $0 == c }) }
    }
  }

  /// The classifier and report of the `trained` machines (and their sigmoids) of `machines`:
  /// the union of their support vectors, ordered by class then training index (as libsvm).
  private static func assemble(
    trained: [(BinaryMachine, PlattScaling?)], machines: [(indices: [Int], positive: [Bool])],
    features: Tensor, labels: [Int], classCount: Int, kernel: Kernel, options: Options
  ) throws -> (model: SVC, report: FitReport) {
    let (n, d) = (features.shape[0], features.shape[1])
    var isSupport = [Bool](repeating: false, count: n)
    for (m, (machine, _)) in trained.enumerated() {
      for (local, alpha) in machine.alpha.enumerated() where alpha > 0 {
        isSupport[machines[m].indices[local]] = true
      }
    }
    let supportIndices = (0..<classCount).flatMap { c in
      (0..<n).filter { labels[$0] == c && isSupport[$0] }
    }
    var column = [Int](repeating: -1, count: n)
    for (k, index) in supportIndices.enumerated() { column[index] = k }
    let s = supportIndices.count
    var coefficients = [Float](repeating: 0, count: machines.count * s)
    for (m, (machine, _)) in trained.enumerated() {
      for (local, alpha) in machine.alpha.enumerated() where alpha > 0 {
        let sign: Double = machines[m].positive[local] ? 1 : -1
        coefficients[m * s + column[machines[m].indices[local]]] = Float(sign * alpha)
      }
    }
    var supportCounts = [Int](repeating: 0, count: classCount)
    for index in supportIndices { supportCounts[labels[index]] += 1 }
    let model = try SVC(
      kernel: kernel, multiclass: options.multiclass, classCount: classCount,
      supportVectors: Tensor(shape: [s, d], storage: gatherRows(features, supportIndices)),
      dualCoefficients: Tensor(shape: [machines.count, s], storage: coefficients),
      intercepts: trained.map { Float(-$0.0.rho) },
      platt: options.probability ? trained.map { $0.1! } : [])
    let report = FitReport(
      iterations: trained.map { $0.0.iterations },
      unconverged: trained.filter { $0.0.reachedIterationLimit }.count,
      supportIndices: supportIndices, supportCounts: supportCounts,
      kernelRowsComputed: trained.map { $0.0.kernelRows })
    return (model, report)
  }

  /// Decision values `[samples, machines]`: positive favours the machine's first class
  /// (one-vs-one) or its class (one-vs-rest).
  public func decisionFunction(_ features: Tensor) throws -> Tensor {
    try validateFeatures(features, expectedWidth: featureCount)
    let (rows, d, s, machines) = (
      features.shape[0], featureCount, supportVectors.shape[0], machineCount
    )
    var result = Tensor(shape: [rows, machines])
    let supportNorms = supportVectors.storage.withUnsafeBufferPointer {
      rowSquaredNorms($0, rows: s, columns: d)
    }
    let chunk = max(1, min(rows, (1 << 24) / max(1, s)))  // ≤ 64 MB of kernel values at once
    var block = [Float](repeating: 0, count: chunk * s)
    features.storage.withUnsafeBufferPointer { x in
      supportVectors.storage.withUnsafeBufferPointer { sv in
        dualCoefficients.storage.withUnsafeBufferPointer { coef in
          result.storage.withUnsafeMutableBufferPointer { out in
            block.withUnsafeMutableBufferPointer { block in
              var start = 0
              while start < rows {
                let m = min(chunk, rows - start)
                let a = x.baseAddress! + start * d
                let norms = rowSquaredNorms(
                  UnsafeBufferPointer(start: a, count: m * d), rows: m, columns: d)
                norms.withUnsafeBufferPointer { na in
                  supportNorms.withUnsafeBufferPointer { nb in
                    kernelBlock(
                      kernel, a: a, normsA: na.baseAddress!, m: m, b: sv.baseAddress!,
                      normsB: nb.baseAddress!, n: s, d: d, out: block.baseAddress!)
                  }
                }
                // [m, s] · [machines, s]ᵀ → [m, machines]
                sgemm(
                  .none, .transposed, m: m, n: machines, k: s, a: block.baseAddress!, lda: s,
                  b: coef.baseAddress!, ldb: s, c: out.baseAddress! + start * machines,
                  ldc: machines)
                start += m
              }
            }
          }
        }
      }
    }
    result.storage.withUnsafeMutableBufferPointer { out in
      for i in 0..<rows {
        for k in 0..<machines { out[i * machines + k] += intercepts[k] }
      }
    }
    return result
  }

  /// The predicted class of each sample.
  public func predict(_ features: Tensor) throws -> [Int] {
    let decisions = try decisionFunction(features)
    switch multiclass {
    case .oneVsRest:
      return argmaxRows(decisions)
    case .oneVsOne:
      let pairs = SVC.pairs(classCount: classCount)
      let machines = machineCount
      return (0..<features.shape[0]).map { i in
        var votes = [Int](repeating: 0, count: classCount)
        for (k, (first, second)) in pairs.enumerated() {
          votes[decisions.storage[i * machines + k] > 0 ? first : second] += 1
        }
        var best = 0
        for c in 1..<classCount where votes[c] > votes[best] { best = c }
        return best
      }
    }
  }

  /// Class probabilities `[samples, classes]` from the Platt sigmoids: pairwise coupling for
  /// one-vs-one, normalised per-class probabilities for one-vs-rest.
  public func probabilities(_ features: Tensor) throws -> Tensor {
    guard !platt.isEmpty else {
      throw ClassicalError.invalidOption("this SVC was fitted without probability calibration")
    }
    let decisions = try decisionFunction(features)
    let (rows, machines, k) = (features.shape[0], machineCount, classCount)
    var result = Tensor(shape: [rows, k])
    let pairs = SVC.pairs(classCount: k)
    for i in 0..<rows {
      var p: [Double]
      switch multiclass {
      case .oneVsOne:
        var r = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for (m, (first, second)) in pairs.enumerated() {
          let value = platt[m].probability(Double(decisions.storage[i * machines + m]))
          let clipped = min(max(value, 1e-7), 1 - 1e-7)
          r[first][second] = clipped
          r[second][first] = 1 - clipped
        }
        p = pairwiseCoupling(r)
      case .oneVsRest:
        p = (0..<k).map { platt[$0].probability(Double(decisions.storage[i * machines + $0])) }
        let sum = p.reduce(0, +)
        p = p.map { sum > 0 ? $0 / sum : 1 / Double(k) }
      }
      for c in 0..<k { result.storage[i * k + c] = Float(p[c]) }
    }
    return result
  }
}

/// The rows `indices` of `[n, d]` features, contiguous.
func gatherRows(_ features: Tensor, _ indices: [Int]) -> [Float] {
  let d = features.shape[1]
  var rows = [Float](repeating: 0, count: indices.count * d)
  features.storage.withUnsafeBufferPointer { x in
    rows.withUnsafeMutableBufferPointer { out in
      for (k, index) in indices.enumerated() {
        for j in 0..<d { out[k * d + j] = x[index * d + j] }
      }
    }
  }
  return rows
}

/// Trains one binary machine on `data` `[n, d]` with positive/negative labels.
func trainBinary(
  kernel: Kernel, data: [Float], d: Int, positive: [Bool], bounds: [Double],
  options: SVC.Options, budget: Int
) -> BinaryMachine {
  let n = positive.count
  let y: [Float] = positive.map { $0 ? 1 : -1 }
  let cache = KernelCache(
    kernel: kernel, data: data, rows: n, columns: d, signs: y, budgetBytes: budget)
  let limit = options.maxIterations > 0 ? options.maxIterations : max(10_000_000, 100 * n)
  let solution = SMOSolver.solve(
    cache: cache, y: y, bounds: bounds, tolerance: options.tolerance, maxIterations: limit)
  return BinaryMachine(
    alpha: solution.alpha, rho: solution.rho, iterations: solution.iterations,
    reachedIterationLimit: solution.reachedIterationLimit, kernelRows: cache.computedRows)
}

/// Decision values of every sample from machines trained without its fold (random folds).
func crossValidatedDecisions(
  kernel: Kernel, data: [Float], d: Int, positive: [Bool], bounds: [Double],
  options: SVC.Options, budget: Int, seed: UInt64
) -> [Double] {
  let n = positive.count
  var random = ClassicalRandom(seed: seed)
  let order = (0..<n).shuffled(using: &random)
  let folds = min(options.probabilityFolds, n)
  var decisions = [Double](repeating: 0, count: n)
  for fold in 0..<folds {
    let held = (0..<n).filter { $0 % folds == fold }.map { order[$0] }
    let heldSet = Set(held)
    let kept = (0..<n).filter { !heldSet.contains($0) }
    let keptPositive = kept.map { positive[$0] }
    let positives = keptPositive.filter { $0 }.count
    if positives == 0 || positives == kept.count {
      // One class only: libsvm's convention, a constant decision of that class's sign.
      for index in held { decisions[index] = positives > 0 ? 1 : -1 }
      continue
    }
    let keptData = gatherRows(Tensor(shape: [n, d], storage: data), kept)
    let machine = trainBinary(
      kernel: kernel, data: keptData, d: d, positive: keptPositive,
      bounds: kept.map { bounds[$0] }, options: options, budget: budget)
    let supports = machine.alpha.indices.filter { machine.alpha[$0] > 0 }
    let svData = gatherRows(Tensor(shape: [kept.count, d], storage: keptData), supports)
    let heldData = gatherRows(Tensor(shape: [n, d], storage: data), held)
    let coefficients = supports.map {
      Float(keptPositive[$0] ? machine.alpha[$0] : -machine.alpha[$0])
    }
    guard !supports.isEmpty else {
      for index in held { decisions[index] = -machine.rho }
      continue
    }
    var block = [Float](repeating: 0, count: held.count * supports.count)
    let heldNorms = heldData.withUnsafeBufferPointer {
      rowSquaredNorms($0, rows: held.count, columns: d)
    }
    let svNorms = svData.withUnsafeBufferPointer {
      rowSquaredNorms($0, rows: supports.count, columns: d)
    }
    kernelBlock(
      kernel, a: heldData, normsA: heldNorms, m: held.count, b: svData, normsB: svNorms,
      n: supports.count, d: d, out: &block)
    for (k, index) in held.enumerated() {
      var sum = 0.0
      for s in 0..<supports.count { sum += Double(block[k * supports.count + s] * coefficients[s]) }
      decisions[index] = sum - machine.rho
    }
  }
  return decisions
}
