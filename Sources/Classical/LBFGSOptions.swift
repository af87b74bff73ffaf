/// Settings of the limited-memory BFGS minimiser.
struct LBFGSOptions: Sendable {
  /// Number of correction pairs `(s, y)` kept for the inverse-Hessian approximation.
  var memory = 10
  /// Maximum number of quasi-Newton iterations (each one line search).
  var maxIterations = 100
  /// Stop when the largest absolute gradient component is at most this (scipy's `gtol`).
  var gradientTolerance = 1e-4
  /// Stop when the relative decrease `(f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1)` is at most this
  /// (scipy's `ftol`).
  var functionTolerance = 64 * Double.ulpOfOne
  /// Maximum function evaluations in one line search.
  var maxLineSearchSteps = 50
}
