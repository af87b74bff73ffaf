import Foundation
import Tensor

/// Runs K independent binary L-BFGS fits (one-vs-rest) in lockstep so that each round of
/// function evaluations reads the `[samples, features]` matrix twice in total — one GEMM
/// `X·Wᵀ` with K columns and one `Rᵀ·X` — instead of twice per problem.
///
/// Each problem's L-BFGS runs on its own thread and blocks in `evaluate` until every
/// still-running problem has asked for a point; the thread that completes the round computes
/// all of them with (multi-threaded) BLAS and wakes the others. Problems that finish leave the
/// round, so the rest never wait for them.
final class BatchedBinaryLogistic: @unchecked Sendable {
  private let features: Tensor
  /// Per problem: sample targets ±1, weights divided by their sum, and `1/(C·S)`.
  private let targets: [[Float]]
  private let normalizedWeights: [[Float]]
  private let penalties: [Double]
  private let condition = NSCondition()
  private var active: Int
  private var requests: [[Double]?]
  private var results: [(value: Double, gradient: [Double])?]
  private var round = 0

  init(features: Tensor, targets: [[Float]], weights: [[Double]], C: Double) {
    self.features = features
    self.targets = targets
    var normalized: [[Float]] = []
    var penalties: [Double] = []
    for w in weights {
      let total = w.reduce(0, +)
      normalized.append(w.map { Float($0 / total) })
      penalties.append(1 / (C * total))
    }
    self.normalizedWeights = normalized
    self.penalties = penalties
    active = targets.count
    requests = Array(repeating: nil, count: targets.count)
    results = Array(repeating: nil, count: targets.count)
  }

  /// Fits every problem from zero; returns the L-BFGS results in problem order.
  func fit(options: LBFGSOptions) -> [LBFGSResult] {
    let count = targets.count
    let width = features.shape[1]
    let collected = ResultBox(count: count)
    let group = DispatchGroup()
    for problem in 0..<count {
      group.enter()
      let thread = Thread { [self] in
        let result = minimizeLBFGS(
          from: [Double](repeating: 0, count: width + 1), options: options
        ) { theta, gradient in
          let (value, g) = self.evaluate(problem: problem, theta: theta)
          gradient = g
          return value
        }
        self.leave()
        collected.set(problem, result)
        group.leave()
      }
      thread.stackSize = 1 << 20
      thread.start()
    }
    group.wait()
    return collected.values()
  }

  /// Submits θ for `problem` and blocks until the round including it is evaluated.
  private func evaluate(problem: Int, theta: [Double]) -> (Double, [Double]) {
    condition.lock()
    defer { condition.unlock() }
    requests[problem] = theta
    let myRound = round
    if pendingCount() == active {
      computeRound()
    } else {
      while round == myRound { condition.wait() }
    }
    let result = results[problem]!
    results[problem] = nil
    return result
  }

  /// Marks a problem finished; completes the round if the others were only waiting for it.
  private func leave() {
    condition.lock()
    defer { condition.unlock() }
    active -= 1
    if active > 0, pendingCount() == active { computeRound() }
  }

  private func pendingCount() -> Int { requests.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

  /// Evaluates every pending request together (called with the lock held).
  private func computeRound() {
    let problems = requests.indices.filter { requests[$0] != nil }
    let k = problems.count
    let (n, d) = (features.shape[0], features.shape[1])
    var weights = [Float](repeating: 0, count: k * d)
    for (column, problem) in problems.enumerated() {
      let theta = requests[problem]!
      for j in 0..<d { weights[column * d + j] = Float(theta[j]) }
    }
    var z = [Float](repeating: 0, count: n * k)
    var gradients = [Float](repeating: 0, count: k * d)
    var losses = [Double](repeating: 0, count: k)
    var interceptGradients = [Double](repeating: 0, count: k)
    features.storage.withUnsafeBufferPointer { x in
      weights.withUnsafeBufferPointer { w in
        z.withUnsafeMutableBufferPointer { z in
          // Scores [n, d] · [k, d]ᵀ → [n, k].
          sgemm(
            .none, .transposed, m: n, n: k, k: d, a: x.baseAddress!, lda: d, b: w.baseAddress!,
            ldb: d, c: z.baseAddress!, ldc: k)
          for (column, problem) in problems.enumerated() {
            let intercept = requests[problem]![d]
            let y = targets[problem]
            let s = normalizedWeights[problem]
            var loss = 0.0
            var interceptGradient = 0.0
            for i in 0..<n {
              let margin = Double(y[i]) * (Double(z[i * k + column]) + intercept)
              let softplus = margin > 0 ? log1p(exp(-margin)) : -margin + log1p(exp(margin))
              let sigma = margin > 0 ? exp(-margin) / (1 + exp(-margin)) : 1 / (1 + exp(margin))
              loss += Double(s[i]) * softplus
              let residual = -Double(y[i]) * sigma * Double(s[i])
              interceptGradient += residual
              z[i * k + column] = Float(residual)
            }
            losses[column] = loss
            interceptGradients[column] = interceptGradient
          }
        }
      }
    }
    features.storage.withUnsafeBufferPointer { x in
      z.withUnsafeBufferPointer { r in
        gradients.withUnsafeMutableBufferPointer { g in
          // Residualsᵀ · X: [n, k]ᵀ · [n, d] → [k, d].
          sgemm(
            .transposed, .none, m: k, n: d, k: n, a: r.baseAddress!, lda: k, b: x.baseAddress!,
            ldb: d, c: g.baseAddress!, ldc: d)
        }
      }
    }
    for (column, problem) in problems.enumerated() {
      let theta = requests[problem]!
      var gradient = [Double](repeating: 0, count: d + 1)
      var squaredNorm = 0.0
      for j in 0..<d {
        squaredNorm += theta[j] * theta[j]
        gradient[j] = Double(gradients[column * d + j]) + penalties[problem] * theta[j]
      }
      gradient[d] = interceptGradients[column]
      results[problem] = (losses[column] + 0.5 * penalties[problem] * squaredNorm, gradient)
      requests[problem] = nil
    }
    round += 1
    condition.broadcast()
  }
}

/// Thread-safe slots for per-problem results.
private final class ResultBox: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [LBFGSResult?]
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: LBFGSResult) { lock.withLock { slots[index] = value } }
  func values() -> [LBFGSResult] { lock.withLock { slots.map { $0! } } }
}
