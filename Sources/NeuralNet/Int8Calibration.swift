import Tensor

/// The activation ranges ``Int8Network`` stores its bytes in, measured with the float network:
/// for each convolution stage, each channel's largest value after its ReLU over calibration
/// images (training images, never those a model is evaluated on).
public enum Int8Calibration {
  /// Per convolution stage of `network`, per channel, the largest activation after the ReLU
  /// over `count` normalised images (`images`, `count × H × W` floats, the network's input
  /// size). Each stage's activations come from the float network cut after that ReLU, so an
  /// error in an early stage's bytes does not move a later stage's range.
  public static func maxima(network: Network, images: [Float], count: Int, batch: Int = 64)
    throws(NetworkError) -> [[Float]]
  {
    let plan = try Int8NetworkPlan(network.spec)
    let size = network.inputShape.size
    guard count >= 1, images.count == count * size else {
      throw .shapeMismatch(expected: [count, size], got: [images.count])
    }
    var result: [[Float]] = []
    for conv in plan.convolutions {
      var spec = network.spec
      spec.layers = Array(spec.layers[...conv.reluIndex])
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
      var largest = [Float](repeating: 0, count: shape.channels)
      var start = 0
      while start < count {
        let n = min(batch, count - start)
        let out = try images.withUnsafeBufferPointer { (p) throws(NetworkError) in
          try workspace.forward(images: p.baseAddress! + start * size, batch: n, training: false)
        }
        // `[C, n, H, W]`: each channel's values are contiguous.
        let span = n * shape.planeSize
        for c in 0..<shape.channels {
          let values = UnsafeBufferPointer(start: out + c * span, count: span)
          largest[c] = max(largest[c], values.max() ?? 0)
        }
        start += n
      }
      result.append(largest)
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
