/// Minimises a smooth function with L-BFGS (Nocedal & Wright, Alg. 7.4/7.5) and a line search
/// that enforces the strong Wolfe conditions (Alg. 3.5/3.6, cubic interpolation in `zoom`).
///
/// `objective(x, &gradient)` returns `f(x)` and writes `∇f(x)` into `gradient` (same length).
/// Vectors are Double: the caller may evaluate in Float32 through BLAS, but the curvature pairs
/// and step arithmetic need the extra precision near the optimum.
func minimizeLBFGS(
  from start: [Double], options: LBFGSOptions,
  objective: (_ x: [Double], _ gradient: inout [Double]) -> Double
) -> LBFGSResult {
  let n = start.count
  var x = start
  var gradient = [Double](repeating: 0, count: n)
  var value = objective(x, &gradient)
  var evaluations = 1
  var history = LBFGSHistory(memory: options.memory)
  var direction = [Double](repeating: 0, count: n)

  if maxAbs(gradient) <= options.gradientTolerance {
    return LBFGSResult(
      x: x, value: value, gradientMaxNorm: maxAbs(gradient), iterations: 0,
      evaluations: evaluations, stop: .gradientTolerance)
  }
  var iteration = 0
  var stop = LBFGSStop.maxIterations
  while iteration < options.maxIterations {
    iteration += 1
    let stored = history.count
    let slope = history.descentDirection(gradient: gradient, into: &direction)
    // First step (no curvature yet) has unit length, as in L-BFGS-B; later steps try α = 1.
    let initialStep = stored == 0 ? min(1, 1 / dot(direction, direction).squareRoot()) : 1
    let search = strongWolfeLineSearch(
      x: x, value: value, slope: slope, direction: direction, initialStep: initialStep,
      maxSteps: options.maxLineSearchSteps, objective: objective)
    evaluations += search.evaluations
    guard let accepted = search.accepted else {
      if stored > 0 {
        // Retry this iteration from steepest descent before giving up.
        history.removeAll()
        iteration -= 1
        if evaluations > options.maxIterations * options.maxLineSearchSteps { break }
        continue
      }
      stop = .lineSearchFailed
      break
    }
    let previousValue = value
    history.record(
      step: accepted.step, direction: direction, from: gradient, to: accepted.gradient)
    x = accepted.x
    value = accepted.value
    gradient = accepted.gradient
    if let reached = convergence(
      gradient: gradient, previousValue: previousValue, value: value, options: options)
    {
      stop = reached
      break
    }
  }
  return LBFGSResult(
    x: x, value: value, gradientMaxNorm: maxAbs(gradient), iterations: iteration,
    evaluations: evaluations, stop: stop)
}

/// The tolerance an iteration from `previousValue` to `value` (with `gradient`) met, if any: the
/// gradient's, checked first, then the relative decrease's.
private func convergence(
  gradient: [Double], previousValue: Double, value: Double, options: LBFGSOptions
) -> LBFGSStop? {
  if maxAbs(gradient) <= options.gradientTolerance { return .gradientTolerance }
  let decrease = (previousValue - value) / max(abs(previousValue), abs(value), 1)
  return decrease <= options.functionTolerance ? .functionTolerance : nil
}

/// The largest absolute component of `v` (0 when empty).
func maxAbs(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }

/// `Σ aᵢ·bᵢ`, summed in index order.
func dot(_ a: [Double], _ b: [Double]) -> Double {
  var sum = 0.0
  for i in 0..<a.count { sum += a[i] * b[i] }
  return sum
}

/// Finds a step `α` along `direction` satisfying the strong Wolfe conditions
/// `f(x+αd) ≤ f(x) + c₁·α·f'(0)` and `|f'(α)| ≤ c₂·|f'(0)|` with c₁ = 1e-4, c₂ = 0.9.
/// Returns nil `accepted` when no such step is found within `maxSteps` evaluations.
func strongWolfeLineSearch(
  x: [Double], value: Double, slope: Double, direction: [Double], initialStep: Double,
  maxSteps: Int, objective: (_ x: [Double], _ gradient: inout [Double]) -> Double
) -> (accepted: LineSearchPoint?, evaluations: Int) {
  let c1 = 1e-4
  let c2 = 0.9
  var evaluations = 0
  func evaluate(_ step: Double) -> LineSearchPoint {
    evaluations += 1
    var point = x
    for i in 0..<point.count { point[i] += step * direction[i] }
    var gradient = [Double](repeating: 0, count: x.count)
    let f = objective(point, &gradient)
    var d = 0.0
    for i in 0..<gradient.count { d += gradient[i] * direction[i] }
    return LineSearchPoint(step: step, x: point, value: f, gradient: gradient, slope: d)
  }
  func sufficientDecrease(_ p: LineSearchPoint) -> Bool {
    p.value.isFinite && p.value <= value + c1 * p.step * slope
  }
  func curvatureHolds(_ p: LineSearchPoint) -> Bool { abs(p.slope) <= -c2 * slope }
  // Hager & Zhang's approximate Wolfe test: once f is flat to within its rounding noise (the
  // loss is summed from Float32 GEMM scores), sufficient decrease is judged from the slope,
  // which stays accurate, instead of from f differences drowned in noise.
  let flatness = 1e-6 * abs(value)
  func approximatelyAcceptable(_ p: LineSearchPoint) -> Bool {
    p.value.isFinite && p.value <= value + flatness && p.slope <= (1 - 2 * c1) * -slope
      && curvatureHolds(p)
  }

  let origin = LineSearchPoint(step: 0, x: x, value: value, gradient: [], slope: slope)
  var previous = origin
  var step = initialStep
  var low: LineSearchPoint
  var high: LineSearchPoint
  // Bracketing phase: grow the step until it brackets an acceptable point.
  while true {
    if evaluations >= maxSteps { return (nil, evaluations) }
    let current = evaluate(step)
    if approximatelyAcceptable(current) { return (current, evaluations) }
    if !sufficientDecrease(current) || (previous.step > 0 && current.value >= previous.value) {
      (low, high) = (previous, current)
      break
    }
    if curvatureHolds(current) { return (current, evaluations) }
    if current.slope >= 0 {
      (low, high) = (current, previous)
      break
    }
    previous = current
    step *= 4
  }
  // Zoom phase: shrink [low, high] (unordered) keeping low the best sufficient-decrease point.
  while evaluations < maxSteps {
    let (a, b) = (low.step, high.step)
    let width = abs(b - a)
    if width <= 1e-14 * max(abs(a), abs(b), 1e-300) { break }
    var trial = cubicMinimizer(low, high)
    let lower = min(a, b) + 0.1 * width
    let upper = max(a, b) - 0.1 * width
    if !trial.isFinite || trial < lower || trial > upper { trial = (a + b) / 2 }
    let current = evaluate(trial)
    if approximatelyAcceptable(current) { return (current, evaluations) }
    if !sufficientDecrease(current) || current.value >= low.value {
      high = current
    } else {
      if curvatureHolds(current) { return (current, evaluations) }
      if current.slope * (high.step - low.step) >= 0 { high = low }
      low = current
    }
  }
  // Out of steps: accept the best decreasing point found, if any, rather than nothing.
  if low.step > 0, low.value < value { return (low, evaluations) }
  return (nil, evaluations)
}

/// The minimiser of the cubic interpolating values and slopes at two line-search points.
private func cubicMinimizer(_ p: LineSearchPoint, _ q: LineSearchPoint) -> Double {
  let d1 = p.slope + q.slope - 3 * (p.value - q.value) / (p.step - q.step)
  let discriminant = d1 * d1 - p.slope * q.slope
  guard discriminant >= 0 else { return .nan }
  let d2 = (q.step > p.step ? 1.0 : -1.0) * discriminant.squareRoot()
  return q.step - (q.step - p.step) * (q.slope + d2 - d1) / (q.slope - p.slope + 2 * d2)
}
