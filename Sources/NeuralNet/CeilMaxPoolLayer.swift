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

  /// PyTorch's output length for an input of `length` (≥ `kernel`); see ``CeilPooling``.
  static func outputSide(_ length: Int, kernel: Int, stride: Int) -> Int {
    CeilPooling.outputSide(length, kernel: kernel, stride: stride)
  }

  /// The window of a `maxPoolCeil` spec, and its plan for the shapes.
  init(kernel: Int, stride: Int, plan: LayerPlan, maxBatch: Int) {
    self.kernel = kernel
    self.stride = stride
    input = plan.input
    outputShape = plan.output
    out = FloatBuffer(count: maxBatch * plan.output.size)
    dIn = FloatBuffer(count: maxBatch * plan.input.size)
    argmax = .allocate(capacity: max(1, maxBatch * plan.output.size))
    argmax.initialize(repeating: 0, count: max(1, maxBatch * plan.output.size))
  }

  deinit { argmax.deallocate() }

  /// Whether `argmax` belongs to the last forward pass (an evaluation pass skips it; a
  /// backward pass after one recomputes it from the input).
  private var argmaxValid = false

  func forward(_ x: UnsafeMutablePointer<Float>, _ context: StepContext) {
    if !context.training && kernel == 2 && stride == 2 {
      maxPool2x2Values(x, planes: input.channels * context.batch)
      argmaxValid = false
    } else if !context.training && kernel == 3 {
      maxPool3x3Values(x, planes: input.channels * context.batch)
      argmaxValid = false
    } else if !context.training {
      maxPoolValues(x, planes: input.channels * context.batch)
      argmaxValid = false
    } else {
      forwardWithArgmax(x, planes: input.channels * context.batch)
    }
  }

  /// The 2×2, stride-2 pool of an evaluation pass (P-Net's first pool, its costliest): values
  /// only. A window cut by the bottom or right edge repeats its last row or column, which
  /// leaves its maximum unchanged.
  private func maxPool2x2Values(_ x: UnsafeMutablePointer<Float>, planes: Int) {
    let (h, w) = (input.height, input.width)
    let (oh, ow) = (outputShape.height, outputShape.width)
    let full = w / 2
    for p in 0..<planes {
      let plane = x + p * h * w
      let y = output + p * oh * ow
      for oy in 0..<oh {
        let a = plane + 2 * oy * w
        let b = plane + min(2 * oy + 1, h - 1) * w
        let row = y + oy * ow
        for ox in 0..<full {
          row[ox] = max(max(a[2 * ox], a[2 * ox + 1]), max(b[2 * ox], b[2 * ox + 1]))
        }
        if full < ow { row[full] = max(a[w - 1], b[w - 1]) }
      }
    }
  }

  /// A 3×3 pool of an evaluation pass (R- and O-Net's, stride 2): values only. Each output row
  /// first takes the maximum of its three input rows element by element (a vector loop), then
  /// of three neighbours of that row at each stride. A window cut by the bottom or right edge
  /// repeats its last row or column, which leaves its maximum unchanged.
  private func maxPool3x3Values(_ x: UnsafeMutablePointer<Float>, planes: Int) {
    let (h, w) = (input.height, input.width)
    let (oh, ow) = (outputShape.height, outputShape.width)
    // Outputs whose window lies inside the row: l + 2 ≤ w − 1.
    let inside = min(ow, w >= 3 ? (w - 3) / stride + 1 : 0)
    withUnsafeTemporaryAllocation(of: Float.self, capacity: w) { column in
      let v = column.baseAddress!
      for p in 0..<planes {
        let plane = x + p * h * w
        let y = output + p * oh * ow
        for oy in 0..<oh {
          let top = oy * stride
          let a = plane + top * w
          let b = plane + min(top + 1, h - 1) * w
          let c = plane + min(top + 2, h - 1) * w
          for i in 0..<w { v[i] = max(max(a[i], b[i]), c[i]) }
          let row = y + oy * ow
          for ox in 0..<inside {
            let l = ox * stride
            row[ox] = max(max(v[l], v[l + 1]), v[l + 2])
          }
          for ox in inside..<ow {
            let l = ox * stride
            let (m, r) = (min(l + 1, w - 1), min(l + 2, w - 1))
            row[ox] = max(max(v[l], v[m]), v[r])
          }
        }
      }
    }
  }

  /// Any other pool of an evaluation pass: values only, windows clipped to the input.
  private func maxPoolValues(_ x: UnsafeMutablePointer<Float>, planes: Int) {
    let (h, w) = (input.height, input.width)
    let (oh, ow) = (outputShape.height, outputShape.width)
    for p in 0..<planes {
      let plane = x + p * h * w
      let y = output + p * oh * ow
      for oy in 0..<oh {
        let top = oy * stride
        let bottom = min(top + kernel, h)
        for ox in 0..<ow {
          let left = ox * stride
          let right = min(left + kernel, w)
          var best = plane[top * w + left]
          for iy in top..<bottom {
            let row = plane + iy * w
            for ix in left..<right { best = max(best, row[ix]) }
          }
          y[oy * ow + ox] = best
        }
      }
    }
  }

  private func forwardWithArgmax(_ x: UnsafeMutablePointer<Float>, planes: Int) {
    argmaxValid = true
    let (h, w) = (input.height, input.width)
    let (oh, ow) = (outputShape.height, outputShape.width)
    for p in 0..<planes {
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
    if !argmaxValid { forwardWithArgmax(x, planes: input.channels * context.batch) }
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
