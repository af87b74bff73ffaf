import Tensor

/// P-Net in 8 bits (``Int8Convolution``, AVX-512 VNNI): the same layers as the float network,
/// conv 3×3 (3→10) + PReLU, 2×2 max pool (ceil), conv 3×3 (10→16) + PReLU, conv 3×3 (16→32) +
/// PReLU, conv 1×1 (32→6), with activations as NHWC bytes between them. The float band
/// (`[3, rows, width]`, normalised) goes in; the six float output planes come out, as the
/// float network's.
///
/// Each of the first three convolutions' outputs (after their PReLUs) is stored with the
/// ``ByteQuantization`` of its channels' ranges over a calibration set of photos
/// (`emocl-bench pnet-calibrate` measures them and writes them into the model card as
/// `architecture.pnetInt8`). The input's bytes are the pixels (``input``).
struct PNetInt8: Sendable {
  /// The outputs of the first three convolutions, as bytes.
  let activations: [ByteQuantization]
  private let conv1: Int8Convolution
  private let conv2: Int8Convolution
  private let conv3: Int8Convolution
  private let conv4: Int8Convolution
  /// The normalised pixels `(p − 127.5)/128` as the bytes `p` (an area-resampled pixel
  /// rounded; the grey border, 0, as 128, half a level off).
  static let input = ByteQuantization(
    steps: [Float](repeating: 1.0 / 128, count: 3), zeroPoints: [127.5, 127.5, 127.5])
  /// The first three layers' output channels, and as stored (multiples of 4).
  static let channels = [10, 16, 32]
  static let storedChannels = [12, 16, 32]

  /// From the float P-Net's parameters by name (`0.weight`, `0.bias`, `1.weight` the slopes, …,
  /// as ``MTCNNNetworks`` reads them) and the three activations' quantizations.
  init(parameter: (String) throws -> [Float], activations: [ByteQuantization]) throws {
    precondition(activations.map(\.channels) == Self.channels)
    self.activations = activations
    conv1 = Int8Convolution(
      weights: try parameter("0.weight"), bias: try parameter("0.bias"), outputChannels: 10,
      inputChannels: 3, kernel: 3, input: Self.input, slopes: try parameter("1.weight"))
    conv2 = Int8Convolution(
      weights: try parameter("3.weight"), bias: try parameter("3.bias"), outputChannels: 16,
      inputChannels: 10, kernel: 3, input: activations[0], slopes: try parameter("4.weight"))
    conv3 = Int8Convolution(
      weights: try parameter("5.weight"), bias: try parameter("5.bias"), outputChannels: 32,
      inputChannels: 16, kernel: 3, input: activations[1], slopes: try parameter("6.weight"))
    conv4 = Int8Convolution(
      weights: try parameter("7.weight"), bias: try parameter("7.bias"), outputChannels: 6,
      inputChannels: 32, kernel: 1, input: activations[2])
  }

  /// The output size of a `rows × width` band: `[6, height, width]`.
  static func outputSize(rows: Int, width: Int) -> (height: Int, width: Int) {
    ((rows - 2 + 1) / 2 - 4, (width - 2 + 1) / 2 - 4)
  }

  /// Byte buffers for one thread's bands, grown to the largest band it has run.
  final class Scratch {
    private var buffers: [UnsafeMutablePointer<UInt8>] = []
    private var capacity = 0

    init() {}
    deinit { for buffer in buffers { buffer.deallocate() } }

    /// Two buffers of at least `bytes` each (activations ping-pong between them).
    func reserve(_ bytes: Int) -> (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt8>) {
      if bytes > capacity {
        for buffer in buffers { buffer.deallocate() }
        buffers = [.allocate(capacity: bytes), .allocate(capacity: bytes)]
        capacity = bytes
      }
      return (buffers[0], buffers[1])
    }
  }

  /// P-Net on `band` (`[3, rows, width]` floats) into `output`: six planes of
  /// ``outputSize(rows:width:)``, `plane` floats apart (2 face logits, 4 box offsets).
  func run(
    band: UnsafePointer<Float>, rows: Int, width: Int, scratch: Scratch,
    into output: UnsafeMutablePointer<Float>, plane: Int
  ) {
    // The largest activation is conv1's, (rows − 2)(width − 2) × 12 bytes; conv3's is about a
    // quarter of the pixels × 32.
    let (a, b) = scratch.reserve(max(rows * width * 12, 1))
    ByteActivations.quantize(
      height: rows, width: width, from: band, rowStride: width, planeStride: rows * width,
      quantization: Self.input, channels: 4, into: a)
    var (h, w) = conv1.outputSize(height: rows, width: width)
    conv1.bytes(
      a, height: rows, width: width, quantization: activations[0], storedOutputChannels: 12,
      into: b)
    ByteActivations.maxPool2x2(b, height: h, width: w, channels: 12, into: a)
    (h, w) = ((h + 1) / 2, (w + 1) / 2)
    conv2.bytes(
      a, height: h, width: w, quantization: activations[1], storedOutputChannels: 16, into: b)
    (h, w) = conv2.outputSize(height: h, width: w)
    conv3.bytes(
      b, height: h, width: w, quantization: activations[2], storedOutputChannels: 32, into: a)
    (h, w) = conv3.outputSize(height: h, width: w)
    conv4.floats(a, height: h, width: w, into: output, planeStride: plane)
  }
}

extension PNetInt8 {
  /// Per channel, the smallest and largest value each of the first three convolutions gives
  /// (after its PReLU) on `band`, for calibrating ``activations``. Each layer's float output is
  /// measured, then stored with the quantization of its own ranges for the next layer, so the
  /// next layer sees what it would with quantizations fitted to this band.
  func activationRanges(band: UnsafePointer<Float>, rows: Int, width: Int)
    -> [(minimum: [Float], maximum: [Float])]
  {
    var bytes = [UInt8](repeating: 0, count: rows * width * 32)
    var pooled = [UInt8](repeating: 0, count: rows * width * 32)
    var floats = [Float](repeating: 0, count: rows * width * 32)
    var ranges: [(minimum: [Float], maximum: [Float])] = []
    bytes.withUnsafeMutableBufferPointer { bytes in
      pooled.withUnsafeMutableBufferPointer { pooled in
        floats.withUnsafeMutableBufferPointer { floats in
          let (a, p, f) = (bytes.baseAddress!, pooled.baseAddress!, floats.baseAddress!)
          ByteActivations.quantize(
            height: rows, width: width, from: band, rowStride: width, planeStride: rows * width,
            quantization: Self.input, channels: 4, into: a)
          var (h, w) = (rows, width)
          var previous = Self.input
          for (index, conv) in [conv1, conv2, conv3].enumerated() {
            let layer = conv.withInput(previous)
            let (oh, ow) = layer.outputSize(height: h, width: w)
            layer.floats(a, height: h, width: w, into: f, planeStride: oh * ow)
            (h, w) = (oh, ow)
            var range: (minimum: [Float], maximum: [Float]) = ([], [])
            for c in 0..<conv.outputChannels {
              let plane = UnsafeBufferPointer(start: f + c * h * w, count: h * w)
              range.minimum.append(plane.min() ?? 0)
              range.maximum.append(plane.max() ?? 0)
            }
            ranges.append(range)
            previous = ByteQuantization(minimum: range.minimum, maximum: range.maximum)
            ByteActivations.quantize(
              height: h, width: w, from: f, rowStride: w, planeStride: h * w,
              quantization: previous, channels: Self.storedChannels[index], into: a)
            if index == 0 {
              ByteActivations.maxPool2x2(a, height: h, width: w, channels: 12, into: p)
              (h, w) = ((h + 1) / 2, (w + 1) / 2)
              a.update(from: p, count: h * w * 12)
            }
          }
        }
      }
    }
    return ranges
  }
}
