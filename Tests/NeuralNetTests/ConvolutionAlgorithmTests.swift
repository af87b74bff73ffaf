import NeuralNet
import Tensor
import Testing

/// Every convolution algorithm against ``ReferenceConvolution`` (the definition, summed in
/// `Double`): forward, weight gradient (accumulated onto non-zero values) and input gradient,
/// on shapes that cover 1×1, 3×3 and 5×5 kernels, strides 1 and 2, padding, odd sides,
/// several chunks per batch and forward passes split between threads.
///
/// The scratch is filled with NaN before every call, and the outputs start as garbage, so an
/// algorithm that reads what an earlier call left in the scratch, or leaves part of its output
/// unwritten, fails.
@Suite struct ConvolutionAlgorithmTests {
  /// One convolution to check: input `[channels, batch, height, width]`, `outputs` channels.
  struct Shape: CustomTestStringConvertible, Sendable {
    var channels: Int
    var height: Int
    var width: Int
    var outputs: Int
    var kernel: Int
    var stride: Int
    var padding: Int
    var batch = 5
    /// Images per chunk (2 with a batch of 5: chunks of 2, 2 and 1).
    var chunk = 2

    var geometry: ConvGeometry {
      ConvGeometry(
        channels: channels, height: height, width: width, kernel: kernel, stride: stride,
        padding: padding)
    }
    var testDescription: String {
      "\(channels)→\(outputs) \(kernel)×\(kernel)/\(stride) pad \(padding) on \(height)×\(width)"
    }
  }

  static let shapes: [Shape] = [
    Shape(channels: 5, height: 6, width: 7, outputs: 4, kernel: 1, stride: 1, padding: 0),
    Shape(channels: 3, height: 7, width: 6, outputs: 4, kernel: 1, stride: 2, padding: 0),
    Shape(channels: 8, height: 9, width: 7, outputs: 8, kernel: 3, stride: 1, padding: 1),
    Shape(channels: 9, height: 8, width: 8, outputs: 3, kernel: 3, stride: 1, padding: 0),
    Shape(channels: 2, height: 7, width: 9, outputs: 10, kernel: 3, stride: 1, padding: 2),
    Shape(channels: 3, height: 9, width: 8, outputs: 5, kernel: 3, stride: 2, padding: 1),
    Shape(channels: 3, height: 9, width: 10, outputs: 4, kernel: 5, stride: 1, padding: 2),
    Shape(channels: 2, height: 11, width: 9, outputs: 3, kernel: 5, stride: 2, padding: 1),
    // Rows long enough for the direct convolution's 16- and 8-column blocks (with an
    // overlapping last block), and output counts that are not multiples of its 4-channel blocks.
    Shape(channels: 3, height: 13, width: 39, outputs: 10, kernel: 3, stride: 1, padding: 0),
    Shape(channels: 5, height: 6, width: 20, outputs: 7, kernel: 3, stride: 1, padding: 1),
    Shape(channels: 2, height: 5, width: 12, outputs: 5, kernel: 2, stride: 1, padding: 1),
    Shape(
      channels: 4, height: 9, width: 34, outputs: 6, kernel: 5, stride: 1, padding: 2, batch: 3),
  ]

  /// The algorithms that compute `shape` (Pointwise, Winograd and Direct only where they
  /// apply; Direct's gradients by im2col).
  static func algorithms(_ shape: Shape) -> [any ConvolutionAlgorithm] {
    let g = shape.geometry
    let im2col = Im2colConvolution(geometry: g, outputs: shape.outputs, chunk: shape.chunk)
    var result: [any ConvolutionAlgorithm] = [im2col]
    if let p = PointwiseConvolution(geometry: g, outputs: shape.outputs, chunk: shape.chunk) {
      result.append(p)
    }
    if let w = WinogradConvolution(geometry: g, outputs: shape.outputs, chunk: shape.chunk) {
      result.append(w)
    }
    if let d = DirectConvolution(geometry: g, outputs: shape.outputs, gradients: im2col) {
      result.append(d)
    }
    return result
  }

  /// Deterministic values in about [−1, 1].
  static func values(_ count: Int, salt: Int) -> [Float] {
    (0..<count).map { Float(($0 * 37 + salt * 11) % 29) / 14 - 1 }
  }

  /// `|a − b| ≤ 1e-4 · (1 + max |b|)` element-wise.
  static func close(_ a: [Float], _ b: [Float]) -> Bool {
    let scale = 1 + (b.map(abs).max() ?? 0)
    return a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-4 * scale }
  }

  /// What one algorithm gives for the three operations.
  struct Results {
    var output: [Float]
    var weightGradient: [Float]
    var inputGradient: [Float]
  }

  static func run(_ algorithm: any ConvolutionAlgorithm, _ shape: Shape, threads: Int) -> Results {
    let g = shape.geometry
    let n = shape.batch
    let x = values(g.channels * n * g.height * g.width, salt: 1)
    let w = values(shape.outputs * g.patchSize, salt: 2)
    let outCount = shape.outputs * n * g.outputHeight * g.outputWidth
    let dy = values(outCount, salt: 3)
    var y = [Float](repeating: 7, count: outCount)
    var dW = values(w.count, salt: 4)
    var dx = [Float](repeating: 7, count: x.count)
    var scratch = [Float](repeating: .nan, count: max(1, algorithm.scratchSize))
    func poison() { scratch.withUnsafeMutableBufferPointer { $0.update(repeating: .nan) } }
    scratch.withUnsafeMutableBufferPointer { s in
      algorithm.forward(
        x, batch: n, weight: w, into: &y, scratch: s.baseAddress!, threads: threads,
        frozenWeights: false)
    }
    poison()
    scratch.withUnsafeMutableBufferPointer { s in
      algorithm.accumulateWeightGradient(
        input: x, outputGradient: dy, batch: n, into: &dW, scratch: s.baseAddress!)
    }
    poison()
    scratch.withUnsafeMutableBufferPointer { s in
      algorithm.inputGradient(
        outputGradient: dy, batch: n, weight: w, into: &dx, scratch: s.baseAddress!)
    }
    return Results(output: y, weightGradient: dW, inputGradient: dx)
  }

  @Test("each algorithm gives the reference's output and gradients", arguments: shapes)
  func matchesReference(_ shape: Shape) {
    let reference = Self.run(
      ReferenceConvolution(geometry: shape.geometry, outputs: shape.outputs), shape, threads: 1)
    for algorithm in Self.algorithms(shape) {
      for threads in [1, 3] {
        let result = Self.run(algorithm, shape, threads: threads)
        let name = "\(type(of: algorithm)) on \(threads) threads"
        #expect(Self.close(result.output, reference.output), "\(name): output")
        #expect(Self.close(result.weightGradient, reference.weightGradient), "\(name): dW")
        #expect(Self.close(result.inputGradient, reference.inputGradient), "\(name): dx")
      }
    }
  }

  @Test(
    "only 1×1 stride-1 unpadded kernels are pointwise, only 3×3 stride-1 ones Winograd, stride-1 ones direct"
  )
  func applicability() {
    let counts = Self.shapes.map { Self.algorithms($0).count }
    #expect(counts == [3, 1, 3, 3, 3, 1, 2, 1, 3, 3, 2, 2])
  }

  /// The forward-only F(4×4, 3×3) convolution on the 3×3 stride-1 shapes above and on sides
  /// that are not multiples of its 4×4 tiles, planes smaller than a tile, one image and
  /// several chunks. Called twice with frozen weights (the second reuses the kept kernel
  /// transform) and once split between threads. `Winograd4Tests` observes errors up to 2.8e-6 of
  /// the output's scale; ``close(_:_:)``'s 1e-4 holds them with room.
  @Test(
    "Winograd F(4×4) forward gives the reference's output",
    arguments: shapes + [
      Shape(channels: 6, height: 3, width: 3, outputs: 5, kernel: 3, stride: 1, padding: 1),
      Shape(channels: 4, height: 4, width: 5, outputs: 3, kernel: 3, stride: 1, padding: 0),
      Shape(channels: 16, height: 13, width: 22, outputs: 17, kernel: 3, stride: 1, padding: 1),
      Shape(
        channels: 3, height: 10, width: 9, outputs: 4, kernel: 3, stride: 1, padding: 2, batch: 1,
        chunk: 1),
    ])
  func winograd4Forward(_ shape: Shape) {
    guard
      let algorithm = Winograd4Convolution(
        geometry: shape.geometry, outputs: shape.outputs, chunk: shape.chunk)
    else {
      #expect(!Winograd4Convolution.supports(shape.geometry))
      return
    }
    let g = shape.geometry
    let n = shape.batch
    let x = Self.values(g.channels * n * g.height * g.width, salt: 1)
    let w = Self.values(shape.outputs * g.patchSize, salt: 2)
    let outCount = shape.outputs * n * g.outputHeight * g.outputWidth
    var expected = [Float](repeating: 0, count: outCount)
    var none: [Float] = [0]
    ReferenceConvolution(geometry: g, outputs: shape.outputs).forward(
      x, batch: n, weight: w, into: &expected, scratch: &none)
    for (threads, frozen) in [(1, true), (1, true), (1, false), (3, true)] {
      var y = [Float](repeating: 7, count: outCount)
      var scratch = [Float](repeating: .nan, count: max(1, algorithm.scratchSize))
      algorithm.forward(
        x, batch: n, weight: w, into: &y, scratch: &scratch, threads: threads,
        frozenWeights: frozen)
      #expect(Self.close(y, expected), "\(threads) threads, frozen \(frozen)")
    }
  }

  /// The reference itself on a case small enough to write out: one 2×2 image, a 2×2 kernel
  /// with padding 1 (3×3 output).
  @Test("the reference convolution follows its definition")
  func referenceByHand() {
    let g = ConvGeometry(channels: 1, height: 2, width: 2, kernel: 2, stride: 1, padding: 1)
    let reference = ReferenceConvolution(geometry: g, outputs: 1)
    let x: [Float] = [1, 2, 3, 4]
    let w: [Float] = [1, 10, 100, 1000]
    var y = [Float](repeating: 0, count: 9)
    var scratch: [Float] = [0]
    reference.forward(x, batch: 1, weight: w, into: &y, scratch: &scratch)
    // y[oy][ox] = Σ w[ky][kx] · x[oy − 1 + ky][ox − 1 + kx]
    #expect(y == [1000, 2100, 200, 3010, 4321, 402, 30, 43, 4])
  }
}
