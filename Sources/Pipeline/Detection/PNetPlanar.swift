import NeuralNet
import Tensor

/// facenet-pytorch's P-Net in floats on planar bands, layer after layer with CKernels' planar
/// kernels (``PlanarConvolution``, ``planarMaxPool2Ceil(_:channels:height:width:rowStride:planeStride:into:outputRowStride:outputPlaneStride:instructions:)``):
/// conv 3×3 3→10 + PReLU, 2×2 max pool (ceil), conv 3×3 10→16 + PReLU, conv 3×3 16→32 + PReLU,
/// conv 1×1 32→6. The same numbers as the network's generic layers up to the order of the
/// sums, in about a third of the time on the machine measured (README, "Face detection").
///
/// Bands and every map in between are laid out as ``PlanarLayout`` says (rows padded to 32
/// columns); a band of `rows × width` gives six planes of `((rows − 1)/2 − 4) × ((width −
/// 1)/2 − 4)`, as the generic network does.
struct PNetPlanar: Sendable {
  let instructions: PlanarInstructions
  private let conv1: PlanarConvolution
  private let conv2: PlanarConvolution
  private let conv3: PlanarConvolution
  private let conv4: PlanarConvolution

  /// The layers of the P-Net this runs (``MTCNNNetworks`` checks the card's spec against them).
  static let layers: [LayerSpec] = [
    .conv2d(outputs: 10, kernel: 3), .prelu, .maxPoolCeil(kernel: 2, stride: 2),
    .conv2d(outputs: 16, kernel: 3), .prelu, .conv2d(outputs: 32, kernel: 3), .prelu,
    .conv2d(outputs: 6, kernel: 1),
  ]

  /// From the P-Net's parameters by facenet-pytorch's name (`0.weight`, `0.bias`, `1.weight` the
  /// first PReLU's slopes, …, `7.bias`).
  init(parameter: (String) throws -> [Float], instructions: PlanarInstructions) throws {
    self.instructions = instructions
    func conv(_ index: Int, _ inputs: Int, _ outputs: Int, _ kernel: Int, prelu: Bool) throws
      -> PlanarConvolution
    {
      PlanarConvolution(
        weights: try parameter("\(index).weight"), bias: try parameter("\(index).bias"),
        slopes: prelu ? try parameter("\(index + 1).weight") : nil, outputChannels: outputs,
        inputChannels: inputs, kernel: kernel, instructions: instructions)
    }
    conv1 = try conv(0, 3, 10, 3, prelu: true)
    conv2 = try conv(3, 10, 16, 3, prelu: true)
    conv3 = try conv(5, 16, 32, 3, prelu: true)
    conv4 = try conv(7, 32, 6, 1, prelu: false)
  }

  /// The output size of a band of `rows × width`.
  static func outputSize(rows: Int, width: Int) -> (height: Int, width: Int) {
    ((rows - 1) / 2 - 4, (width - 1) / 2 - 4)
  }

  /// One thread's maps between the layers, grown to the largest band it has run; zeroed when
  /// made, so that the columns past each map's width hold finite numbers.
  final class Scratch {
    private var buffer: UnsafeMutablePointer<Float>?
    private var capacity = 0

    init() {}
    deinit { buffer?.deallocate() }

    /// At least `floats` floats, zeroed when newly made.
    func reserve(_ floats: Int) -> UnsafeMutablePointer<Float> {
      if floats > capacity || buffer == nil {
        buffer?.deallocate()
        buffer = .allocate(capacity: floats)
        buffer!.initialize(repeating: 0, count: floats)
        capacity = floats
      }
      return buffer!
    }
  }

  /// P-Net on `band` (`[3][rows][rowStride]`, `rowStride` from ``PlanarLayout`` for `width`,
  /// and ``PlanarLayout/slack`` floats after it) into `output`: six planes of
  /// ``outputSize(rows:width:)``, `plane` floats apart, rows packed (2 face logits, 4 box
  /// offsets).
  func run(
    band: UnsafeMutablePointer<Float>, rows: Int, width: Int, scratch: Scratch,
    into output: UnsafeMutablePointer<Float>, plane: Int
  ) {
    let (h1, w1) = (rows - 2, width - 2)
    let (h2, w2) = ((h1 + 1) / 2, (w1 + 1) / 2)
    let (h3, w3) = (h2 - 2, w2 - 2)
    let (h4, w4) = (h3 - 2, w3 - 2)
    guard h4 > 0, w4 > 0 else { return }
    let inStride = PlanarLayout.rowStride(width: width)
    let s1 = PlanarLayout.rowStride(width: w1 + 1)
    let (s2, s3, s4) = (
      PlanarLayout.rowStride(width: w2), PlanarLayout.rowStride(width: w3),
      PlanarLayout.rowStride(width: w4)
    )
    let sizes = [10 * h1 * s1, 10 * h2 * s2, 16 * h3 * s3, 32 * h4 * s4, 6 * h4 * s4]
    let slack = PlanarLayout.slack
    let base = scratch.reserve(sizes.reduce(0, +) + sizes.count * slack)
    var offsets: [Int] = []
    var at = 0
    for size in sizes {
      offsets.append(at)
      at += size + slack
    }
    let (m1, m2, m3, m4, m5) = (
      base + offsets[0], base + offsets[1], base + offsets[2], base + offsets[3],
      base + offsets[4]
    )
    conv1.run(
      band, rowStride: inStride, planeStride: rows * inStride, outputHeight: h1, outputWidth: w1,
      into: m1, outputRowStride: s1, outputPlaneStride: h1 * s1)
    planarMaxPool2Ceil(
      m1, channels: 10, height: h1, width: w1, rowStride: s1, planeStride: h1 * s1, into: m2,
      outputRowStride: s2, outputPlaneStride: h2 * s2, instructions: instructions)
    conv2.run(
      m2, rowStride: s2, planeStride: h2 * s2, outputHeight: h3, outputWidth: w3, into: m3,
      outputRowStride: s3, outputPlaneStride: h3 * s3)
    conv3.run(
      m3, rowStride: s3, planeStride: h3 * s3, outputHeight: h4, outputWidth: w4, into: m4,
      outputRowStride: s4, outputPlaneStride: h4 * s4)
    conv4.run(
      m4, rowStride: s4, planeStride: h4 * s4, outputHeight: h4, outputWidth: w4, into: m5,
      outputRowStride: s4, outputPlaneStride: h4 * s4)
    for k in 0..<6 {
      for y in 0..<h4 {
        (output + k * plane + y * w4).update(from: m5 + k * h4 * s4 + y * s4, count: w4)
      }
    }
  }
}
