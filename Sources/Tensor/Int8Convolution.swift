import CKernels

/// A valid, stride-1 convolution run in 8 bits with AVX-512 VNNI (CKernels' `emocl_int8_conv_*`):
/// its input is bytes (``ByteQuantization``: a step and zero point per channel), its weights,
/// with the input steps folded in, are quantized per output channel to −127…127 (step
/// `max|w·step| / 127`), and its sums are exact int32s turned back into floats, with the bias
/// and an optional PReLU, in one pass.
///
/// Activations are NHWC bytes, `[height][width][channels]`, with ``inputChannels`` rounded up to
/// a multiple of 4 (the padding bytes meet zero weights). Use only where ``isSupported`` is
/// true; elsewhere run the float network.
public struct Int8Convolution: Sendable {
  /// Whether this CPU runs the int8 kernels (AVX-512 F, BW, VL and VNNI enabled by the OS).
  public static let isSupported = emocl_int8_supported() != 0

  public let kernel: Int
  /// Input channels of the weights, and as stored (a multiple of 4).
  public let inputChannels: Int
  public let storedInputChannels: Int
  public let outputChannels: Int
  /// How the input bytes map to values.
  public private(set) var input: ByteQuantization
  /// `[outputChannels, inputChannels, kernel, kernel]` as given, for ``withInput(_:)``.
  private let weights: [Float]
  private let bias: [Float]
  /// Vectors of 16 output channels.
  let blocks: Int
  /// `[kernel²][storedInputChannels / 4][blocks·16][4]`.
  private(set) var packed: [Int8] = []
  /// Per output channel, `blocks·16` long (zero past ``outputChannels``): value =
  /// scale · Σ(byte · weight) + offset, then PReLU with slope.
  private(set) var scale: [Float] = []
  private(set) var offset: [Float] = []
  let slope: [Float]?

  /// `weights` (`[outputChannels, inputChannels, kernel, kernel]`, PyTorch's order) and `bias`
  /// for inputs stored as `input` says; `slopes` (one per output channel) adds a PReLU.
  public init(
    weights: [Float], bias: [Float], outputChannels: Int, inputChannels: Int, kernel: Int,
    input: ByteQuantization, slopes: [Float]? = nil
  ) {
    precondition(weights.count == outputChannels * inputChannels * kernel * kernel)
    precondition(bias.count == outputChannels && outputChannels >= 1)
    precondition(slopes.map { $0.count == outputChannels } ?? true)
    precondition(input.channels == inputChannels)
    self.kernel = kernel
    self.inputChannels = inputChannels
    self.storedInputChannels = (inputChannels + 3) / 4 * 4
    self.outputChannels = outputChannels
    self.weights = weights
    self.bias = bias
    self.input = input
    let blocks = (outputChannels + 15) / 16
    self.blocks = blocks
    self.slope = slopes.map { $0 + [Float](repeating: 0, count: blocks * 16 - outputChannels) }
    quantize()
  }

  /// The same convolution for inputs stored as `input` says.
  public func withInput(_ input: ByteQuantization) -> Int8Convolution {
    precondition(input.channels == inputChannels)
    var copy = self
    copy.input = input
    copy.quantize()
    return copy
  }

  /// Packs the weights times their input channel's step, quantized per output channel, and
  /// the epilogue: Σ_c w·step_c·(byte − zero_c) = s_o · Σ q·byte − s_o · Σ_c zero_c · Σ q.
  private mutating func quantize() {
    let lanes = blocks * 16
    let taps = kernel * kernel
    let groups = storedInputChannels / 4
    var packed = [Int8](repeating: 0, count: taps * groups * lanes * 4)
    var scale = [Float](repeating: 0, count: lanes)
    var offset = [Float](repeating: 0, count: lanes)
    for o in 0..<outputChannels {
      let base = o * inputChannels * taps
      var largest: Float = 0
      for c in 0..<inputChannels {
        for t in 0..<taps {
          largest = max(largest, abs(weights[base + c * taps + t] * input.steps[c]))
        }
      }
      let step = largest > 0 ? largest / 127 : 1
      var zeroShare: Float = 0
      for c in 0..<inputChannels {
        var sum = 0
        for t in 0..<taps {
          let q = Int((weights[base + c * taps + t] * input.steps[c] / step).rounded())
          sum += q
          // Tap t, group c/4, lane o, byte c%4.
          packed[((t * groups + c / 4) * lanes + o) * 4 + c % 4] = Int8(clamping: q)
        }
        zeroShare += input.zeroPoints[c] * Float(sum)
      }
      scale[o] = step
      offset[o] = bias[o] - step * zeroShare
    }
    self.packed = packed
    self.scale = scale
    self.offset = offset
  }

  /// The output size of a `height × width` input.
  public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
    (height - kernel + 1, width - kernel + 1)
  }

  /// Convolves `input` (`[height][width][storedInputChannels]` bytes) into `output` bytes stored
  /// as `quantization` says (``outputChannels`` of them),
  /// `[outHeight][outWidth][storedOutputChannels]` (a multiple of 4, at least
  /// ``outputChannels``; the channels past it are 128).
  public func bytes(
    _ input: UnsafePointer<UInt8>, height: Int, width: Int, quantization: ByteQuantization,
    storedOutputChannels: Int, into output: UnsafeMutablePointer<UInt8>
  ) {
    precondition(Self.isSupported && height >= kernel && width >= kernel)
    precondition(storedOutputChannels % 4 == 0 && storedOutputChannels >= outputChannels)
    precondition(storedOutputChannels <= blocks * 16 && quantization.channels == outputChannels)
    let (inverse, zeroPoints) = quantization.padded(to: blocks * 16)
    withArguments { weights, scale, offset, slope in
      emocl_int8_conv_bytes(
        input, Int32(height), Int32(width), Int32(storedInputChannels), weights, Int32(kernel),
        Int32(blocks), scale, offset, slope, inverse, zeroPoints, Int32(storedOutputChannels),
        output)
    }
  }

  /// Convolves `input` (`[height][width][storedInputChannels]` bytes) into ``outputChannels``
  /// bytes per pixel stored as `quantization` says, output pixel (y, x) at `output + y ·
  /// rowStride + x · pixelStride`: e.g. inside the next layer's padded input, whose border
  /// this leaves alone. With a zero point of 0 the clamp at byte 0 is a ReLU.
  public func bytes(
    _ input: UnsafePointer<UInt8>, height: Int, width: Int, quantization: ByteQuantization,
    into output: UnsafeMutablePointer<UInt8>, rowStride: Int, pixelStride: Int
  ) {
    precondition(Self.isSupported && height >= kernel && width >= kernel)
    precondition(quantization.channels == outputChannels && pixelStride >= outputChannels)
    let (inverse, zeroPoints) = quantization.padded(to: blocks * 16)
    withArguments { weights, scale, offset, slope in
      emocl_int8_conv_bytes_strided(
        input, Int32(height), Int32(width), Int32(storedInputChannels), weights, Int32(kernel),
        Int32(blocks), scale, offset, slope, inverse, zeroPoints, Int32(outputChannels), output,
        rowStride, pixelStride)
    }
  }

  /// Convolves `input` into ``outputChannels`` float planes, `planeStride` apart, each
  /// `outHeight × outWidth` row-major.
  public func floats(
    _ input: UnsafePointer<UInt8>, height: Int, width: Int,
    into output: UnsafeMutablePointer<Float>, planeStride: Int
  ) {
    precondition(Self.isSupported && height >= kernel && width >= kernel)
    withArguments { weights, scale, offset, slope in
      emocl_int8_conv_floats(
        input, Int32(height), Int32(width), Int32(storedInputChannels), weights, Int32(kernel),
        Int32(blocks), scale, offset, slope, Int32(outputChannels), output, planeStride)
    }
  }

  private func withArguments(
    _ body: (
      UnsafePointer<Int8>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>?
    ) -> Void
  ) {
    packed.withUnsafeBufferPointer { weights in
      scale.withUnsafeBufferPointer { scale in
        offset.withUnsafeBufferPointer { offset in
          if let slope {
            slope.withUnsafeBufferPointer {
              body(weights.baseAddress!, scale.baseAddress!, offset.baseAddress!, $0.baseAddress!)
            }
          } else {
            body(weights.baseAddress!, scale.baseAddress!, offset.baseAddress!, nil)
          }
        }
      }
    }
  }
}

/// Byte activations for ``Int8Convolution``.
public enum ByteActivations {
  /// `quantization.channels` float planes (`[planes][height][width]` with strides) into
  /// `[height][width][channels]` bytes (rounded half up, clamped), the channels past the
  /// planes 128.
  public static func quantize(
    height: Int, width: Int, from input: UnsafePointer<Float>, rowStride: Int,
    planeStride: Int, quantization: ByteQuantization, channels: Int,
    into output: UnsafeMutablePointer<UInt8>
  ) {
    precondition(channels >= quantization.channels)
    let (inverse, zeroPoints) = quantization.padded(to: quantization.channels)
    emocl_u8_quantize_planes(
      input, Int32(quantization.channels), Int32(height), Int32(width), rowStride, planeStride,
      inverse, zeroPoints, Int32(channels), output)
  }

  /// 2×2 max pooling, stride 2, of `[height][width][channels]` bytes (exact: the quantization
  /// is increasing), output pixel (y, x) of `height / 2 × width / 2` at `output + y ·
  /// rowStride + x · channels`.
  public static func maxPool2(
    _ input: UnsafePointer<UInt8>, height: Int, width: Int, channels: Int,
    into output: UnsafeMutablePointer<UInt8>, rowStride: Int
  ) {
    emocl_u8_max_pool2(input, Int32(height), Int32(width), Int32(channels), output, rowStride)
  }

  /// Max pooling of `[height][width][channels]` bytes, a `kernel × kernel` window every `stride`
  /// pixels, into `[outHeight][outWidth][channels]`, windows cut by the bottom or right edge
  /// clipped to the input (PyTorch's `ceil_mode=True`, MTCNN's pools). Exact, as ``maxPool2``.
  public static func maxPool(
    _ input: UnsafePointer<UInt8>, height: Int, width: Int, channels: Int, kernel: Int,
    stride: Int, outHeight: Int, outWidth: Int, into output: UnsafeMutablePointer<UInt8>
  ) {
    precondition(kernel >= 1 && stride >= 1 && outHeight >= 1 && outWidth >= 1)
    precondition((outHeight - 1) * stride < height && (outWidth - 1) * stride < width)
    emocl_u8_max_pool_ceil(
      input, Int32(height), Int32(width), Int32(channels), Int32(kernel), Int32(stride),
      Int32(outHeight), Int32(outWidth), output)
  }
}
