import Tensor

/// Max or average pooling over `kernel × kernel` windows (no padding) of every plane; a batch
/// `[C, n, H, W]` is `C·n` planes back to back. Max pooling remembers the winning input index
/// of each output for the backward pass.
final class PoolingLayer: Layer {
  let geometry: ConvGeometry
  let isMax: Bool
  private let out: FloatBuffer
  private let dIn: FloatBuffer
  private let argmax: UnsafeMutablePointer<Int32>

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  /// The window of a `maxPool` (`isMax`) or `avgPool` spec, and its plan for the shapes.
  init(kernel: Int, stride: Int, isMax: Bool, plan: LayerPlan, maxBatch: Int) {
    self.isMax = isMax
    geometry = ConvGeometry(
      channels: plan.input.channels, height: plan.input.height, width: plan.input.width,
      kernel: kernel, stride: stride)
    out = FloatBuffer(count: maxBatch * plan.output.size)
    dIn = FloatBuffer(count: maxBatch * plan.input.size)
    let argmaxCount = isMax ? maxBatch * plan.output.size : 1
    argmax = .allocate(capacity: argmaxCount)
    argmax.initialize(repeating: 0, count: argmaxCount)
  }

  deinit { argmax.deallocate() }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    let g = geometry
    let (h, w, oh, ow) = (g.height, g.width, g.outputHeight, g.outputWidth)
    let (k, s) = (g.kernelHeight, g.strideY)
    let planes = g.channels * context.batch
    let scale = 1 / Float(k * k)
    if isMax && k == 2 && s == 2 {
      maxPool2x2(input, planes: planes)
      return
    }
    for p in 0..<planes {
      let x = input + p * h * w
      let y = output + p * oh * ow
      let arg = argmax + (isMax ? p * oh * ow : 0)
      for oy in 0..<oh {
        for ox in 0..<ow {
          let base = oy * s * w + ox * s
          if isMax {
            var best = x[base]
            var bestIndex = base
            for ky in 0..<k {
              for kx in 0..<k {
                let j = base + ky * w + kx
                if x[j] > best {
                  best = x[j]
                  bestIndex = j
                }
              }
            }
            y[oy * ow + ox] = best
            arg[oy * ow + ox] = Int32(bestIndex)
          } else {
            var total: Float = 0
            for ky in 0..<k {
              for kx in 0..<k { total += x[base + ky * w + kx] }
            }
            y[oy * ow + ox] = total * scale
          }
        }
      }
    }
  }

  /// The common 2×2, stride-2 max pool, eight windows at a time in SIMD registers (even and
  /// odd columns de-interleaved). The winner is the first maximum in row-major order, as in
  /// the general loop; scalar Float comparisons would compile to unpredictable branches.
  private func maxPool2x2(_ input: UnsafeMutablePointer<Float>, planes: Int) {
    let (h, w) = (geometry.height, geometry.width)
    let (oh, ow) = (geometry.outputHeight, geometry.outputWidth)
    let lanes = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
    let right = SIMD8<Int32>(repeating: 1)
    let below = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: w))
    let belowRight = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: w + 1))
    for p in 0..<planes {
      let x = input + p * h * w
      let y = output + p * oh * ow
      let arg = argmax + p * oh * ow
      for oy in 0..<oh {
        let top = x + 2 * oy * w
        let bottom = top + w
        let base = 2 * oy * w
        var ox = 0
        while ox + 8 <= ow {
          let t = UnsafeRawPointer(top + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
          let u = UnsafeRawPointer(bottom + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
          let (a, b, c, d) = (t.evenHalf, t.oddHalf, u.evenHalf, u.oddHalf)
          var m = a
          m.replace(with: b, where: b .> m)
          m.replace(with: c, where: c .> m)
          m.replace(with: d, where: d .> m)
          var offset = belowRight
          offset.replace(with: below, where: c .== m)
          offset.replace(with: right, where: b .== m)
          offset.replace(with: SIMD8(), where: a .== m)
          UnsafeMutableRawPointer(y + oy * ow + ox).storeBytes(of: m, as: SIMD8<Float>.self)
          let index =
            offset &+ lanes &+ SIMD8(repeating: Int32(truncatingIfNeeded: base + 2 * ox))
          UnsafeMutableRawPointer(arg + oy * ow + ox).storeBytes(
            of: index, as: SIMD8<Int32>.self)
          ox += 8
        }
        while ox < ow {
          var best = top[2 * ox]
          var index = base + 2 * ox
          if top[2 * ox + 1] > best {
            best = top[2 * ox + 1]
            index = base + 2 * ox + 1
          }
          if bottom[2 * ox] > best {
            best = bottom[2 * ox]
            index = base + w + 2 * ox
          }
          if bottom[2 * ox + 1] > best {
            best = bottom[2 * ox + 1]
            index = base + w + 2 * ox + 1
          }
          y[oy * ow + ox] = best
          arg[oy * ow + ox] = Int32(truncatingIfNeeded: index)
          ox += 1
        }
      }
    }
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    guard wantInput else { return }
    let g = geometry
    let (h, w, oh, ow) = (g.height, g.width, g.outputHeight, g.outputWidth)
    let (k, s) = (g.kernelHeight, g.strideY)
    let planes = g.channels * context.batch
    inputGradient.update(repeating: 0, count: planes * h * w)
    let scale = 1 / Float(k * k)
    for p in 0..<planes {
      let dx = inputGradient + p * h * w
      let dy = dOut + p * oh * ow
      if isMax {
        let arg = argmax + p * oh * ow
        for o in 0..<(oh * ow) { dx[Int(arg[o])] += dy[o] }
      } else {
        for oy in 0..<oh {
          for ox in 0..<ow {
            let v = dy[oy * ow + ox] * scale
            let base = oy * s * w + ox * s
            for ky in 0..<k {
              for kx in 0..<k { dx[base + ky * w + kx] += v }
            }
          }
        }
      }
    }
  }
}
