import Tensor

/// The second half of P-Net in 8 bits (``Int8Convolution``, AVX-512 VNNI): conv 3×3 (16→32) +
/// PReLU and conv 1×1 (32→6), about two thirds of P-Net's multiply-adds, on NHWC bytes. The
/// first half (conv 3×3 3→10 + PReLU, 2×2 max pool, conv 3×3 10→16 + PReLU) stays in floats
/// (``MTCNNNetworks``' head instances): measured on the shared photos, running it in bytes too
/// doubled the error of the face probabilities (`emocl-bench pnet-int8-error`).
///
/// The head's output and conv3's are stored with the ``ByteQuantization`` of their channels'
/// ranges over a calibration set of photos (`emocl-bench pnet-calibrate` measures them and
/// writes them into the model card as `architecture.pnetInt8`).
struct PNetInt8: Sendable {
  /// The head's output (16 channels) and conv3's (32), as bytes.
  let activations: [ByteQuantization]
  private let conv3: Int8Convolution
  private let conv4: Int8Convolution
  /// Channels of the two quantized activations.
  static let channels = [16, 32]
  /// The P-Net parameters the int8 half reads (facenet-pytorch's names, without `pnet.`).
  static let parameterNames = ["5.weight", "5.bias", "6.weight", "7.weight", "7.bias"]
  /// Layers of P-Net's spec that run in floats (conv, PReLU, pool, conv, PReLU).
  static let headLayers = 5

  /// From the float P-Net's parameters by name (`5.weight`, `5.bias`, `6.weight` the slopes,
  /// `7.weight`, `7.bias`, as ``MTCNNNetworks`` reads them) and the two activations'
  /// quantizations.
  init(parameter: (String) throws -> [Float], activations: [ByteQuantization]) throws {
    precondition(activations.map(\.channels) == Self.channels)
    self.activations = activations
    conv3 = Int8Convolution(
      weights: try parameter("5.weight"), bias: try parameter("5.bias"), outputChannels: 32,
      inputChannels: 16, kernel: 3, input: activations[0], slopes: try parameter("6.weight"))
    conv4 = Int8Convolution(
      weights: try parameter("7.weight"), bias: try parameter("7.bias"), outputChannels: 6,
      inputChannels: 32, kernel: 1, input: activations[1])
  }

  /// Byte buffers for one thread's bands, grown to the largest band it has run.
  final class Scratch {
    private var buffers: [UnsafeMutablePointer<UInt8>] = []
    private var capacity = 0

    init() {}
    deinit { for buffer in buffers { buffer.deallocate() } }

    /// Two buffers of at least `bytes` each.
    func reserve(_ bytes: Int) -> (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt8>) {
      if bytes > capacity {
        for buffer in buffers { buffer.deallocate() }
        buffers = [.allocate(capacity: bytes), .allocate(capacity: bytes)]
        capacity = bytes
      }
      return (buffers[0], buffers[1])
    }
  }

  /// The rest of P-Net on the head's output `head` (`[16, height, width]` floats, rows
  /// `rowStride` apart, default `width`) into `output`: six planes of `(height − 2) × (width −
  /// 2)`, `plane` floats apart (2 face logits, 4 box offsets).
  func run(
    head: UnsafePointer<Float>, height: Int, width: Int, rowStride: Int? = nil,
    scratch: Scratch, into output: UnsafeMutablePointer<Float>, plane: Int
  ) {
    let (a, b) = scratch.reserve(max(height * width * 32, 1))
    let stride = rowStride ?? width
    ByteActivations.quantize(
      height: height, width: width, from: head, rowStride: stride, planeStride: height * stride,
      quantization: activations[0], channels: 16, into: a)
    conv3.bytes(
      a, height: height, width: width, quantization: activations[1], storedOutputChannels: 32,
      into: b)
    let (h, w) = conv3.outputSize(height: height, width: width)
    conv4.floats(b, height: h, width: w, into: output, planeStride: plane)
  }

  /// Per channel, the smallest and largest value of the head's output `head` (`[16, height,
  /// width]`) and of conv3's (after its PReLU, with the head's output stored as bytes fitted
  /// to its own ranges here), for calibrating ``activations``.
  func activationRanges(head: UnsafePointer<Float>, height: Int, width: Int) -> [ActivationRange] {
    let first = ActivationRange(planes: head, channels: 16, count: height * width)
    let fitted = first.quantization
    let (h, w) = conv3.outputSize(height: height, width: width)
    var bytes = [UInt8](repeating: 0, count: height * width * 16)
    var floats = [Float](repeating: 0, count: 32 * h * w)
    bytes.withUnsafeMutableBufferPointer { bytes in
      floats.withUnsafeMutableBufferPointer { floats in
        ByteActivations.quantize(
          height: height, width: width, from: head, rowStride: width,
          planeStride: height * width, quantization: fitted, channels: 16,
          into: bytes.baseAddress!)
        conv3.withInput(fitted).floats(
          bytes.baseAddress!, height: height, width: width, into: floats.baseAddress!,
          planeStride: h * w)
      }
    }
    let second = floats.withUnsafeBufferPointer {
      ActivationRange(planes: $0.baseAddress!, channels: 32, count: h * w)
    }
    return [first, second]
  }
}
