/// `body(x) + shortcut(x)`, the shortcut being the identity when it has no layers.
final class ResidualLayer: Layer {
  let body: SequenceLayer
  let shortcut: SequenceLayer
  let inputSize: Int
  let outputSize: Int
  private let out: FloatBuffer
  private let dIn: FloatBuffer

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  init(plan: LayerPlan, body: SequenceLayer, shortcut: SequenceLayer, maxBatch: Int) {
    self.body = body
    self.shortcut = shortcut
    inputSize = plan.input.size
    outputSize = plan.output.size
    out = FloatBuffer(count: maxBatch * outputSize)
    dIn = FloatBuffer(count: maxBatch * inputSize)
  }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    body.forward(input, context)
    shortcut.forward(input, context)
    let a = body.output
    let b = shortcut.output
    for i in 0..<(context.batch * outputSize) { output[i] = a[i] + b[i] }
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    body.backward(input, dOut, context, inputGradient: wantInput)
    let count = context.batch * inputSize
    if shortcut.layers.isEmpty {
      guard wantInput else { return }
      let a = body.inputGradient
      for i in 0..<count { inputGradient[i] = a[i] + dOut[i] }
    } else {
      shortcut.backward(input, dOut, context, inputGradient: wantInput)
      guard wantInput else { return }
      let a = body.inputGradient
      let b = shortcut.inputGradient
      for i in 0..<count { inputGradient[i] = a[i] + b[i] }
    }
  }
}
