import NeuralNet

/// The shape of a crop network like MTCNN's R- and O-Net, read from its spec: stages of
/// convolution (stride 1, no padding, bias) + PReLU + an optional max pool (`ceil_mode`), then
/// flatten, dense layers (each but the last with a PReLU). What ``CropNetInt8`` and
/// ``CropNetFloat`` build their layers from; parameters are named by spec index as in
/// facenet-pytorch (`"<index>.weight"`, `"<index>.bias"`, a PReLU's slopes `"<index>.weight"`).
struct CropNetShape: Sendable {
  struct Stage: Sendable {
    /// The spec index of the convolution; its PReLU is the next layer.
    var index: Int
    var inputChannels: Int
    var outputs: Int
    var kernel: Int
    /// The size the convolution reads.
    var height: Int
    var width: Int
    var pool: (kernel: Int, stride: Int)?
    var preluIndex: Int { index + 1 }
    var outputSize: (height: Int, width: Int) { (height - kernel + 1, width - kernel + 1) }
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

  struct Dense: Sendable {
    var index: Int
    var inputs: Int
    var outputs: Int
    /// The spec index of its PReLU, if it has one.
    var preluIndex: Int?
  }

  /// The crop's side (24 for R-Net, 48 for O-Net).
  let side: Int
  let stages: [Stage]
  let dense: [Dense]

  /// - Throws: `NetworkError.unsupported` for a spec of another shape.
  init(spec: NetworkSpec) throws {
    guard spec.inputChannels == 3, spec.inputHeight == spec.inputWidth else {
      throw NetworkError.unsupported("a crop network takes square RGB crops")
    }
    side = spec.inputHeight
    var stages: [Stage] = []
    var dense: [Dense] = []
    var (height, width, channels) = (side, side, 3)
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
        var stage = Stage(
          index: i, inputChannels: channels, outputs: outputs, kernel: kernel, height: height,
          width: width)
        i += 2
        if i < layers.count, case .maxPoolCeil(let kernel, let stride) = layers[i] {
          stage.pool = (kernel, stride)
          i += 1
        }
        (height, width) = stage.pooledSize
        guard height >= 1, width >= 1 else { throw refuse("the maps vanish") }
        channels = outputs
        stages.append(stage)
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
        var layer = Dense(index: i, inputs: channels, outputs: outputs)
        i += 1
        if i < layers.count, case .prelu = layers[i] {
          layer.preluIndex = i
          i += 1
        }
        dense.append(layer)
        channels = outputs
      default:
        throw refuse("not a layer of MTCNN's R- or O-Net")
      }
    }
    guard !dense.isEmpty, dense.last!.preluIndex == nil else {
      throw NetworkError.unsupported("the network must end with a dense layer")
    }
    self.stages = stages
    self.dense = dense
  }

  /// The output rows.
  var outputs: Int { dense.last!.outputs }
}
