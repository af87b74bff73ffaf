import Tensor

/// Fully connected layer on features: `Y[out, n] = W[out, in] · X[in, n] + b` (a batch of
/// features is `[in, n]`, one image per column), one sgemm each way.
final class DenseLayer: Layer {
  let inputs: Int
  let outputs: Int
  let weight: UnsafeMutablePointer<Float>
  let weightGradient: UnsafeMutablePointer<Float>
  let bias: UnsafeMutablePointer<Float>?
  let biasGradient: UnsafeMutablePointer<Float>?
  private let out: FloatBuffer
  private let dIn: FloatBuffer

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  /// The outputs of a `dense` spec, and its plan for the input shape and parameter offsets
  /// (the bias exists if the plan has one).
  init(
    outputs: Int, plan: LayerPlan, parameters: UnsafeMutablePointer<Float>,
    gradients: UnsafeMutablePointer<Float>, maxBatch: Int
  ) {
    inputs = plan.input.channels
    self.outputs = outputs
    weight = parameters + plan.weight!
    weightGradient = gradients + plan.weight!
    bias = plan.bias.map { parameters + $0 }
    biasGradient = plan.bias.map { gradients + $0 }
    out = FloatBuffer(count: maxBatch * outputs)
    dIn = FloatBuffer(count: maxBatch * inputs)
  }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    let n = context.batch
    sgemm(
      .none, .none, m: outputs, n: n, k: inputs, a: weight, lda: inputs, b: input, ldb: n,
      beta: 0, c: output, ldc: n)
    if let bias {
      for o in 0..<outputs {
        let row = output + o * n
        for i in 0..<n { row[i] += bias[o] }
      }
    }
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    let n = context.batch
    if let biasGradient {
      for o in 0..<outputs { biasGradient[o] += Float(VectorMath.sum(dOut + o * n, n)) }
    }
    // dW[out, in] += dY[out, n] · X[in, n]ᵀ
    sgemm(
      .none, .transposed, m: outputs, n: inputs, k: n, a: dOut, lda: n, b: input, ldb: n,
      beta: 1, c: weightGradient, ldc: inputs)
    if wantInput {
      // dX[in, n] = Wᵀ · dY
      sgemm(
        .transposed, .none, m: inputs, n: n, k: outputs, a: weight, lda: inputs, b: dOut,
        ldb: n, beta: 0, c: inputGradient, ldc: n)
    }
  }
}
