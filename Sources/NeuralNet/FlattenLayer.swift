/// `[C, n, H, W] → [C·H·W, n]` with feature index `c·H·W + y·W + x` (PyTorch's flatten of
/// NCHW), so a following dense layer sees each image as one column.
final class FlattenLayer: Layer {
  let channels: Int
  let plane: Int
  private let out: FloatBuffer
  private let dIn: FloatBuffer

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  init(plan: LayerPlan, maxBatch: Int) {
    channels = plan.input.channels
    plane = plan.input.planeSize
    out = FloatBuffer(count: maxBatch * plan.input.size)
    dIn = FloatBuffer(count: maxBatch * plan.input.size)
  }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    let n = context.batch
    for c in 0..<channels {
      for i in 0..<n {
        let src = input + (c * n + i) * plane
        for p in 0..<plane { output[(c * plane + p) * n + i] = src[p] }
      }
    }
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    guard wantInput else { return }
    let n = context.batch
    for c in 0..<channels {
      for i in 0..<n {
        let dst = inputGradient + (c * n + i) * plane
        for p in 0..<plane { dst[p] = dOut[(c * plane + p) * n + i] }
      }
    }
  }
}
