import Foundation

/// An elementwise activation (ReLU or SiLU) on any activation shape.
final class ActivationLayer: Layer {
  enum Function { case relu, silu }
  let function: Function
  let size: Int
  private let out: FloatBuffer
  private let dIn: FloatBuffer

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  init(plan: LayerPlan, function: Function, maxBatch: Int) {
    self.function = function
    size = plan.input.size
    out = FloatBuffer(count: maxBatch * size)
    dIn = FloatBuffer(count: maxBatch * size)
  }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    let count = context.batch * size
    let y = output
    switch function {
    case .relu:
      for i in 0..<count { y[i] = max(input[i], 0) }
    case .silu:
      for i in 0..<count {
        let x = input[i]
        y[i] = x / (1 + exp(-x))
      }
    }
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    guard wantInput else { return }
    let count = context.batch * size
    let dx = inputGradient
    switch function {
    case .relu:
      for i in 0..<count { dx[i] = input[i] > 0 ? dOut[i] : 0 }
    case .silu:
      // d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x)))
      for i in 0..<count {
        let x = input[i]
        let s = 1 / (1 + exp(-x))
        dx[i] = dOut[i] * s * (1 + x * (1 - s))
      }
    }
  }
}
