import Tensor

/// 2-D convolution as im2col + one sgemm per chunk of images.
///
/// A chunk of `g` images is unfolded into `columns` `[C·k·k, g·OH·OW]`; then
/// `out[:, chunk] = W[Cout, C·k·k] · columns`. In the `[C, n, H, W]` layout the chunk's
/// output is a block of the `[Cout, n·OH·OW]` output matrix (row stride `n·OH·OW`), so the
/// GEMM writes it in place. `g` is chosen so a chunk has about ``Workspace``'s column target
/// of columns: big enough for an efficient GEMM, small enough for the columns to stay in cache.
/// A 1×1 stride-1 unpadded convolution reads its input directly.
final class Conv2DLayer: Layer {
  let geometry: ConvGeometry
  let outputs: Int
  let weight: UnsafeMutablePointer<Float>
  let weightGradient: UnsafeMutablePointer<Float>
  let bias: UnsafeMutablePointer<Float>?
  let biasGradient: UnsafeMutablePointer<Float>?
  let columns: UnsafeMutablePointer<Float>
  let chunk: Int
  private let out: FloatBuffer
  private let dIn: FloatBuffer
  private let direct: Bool

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  /// Columns this layer needs for a chunk, so the workspace can size the shared scratch.
  static func chunkImages(plan: LayerPlan, maxBatch: Int, columnTarget: Int) -> Int {
    max(1, min(maxBatch, columnTarget / plan.output.planeSize))
  }

  init(
    plan: LayerPlan, parameters: UnsafeMutablePointer<Float>,
    gradients: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, maxBatch: Int,
    columnTarget: Int
  ) {
    guard case .conv2d(let outputs, let kernel, let stride, let padding, _) = plan.spec else {
      fatalError("not a convolution plan")
    }
    geometry = ConvGeometry(
      channels: plan.input.channels, height: plan.input.height, width: plan.input.width,
      kernel: kernel, stride: stride, padding: padding)
    self.outputs = outputs
    weight = parameters + plan.weight!
    weightGradient = gradients + plan.weight!
    bias = plan.bias.map { parameters + $0 }
    biasGradient = plan.bias.map { gradients + $0 }
    columns = scratch
    chunk = Self.chunkImages(plan: plan, maxBatch: maxBatch, columnTarget: columnTarget)
    direct = kernel == 1 && stride == 1 && padding == 0
    out = FloatBuffer(count: maxBatch * plan.output.size)
    dIn = FloatBuffer(count: maxBatch * plan.input.size)
  }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    let n = context.batch
    let inPlane = geometry.height * geometry.width
    let outPlane = geometry.outputHeight * geometry.outputWidth
    let k = geometry.patchSize
    var first = 0
    while first < n {
      let g = min(chunk, n - first)
      let b: UnsafePointer<Float>
      let ldb: Int
      if direct {
        (b, ldb) = (UnsafePointer(input + first * inPlane), n * inPlane)
      } else {
        im2col(
          input + first * inPlane, geometry: geometry, images: g, channelStride: n * inPlane,
          imageStride: inPlane, into: columns, rowStride: g * outPlane)
        (b, ldb) = (UnsafePointer(columns), g * outPlane)
      }
      sgemm(
        .none, .none, m: outputs, n: g * outPlane, k: k, a: weight, lda: k, b: b, ldb: ldb,
        beta: 0, c: output + first * outPlane, ldc: n * outPlane)
      first += g
    }
    if let bias {
      let run = n * outPlane
      for c in 0..<outputs {
        let p = output + c * run
        let v = bias[c]
        for i in 0..<run { p[i] += v }
      }
    }
  }

  func backward(
    _ input: UnsafeMutablePointer<Float>, _ dOut: UnsafeMutablePointer<Float>,
    _ context: StepContext, inputGradient wantInput: Bool
  ) {
    let n = context.batch
    let inPlane = geometry.height * geometry.width
    let outPlane = geometry.outputHeight * geometry.outputWidth
    let k = geometry.patchSize
    if let biasGradient {
      for c in 0..<outputs {
        biasGradient[c] += Float(VectorMath.sum(dOut + c * n * outPlane, n * outPlane))
      }
    }
    if wantInput { inputGradient.update(repeating: 0, count: n * geometry.channels * inPlane) }
    var first = 0
    while first < n {
      let g = min(chunk, n - first)
      let cols = g * outPlane
      let dy = UnsafePointer(dOut + first * outPlane)
      let x: UnsafePointer<Float>
      let ldx: Int
      if direct {
        (x, ldx) = (UnsafePointer(input + first * inPlane), n * inPlane)
      } else {
        im2col(
          input + first * inPlane, geometry: geometry, images: g, channelStride: n * inPlane,
          imageStride: inPlane, into: columns, rowStride: cols)
        (x, ldx) = (UnsafePointer(columns), cols)
      }
      // dW[Cout, K] += dY[Cout, cols] · X[K, cols]ᵀ
      sgemm(
        .none, .transposed, m: outputs, n: k, k: cols, a: dy, lda: n * outPlane, b: x,
        ldb: ldx, beta: 1, c: weightGradient, ldc: k)
      if wantInput {
        if direct {
          // dX[C, cols] += Wᵀ · dY, written straight into the input gradient.
          sgemm(
            .transposed, .none, m: k, n: cols, k: outputs, a: weight, lda: k, b: dy,
            ldb: n * outPlane, beta: 0, c: inputGradient + first * inPlane, ldc: n * inPlane)
        } else {
          // dColumns[K, cols] = Wᵀ · dY, folded back onto the input positions.
          sgemm(
            .transposed, .none, m: k, n: cols, k: outputs, a: weight, lda: k, b: dy,
            ldb: n * outPlane, beta: 0, c: columns, ldc: cols)
          col2im(
            columns, rowStride: cols, geometry: geometry, images: g,
            adding: inputGradient + first * inPlane, channelStride: n * inPlane,
            imageStride: inPlane)
        }
      }
      first += g
    }
  }
}
