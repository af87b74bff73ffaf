/// The correction pairs `(s, y)` of L-BFGS, oldest first, and the two-loop recursion that turns
/// them into a search direction.
struct LBFGSHistory {
  /// Most pairs kept; the oldest is dropped to make room.
  let memory: Int
  private var sHistory: [[Double]] = []
  private var yHistory: [[Double]] = []
  private var rhoHistory: [Double] = []
  private var alphas: [Double]

  /// An empty history keeping at most `memory` pairs.
  init(memory: Int) {
    self.memory = memory
    alphas = [Double](repeating: 0, count: memory)
  }

  /// Number of pairs stored.
  var count: Int { sHistory.count }

  /// Forgets every pair (the next direction is steepest descent).
  mutating func removeAll() {
    sHistory.removeAll()
    yHistory.removeAll()
    rhoHistory.removeAll()
  }

  /// Writes `-H·gradient` into `direction` and returns its slope `gradientᵀ·direction`; when that
  /// is not a descent direction (numerical trouble), forgets the pairs and uses `-gradient`.
  mutating func descentDirection(gradient: [Double], into direction: inout [Double]) -> Double {
    twoLoop(gradient: gradient, into: &direction)
    var slope = dot(gradient, direction)
    if !(slope < 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      removeAll()
      for i in 0..<gradient.count { direction[i] = -gradient[i] }
      slope = dot(gradient, direction)
    }
    return slope
  }

  /// Two-loop recursion: direction = -H·g with H₀ = (sᵀy / yᵀy)·I.
  private mutating func twoLoop(gradient: [Double], into direction: inout [Double]) {
    let n = gradient.count
    for i in 0..<n { direction[i] = -gradient[i] }
    let stored = sHistory.count
    for k in stride(from: stored - 1, through: 0, by: -1) {
      let a = rhoHistory[k] * dot(sHistory[k], direction)
      alphas[k] = a
      let y = yHistory[k]
      for i in 0..<n { direction[i] -= a * y[i] }
    }
    if stored > 0 {
      let gamma = 1 / (rhoHistory[stored - 1] * dot(yHistory[stored - 1], yHistory[stored - 1]))
      for i in 0..<n { direction[i] *= gamma }
    }
    for k in 0..<stored {
      let b = rhoHistory[k] * dot(yHistory[k], direction)
      let s = sHistory[k]
      let scale = alphas[k] - b
      for i in 0..<n { direction[i] += scale * s[i] }
    }
  }

  /// Stores the pair of a step `step·direction` that moved the gradient from `old` to `new`,
  /// when its curvature `sᵀy` is safely positive.
  mutating func record(step: Double, direction: [Double], from old: [Double], to new: [Double]) {
    let n = direction.count
    var s = [Double](repeating: 0, count: n)
    var y = [Double](repeating: 0, count: n)
    for i in 0..<n {
      s[i] = step * direction[i]
      y[i] = new[i] - old[i]
    }
    let curvature = dot(s, y)
    guard curvature > Double.ulpOfOne * dot(y, y) else { return }
    if sHistory.count == memory {
      sHistory.removeFirst()
      yHistory.removeFirst()
      rhoHistory.removeFirst()
    }
    sHistory.append(s)
    yHistory.append(y)
    rhoHistory.append(1 / curvature)
  }
}
