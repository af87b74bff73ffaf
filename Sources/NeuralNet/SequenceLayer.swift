import Foundation

/// Layers applied in order; the output of each is the input of the next. An empty sequence is
/// the identity (its output is its input). With ``profile`` set it accumulates each layer's
/// forward and backward time on the calling thread's CPU clock (robust to other processes
/// competing for the cores; BLAS must then run on the calling thread).
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
      let start = profile == nil ? 0 : threadCPUNanoseconds()
      layer.forward(x, context)
      if profile != nil {
        profile![index].0 += Double(threadCPUNanoseconds() - start) * 1e-9
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
      let start = profile == nil ? 0 : threadCPUNanoseconds()
      layers[index].backward(x, dy, context, inputGradient: index > 0 || wantInput)
      if profile != nil {
        profile![index].1 += Double(threadCPUNanoseconds() - start) * 1e-9
      }
      dy = layers[index].inputGradient
    }
  }
}

/// CPU time consumed by the calling thread, in nanoseconds.
func threadCPUNanoseconds() -> UInt64 {
  var t = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
  return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}
