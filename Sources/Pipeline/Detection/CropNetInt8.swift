import NeuralNet
import Tensor

/// R- or O-Net run in 8 bits with AVX-512 VNNI (``Int8Convolution``), one crop at a time.
///
/// The networks are stages of convolution (stride 1, no padding, bias) + PReLU + an optional
/// max pool (`ceil_mode`), then flatten, dense + PReLU, dense (``CropNetShape``). Here:
/// - the crop's normalised floats `(v − 127.5) / 128` become bytes with step 1/128 and zero
///   point 127.5, i.e. the area-averaged pixel rounded (at most half a grey level off);
/// - every stage but the last stores its PReLU's output as bytes (``ByteQuantization`` of each
///   channel's range over calibration crops, the card's `architecture.rnetInt8` or `onetInt8`),
///   and pools those bytes (exact: each channel's quantization is increasing);
/// - the last stage gives floats, `[channels][height][width]`, which is the float network's
///   flatten order, and the dense layers run in floats (`sgemv`).
///
/// A crop's maps are at most 46×46×32 bytes: they stay in cache, so crops run one by one.
struct CropNetInt8: Sendable {
  /// One convolution with its PReLU; its place in the spec (the size it reads, its pool, its
  /// PReLU's index: the float network cut there gives the activation this stage stores, which
  /// calibration measures) is read through ``shape``.
  @dynamicMemberLookup
  struct Stage: Sendable {
    var convolution: Int8Convolution
    var shape: CropNetShape.Stage
    /// Output channels, as stored (a multiple of 4 for all but the last stage).
    var channels: Int { convolution.outputChannels }
    subscript<T>(dynamicMember path: KeyPath<CropNetShape.Stage, T>) -> T { shape[keyPath: path] }
  }

  /// The crop's side (24 for R-Net, 48 for O-Net).
  let side: Int
  private(set) var stages: [Stage]
  let dense: [CropNetDense]
  /// The input pixels' quantization: step 1/128, zero point 127.5 (3 channels).
  static let input = ByteQuantization(
    steps: [Float](repeating: 1 / 128, count: 3), zeroPoints: [Float](repeating: 127.5, count: 3))

  /// Stages whose output is stored as bytes: all but the last.
  var storedStages: Int { stages.count - 1 }
  /// Channels of each activation stored as bytes (what the card's ranges must hold).
  var storedChannels: [Int] { stages.prefix(storedStages).map(\.channels) }
  /// The float network's output rows.
  var outputs: Int { dense.last!.outputs }

  /// The network of `spec` with parameters by name (`"0.weight"`, `"0.bias"`, `"1.weight"` the
  /// PReLU slopes, …), its stored activations quantized as `activations` says (one per stage
  /// but the last; provisional ones will do for calibration, ``withActivations(_:)``).
  /// - Throws: `NetworkError.unsupported` for a spec of another shape.
  init(
    spec: NetworkSpec, parameter: (String) throws -> [Float], activations: [ByteQuantization]?
  ) throws {
    let shape = try CropNetShape(spec: spec)
    side = shape.side
    var stages: [Stage] = []
    for (k, stage) in shape.stages.enumerated() {
      // Inputs that are bytes must be stored in whole groups of 4 (the first's are padded).
      guard k == 0 || stage.inputChannels % 4 == 0 else {
        throw NetworkError.unsupported(
          "layer \(stage.index): stored activations need a multiple of 4 channels")
      }
      let quantization =
        k == 0
        ? Self.input
        : activations.map { $0[k - 1] }
          ?? ByteQuantization.uniform(step: 1, channels: stage.inputChannels)
      guard quantization.channels == stage.inputChannels else {
        throw NetworkError.unsupported(
          "layer \(stage.index): the activation ranges have \(quantization.channels) channels, "
            + "not \(stage.inputChannels)")
      }
      stages.append(
        Stage(
          convolution: Int8Convolution(
            weights: try parameter("\(stage.index).weight"),
            bias: try parameter("\(stage.index).bias"), outputChannels: stage.outputs,
            inputChannels: stage.inputChannels, kernel: stage.kernel, input: quantization,
            slopes: try parameter("\(stage.preluIndex).weight")),
          shape: stage))
    }
    if let activations, activations.count != stages.count - 1 {
      throw NetworkError.unsupported(
        "\(activations.count) activation ranges for \(stages.count - 1) stored activations")
    }
    self.stages = stages
    dense = try shape.dense.map { try CropNetDense(shape: $0, parameter: parameter) }
  }

  /// The same network with its stored activations quantized as `activations` says.
  func withActivations(_ activations: [ByteQuantization]) -> CropNetInt8 {
    precondition(activations.count == storedStages)
    var copy = self
    for k in 1..<stages.count {
      copy.stages[k].convolution = stages[k].convolution.withInput(activations[k - 1])
    }
    return copy
  }

  /// The quantizations of the stored activations, as the convolutions after them read them.
  var activations: [ByteQuantization] { stages.dropFirst().map(\.convolution.input) }

  /// One thread's buffers: two byte maps, and two float vectors for the last stage's output
  /// and the dense layers.
  final class Scratch {
    fileprivate var first: [UInt8]
    fileprivate var second: [UInt8]
    fileprivate var features: [Float]
    fileprivate var hidden: [Float]

    init(for network: CropNetInt8) {
      var largest = 4 * network.side * network.side
      var vector = network.dense.map(\.outputs).max()!
      for stage in network.stages {
        let (h, w) = stage.outputSize
        largest = max(largest, h * w * max(4, stage.channels))
        vector = max(vector, h * w * stage.channels)
      }
      first = [UInt8](repeating: 0, count: largest)
      second = [UInt8](repeating: 0, count: largest)
      features = [Float](repeating: 0, count: vector)
      hidden = [Float](repeating: 0, count: vector)
    }
  }

  /// The network's output rows for one crop (`[3, side, side]` normalised floats) into
  /// `output` (``outputs`` floats, `stride` apart).
  func run(
    _ crop: UnsafePointer<Float>, scratch: Scratch, into output: UnsafeMutablePointer<Float>,
    stride: Int
  ) {
    scratch.first.withUnsafeMutableBufferPointer { a in
      scratch.second.withUnsafeMutableBufferPointer { b in
        var (from, to) = (a.baseAddress!, b.baseAddress!)
        ByteActivations.quantize(
          height: side, width: side, from: crop, rowStride: side, planeStride: side * side,
          quantization: Self.input, channels: 4, into: from)
        for k in 0..<storedStages {
          let stage = stages[k]
          let (h, w) = stage.outputSize
          // Stored as the next convolution reads it.
          stage.convolution.bytes(
            from, height: stage.height, width: stage.width,
            quantization: stages[k + 1].convolution.input, storedOutputChannels: stage.channels,
            into: to)
          if let pool = stage.pool {
            let (ph, pw) = stage.pooledSize
            ByteActivations.maxPool(
              to, height: h, width: w, channels: stage.channels, kernel: pool.kernel,
              stride: pool.stride, outHeight: ph, outWidth: pw, into: from)
          } else {
            swap(&from, &to)
          }
        }
        let last = stages[storedStages]
        let (h, w) = last.outputSize
        scratch.features.withUnsafeMutableBufferPointer {
          last.convolution.floats(
            from, height: last.height, width: last.width, into: $0.baseAddress!,
            planeStride: h * w)
        }
      }
    }
    for (k, layer) in dense.enumerated() {
      scratch.features.withUnsafeBufferPointer { x in
        scratch.hidden.withUnsafeMutableBufferPointer { y in
          layer.apply(x.baseAddress!, count: 1, into: y.baseAddress!)
          if k == dense.count - 1 { for o in 0..<layer.outputs { output[o * stride] = y[o] } }
        }
      }
      swap(&scratch.features, &scratch.hidden)
    }
  }
}
