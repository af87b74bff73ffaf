/// How an L-BFGS run ended.
enum LBFGSStop: String, Sendable {
  case gradientTolerance = "gradient below tolerance"
  case functionTolerance = "relative decrease below tolerance"
  case maxIterations = "maximum iterations reached"
  case lineSearchFailed = "line search found no acceptable step"
}
