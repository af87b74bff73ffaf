import Tensor

/// Mean of each plane: `[C, n, H, W] → [C, n, 1, 1]` (the planes are contiguous runs).
final class GlobalAvgPoolLayer: Layer {
  let planes: Int
  let plane: Int
  private let out: FloatBuffer
  private let dIn: FloatBuffer

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  init(plan: LayerPlan, maxBatch: Int) {
    planes = plan.input.channels
    plane = plan.input.planeSize
    out = FloatBuffer(count: maxBatch * plan.output.size)
    dIn = FloatBuffer(count: maxBatch * plan.input.size)
  }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    for p in 0..<(planes * context.batch) {
      output[p] = Float(VectorMath.sum(input + p * plane, plane) / Double(plane))
    }
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    guard wantInput else { return }
    let scale = 1 / Float(plane)
    for p in 0..<(planes * context.batch) {
      (inputGradient + p * plane).update(repeating: dOut[p] * scale, count: plane)
    }
  }
}
