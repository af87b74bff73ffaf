import Tensor

extension Workspace {
  /// Runs the network on an NCHW tensor `[n, C, H, W]` and returns the output as NCHW
  /// `[n, C', H', W']` (a copy). A convenience over the pointer API for tests and one-off use.
  public func forward(_ input: Tensor, training: Bool, seed: UInt64 = 0) throws(NetworkError)
    -> Tensor
  {
    let s = network.inputShape
    guard input.rank == 4, input.shape[1...] == [s.channels, s.height, s.width][...] else {
      throw .shapeMismatch(
        expected: [input.shape.first ?? 0, s.channels, s.height, s.width], got: input.shape)
    }
    let n = input.shape[0]
    let out: UnsafeMutablePointer<Float>
    do {
      out = try input.storage.withUnsafeBufferPointer { (p) throws(NetworkError) in
        try forward(images: p.baseAddress!, batch: n, training: training, seed: seed)
      }
    }
    let o = network.outputShape
    var result = Tensor(shape: [n, o.channels, o.height, o.width])
    result.storage.withUnsafeMutableBufferPointer {
      Self.transpose(
        from: out, to: $0.baseAddress!, outer: o.channels, inner: n, plane: o.planeSize)
    }
    return result
  }

  /// Back-propagates an NCHW gradient shaped like the last ``forward(_:training:seed:)``
  /// output, accumulating parameter gradients; returns the NCHW input gradient if asked.
  @discardableResult
  public func backward(_ outputGradient: Tensor, inputGradient: Bool = false) throws(NetworkError)
    -> Tensor?
  {
    let o = network.outputShape
    let n = outputGradient.shape.first ?? 0
    guard outputGradient.shape == [n, o.channels, o.height, o.width], n > 0, n <= maxBatch
    else {
      throw .shapeMismatch(expected: [n, o.channels, o.height, o.width], got: outputGradient.shape)
    }
    var cnhw = [Float](repeating: 0, count: outputGradient.count)
    outputGradient.storage.withUnsafeBufferPointer { src in
      cnhw.withUnsafeMutableBufferPointer {
        Self.transpose(
          from: src.baseAddress!, to: $0.baseAddress!, outer: n, inner: o.channels,
          plane: o.planeSize)
      }
    }
    let grad = cnhw.withUnsafeBufferPointer {
      backward(outputGradient: $0.baseAddress!, inputGradient: inputGradient)
    }
    let s = network.inputShape
    return grad.map { Tensor(shape: [n, s.channels, s.height, s.width], storage: $0) }
  }

  /// `[outer, inner, plane] → [inner, outer, plane]`.
  static func transpose(
    from source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, outer: Int,
    inner: Int, plane: Int
  ) {
    for a in 0..<outer {
      for b in 0..<inner {
        (destination + (b * outer + a) * plane).update(
          from: source + (a * inner + b) * plane, count: plane)
      }
    }
  }
}
