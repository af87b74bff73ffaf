import NeuralNet
import Tensor

/// A dense layer of a crop network (``CropNetShape/Dense``): `weights` `[outputs, inputs]`
/// row-major, its bias and optional PReLU, run on one feature vector (`sgemv`) or on a batch of
/// them (`sgemm`, which reads the weights once for the whole batch).
struct CropNetDense: Sendable {
  var weights: [Float]
  var bias: [Float]
  var slopes: [Float]?
  var inputs: Int { weights.count / bias.count }
  var outputs: Int { bias.count }

  /// The layer `shape` with parameters by name.
  init(shape: CropNetShape.Dense, parameter: (String) throws -> [Float]) throws {
    weights = try parameter("\(shape.index).weight")
    bias = try parameter("\(shape.index).bias")
    slopes = try shape.preluIndex.map { try parameter("\($0).weight") }
    guard weights.count == shape.outputs * shape.inputs, bias.count == shape.outputs,
      slopes.map({ $0.count == shape.outputs }) ?? true
    else {
      throw NetworkError.unsupported("layer \(shape.index): parameters of the wrong size")
    }
  }

  /// The layer with its weights' columns in another order: input `k` of the new layer is input
  /// `order[k]` of this one (nil: a column of zeros, for inputs the features pad with).
  func withInputs(_ order: [Int?]) -> CropNetDense {
    var copy = self
    copy.weights = [Float](repeating: 0, count: outputs * order.count)
    for o in 0..<outputs {
      for (k, from) in order.enumerated() {
        if let from { copy.weights[o * order.count + k] = weights[o * inputs + from] }
      }
    }
    return copy
  }

  /// `y = PReLU(W · x + b)` for `count` feature vectors (`x` `[count, inputs]`, `y` `[count,
  /// outputs]`, both row-major).
  func apply(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
    for i in 0..<count { (y + i * outputs).update(from: bias, count: outputs) }
    weights.withUnsafeBufferPointer { w in
      if count == 1 {
        sgemv(m: outputs, n: inputs, a: w.baseAddress!, lda: inputs, x: x, beta: 1, y: y)
      } else {
        sgemm(
          .none, .transposed, m: count, n: outputs, k: inputs, a: x, lda: inputs,
          b: w.baseAddress!, ldb: inputs, beta: 1, c: y, ldc: outputs)
      }
    }
    if let slopes {
      for i in 0..<count {
        for o in 0..<outputs where y[i * outputs + o] < 0 { y[i * outputs + o] *= slopes[o] }
      }
    }
  }
}
