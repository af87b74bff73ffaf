/// The dual C-SVM problem of one binary classifier, solved by sequential minimal optimisation:
///
///     min ½ αᵀQα − Σα   subject to  yᵀα = 0,  0 ≤ αᵢ ≤ Cᵢ,   Q_ij = y_i y_j k(x_i, x_j)
///
/// Each step picks the pair (i, j) by second-order working-set selection (Fan, Chen & Lin,
/// JMLR 2005: i maximal violating, j maximising the guaranteed decrease), solves the
/// two-variable subproblem analytically and updates the gradient with rows i and j of Q.
/// Stops when the maximal KKT violation `m(α) − M(α)` is below `tolerance` (libsvm's `eps`).
struct SMOSolver {
  /// Outcome: the multipliers, the offset ρ (decision = Σ yᵢαᵢk(xᵢ,x) − ρ) and iteration count.
  struct Solution {
    var alpha: [Double]
    var rho: Double
    var iterations: Int
    var objective: Double
    var reachedIterationLimit: Bool
  }

  /// Curvature used when the pair's `K_ii + K_jj − 2K_ij` is not positive.
  static let tau = 1e-12

  /// Solves the problem with labels `y` (±1 as Float), per-sample bounds `bounds` and kernel
  /// rows from `cache` (whose signs are `y`).
  static func solve(
    cache: KernelCache, y: [Float], bounds: [Double], tolerance: Double, maxIterations: Int
  ) -> Solution {
    let state = SMOState(cache: cache, y: y, bounds: bounds)
    defer { state.deallocate() }
    var iterations = 0
    var limitReached = false
    while true {
      if iterations >= maxIterations {
        limitReached = true
        break
      }
      guard let (i, gMax) = state.maximalViolator() else { break }
      let (j, gMax2) = state.secondOrderPartner(of: i, gMax: gMax)
      if gMax + gMax2 < tolerance || j < 0 { break }
      iterations += 1
      state.step(i, j)
    }
    return Solution(
      alpha: Array(state.alpha), rho: state.rho(), iterations: iterations,
      objective: state.objective(), reachedIterationLimit: limitReached)
  }
}

/// The solver's working arrays and the three parts of a step. Raw buffers: the O(n) passes of
/// each step dominate once kernel rows are cached, and array accesses there would pay bounds and
/// uniqueness checks.
private struct SMOState {
  let cache: KernelCache
  let n: Int
  /// The multipliers α (n).
  let alpha: UnsafeMutableBufferPointer<Double>
  /// ∇ = Qα − 1 (n); −1 everywhere at α = 0.
  let gradient: UnsafeMutableBufferPointer<Double>
  /// Q's diagonal (n).
  let qd: UnsafeMutableBufferPointer<Double>
  /// Labels ±1 (n).
  let y: UnsafeMutableBufferPointer<Float>
  /// Upper bounds Cᵢ (n).
  let bounds: UnsafeMutableBufferPointer<Double>

  init(cache: KernelCache, y: [Float], bounds: [Double]) {
    func buffer<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
      let result = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
      _ = result.initialize(from: values)
      return result
    }
    self.cache = cache
    n = y.count
    alpha = buffer([Double](repeating: 0, count: n))
    gradient = buffer([Double](repeating: -1, count: n))
    qd = buffer(cache.diagonal.map(Double.init))
    self.y = buffer(y)
    self.bounds = buffer(bounds)
  }

  func deallocate() {
    alpha.deallocate()
    gradient.deallocate()
    qd.deallocate()
    y.deallocate()
    bounds.deallocate()
  }

  /// i: argmax over I_up of −y_t ∇_t, with that maximum; nil when I_up is empty.
  func maximalViolator() -> (Int, Double)? {
    var gMax = -Double.infinity
    var i = -1
    for t in 0..<n {
      if y[t] > 0 {
        if alpha[t] < bounds[t], -gradient[t] >= gMax {
          gMax = -gradient[t]
          i = t
        }
      } else if alpha[t] > 0, gradient[t] >= gMax {
        gMax = gradient[t]
        i = t
      }
    }
    return i >= 0 ? (i, gMax) : nil
  }

  /// j: over I_low with a violation, the largest second-order decrease b²/a (−1 if none), and
  /// the maximum of y_t ∇_t over I_low (for the stopping test).
  func secondOrderPartner(of i: Int, gMax: Double) -> (Int, Double) {
    var gMax2 = -Double.infinity
    var j = -1
    var bestDecrease = Double.infinity
    let yi = Double(y[i])
    cache.withRow(i) { qi in
      for t in 0..<n {
        let difference: Double
        let a: Double
        if y[t] > 0 {
          guard alpha[t] > 0 else { continue }
          difference = gMax + gradient[t]
          if gradient[t] >= gMax2 { gMax2 = gradient[t] }
          a = qd[i] + qd[t] - 2 * yi * Double(qi[t])
        } else {
          guard alpha[t] < bounds[t] else { continue }
          difference = gMax - gradient[t]
          if -gradient[t] >= gMax2 { gMax2 = -gradient[t] }
          a = qd[i] + qd[t] + 2 * yi * Double(qi[t])
        }
        if difference > 0 {
          let decrease = -(difference * difference) / (a > 0 ? a : SMOSolver.tau)
          if decrease <= bestDecrease {
            j = t
            bestDecrease = decrease
          }
        }
      }
    }
    return (j, gMax2)
  }

  /// Solves the two-variable subproblem for (i, j) and updates the gradient with rows i, j of Q.
  func step(_ i: Int, _ j: Int) {
    let (oldI, oldJ) = (alpha[i], alpha[j])
    cache.withRows(i, j) { qi, qj in
      let (ai, aj) =
        y[i] != y[j]
        ? oppositeLabels(i, j, qij: Double(qi[j])) : sameLabels(i, j, qij: Double(qi[j]))
      alpha[i] = ai
      alpha[j] = aj
      let (di, dj) = (ai - oldI, aj - oldJ)
      for t in 0..<n { gradient[t] += Double(qi[t]) * di + Double(qj[t]) * dj }
    }
  }

  /// y_i ≠ y_j: move along α_i − α_j = const, then project into the box.
  private func oppositeLabels(_ i: Int, _ j: Int, qij: Double) -> (Double, Double) {
    let (ci, cj) = (bounds[i], bounds[j])
    var ai = alpha[i]
    var aj = alpha[j]
    var a = qd[i] + qd[j] + 2 * qij
    if a <= 0 { a = SMOSolver.tau }
    let delta = (-gradient[i] - gradient[j]) / a
    let difference = ai - aj
    ai += delta
    aj += delta
    if difference > 0 {
      if aj < 0 {
        aj = 0
        ai = difference
      }
    } else if ai < 0 {
      ai = 0
      aj = -difference
    }
    if difference > ci - cj {
      if ai > ci {
        ai = ci
        aj = ci - difference
      }
    } else if aj > cj {
      aj = cj
      ai = cj + difference
    }
    return (ai, aj)
  }

  /// y_i = y_j: move along α_i + α_j = const, then project into the box.
  private func sameLabels(_ i: Int, _ j: Int, qij: Double) -> (Double, Double) {
    let (ci, cj) = (bounds[i], bounds[j])
    var ai = alpha[i]
    var aj = alpha[j]
    var a = qd[i] + qd[j] - 2 * qij
    if a <= 0 { a = SMOSolver.tau }
    let delta = (gradient[i] - gradient[j]) / a
    let sum = ai + aj
    ai -= delta
    aj += delta
    if sum > ci {
      if ai > ci {
        ai = ci
        aj = sum - ci
      }
    } else if aj < 0 {
      aj = 0
      ai = sum
    }
    if sum > cj {
      if aj > cj {
        aj = cj
        ai = sum - cj
      }
    } else if ai < 0 {
      ai = 0
      aj = sum
    }
    return (ai, aj)
  }

  /// ρ: mean of y∇ over free multipliers, else the middle of the feasible interval.
  func rho() -> Double {
    var upper = Double.infinity
    var lower = -Double.infinity
    var freeSum = 0.0
    var freeCount = 0
    for t in 0..<n {
      let yg = Double(y[t]) * gradient[t]
      if alpha[t] >= bounds[t] {
        if y[t] < 0 { upper = min(upper, yg) } else { lower = max(lower, yg) }
      } else if alpha[t] <= 0 {
        if y[t] > 0 { upper = min(upper, yg) } else { lower = max(lower, yg) }
      } else {
        freeSum += yg
        freeCount += 1
      }
    }
    return freeCount > 0 ? freeSum / Double(freeCount) : (upper + lower) / 2
  }

  /// ½ αᵀQα − Σα, from ∇ = Qα − 1.
  func objective() -> Double {
    var objective = 0.0
    for t in 0..<n { objective += alpha[t] * (gradient[t] - 1) }
    return objective / 2
  }
}
