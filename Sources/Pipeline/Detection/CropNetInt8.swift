import NeuralNet
import Tensor

/// R- or O-Net run in 8 bits with AVX-512 VNNI (``Int8Convolution``), one crop at a time.
///
/// The networks are stages of convolution (stride 1, no padding, bias) + PReLU + an optional
/// max pool (`ceil_mode`), then flatten, dense + PReLU, dense. Here:
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
  /// One convolution with its PReLU, the size it reads, and its pool.
  struct Stage: Sendable {
    var convolution: Int8Convolution
    /// The spec index of its PReLU: the float network cut after it gives the activation this
    /// stage stores (calibration measures it there).
    var preluIndex: Int
    var height: Int
    var width: Int
    var pool: (kernel: Int, stride: Int)?
    /// Output channels, as stored (a multiple of 4 for all but the last stage).
    var channels: Int { convolution.outputChannels }
    var outputSize: (height: Int, width: Int) {
      convolution.outputSize(height: height, width: width)
    }
    /// The size after the pool.
    var pooledSize: (height: Int, width: Int) {
      let (h, w) = outputSize
      guard let pool else { return (h, w) }
      return (
        CeilPooling.outputSide(h, kernel: pool.kernel, stride: pool.stride),
        CeilPooling.outputSide(w, kernel: pool.kernel, stride: pool.stride)
      )
    }
  }

  /// A dense layer (`weights` `[outputs, inputs]` row-major) and its optional PReLU.
  struct Dense: Sendable {
    var weights: [Float]
    var bias: [Float]
    var slopes: [Float]?
    var inputs: Int { weights.count / bias.count }
    var outputs: Int { bias.count }
  }

  /// The crop's side (24 for R-Net, 48 for O-Net).
  let side: Int
  private(set) var stages: [Stage]
  let dense: [Dense]
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
    guard spec.inputChannels == 3, spec.inputHeight == spec.inputWidth else {
      throw NetworkError.unsupported("a crop network takes square RGB crops")
    }
    side = spec.inputHeight
    var stages: [Stage] = []
    var dense: [Dense] = []
    var (height, width, channels) = (side, side, 3)
    var input = Self.input
    let layers = spec.layers
    var i = 0
    func refuse(_ why: String) -> NetworkError {
      .unsupported("layer \(i) (\(i < layers.count ? "\(layers[i])" : "end")): \(why)")
    }
    while i < layers.count {
      switch layers[i] {
      case .conv2d(let outputs, let kernel, let stride, let padding, let bias):
        guard dense.isEmpty, stride == 1, padding == 0, bias, i + 1 < layers.count,
          case .prelu = layers[i + 1], height >= kernel, width >= kernel
        else { throw refuse("a convolution with bias, stride 1, no padding, then a PReLU") }
        // Inputs that are bytes must be stored in whole groups of 4 (the first's are padded).
        guard stages.isEmpty || channels % 4 == 0 else {
          throw refuse("stored activations need a multiple of 4 channels")
        }
        let quantization =
          stages.isEmpty
          ? input
          : activations.map { $0[stages.count - 1] }
            ?? ByteQuantization.uniform(step: 1, channels: channels)
        guard quantization.channels == channels else {
          throw refuse(
            "the activation ranges have \(quantization.channels) channels, not \(channels)")
        }
        var stage = Stage(
          convolution: Int8Convolution(
            weights: try parameter("\(i).weight"), bias: try parameter("\(i).bias"),
            outputChannels: outputs, inputChannels: channels, kernel: kernel, input: quantization,
            slopes: try parameter("\(i + 1).weight")),
          preluIndex: i + 1, height: height, width: width)
        i += 2
        if i < layers.count, case .maxPoolCeil(let kernel, let stride) = layers[i] {
          stage.pool = (kernel, stride)
          i += 1
        }
        (height, width) = stage.pooledSize
        guard height >= 1, width >= 1 else { throw refuse("the maps vanish") }
        channels = outputs
        stages.append(stage)
        input = ByteQuantization.uniform(step: 1, channels: outputs)
      case .flatten:
        guard stages.count >= 2, stages.last!.pool == nil, dense.isEmpty else {
          throw refuse("flatten must follow two or more stages, the last unpooled")
        }
        channels *= height * width
        (height, width) = (1, 1)
        i += 1
      case .dense(let outputs, let bias):
        guard height == 1, width == 1, bias else {
          throw refuse("a dense layer with bias after flatten")
        }
        var layer = Dense(
          weights: try parameter("\(i).weight"), bias: try parameter("\(i).bias"), slopes: nil)
        guard layer.weights.count == outputs * channels, layer.bias.count == outputs else {
          throw refuse("parameters of the wrong size")
        }
        i += 1
        if i < layers.count, case .prelu = layers[i] {
          layer.slopes = try parameter("\(i).weight")
          i += 1
        }
        dense.append(layer)
        channels = outputs
      default:
        throw refuse("not a layer of MTCNN's R- or O-Net")
      }
    }
    guard !dense.isEmpty, dense.last!.slopes == nil else {
      throw NetworkError.unsupported("the network must end with a dense layer")
    }
    if let activations, activations.count != stages.count - 1 {
      throw NetworkError.unsupported(
        "\(activations.count) activation ranges for \(stages.count - 1) stored activations")
    }
    self.stages = stages
    self.dense = dense
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
      let isLast = k == dense.count - 1
      scratch.features.withUnsafeBufferPointer { x in
        scratch.hidden.withUnsafeMutableBufferPointer { y in
          let out = y.baseAddress!
          out.update(from: layer.bias, count: layer.outputs)
          layer.weights.withUnsafeBufferPointer {
            sgemv(
              m: layer.outputs, n: layer.inputs, a: $0.baseAddress!, lda: layer.inputs,
              x: x.baseAddress!, beta: 1, y: out)
          }
          if let slopes = layer.slopes {
            for o in 0..<layer.outputs where out[o] < 0 { out[o] *= slopes[o] }
          }
          if isLast { for o in 0..<layer.outputs { output[o * stride] = out[o] } }
        }
      }
      swap(&scratch.features, &scratch.hidden)
    }
  }
}
