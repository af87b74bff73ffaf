import Tensor

/// The activation ranges ``Int8Network`` stores its bytes in, measured with the float network:
/// for each convolution stage, each channel's largest value after its ReLU over calibration
/// images (training images, never those a model is evaluated on); and any network's ranges
/// after chosen layers (``ranges(network:cuts:images:count:batch:)``).
public enum Int8Calibration {
  /// Per convolution stage of `network`, per channel, the largest activation after the ReLU
  /// over `count` normalised images (`images`, `count × H × W` floats, the network's input
  /// size). Each stage's activations come from the float network cut after that ReLU, so an
  /// error in an early stage's bytes does not move a later stage's range.
  public static func maxima(network: Network, images: [Float], count: Int, batch: Int = 64)
    throws(NetworkError) -> [[Float]]
  {
    let plan = try Int8NetworkPlan(network.spec)
    return try ranges(
      network: network, cuts: plan.convolutions.map(\.reluIndex), images: images, count: count,
      batch: batch
    ).map { $0.maximum.map { max($0, 0) } }
  }

  /// Per index in `cuts`, each channel's range over `count` normalised images (`images`, `count
  /// × H × W · C` floats, the network's input size) of the output of `network`'s layers
  /// `0 ... cut`: the float network cut there, with the same parameters.
  public static func ranges(
    network: Network, cuts: [Int], images: [Float], count: Int, batch: Int = 64
  ) throws(NetworkError) -> [ActivationRange] {
    let size = network.inputShape.size
    guard count >= 1, images.count == count * size else {
      throw .shapeMismatch(expected: [count, size], got: [images.count])
    }
    var result: [ActivationRange] = []
    for cut in cuts {
      var spec = network.spec
      spec.layers = Array(spec.layers[...cut])
      let prefix = try Network(spec: spec, seed: 0)
      for (own, full) in [(prefix.parameters, network.parameters), (prefix.state, network.state)] {
        for info in own.infos {
          guard let tensor = full.tensor(named: info.name) else {
            throw .unknownParameter(info.name)
          }
          try own.set(info.name, to: tensor)
        }
      }
      let workspace = try Workspace(network: prefix, maxBatch: batch, forwardOnly: true)
      let shape = prefix.outputShape
      var range: ActivationRange?
      var start = 0
      while start < count {
        let n = min(batch, count - start)
        let out = try images.withUnsafeBufferPointer { (p) throws(NetworkError) in
          try workspace.forward(images: p.baseAddress! + start * size, batch: n, training: false)
        }
        // `[C, n, H, W]`: each channel's values are contiguous.
        let found = ActivationRange(
          planes: out, channels: shape.channels, count: n * shape.planeSize)
        range = ActivationRange.widen(range.map { [$0] }, to: [found])[0]
        start += n
      }
      result.append(range!)
    }
    return result
  }

  /// The byte quantizations of `maxima` (per stage and channel): zero point 0, step
  /// `maximum / 255` (1 for a channel that is never positive).
  public static func activations(maxima: [[Float]]) -> [ByteQuantization] {
    maxima.map { stage in
      ByteQuantization(
        steps: stage.map { $0 > 0 ? $0 / 255 : 1 },
        zeroPoints: [Float](repeating: 0, count: stage.count))
    }
  }
}
