/// A layer whose work another layer already did (a ReLU fused into the batch norm before it):
/// its output is its input and its input gradient is its output gradient, without copies.
final class PassThroughLayer: Layer {
  private var lastInput: UnsafeMutablePointer<Float>?
  private var lastGradient: UnsafeMutablePointer<Float>?

  var output: UnsafeMutablePointer<Float> { lastInput! }
  var inputGradient: UnsafeMutablePointer<Float> { lastGradient! }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    lastInput = input
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ outputGradient: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient: Bool
  ) {
    lastGradient = outputGradient
  }
}
