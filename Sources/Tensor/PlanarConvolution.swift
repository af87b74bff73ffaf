import CKernels

/// A valid, stride-1 float convolution (3×3 or 1×1) with bias and optional PReLU on planar maps
/// (`[channels][rows][columns]` with a row and a plane stride), run by CKernels'
/// `emocl_planar_conv`: 32 output columns × a block of output channels per register tile, for
/// networks with few channels on large maps (MTCNN's P-Net), where im2col and GEMM spend more
/// time building and reading matrices than multiplying.
///
/// Maps it reads and writes follow ``PlanarLayout``: row strides of at least the width rounded up
/// to ``PlanarLayout/tile`` and ``PlanarLayout/slack`` floats after the last plane, memory
/// initialised (columns past a map's width hold finite values nobody reads).
///
/// A 3×3 convolution can run as Winograd F(2×2, 3×3) instead (``winograd``): each vector lane
/// computes a 2×2 block of outputs with 16 multiply-adds per input and output channel instead of
/// 36, plus transforms of the input (per input channel) and of the sums (per output channel)
/// that only pay off with several channels on both sides (P-Net's conv2 10→16 and conv3 16→32).
///
/// Or it can run fused with the 2×2 ceil-mode max pool that follows it (``pooled``,
/// ``runPooled(_:rowStride:planeStride:convolutionHeight:convolutionWidth:into:outputRowStride:outputPlaneStride:)``):
/// two rows of sums stay in registers until their PReLU and pool, and only the pooled map goes to
/// memory (P-Net's conv1, whose full-size output does not fit in the cache).
public struct PlanarConvolution: Sendable {
  public let kernel: Int
  public let inputChannels: Int
  public let outputChannels: Int
  public let instructions: PlanarInstructions
  /// Whether it runs Winograd F(2×2, 3×3) (CKernels' `emocl_planar_conv_winograd`) rather than
  /// direct sums; same results up to rounding (up to a few 1e-7 of the outputs' scale).
  public let winograd: Bool
  /// Whether it runs fused with a 2×2 ceil-mode max pool (CKernels' `emocl_planar_conv_pool2`,
  /// ``runPooled(_:rowStride:planeStride:convolutionHeight:convolutionWidth:into:outputRowStride:outputPlaneStride:)``)
  /// rather than alone (``run(_:rowStride:planeStride:outputHeight:outputWidth:into:outputRowStride:outputPlaneStride:)``).
  public let pooled: Bool
  /// The weights packed for ``instructions``: `emocl_planar_pack`'s layout, the same in the
  /// fused kernel's smaller blocks (`emocl_planar_pack_conv_pool2`), or the 4×4
  /// Winograd-transformed kernels of `emocl_planar_pack_winograd` (16 floats per input and
  /// output channel).
  private let packed: [Float]
  private let bias: [Float]
  private let slopes: [Float]?

  /// `weights` (`[outputChannels, inputChannels, kernel, kernel]`, PyTorch's order) and `bias`;
  /// `slopes` (one per output channel) adds a PReLU. `instructions` must be supported here.
  /// `winograd` (3×3 kernels only) chooses Winograd F(2×2, 3×3); `pooled` (not with
  /// `winograd`) the convolution fused with the 2×2 ceil-mode max pool after it.
  public init(
    weights: [Float], bias: [Float], slopes: [Float]? = nil, outputChannels: Int,
    inputChannels: Int, kernel: Int, instructions: PlanarInstructions, winograd: Bool = false,
    pooled: Bool = false
  ) {
    precondition(kernel == 1 || kernel == 3)
    precondition(!winograd || kernel == 3, "Winograd F(2×2, 3×3) needs a 3×3 kernel")
    precondition(!(winograd && pooled), "the fused pool runs with direct sums")
    precondition(weights.count == outputChannels * inputChannels * kernel * kernel)
    precondition(bias.count == outputChannels && outputChannels >= 1 && inputChannels >= 1)
    precondition(slopes.map { $0.count == outputChannels } ?? true)
    precondition(PlanarInstructions.supported.contains(instructions))
    self.kernel = kernel
    self.inputChannels = inputChannels
    self.outputChannels = outputChannels
    self.instructions = instructions
    self.bias = bias
    self.slopes = slopes
    self.winograd = winograd
    self.pooled = pooled
    var packed = [Float](
      repeating: 0, count: winograd ? 16 * outputChannels * inputChannels : weights.count)
    packed.withUnsafeMutableBufferPointer { packed in
      if winograd {
        emocl_planar_pack_winograd(
          weights, Int32(outputChannels), Int32(inputChannels), instructions.rawValue,
          packed.baseAddress!)
      } else if pooled {
        emocl_planar_pack_conv_pool2(
          weights, Int32(outputChannels), Int32(inputChannels), Int32(kernel),
          instructions.rawValue, packed.baseAddress!)
      } else {
        emocl_planar_pack(
          weights, Int32(outputChannels), Int32(inputChannels), Int32(kernel),
          instructions.rawValue, packed.baseAddress!)
      }
    }
    self.packed = packed
  }

  /// The convolution of `input`'s ``inputChannels`` planes into ``outputChannels`` planes of
  /// `outputHeight × outputWidth` at `output` (input rows `outputHeight + kernel − 1`, columns
  /// `outputWidth + kernel − 1`). With ``winograd`` and an odd `outputHeight`, the last row pair's
  /// second row is computed from a repeated input row and not stored: the maps need no extra row.
  public func run(
    _ input: UnsafePointer<Float>, rowStride: Int, planeStride: Int, outputHeight: Int,
    outputWidth: Int, into output: UnsafeMutablePointer<Float>, outputRowStride: Int,
    outputPlaneStride: Int
  ) {
    precondition(!pooled, "a pooled convolution runs with runPooled")
    precondition(outputHeight >= 0 && outputWidth >= 0)
    precondition(rowStride >= PlanarLayout.rowStride(width: outputWidth + kernel - 1))
    precondition(outputRowStride >= PlanarLayout.rowStride(width: outputWidth))
    guard outputHeight > 0, outputWidth > 0 else { return }
    withParameters { packed, bias, slopes in
      if winograd {
        // The transformed input of one chunk: 32 KB for 16 channels, on the stack.
        withUnsafeTemporaryAllocation(
          of: Float.self, capacity: emocl_planar_winograd_scratch(Int32(inputChannels))
        ) { scratch in
          emocl_planar_conv_winograd(
            instructions.rawValue, input, rowStride, planeStride, Int32(inputChannels), packed,
            bias, slopes, Int32(outputChannels), Int32(outputHeight), Int32(outputWidth), output,
            outputRowStride, outputPlaneStride, scratch.baseAddress!)
        }
        return
      }
      emocl_planar_conv(
        instructions.rawValue, input, rowStride, planeStride, Int32(inputChannels),
        Int32(kernel), packed, bias, slopes, Int32(outputChannels), Int32(outputHeight),
        Int32(outputWidth), output, outputRowStride, outputPlaneStride)
    }
  }

  /// The convolution of `input`'s ``inputChannels`` planes (rows `convolutionHeight + kernel −
  /// 1`, columns `convolutionWidth + kernel − 1`), `convolutionHeight × convolutionWidth` outputs
  /// a plane, then their 2×2 max pool, stride 2, windows past the bottom or right edge clipped
  /// (PyTorch's `ceil_mode=True`, as ``planarMaxPool2Ceil(_:channels:height:width:rowStride:planeStride:into:outputRowStride:outputPlaneStride:instructions:)``):
  /// ``outputChannels`` planes of `(convolutionHeight + 1) / 2 × (convolutionWidth + 1) / 2` at
  /// `output`, the only map written. Needs ``pooled``. The input is read as ``run(_:rowStride:planeStride:outputHeight:outputWidth:into:outputRowStride:outputPlaneStride:)``
  /// reads it for the same outputs and not written; the output's rows get columns up to the
  /// pooled width rounded up to 16.
  public func runPooled(
    _ input: UnsafePointer<Float>, rowStride: Int, planeStride: Int, convolutionHeight: Int,
    convolutionWidth: Int, into output: UnsafeMutablePointer<Float>, outputRowStride: Int,
    outputPlaneStride: Int
  ) {
    precondition(pooled, "runPooled needs a convolution made with pooled: true")
    precondition(convolutionHeight >= 0 && convolutionWidth >= 0)
    precondition(rowStride >= PlanarLayout.rowStride(width: convolutionWidth + kernel - 1))
    precondition(outputRowStride >= PlanarLayout.rowStride(width: (convolutionWidth + 1) / 2))
    guard convolutionHeight > 0, convolutionWidth > 0 else { return }
    withParameters { packed, bias, slopes in
      emocl_planar_conv_pool2(
        instructions.rawValue, input, rowStride, planeStride, Int32(inputChannels),
        Int32(kernel), packed, bias, slopes, Int32(outputChannels), Int32(convolutionHeight),
        Int32(convolutionWidth), output, outputRowStride, outputPlaneStride)
    }
  }

  /// `body` with the packed weights, the bias and the slopes (nil without PReLU).
  private func withParameters(
    _ body: (
      _ packed: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ slopes: UnsafePointer<Float>?
    ) -> Void
  ) {
    packed.withUnsafeBufferPointer { packed in
      bias.withUnsafeBufferPointer { bias in
        if let slopes {
          slopes.withUnsafeBufferPointer {
            body(packed.baseAddress!, bias.baseAddress!, $0.baseAddress!)
          }
        } else {
          body(packed.baseAddress!, bias.baseAddress!, nil)
        }
      }
    }
  }
}

/// 2×2 max pooling, stride 2, of planar maps, windows past the bottom or right edge clipped
/// (PyTorch's `ceil_mode=True`): `(height + 1) / 2 × (width + 1) / 2` outputs a plane. Maps
/// follow ``PlanarLayout``. When `width` is odd, column `width` of each input row is
/// overwritten (it clips the last window).
public func planarMaxPool2Ceil(
  _ input: UnsafeMutablePointer<Float>, channels: Int, height: Int, width: Int, rowStride: Int,
  planeStride: Int, into output: UnsafeMutablePointer<Float>, outputRowStride: Int,
  outputPlaneStride: Int, instructions: PlanarInstructions
) {
  precondition(PlanarInstructions.supported.contains(instructions))
  precondition(rowStride >= PlanarLayout.rowStride(width: width + width % 2))
  precondition(outputRowStride >= PlanarLayout.rowStride(width: (width + 1) / 2))
  guard height > 0, width > 0 else { return }
  emocl_planar_max_pool2_ceil(
    instructions.rawValue, input, rowStride, planeStride, Int32(channels), Int32(height),
    Int32(width), output, outputRowStride, outputPlaneStride)
}

/// The instruction sets CKernels' planar kernels are built for.
public enum PlanarInstructions: Int32, Sendable, CaseIterable, CustomStringConvertible {
  case avx2 = 1
  case avx512 = 2

  /// Those this CPU runs (with the OS saving their registers), best last.
  public static let supported: [PlanarInstructions] = {
    let best = emocl_planar_isa()
    return allCases.filter { $0.rawValue <= best }
  }()

  /// The best one this CPU runs; nil where the planar kernels cannot run (the networks' generic
  /// layers do the work).
  public static var best: PlanarInstructions? { supported.last }

  public var description: String { self == .avx512 ? "AVX-512" : "AVX2+FMA" }
}

/// How ``PlanarConvolution`` and ``planarMaxPool2Ceil(_:channels:height:width:rowStride:planeStride:into:outputRowStride:outputPlaneStride:instructions:)``
/// want planar maps laid out: they compute whole tiles of 32 columns, reading and writing past
/// a row's last valid column.
public enum PlanarLayout {
  /// Columns of a tile.
  public static let tile = Int(EMOCL_PLANAR_TILE)
  /// Floats a buffer needs after its last plane.
  public static let slack = Int(EMOCL_PLANAR_SLACK)

  /// The row stride for maps `width` columns wide: rounded up to ``tile``. (A map pooled with
  /// an odd width needs one column more.)
  public static func rowStride(width: Int) -> Int { (width + tile - 1) / tile * tile }
}
