/// Outcome of an L-BFGS run.
struct LBFGSResult: Sendable {
  var x: [Double]
  var value: Double
  var gradientMaxNorm: Double
  var iterations: Int
  var evaluations: Int
  var stop: LBFGSStop
  var converged: Bool { stop == .gradientTolerance || stop == .functionTolerance }
}
