import Tensor

/// Inverted dropout with masks hashed from (step seed, layer, image, element): the same image
/// gets the same mask however the batch is split between workers, and a resumed run draws the
/// same masks. Identity in evaluation.
final class DropoutLayer: Layer {
  let rate: Float
  let size: Int
  let salt: UInt64
  let planeSize: Int
  private let mask: FloatBuffer
  private let out: FloatBuffer
  private let dIn: FloatBuffer
  private var lastTraining = false

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  /// The rate of a `dropout` spec, and its plan for the shape and ordinal.
  init(rate: Float, plan: LayerPlan, maxBatch: Int) {
    self.rate = rate
    size = plan.input.size
    planeSize = plan.input.planeSize
    salt = SplitMix64.mix(UInt64(plan.ordinal) &* 0xD1B5_4A32_D192_ED03)
    mask = FloatBuffer(count: maxBatch * size)
    out = FloatBuffer(count: maxBatch * size)
    dIn = FloatBuffer(count: maxBatch * size)
  }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    let n = context.batch
    let count = n * size
    lastTraining = context.training && rate > 0
    guard lastTraining else {
      output.update(from: input, count: count)
      return
    }
    // Element (c, i, p) sits at (c·n + i)·plane + p; its key is the image's index in the
    // whole batch and the element's position within the image, c·plane + p.
    let keep = 1 / (1 - rate)
    let threshold = UInt64(Double(rate) * 0x1p24)
    let base = SplitMix64.mix(context.seed ^ salt)
    let m = mask.pointer
    let channels = size / planeSize
    var j = 0
    for c in 0..<channels {
      for i in 0..<n {
        let imageKey = UInt64(context.imageOffset + i) << 32
        for p in 0..<planeSize {
          let key = imageKey | UInt64(c * planeSize + p)
          let r = SplitMix64.mix(base &+ key &* 0x9E37_79B9_7F4A_7C15) >> 40
          let v: Float = r < threshold ? 0 : keep
          m[j] = v
          output[j] = input[j] * v
          j += 1
        }
      }
    }
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    guard wantInput else { return }
    let count = context.batch * size
    if lastTraining {
      for j in 0..<count { inputGradient[j] = dOut[j] * mask.pointer[j] }
    } else {
      inputGradient.update(from: dOut, count: count)
    }
  }
}
