import Dispatch
import Tensor

/// Any convolution as im2col + one GEMM per chunk of images.
///
/// A chunk of `g` images is unfolded into columns `[C·kh·kw, g·OH·OW]`; then
/// `y[:, chunk] = W[Cout, C·kh·kw] · columns`. In the `[C, n, H, W]` layout the chunk's
/// output is a block of the `[Cout, n·OH·OW]` output matrix (row stride `n·OH·OW`), so the
/// GEMM writes it in place. The weight gradient is `dY · columnsᵀ` per chunk.
///
/// The input gradient of a stride-1 convolution is itself a stride-1 convolution of `dY`
/// (see ``FlippedKernelGradient``), computed like a forward pass with a `Cout·kh·kw` inner
/// dimension instead of `Wᵀ · dY` (inner dimension only `Cout`) and a scatter-add col2im.
/// Other strides take that `Wᵀ · dY` and fold it back with col2im.
public final class Im2colConvolution: ConvolutionAlgorithm {
  public let geometry: ConvGeometry
  public let outputs: Int
  /// Images per GEMM.
  public let chunk: Int
  public let scratchSize: Int
  private let gradientRoute: InputGradientRoute

  /// How the input gradient is computed.
  private enum InputGradientRoute {
    /// `Wᵀ · dY` folded back onto the input positions (strides above 1).
    case foldColumns
    /// A convolution of `dY` with the flipped kernels (stride 1).
    case flippedKernel(FlippedKernelGradient)
    /// Not at all: this instance only runs forward (it is itself such a flipped convolution).
    case none
  }

  /// Any valid geometry; `chunk` images per GEMM.
  public convenience init(geometry: ConvGeometry, outputs: Int, chunk: Int) {
    self.init(geometry: geometry, outputs: outputs, chunk: chunk, inputGradient: true)
  }

  /// Without `inputGradient`, ``inputGradient(outputGradient:batch:weight:into:scratch:)`` must
  /// not be called (the flipped-kernel convolution of another layer's input gradient).
  init(geometry: ConvGeometry, outputs: Int, chunk: Int, inputGradient: Bool) {
    self.geometry = geometry
    self.outputs = outputs
    self.chunk = max(1, chunk)
    let columns = geometry.patchSize * self.chunk * geometry.outputHeight * geometry.outputWidth
    if !inputGradient {
      gradientRoute = .none
      scratchSize = columns
    } else if geometry.strideY == 1 && geometry.strideX == 1 {
      let flipped = FlippedKernelGradient(geometry: geometry, outputs: outputs, chunk: chunk)
      gradientRoute = .flippedKernel(flipped)
      scratchSize = max(columns, flipped.scratchSize)
    } else {
      gradientRoute = .foldColumns
      scratchSize = columns
    }
  }

  public func forward(
    _ x: UnsafePointer<Float>, batch n: Int, weight: UnsafePointer<Float>,
    into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, threads: Int,
    frozenWeights: Bool
  ) {
    let inPlane = geometry.height * geometry.width
    let outPlane = geometry.outputHeight * geometry.outputWidth
    let k = geometry.patchSize
    var first = 0
    while first < n {
      let g = min(chunk, n - first)
      let cols = g * outPlane
      let input = x + first * inPlane
      let out = y + first * outPlane
      if threads > 1 {
        // im2col by channel slices, then the GEMM by output-channel slices.
        let shared = Unchecked((self, input, out, weight, scratch))
        DispatchQueue.concurrentPerform(iterations: threads) { t in
          let (me, input, _, _, scratch) = shared.value
          me.unfold(
            input, channels: Self.slice(t, of: threads, total: me.geometry.channels), images: g,
            channelStride: n * inPlane, into: scratch, rowStride: cols)
        }
        DispatchQueue.concurrentPerform(iterations: threads) { t in
          let (me, _, out, weight, scratch) = shared.value
          let rows = Self.slice(t, of: threads, total: me.outputs)
          guard !rows.isEmpty else { return }
          sgemm(
            .none, .none, m: rows.count, n: cols, k: k, a: weight + rows.lowerBound * k,
            lda: k, b: scratch, ldb: cols, beta: 0, c: out + rows.lowerBound * n * outPlane,
            ldc: n * outPlane)
        }
      } else {
        unfold(
          input, channels: 0..<geometry.channels, images: g, channelStride: n * inPlane,
          into: scratch, rowStride: cols)
        sgemm(
          .none, .none, m: outputs, n: cols, k: k, a: weight, lda: k, b: scratch, ldb: cols,
          beta: 0, c: out, ldc: n * outPlane)
      }
      first += g
    }
  }

  public func accumulateWeightGradient(
    input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, batch n: Int,
    into dW: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    let inPlane = geometry.height * geometry.width
    let outPlane = geometry.outputHeight * geometry.outputWidth
    let k = geometry.patchSize
    var first = 0
    while first < n {
      let g = min(chunk, n - first)
      let cols = g * outPlane
      im2col(
        x + first * inPlane, geometry: geometry, images: g, channelStride: n * inPlane,
        imageStride: inPlane, into: scratch, rowStride: cols)
      // dW[Cout, K] += dY[Cout, cols] · X[K, cols]ᵀ
      sgemm(
        .none, .transposed, m: outputs, n: k, k: cols, a: dy + first * outPlane,
        lda: n * outPlane, b: scratch, ldb: cols, beta: 1, c: dW, ldc: k)
      first += g
    }
  }

  public func inputGradient(
    outputGradient dy: UnsafePointer<Float>, batch n: Int, weight: UnsafePointer<Float>,
    into dx: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    switch gradientRoute {
    case .flippedKernel(let flipped):
      flipped.inputGradient(
        outputGradient: dy, batch: n, weight: weight, into: dx, scratch: scratch)
    case .foldColumns:
      let inPlane = geometry.height * geometry.width
      let outPlane = geometry.outputHeight * geometry.outputWidth
      let k = geometry.patchSize
      dx.update(repeating: 0, count: n * geometry.channels * inPlane)
      var first = 0
      while first < n {
        let g = min(chunk, n - first)
        let cols = g * outPlane
        // dColumns[K, cols] = Wᵀ · dY, folded back onto the input positions.
        sgemm(
          .transposed, .none, m: k, n: cols, k: outputs, a: weight, lda: k,
          b: dy + first * outPlane, ldb: n * outPlane, beta: 0, c: scratch, ldc: cols)
        col2im(
          scratch, rowStride: cols, geometry: geometry, images: g,
          adding: dx + first * inPlane, channelStride: n * inPlane, imageStride: inPlane)
        first += g
      }
    case .none:
      preconditionFailure("a forward-only convolution has no input gradient")
    }
  }

  /// The rows of the column matrix of input channels `channels` (im2col of a channel slice).
  private func unfold(
    _ x: UnsafePointer<Float>, channels: Range<Int>, images: Int, channelStride: Int,
    into columns: UnsafeMutablePointer<Float>, rowStride: Int
  ) {
    guard !channels.isEmpty else { return }
    var g = geometry
    g.channels = channels.count
    let rowsPerChannel = geometry.kernelHeight * geometry.kernelWidth
    im2col(
      x + channels.lowerBound * channelStride, geometry: g, images: images,
      channelStride: channelStride, imageStride: geometry.height * geometry.width,
      into: columns + channels.lowerBound * rowsPerChannel * rowStride, rowStride: rowStride)
  }
}
