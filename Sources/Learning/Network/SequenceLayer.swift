/// Layers applied in order; the output of each is the input of the next. An empty sequence is
/// the identity (its output is its input).
final class SequenceLayer: Layer {
  let layers: [any Layer]
  private var lastInput: UnsafeMutablePointer<Float>?

  init(_ layers: [any Layer]) { self.layers = layers }

  var output: UnsafeMutablePointer<Float> { layers.last?.output ?? lastInput! }
  var inputGradient: UnsafeMutablePointer<Float> { layers.first!.inputGradient }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    lastInput = input
    var x = input
    for layer in layers {
      layer.forward(x, context)
      x = layer.output
    }
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    var dy = dOut
    for index in layers.indices.reversed() {
      let x = index == 0 ? input : layers[index - 1].output
      layers[index].backward(x, dy, context, inputGradient: index > 0 || wantInput)
      dy = layers[index].inputGradient
    }
  }
}
