import CKernels

/// A valid, stride-1 float convolution with bias and optional PReLU on small pixel-major maps
/// (`[rows][columns][channels]`), run by CKernels' `emocl_nhwc_conv`: up to 12 output pixels ×
/// up to 64 output channels per register tile, for networks run one crop at a time (MTCNN's R-
/// and O-Net), whose maps stay in cache.
///
/// Its output holds ``storedOutputChannels`` (``outputChannels`` rounded up to 16) a pixel, the
/// extra ones 0; its input holds `storedInputChannels` a pixel (the previous layer's stored
/// count), the extra ones meeting zero weights.
///
/// A 3×3 convolution may run by Winograd F(2×2, 3×3) (`emocl_nhwc_conv_winograd`: 16
/// multiply-adds per input and output channel for each 2×2 outputs, against 36), which rounds a
/// little more (transformed inputs and weights are sums of several values) and needs
/// ``scratchCount`` floats of scratch a call.
public struct PixelMajorConvolution: Sendable {
  public let kernel: Int
  public let inputChannels: Int
  public let storedInputChannels: Int
  public let outputChannels: Int
  public let instructions: PlanarInstructions
  /// Whether it runs by Winograd F(2×2, 3×3).
  public let winograd: Bool
  /// `[kernel²][storedInputChannels][storedOutputChannels]`, or for Winograd the transformed
  /// kernels `[16][storedInputChannels][storedOutputChannels]`.
  private let packed: [Float]
  private let bias: [Float]
  private let slopes: [Float]?

  /// Output channels as stored: a multiple of 16.
  public var storedOutputChannels: Int { (outputChannels + 15) / 16 * 16 }

  /// `weights` (`[outputChannels, inputChannels, kernel, kernel]`, PyTorch's order) and `bias`;
  /// `slopes` (one per output channel) adds a PReLU. `instructions` must be supported here;
  /// `winograd` (only for `kernel` 3) runs it by Winograd F(2×2, 3×3).
  public init(
    weights: [Float], bias: [Float], slopes: [Float]? = nil, outputChannels: Int,
    inputChannels: Int, storedInputChannels: Int? = nil, kernel: Int,
    instructions: PlanarInstructions, winograd: Bool = false
  ) {
    let stored = storedInputChannels ?? inputChannels
    precondition(kernel >= 1 && stored >= inputChannels && inputChannels >= 1)
    precondition(weights.count == outputChannels * inputChannels * kernel * kernel)
    precondition(bias.count == outputChannels && outputChannels >= 1)
    precondition(slopes.map { $0.count == outputChannels } ?? true)
    precondition(PlanarInstructions.supported.contains(instructions))
    precondition(!winograd || kernel == 3, "Winograd F(2×2, 3×3) takes 3×3 kernels only")
    self.kernel = kernel
    self.winograd = winograd
    self.inputChannels = inputChannels
    self.storedInputChannels = stored
    self.outputChannels = outputChannels
    self.instructions = instructions
    let padding = [Float](repeating: 0, count: (outputChannels + 15) / 16 * 16 - outputChannels)
    self.bias = bias + padding
    self.slopes = slopes.map { $0 + padding }
    let taps = winograd ? 16 : kernel * kernel
    var packed = [Float](repeating: 0, count: taps * stored * (outputChannels + 15) / 16 * 16)
    packed.withUnsafeMutableBufferPointer {
      if winograd {
        emocl_nhwc_pack_winograd(
          weights, Int32(outputChannels), Int32(inputChannels), Int32(stored), $0.baseAddress!)
      } else {
        emocl_nhwc_pack(
          weights, Int32(outputChannels), Int32(inputChannels), Int32(stored), Int32(kernel),
          $0.baseAddress!)
      }
    }
    self.packed = packed
  }

  /// Floats of scratch ``run(_:height:width:into:scratch:)`` needs (whatever the map's size):
  /// 0 unless ``winograd``.
  public var scratchCount: Int {
    winograd
      ? emocl_nhwc_winograd_scratch(Int32(storedInputChannels), Int32(storedOutputChannels / 16))
      : 0
  }

  /// The output size for an input of `height × width`.
  public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
    (height - kernel + 1, width - kernel + 1)
  }

  /// The convolution of `input` (`[height][width][storedInputChannels]`) into `output`
  /// (`[height − kernel + 1][width − kernel + 1][storedOutputChannels]`), with `scratch`
  /// holding ``scratchCount`` floats (none needed unless ``winograd``).
  public func run(
    _ input: UnsafePointer<Float>, height: Int, width: Int,
    into output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>? = nil
  ) {
    precondition(height >= kernel && width >= kernel)
    precondition(!winograd || scratch != nil, "Winograd needs scratch")
    packed.withUnsafeBufferPointer { packed in
      bias.withUnsafeBufferPointer { bias in
        let call = { (slopes: UnsafePointer<Float>?) in
          if winograd {
            emocl_nhwc_conv_winograd(
              instructions.rawValue, input, Int32(height), Int32(width),
              Int32(storedInputChannels), packed.baseAddress!, Int32(storedOutputChannels / 16),
              bias.baseAddress!, slopes, output, scratch)
            return
          }
          emocl_nhwc_conv(
            instructions.rawValue, input, Int32(height), Int32(width),
            Int32(storedInputChannels), packed.baseAddress!, Int32(kernel),
            Int32(storedOutputChannels / 16), bias.baseAddress!, slopes, output)
        }
        if let slopes {
          slopes.withUnsafeBufferPointer { call($0.baseAddress!) }
        } else {
          call(nil)
        }
      }
    }
  }
}

/// Max pooling of `[height][width][channels]` floats with a `kernel × kernel` window every
/// `stride` pixels into `[outHeight][outWidth][channels]`, windows past the bottom or right edge
/// clipped (PyTorch's `ceil_mode=True`; the caller gives the output size).
public func pixelMajorMaxPool(
  _ input: UnsafePointer<Float>, height: Int, width: Int, channels: Int, kernel: Int,
  stride: Int, outHeight: Int, outWidth: Int, into output: UnsafeMutablePointer<Float>
) {
  precondition(outHeight >= 1 && outWidth >= 1 && (outHeight - 1) * stride < height)
  precondition((outWidth - 1) * stride < width)
  emocl_nhwc_max_pool_ceil(
    input, Int32(height), Int32(width), Int32(channels), Int32(kernel), Int32(stride),
    Int32(outHeight), Int32(outWidth), output)
}
