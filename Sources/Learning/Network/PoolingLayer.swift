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

  init(plan: LayerPlan, maxBatch: Int) {
    let kernel: Int
    let stride: Int
    switch plan.spec {
    case .maxPool(let k, let s):
      (kernel, stride, isMax) = (k, s, true)
    case .avgPool(let k, let s):
      (kernel, stride, isMax) = (k, s, false)
    default:
      fatalError("not a pooling plan")
    }
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
