import Foundation
import Tensor

/// A trained grey-image classifier run in 8 bits on AVX-512 VNNI (``Int8Convolution``), for
/// networks of the emotion CNN's shape: convolutions (stride 1, padding 0 or `kernel / 2`), each
/// with an optional batch norm (folded into its weights) and a ReLU, 2×2 max pools and dropout,
/// then a global average pool and dense layers with ReLUs (the head, run in floats: 0.1% of the
/// multiply-adds).
///
/// Every convolution's output is stored as one byte per channel, `[height][width][channels]`,
/// with a zero point of 0 (so the ReLU is the clamp at byte 0 and zero padding is exact) and a
/// step per channel from the largest value measured over calibration images
/// (``Int8Calibration``). The input is the pixels themselves: a pixel p stands for the
/// normalised `(p / 255 − mean) / std`, so its step is `1 / (255 · std)` and its zero point
/// `255 · mean`; the padding around it is that zero point rounded to a byte (at most half a
/// grey level off).
///
/// One image at a time per ``Scratch``: its activations (at most 68 KB for a 44×44 input with 32
/// channels) stay in the core's cache.
public final class Int8Network: @unchecked Sendable {
  /// One convolution with its batch norm and ReLU, and the max pool after it if any.
  struct Stage {
    let convolution: Int8Convolution
    let output: ByteQuantization
    /// Input size without padding, and the padding the convolution adds on each side.
    let height: Int, width: Int, padding: Int
    /// Bytes per input pixel (a multiple of 4), output channels, and bytes per output pixel
    /// (the channels rounded up to a multiple of 4: the padding bytes meet zero weights).
    let inputStride: Int, outputChannels: Int
    var outputStride: Int { (outputChannels + 3) / 4 * 4 }
    let pooled: Bool
    var paddedHeight: Int { height + 2 * padding }
    var paddedWidth: Int { width + 2 * padding }
    var outputHeight: Int { paddedHeight - convolution.kernel + 1 }
    var outputWidth: Int { paddedWidth - convolution.kernel + 1 }
  }

  /// A dense layer of the head: `weights` `[outputs, inputs]` row-major.
  struct Dense {
    let weights: [Float], bias: [Float], outputs: Int, inputs: Int, relu: Bool
  }

  public let spec: NetworkSpec
  /// Each convolution's output quantization, in order (``Int8Calibration/activations(maxima:)``).
  public let activations: [ByteQuantization]
  let stages: [Stage]
  let head: [Dense]
  let inputPadding: UInt8
  /// Size of the largest activation buffer, in bytes.
  let bufferSize: Int
  public var classes: Int { head.last?.outputs ?? 0 }

  /// Whether this CPU runs the int8 kernels (AVX-512 VNNI).
  public static var isSupported: Bool { Int8Convolution.isSupported }

  /// The network's convolutions, folded with their batch norms, quantized per output channel
  /// for inputs stored as the previous layer's `activations` (one per convolution, each of that
  /// convolution's outputs with zero points 0) say, and its input as the pixels normalised by
  /// `normalization`. Throws ``NetworkError/unsupported(_:)`` for a network of another shape.
  public init(
    network: Network, normalization: Normalization, activations: [ByteQuantization]
  ) throws(NetworkError) {
    let plan = try Int8NetworkPlan(network.spec)
    guard activations.count == plan.convolutions.count else {
      throw .unsupported(
        "\(activations.count) activation ranges for \(plan.convolutions.count) convolutions")
    }
    func values(_ name: String) -> [Float] {
      network.parameters.tensor(named: name)?.storage ?? network.state.tensor(named: name)?.storage
        ?? []
    }
    let spec = network.spec
    var input = ByteQuantization(
      steps: [1 / (255 * normalization.std)], zeroPoints: [255 * normalization.mean])
    var height = spec.inputHeight
    var width = spec.inputWidth
    var stages: [Stage] = []
    var largest = 0
    for (n, conv) in plan.convolutions.enumerated() {
      let output = activations[n]
      guard output.channels == conv.outputs, output.zeroPoints.allSatisfy({ $0 == 0 }) else {
        throw .unsupported("activation \(n) must have \(conv.outputs) channels with zero point 0")
      }
      var weights = values("\(conv.index).weight")
      var bias =
        conv.bias ? values("\(conv.index).bias") : [Float](repeating: 0, count: conv.outputs)
      if let norm = conv.batchNorm {
        let (gamma, beta) = (values("\(norm.index).weight"), values("\(norm.index).bias"))
        let (mean, variance) = (
          values("\(norm.index).running_mean"), values("\(norm.index).running_var")
        )
        let perOutput = weights.count / conv.outputs
        for o in 0..<conv.outputs {
          // BN(conv + b) = a·conv + (β + a·(b − μ)), a = γ / √(σ² + ε).
          let a = gamma[o] / (variance[o] + norm.epsilon).squareRoot()
          for k in 0..<perOutput { weights[o * perOutput + k] *= a }
          bias[o] = beta[o] + a * (bias[o] - mean[o])
        }
      }
      guard (weights + bias).allSatisfy(\.isFinite) else {
        throw .unsupported("convolution \(conv.index) has non-finite weights after its batch norm")
      }
      let convolution = Int8Convolution(
        weights: weights, bias: bias, outputChannels: conv.outputs, inputChannels: input.channels,
        kernel: conv.kernel, input: input)
      let stage = Stage(
        convolution: convolution, output: output, height: height, width: width,
        padding: conv.padding, inputStride: convolution.storedInputChannels,
        outputChannels: conv.outputs, pooled: conv.pooled)
      guard stage.outputHeight >= 1, stage.outputWidth >= 1 else {
        throw .unsupported("convolution \(conv.index): its input is smaller than its kernel")
      }
      largest = max(
        largest, stage.paddedHeight * stage.paddedWidth * stage.inputStride,
        stage.outputHeight * stage.outputWidth * stage.outputStride)
      stages.append(stage)
      (height, width) = (stage.outputHeight, stage.outputWidth)
      if conv.pooled { (height, width) = (height / 2, width / 2) }
      guard height >= 1, width >= 1 else { throw .unsupported("a pool leaves nothing") }
      input = output
    }
    var head: [Dense] = []
    var features = input.channels
    for dense in plan.dense {
      let weights = values("\(dense.index).weight")
      head.append(
        Dense(
          weights: weights,
          bias: dense.bias
            ? values("\(dense.index).bias") : [Float](repeating: 0, count: dense.outputs),
          outputs: dense.outputs, inputs: features, relu: dense.relu))
      features = dense.outputs
    }
    self.spec = spec
    self.activations = activations
    self.stages = stages
    self.head = head
    self.bufferSize = largest
    inputPadding = UInt8(min(255, max(0, (255 * normalization.mean).rounded())))
  }

  /// Buffers for one thread's images.
  public final class Scratch: @unchecked Sendable {
    let buffers: [UnsafeMutablePointer<UInt8>]
    var features: [Float]
    var hidden: [Float]
    /// The global pool's sums, one per channel of the last convolution.
    var sums: [Int32]

    /// Buffers for `network`'s activations.
    public init(for network: Int8Network) {
      buffers = (0..<3).map { _ in
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: network.bufferSize)
        buffer.initialize(repeating: 0, count: network.bufferSize)
        return buffer
      }
      let widest = network.head.map(\.outputs).max() ?? 0
      features = [Float](repeating: 0, count: max(widest, network.stages.last!.outputChannels))
      hidden = features
      sums = [Int32](repeating: 0, count: network.stages.last!.outputChannels)
    }
    deinit { for buffer in buffers { buffer.deallocate() } }
  }

  /// The logits (``classes`` floats into `logits`) of the `height × width` grey image at
  /// `(x0, y0)` in `pixels` (rows `rowStride` bytes apart), left–right mirrored if `mirrored`.
  /// The image must be the network's input size.
  public func logits(
    pixels: UnsafePointer<UInt8>, rowStride: Int, x0: Int, y0: Int, mirrored: Bool,
    scratch: Scratch, into logits: UnsafeMutablePointer<Float>
  ) {
    precondition(Self.isSupported, "Int8Network needs AVX-512 VNNI")
    let first = stages[0]
    var input = scratch.buffers[0]
    var output = scratch.buffers[1]
    let pooled = scratch.buffers[2]
    // The input: pixels in channel 0 of 4 (the others meet zero weights), padding around.
    let (ph, pw, stride) = (first.paddedHeight, first.paddedWidth, first.inputStride)
    input.update(repeating: inputPadding, count: ph * pw * stride)
    for y in 0..<first.height {
      let row = pixels + (y0 + y) * rowStride + x0
      let out = input + ((y + first.padding) * pw + first.padding) * stride
      for x in 0..<first.width {
        out[x * stride] = row[mirrored ? first.width - 1 - x : x]
      }
    }
    for (n, stage) in stages.enumerated() {
      let next = n + 1 < stages.count ? stages[n + 1] : nil
      // Where this stage's result goes: the next stage's padded input (zeroed first: its
      // padding is 0 bytes), or, for the head, an unpadded map.
      let padding = next?.padding ?? 0
      let nextWidth =
        next?.paddedWidth ?? (stage.pooled ? stage.outputWidth / 2 : stage.outputWidth)
      let nextHeight =
        next?.paddedHeight ?? (stage.pooled ? stage.outputHeight / 2 : stage.outputHeight)
      let channels = stage.outputStride
      if padding > 0 { output.update(repeating: 0, count: nextHeight * nextWidth * channels) }
      let target = output + (padding * nextWidth + padding) * channels
      if stage.pooled {
        stage.convolution.bytes(
          input, height: stage.paddedHeight, width: stage.paddedWidth,
          quantization: stage.output, into: pooled, rowStride: stage.outputWidth * channels,
          pixelStride: channels)
        ByteActivations.maxPool2(
          pooled, height: stage.outputHeight, width: stage.outputWidth, channels: channels,
          into: target, rowStride: nextWidth * channels)
      } else {
        stage.convolution.bytes(
          input, height: stage.paddedHeight, width: stage.paddedWidth,
          quantization: stage.output, into: target, rowStride: nextWidth * channels,
          pixelStride: channels)
      }
      swap(&input, &output)
    }
    // Global average pool of the last map (`input` now), in floats.
    let last = stages[stages.count - 1]
    let (h, w) =
      last.pooled
      ? (last.outputHeight / 2, last.outputWidth / 2) : (last.outputHeight, last.outputWidth)
    let (channels, pixelBytes) = (last.outputChannels, last.outputStride)
    scratch.sums.withUnsafeMutableBufferPointer { sums in
      sums.update(repeating: 0)
      for p in 0..<(h * w) {
        let pixel = input + p * pixelBytes
        for c in 0..<channels { sums[c] += Int32(pixel[c]) }
      }
      let count = Float(h * w)
      for c in 0..<channels {
        scratch.features[c] = Float(sums[c]) * last.output.steps[c] / count
      }
    }
    runHead(scratch: scratch, into: logits)
  }

  /// The dense layers on `scratch.features`, the last one's outputs into `logits`.
  private func runHead(scratch: Scratch, into logits: UnsafeMutablePointer<Float>) {
    for (n, dense) in head.enumerated() {
      let isLast = n == head.count - 1
      scratch.features.withUnsafeBufferPointer { x in
        scratch.hidden.withUnsafeMutableBufferPointer { y in
          let out = isLast ? logits : y.baseAddress!
          out.update(from: dense.bias, count: dense.outputs)
          dense.weights.withUnsafeBufferPointer {
            sgemv(
              m: dense.outputs, n: dense.inputs, a: $0.baseAddress!, lda: dense.inputs,
              x: x.baseAddress!, beta: 1, y: out)
          }
          if dense.relu { for i in 0..<dense.outputs { out[i] = max(out[i], 0) } }
        }
      }
      if !isLast { swap(&scratch.features, &scratch.hidden) }
    }
  }
}
