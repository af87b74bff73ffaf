import Dispatch
import Tensor

/// 2-D convolution as im2col + one sgemm per chunk of images.
///
/// A chunk of `g` images is unfolded into `columns` `[C·k·k, g·OH·OW]`; then
/// `out[:, chunk] = W[Cout, C·k·k] · columns`. In the `[C, n, H, W]` layout the chunk's
/// output is a block of the `[Cout, n·OH·OW]` output matrix (row stride `n·OH·OW`), so the
/// GEMM writes it in place. `g` is chosen so a chunk has about ``Workspace``'s column target
/// of columns: big enough for an efficient GEMM, small enough for the columns to stay in cache.
/// A 1×1 stride-1 unpadded convolution reads its input directly.
///
/// Backward, the weight gradient is `dY · columnsᵀ` per chunk. The input gradient of a
/// stride-1 convolution is itself a stride-1 convolution of `dY` (padding `k − 1 − p`) with
/// the kernel flipped and its in/out channels swapped, so it is computed like a forward pass
/// (im2col of `dY`, one GEMM with `Cout·k·k` inner dimension straight into `dX`) instead of
/// `Wᵀ · dY` (inner dimension only `Cout`) followed by a scatter-add col2im.
///
/// 3×3 stride-1 convolutions (forward and that input-gradient convolution) use Winograd
/// F(2×2, 3×3) instead of im2col: 16 GEMMs `[Cout, C] · [C, tiles]` per chunk, 2.25× fewer
/// multiply-adds than `[Cout, 9C] · [9C, pixels]`, and transforms that touch less memory than
/// im2col's nine copies of the input. (Not when a single image is split between threads.)
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
  /// The input gradient's convolution (stride 1 only) and its flipped weights.
  private let backGeometry: ConvGeometry?
  private let flipped: FloatBuffer?
  /// Whether the forward and the input-gradient convolutions go through Winograd.
  private let winograd: Bool
  private let backWinograd: Bool
  /// Winograd-transformed kernels `[16][outputs][inputs]` of the current pass.
  private let transformed: FloatBuffer?
  /// Whether `transformed` holds the Winograd transform of the current kernels (kept only
  /// across evaluation calls with frozen weights).
  private var transformedHoldsWeights = false

  var output: UnsafeMutablePointer<Float> { out.pointer }
  var inputGradient: UnsafeMutablePointer<Float> { dIn.pointer }

  /// Images per GEMM chunk.
  static func chunkImages(plan: LayerPlan, maxBatch: Int, columnTarget: Int) -> Int {
    max(1, min(maxBatch, columnTarget / plan.output.planeSize))
  }

  /// Floats of im2col scratch this layer needs (forward columns, and the flipped-kernel
  /// columns of the input gradient).
  static func scratchSize(plan: LayerPlan, maxBatch: Int, columnTarget: Int) -> Int {
    guard case .conv2d(let outputs, let kernel, let stride, let padding, _) = plan.spec else {
      return 0
    }
    let g = chunkImages(plan: plan, maxBatch: maxBatch, columnTarget: columnTarget)
    let forward = plan.input.channels * kernel * kernel * g * plan.output.planeSize
    let backward = stride == 1 ? outputs * kernel * kernel * g * plan.input.planeSize : 0
    var size = max(forward, backward)
    let geometry = ConvGeometry(
      channels: plan.input.channels, height: plan.input.height, width: plan.input.width,
      kernel: kernel, stride: stride, padding: padding)
    if prefersWinograd(geometry) {
      size = max(
        size, winogradScratch(geometry, outputs: outputs, images: g),
        winogradScratch(
          inputGradientGeometry(geometry, outputs: outputs), outputs: geometry.channels,
          images: g))
    }
    return size
  }

  /// Whether `g` goes through Winograd: supported, at least 8 input channels and 4×4 outputs.
  /// (Measured on the VGG net: with one input channel the transforms cost more than the
  /// multiply-adds saved; at 5×5, with 3×3 tiles covering 6×6, Winograd still wins slightly.)
  static func prefersWinograd(_ g: ConvGeometry) -> Bool {
    Winograd.supports(g) && g.channels >= 8 && min(g.outputHeight, g.outputWidth) >= 4
  }

  /// Floats of Winograd scratch for `images` images: transformed input and products, and a plane.
  private static func winogradScratch(_ g: ConvGeometry, outputs: Int, images: Int) -> Int {
    16 * (g.channels + outputs) * Winograd.rowStride(g, images: images) + Winograd.planeSize(g)
  }

  /// The input gradient's convolution of a stride-1 convolution: over the output gradient,
  /// padding `k − 1 − p`.
  private static func inputGradientGeometry(_ g: ConvGeometry, outputs: Int) -> ConvGeometry {
    ConvGeometry(
      channels: outputs, height: g.outputHeight, width: g.outputWidth,
      kernel: g.kernelHeight, stride: 1, padding: g.kernelHeight - 1 - g.paddingY)
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
    if stride == 1 && !direct {
      backGeometry = Self.inputGradientGeometry(geometry, outputs: outputs)
      flipped = FloatBuffer(count: outputs * geometry.patchSize)
    } else {
      backGeometry = nil
      flipped = nil
    }
    winograd = Self.prefersWinograd(geometry)
    backWinograd = backGeometry.map(Self.prefersWinograd) ?? false
    transformed =
      winograd || backWinograd ? FloatBuffer(count: 16 * outputs * geometry.channels) : nil
    out = FloatBuffer(count: maxBatch * plan.output.size)
    dIn = FloatBuffer(count: maxBatch * plan.input.size)
  }

  func forward(_ input: UnsafeMutablePointer<Float>, _ context: StepContext) {
    let n = context.batch
    let inPlane = geometry.height * geometry.width
    let outPlane = geometry.outputHeight * geometry.outputWidth
    let k = geometry.patchSize
    if winograd && context.threads == 1, let transformed {
      if !(context.frozenWeights && transformedHoldsWeights) {
        Winograd.transformWeights(
          weight, outputs: outputs, channels: geometry.channels, into: transformed.pointer)
      }
      transformedHoldsWeights = context.frozenWeights
      winogradConvolution(
        input, geometry: geometry, outputs: outputs, batch: n, kernels: transformed.pointer,
        into: output)
    }
    var first = winograd && context.threads == 1 ? n : 0
    while first < n {
      let g = min(chunk, n - first)
      let cols = g * outPlane
      let x = input + first * inPlane
      let b: UnsafePointer<Float>
      let ldb: Int
      if direct {
        (b, ldb) = (UnsafePointer(x), n * inPlane)
      } else {
        (b, ldb) = (UnsafePointer(columns), cols)
      }
      let out = output + first * outPlane
      if context.threads > 1 {
        // im2col by channel slices, then the GEMM by output-channel slices.
        let parts = context.threads
        let shared = Unchecked((self, x, out, b))
        if !direct {
          DispatchQueue.concurrentPerform(iterations: parts) { t in
            let (layer, x, _, _) = shared.value
            layer.unfold(
              x, channels: layer.slice(t, of: parts, total: layer.geometry.channels),
              images: g, channelStride: n * inPlane, columns: cols)
          }
        }
        DispatchQueue.concurrentPerform(iterations: parts) { t in
          let (layer, _, out, b) = shared.value
          let rows = layer.slice(t, of: parts, total: layer.outputs)
          guard !rows.isEmpty else { return }
          sgemm(
            .none, .none, m: rows.count, n: cols, k: k, a: layer.weight + rows.lowerBound * k,
            lda: k, b: b, ldb: ldb, beta: 0, c: out + rows.lowerBound * n * outPlane,
            ldc: n * outPlane)
        }
      } else {
        if !direct {
          unfold(
            x, channels: 0..<geometry.channels, images: g, channelStride: n * inPlane,
            columns: cols)
        }
        sgemm(
          .none, .none, m: outputs, n: cols, k: k, a: weight, lda: k, b: b, ldb: ldb,
          beta: 0, c: out, ldc: n * outPlane)
      }
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
    // The backward pass reuses `transformed` for the flipped kernels.
    transformedHoldsWeights = false
    let n = context.batch
    let inPlane = geometry.height * geometry.width
    let outPlane = geometry.outputHeight * geometry.outputWidth
    let k = geometry.patchSize
    if let biasGradient {
      for c in 0..<outputs {
        biasGradient[c] += Float(VectorMath.sum(dOut + c * n * outPlane, n * outPlane))
      }
    }
    let viaFlipped = wantInput && backGeometry != nil
    if wantInput && !viaFlipped {
      inputGradient.update(repeating: 0, count: n * geometry.channels * inPlane)
    }
    if winograd, let transformed {
      winogradWeightGradient(input, dOut, batch: n, scratch: transformed.pointer)
    }
    // (A Winograd layer has stride 1, so its input gradient goes via the flipped kernel.)
    var first = winograd ? n : 0
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
      if wantInput && !viaFlipped {
        if direct {
          // dX[C, cols] = Wᵀ · dY, written straight into the input gradient.
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
    if viaFlipped, let back = backGeometry, let flipped {
      flipKernel(into: flipped.pointer)
      if backWinograd, let transformed {
        Winograd.transformWeights(
          flipped.pointer, outputs: geometry.channels, channels: outputs,
          into: transformed.pointer)
        winogradConvolution(
          dOut, geometry: back, outputs: geometry.channels, batch: n,
          kernels: transformed.pointer, into: inputGradient)
        return
      }
      let kb = back.patchSize
      first = 0
      while first < n {
        let g = min(chunk, n - first)
        let cols = g * inPlane
        im2col(
          dOut + first * outPlane, geometry: back, images: g, channelStride: n * outPlane,
          imageStride: outPlane, into: columns, rowStride: cols)
        // dX[C, cols] = W̃[C, Cout·k·k] · columns(dY)
        sgemm(
          .none, .none, m: geometry.channels, n: cols, k: kb, a: flipped.pointer, lda: kb,
          b: columns, ldb: cols, beta: 0, c: inputGradient + first * inPlane, ldc: n * inPlane)
        first += g
      }
    }
  }

  /// A 3×3 stride-1 convolution of `x` (`[g.channels, n, H, W]`) with Winograd-transformed
  /// kernels `[16][outputs][g.channels]` into `y` (`[outputs, n, OH, OW]`), by chunks of
  /// ``chunk`` images in the shared scratch: transformed input `[16][C][tiles]`, then products
  /// `[16][outputs][tiles]`, then a plane.
  private func winogradConvolution(
    _ x: UnsafePointer<Float>, geometry g: ConvGeometry, outputs: Int, batch n: Int,
    kernels u: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>
  ) {
    let c = g.channels
    let inPlane = g.height * g.width
    let outPlane = g.outputHeight * g.outputWidth
    var first = 0
    while first < n {
      let images = min(chunk, n - first)
      let stride = Winograd.rowStride(g, images: images)
      let tiles = images * Winograd.tilesPerImage(g)
      let v = columns
      let m = v + 16 * c * stride
      let plane = m + 16 * outputs * stride
      Winograd.transformInput(
        x + first * inPlane, geometry: g, images: images, channelStride: n * inPlane,
        imageStride: inPlane, channels: 0..<c, into: v, rowStride: stride, plane: plane)
      for xi in 0..<16 {
        sgemm(
          .none, .none, m: outputs, n: tiles, k: c, a: u + xi * outputs * c, lda: c,
          b: v + xi * c * stride, ldb: stride, beta: 0, c: m + xi * outputs * stride,
          ldc: stride)
      }
      Winograd.transformOutput(
        m, rowStride: stride, totalOutputs: outputs, geometry: g, outputs: 0..<outputs,
        images: images, into: y + first * outPlane, channelStride: n * outPlane,
        imageStride: outPlane, plane: plane)
      first += images
    }
  }

  /// `dW += ` the kernel gradient by Winograd: per chunk the transformed input `V` and output
  /// gradient `dM`, then `dU_ξ[Cout, C] (+)= dM_ξ[Cout, tiles] · V_ξ[C, tiles]ᵀ` (inner
  /// dimension the chunk's tiles) into `du` (`[16][Cout][C]`), folded back to 3×3 once.
  private func winogradWeightGradient(
    _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, batch n: Int,
    scratch du: UnsafeMutablePointer<Float>
  ) {
    let g = geometry
    let c = g.channels
    let inPlane = g.height * g.width
    let outPlane = g.outputHeight * g.outputWidth
    var first = 0
    while first < n {
      let images = min(chunk, n - first)
      let stride = Winograd.rowStride(g, images: images)
      let tiles = images * Winograd.tilesPerImage(g)
      let v = columns
      let dm = v + 16 * c * stride
      let plane = dm + 16 * outputs * stride
      Winograd.transformInput(
        x + first * inPlane, geometry: g, images: images, channelStride: n * inPlane,
        imageStride: inPlane, channels: 0..<c, into: v, rowStride: stride, plane: plane)
      Winograd.transformOutputGradient(
        dy + first * outPlane, geometry: g, outputs: 0..<outputs, totalOutputs: outputs,
        images: images, channelStride: n * outPlane, imageStride: outPlane, into: dm,
        rowStride: stride, plane: plane)
      for xi in 0..<16 {
        sgemm(
          .none, .transposed, m: outputs, n: c, k: tiles, a: dm + xi * outputs * stride,
          lda: stride, b: v + xi * c * stride, ldb: stride, beta: first == 0 ? 0 : 1,
          c: du + xi * outputs * c, ldc: c)
      }
      first += images
    }
    Winograd.accumulateWeightGradient(du, outputs: outputs, channels: c, into: weightGradient)
  }

  /// The rows of ``columns`` of input channels `channels` (im2col of a channel slice).
  private func unfold(
    _ x: UnsafeMutablePointer<Float>, channels: Range<Int>, images: Int, channelStride: Int,
    columns cols: Int
  ) {
    guard !channels.isEmpty else { return }
    var g = geometry
    g.channels = channels.count
    let rowsPerChannel = geometry.kernelHeight * geometry.kernelWidth
    im2col(
      x + channels.lowerBound * channelStride, geometry: g, images: images,
      channelStride: channelStride, imageStride: geometry.height * geometry.width,
      into: columns + channels.lowerBound * rowsPerChannel * cols, rowStride: cols)
  }

  /// Part `t` of `parts` near-equal parts of `0..<total`.
  private func slice(_ t: Int, of parts: Int, total: Int) -> Range<Int> {
    (total * t / parts)..<(total * (t + 1) / parts)
  }

  /// `W̃[c][(o·k + ky)·k + kx] = W[o][c][k−1−ky][k−1−kx]`.
  private func flipKernel(into w: UnsafeMutablePointer<Float>) {
    let (kh, kw, c) = (geometry.kernelHeight, geometry.kernelWidth, geometry.channels)
    for o in 0..<outputs {
      for ci in 0..<c {
        let src = weight + (o * c + ci) * kh * kw
        let dst = w + (ci * outputs + o) * kh * kw
        for ky in 0..<kh {
          for kx in 0..<kw { dst[ky * kw + kx] = src[(kh - 1 - ky) * kw + (kw - 1 - kx)] }
        }
      }
    }
  }
}
