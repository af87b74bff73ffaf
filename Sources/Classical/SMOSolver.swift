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
    let n = y.count
    // Raw buffers: the O(n) passes of each step dominate once kernel rows are cached, and
    // array accesses there would pay bounds and uniqueness checks.
    func buffer<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
      let result = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
      _ = result.initialize(from: values)
      return result
    }
    let alpha = buffer([Double](repeating: 0, count: n))
    let gradient = buffer([Double](repeating: -1, count: n))  // ∇ = Qα − 1 at α = 0
    let qd = buffer(cache.diagonal.map(Double.init))
    let y = buffer(y)
    let bounds = buffer(bounds)
    defer {
      alpha.deallocate()
      gradient.deallocate()
      qd.deallocate()
      y.deallocate()
      bounds.deallocate()
    }
    var iterations = 0
    var limitReached = false

    while true {
      if iterations >= maxIterations {
        limitReached = true
        break
      }
      // i: argmax over I_up of −y_t ∇_t.
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
      guard i >= 0 else { break }
      // j: over I_low with a violation, the largest second-order decrease b²/a.
      var gMax2 = -Double.infinity
      var j = -1
      var bestDecrease = Double.infinity
      let yi = Double(y[i])
      cache.withRow(i) { qi in
        for t in 0..<n {
          if y[t] > 0 {
            guard alpha[t] > 0 else { continue }
            let difference = gMax + gradient[t]
            if gradient[t] >= gMax2 { gMax2 = gradient[t] }
            if difference > 0 {
              let a = qd[i] + qd[t] - 2 * yi * Double(qi[t])
              let decrease = -(difference * difference) / (a > 0 ? a : tau)
              if decrease <= bestDecrease {
                j = t
                bestDecrease = decrease
              }
            }
          } else {
            guard alpha[t] < bounds[t] else { continue }
            let difference = gMax - gradient[t]
            if -gradient[t] >= gMax2 { gMax2 = -gradient[t] }
            if difference > 0 {
              let a = qd[i] + qd[t] + 2 * yi * Double(qi[t])
              let decrease = -(difference * difference) / (a > 0 ? a : tau)
              if decrease <= bestDecrease {
                j = t
                bestDecrease = decrease
              }
            }
          }
        }
      }
      if gMax + gMax2 < tolerance || j < 0 { break }
      iterations += 1

      let (oldI, oldJ) = (alpha[i], alpha[j])
      let (ci, cj) = (bounds[i], bounds[j])
      cache.withRows(i, j) { qi, qj in
        var ai = alpha[i]
        var aj = alpha[j]
        if y[i] != y[j] {
          var a = qd[i] + qd[j] + 2 * Double(qi[j])
          if a <= 0 { a = tau }
          let delta = (-gradient[i] - gradient[j]) / a
          let difference = ai - aj
          ai += delta
          aj += delta
          // Project onto the segment α_i − α_j = difference inside the box.
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
        } else {
          var a = qd[i] + qd[j] - 2 * Double(qi[j])
          if a <= 0 { a = tau }
          let delta = (gradient[i] - gradient[j]) / a
          let sum = ai + aj
          ai -= delta
          aj += delta
          // Project onto the segment α_i + α_j = sum inside the box.
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
        }
        alpha[i] = ai
        alpha[j] = aj
        let (di, dj) = (ai - oldI, aj - oldJ)
        for t in 0..<n { gradient[t] += Double(qi[t]) * di + Double(qj[t]) * dj }
      }
    }

    // ρ: mean of y∇ over free multipliers, else the middle of the feasible interval.
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
    let rho = freeCount > 0 ? freeSum / Double(freeCount) : (upper + lower) / 2
    var objective = 0.0
    for t in 0..<n { objective += alpha[t] * (gradient[t] - 1) }
    return Solution(
      alpha: Array(alpha), rho: rho, iterations: iterations, objective: objective / 2,
      reachedIterationLimit: limitReached)
  }
}
