import Tensor

/// Parametric ReLU with one slope per channel: `y = x` where `x > 0`, else `a_c · x`
/// (PyTorch's `PReLU(channels)`; on features, a channel is one feature).
///
/// Activations are `[C, n, H, W]`, so channel `c`'s elements are one run of `n·H·W`; the
/// slope gradient is `Σ dy · x` over that run where `x ≤ 0`.
final class PReLULayer: Layer {
  let channels: Int
  let planeSize: Int
  let slopes: UnsafeMutablePointer<Float>
  let slopeGradients: UnsafeMutablePointer<Float>
  private let out: FloatBuffer
  private let dIn: FloatBuffer

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  init(
    plan: LayerPlan, parameters: UnsafeMutablePointer<Float>,
    gradients: UnsafeMutablePointer<Float>, maxBatch: Int
  ) {
    channels = plan.input.channels
    planeSize = plan.input.planeSize
    slopes = parameters + plan.weight!
    slopeGradients = gradients + plan.weight!
    out = FloatBuffer(count: maxBatch * plan.input.size)
    dIn = FloatBuffer(count: maxBatch * plan.input.size)
  }

  func forward(_ x: UnsafeMutablePointer<Float>, _ context: StepContext) {
    let run = context.batch * planeSize
    for c in 0..<channels {
      VectorMath.prelu(x + c * run, slope: slopes[c], into: output + c * run, count: run)
    }
  }

  func backward(
    _ x: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    let run = context.batch * planeSize
    for c in 0..<channels {
      let a = slopes[c]
      let xc = x + c * run
      let dy = dOut + c * run
      var slopeGradient: Float = 0
      for i in 0..<run where xc[i] <= 0 { slopeGradient += dy[i] * xc[i] }
      slopeGradients[c] += slopeGradient
      guard wantInput else { continue }
      let dx = inputGradient + c * run
      for i in 0..<run { dx[i] = xc[i] > 0 ? dy[i] : a * dy[i] }
    }
  }
}
