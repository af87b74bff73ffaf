/// Max pooling with PyTorch's `ceil_mode=True` (no padding): the output has
/// ``outputSide(_:kernel:stride:)`` rows and columns, and a window that runs past the bottom or
/// right edge is clipped to the input (the maximum of the elements it still covers). MTCNN's
/// nets were trained with it; plain ``PoolingLayer`` drops such partial windows.
///
/// Activations are `[C, n, H, W]`, i.e. `C·n` planes back to back. The winning input index of
/// each output (first maximum in row-major order) is kept for the backward pass.
final class CeilMaxPoolLayer: Layer {
  let kernel: Int
  let stride: Int
  let input: ActivationShape
  let outputShape: ActivationShape
  private let out: FloatBuffer
  private let dIn: FloatBuffer
  private let argmax: UnsafeMutablePointer<Int32>

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  /// PyTorch's output length for an input of `length` (≥ `kernel`): `⌈(length − kernel) /
  /// stride⌉ + 1`, less one if the last window would start at or past the input's end.
  static func outputSide(_ length: Int, kernel: Int, stride: Int) -> Int {
    var side = (length - kernel + stride - 1) / stride + 1
    if (side - 1) * stride >= length { side -= 1 }
    return side
  }

  init(plan: LayerPlan, maxBatch: Int) {
    guard case .maxPoolCeil(let k, let s) = plan.spec else { fatalError("not a maxPoolCeil plan") }
    (kernel, stride) = (k, s)
    input = plan.input
    outputShape = plan.output
    out = FloatBuffer(count: maxBatch * plan.output.size)
    dIn = FloatBuffer(count: maxBatch * plan.input.size)
    argmax = .allocate(capacity: max(1, maxBatch * plan.output.size))
    argmax.initialize(repeating: 0, count: max(1, maxBatch * plan.output.size))
  }

  deinit { argmax.deallocate() }

  func forward(_ x: UnsafeMutablePointer<Float>, _ context: StepContext) {
    let (h, w) = (input.height, input.width)
    let (oh, ow) = (outputShape.height, outputShape.width)
    for p in 0..<(input.channels * context.batch) {
      let plane = x + p * h * w
      let y = output + p * oh * ow
      let arg = argmax + p * oh * ow
      for oy in 0..<oh {
        let top = oy * stride
        let bottom = min(top + kernel, h)
        for ox in 0..<ow {
          let left = ox * stride
          let right = min(left + kernel, w)
          var bestIndex = top * w + left
          var best = plane[bestIndex]
          for iy in top..<bottom {
            for ix in left..<right where plane[iy * w + ix] > best {
              best = plane[iy * w + ix]
              bestIndex = iy * w + ix
            }
          }
          y[oy * ow + ox] = best
          arg[oy * ow + ox] = Int32(truncatingIfNeeded: bestIndex)
        }
      }
    }
  }

  func backward(
    _ x: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    guard wantInput else { return }
    let planeIn = input.planeSize
    let planeOut = outputShape.planeSize
    let planes = input.channels * context.batch
    inputGradient.update(repeating: 0, count: planes * planeIn)
    for p in 0..<planes {
      let dx = inputGradient + p * planeIn
      let dy = dOut + p * planeOut
      let arg = argmax + p * planeOut
      for o in 0..<planeOut { dx[Int(arg[o])] += dy[o] }
    }
  }
}
