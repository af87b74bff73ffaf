import NeuralNet
import Tensor

/// R- or O-Net in floats on CKernels' pixel-major kernels (``PixelMajorConvolution``,
/// ``pixelMajorMaxPool(_:height:width:channels:kernel:stride:outHeight:outWidth:into:)``): each
/// crop's stages run one crop at a time on `[rows][columns][channels]` maps that stay in cache,
/// and the dense layers run on a batch of crops' features at once (one GEMM reads their weights
/// once per batch). The same numbers as the generic layers up to the order of the sums.
///
/// The last stage's map `[h][w][channels rounded up to 16]` is the first dense layer's input:
/// its weights' columns are reordered from the float network's flatten order (`[channels][h][w]`)
/// once, when the network is made.
struct CropNetFloat: Sendable {
  /// One convolution with its PReLU; the size it reads and its pool through ``shape``.
  @dynamicMemberLookup
  struct Stage: Sendable {
    var convolution: PixelMajorConvolution
    var shape: CropNetShape.Stage
    subscript<T>(dynamicMember path: KeyPath<CropNetShape.Stage, T>) -> T { shape[keyPath: path] }
  }

  /// The crop's side (24 for R-Net, 48 for O-Net).
  let side: Int
  let stages: [Stage]
  let dense: [CropNetDense]
  /// Floats of one crop's features: the last stage's map.
  let features: Int
  /// Crops whose features go through the dense layers together.
  static let batch = 32

  /// The network of `spec` with parameters by name (as ``CropNetShape`` says) on `instructions`.
  /// - Throws: `NetworkError.unsupported` for a spec of another shape.
  init(
    spec: NetworkSpec, parameter: (String) throws -> [Float], instructions: PlanarInstructions
  ) throws {
    let shape = try CropNetShape(spec: spec)
    side = shape.side
    var stages: [Stage] = []
    var stored = 3
    for stage in shape.stages {
      // Winograd F(2×2, 3×3) for O-Net's 3×3 layers past the first (32→64 on 23×23, 64→64 on
      // 10×10), where `emocl-bench conv-algorithms` measured it faster than the direct kernel;
      // not for R-Net's conv2 (28→48 on 11×11: 25 tiles for 81 outputs, measured no faster) nor
      // for the first layers (3 input channels).
      let winograd = shape.side == 48 && stage.kernel == 3 && stage.inputChannels > 3
      let convolution = PixelMajorConvolution(
        weights: try parameter("\(stage.index).weight"),
        bias: try parameter("\(stage.index).bias"),
        slopes: try parameter("\(stage.preluIndex).weight"), outputChannels: stage.outputs,
        inputChannels: stage.inputChannels, storedInputChannels: stored, kernel: stage.kernel,
        instructions: instructions, winograd: winograd)
      stored = convolution.storedOutputChannels
      stages.append(
        Stage(convolution: convolution, shape: stage))
    }
    var dense = try shape.dense.map { try CropNetDense(shape: $0, parameter: parameter) }
    // Feature (y, x, c) of the stored map is the flatten order's c·h·w + y·w + x.
    let last = stages.last!
    let (h, w) = last.outputSize
    let channels = last.convolution.outputChannels
    var order: [Int?] = []
    for y in 0..<h {
      for x in 0..<w {
        for c in 0..<stored { order.append(c < channels ? (c * h + y) * w + x : nil) }
      }
    }
    dense[0] = dense[0].withInputs(order)
    self.stages = stages
    self.dense = dense
    features = order.count
  }

  /// The float network's output rows.
  var outputs: Int { dense.last!.outputs }

  /// One thread's buffers: two maps, the Winograd layers' scratch, and the batch's features and
  /// dense outputs (their memory owned by ``ZeroedFloats``, made once, at their full size).
  final class Scratch {
    private let memory = (0..<5).map { _ in ZeroedFloats() }
    fileprivate let first: UnsafeMutablePointer<Float>
    fileprivate let second: UnsafeMutablePointer<Float>
    fileprivate let winograd: UnsafeMutablePointer<Float>
    fileprivate let batchA: UnsafeMutablePointer<Float>
    fileprivate let batchB: UnsafeMutablePointer<Float>

    init(for network: CropNetFloat) {
      var largest = 3 * network.side * network.side
      for stage in network.stages {
        let (h, w) = stage.outputSize
        largest = max(largest, h * w * stage.convolution.storedOutputChannels)
      }
      let vector = max(network.features, network.dense.map(\.outputs).max()!)
      first = memory[0].reserve(largest)
      second = memory[1].reserve(largest)
      winograd = memory[2].reserve(network.stages.map(\.convolution.scratchCount).max()!)
      batchA = memory[3].reserve(CropNetFloat.batch * vector)
      batchB = memory[4].reserve(CropNetFloat.batch * vector)
    }
  }

  /// The network's output rows for crops `range` of `crops` (`[n, 3, side, side]` normalised
  /// floats): output row `r` of crop `i` at `output[r · stride + i]`.
  func run(
    _ crops: UnsafePointer<Float>, range: Range<Int>, scratch: Scratch,
    into output: UnsafeMutablePointer<Float>, stride: Int
  ) {
    let size = 3 * side * side
    var start = range.lowerBound
    while start < range.upperBound {
      let n = min(Self.batch, range.upperBound - start)
      for i in 0..<n {
        features(
          of: crops + (start + i) * size, scratch: scratch, into: scratch.batchA + i * features)
      }
      dense(scratch.batchA, count: n, scratch: scratch, into: output + start, stride: stride)
      start += n
    }
  }

  /// One crop's (`[3, side, side]`) features: the last stage's map, ``features`` floats.
  func features(
    of crop: UnsafePointer<Float>, scratch: Scratch, into target: UnsafeMutablePointer<Float>
  ) {
    let plane = side * side
    var (from, to) = (scratch.first, scratch.second)
    // `[3][side][side]` into `[side][side][3]`.
    for p in 0..<plane {
      from[3 * p] = crop[p]
      from[3 * p + 1] = crop[plane + p]
      from[3 * p + 2] = crop[2 * plane + p]
    }
    for (k, stage) in stages.enumerated() {
      // The last stage writes straight into the features.
      let into = k == stages.count - 1 ? target : to
      stage.convolution.run(
        from, height: stage.height, width: stage.width, into: into, scratch: scratch.winograd)
      if let pool = stage.pool {
        let (h, w) = stage.outputSize
        let (ph, pw) = stage.pooledSize
        pixelMajorMaxPool(
          to, height: h, width: w, channels: stage.convolution.storedOutputChannels,
          kernel: pool.kernel, stride: pool.stride, outHeight: ph, outWidth: pw, into: from)
      } else {
        swap(&from, &to)
      }
    }
  }

  /// The dense layers on the features of `count` crops (`x`, `[count, features]`), in batches
  /// of ``batch``: output row `r` of crop `i` at `output[r · stride + i]`. `x` may be the
  /// scratch's own feature buffer.
  func dense(
    _ x: UnsafePointer<Float>, count: Int, scratch: Scratch,
    into output: UnsafeMutablePointer<Float>, stride: Int
  ) {
    var start = 0
    while start < count {
      let n = min(Self.batch, count - start)
      var input = x + start * features
      // Layers alternate between the two batch buffers; the first reads `x` (which, when it is
      // `batchA`, is not needed past the first layer).
      var (y, spare) = (scratch.batchB, scratch.batchA)
      for (k, layer) in dense.enumerated() {
        layer.apply(input, count: n, into: y)
        if k == dense.count - 1 {
          for i in 0..<n {
            for o in 0..<layer.outputs { output[o * stride + start + i] = y[i * layer.outputs + o] }
          }
        }
        input = UnsafePointer(y)
        swap(&y, &spare)
      }
      start += n
    }
  }
}
