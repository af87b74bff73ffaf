import Foundation

/// Layers applied in order; the output of each is the input of the next. An empty sequence is
/// the identity (its output is its input). With ``profile`` set it accumulates each layer's
/// forward and backward wall time.
final class SequenceLayer: Layer {
  let layers: [any Layer]
  private var lastInput: UnsafeMutablePointer<Float>?
  /// Per-layer `(forward, backward)` seconds, when profiling.
  var profile: [(Double, Double)]?

  init(_ layers: [any Layer]) { self.layers = layers }

  var output: UnsafeMutablePointer<Float> { layers.last?.output ?? lastInput! }
  var inputGradient: UnsafeMutablePointer<Float> { layers.first!.inputGradient }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    lastInput = input
    var x = input
    for (index, layer) in layers.enumerated() {
      let start = profile == nil ? 0 : DispatchTime.now().uptimeNanoseconds
      layer.forward(x, context)
      if profile != nil {
        profile![index].0 += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
      }
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
      let start = profile == nil ? 0 : DispatchTime.now().uptimeNanoseconds
      layers[index].backward(x, dy, context, inputGradient: index > 0 || wantInput)
      if profile != nil {
        profile![index].1 += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
      }
      dy = layers[index].inputGradient
    }
  }
}
