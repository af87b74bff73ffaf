import Foundation
import Tensor

/// One trained binary machine over its own sample subset.
struct BinaryMachine: Sendable {
  var alpha: [Double]
  var rho: Double
  var iterations: Int
  var reachedIterationLimit: Bool
  var kernelRows: Int
}
