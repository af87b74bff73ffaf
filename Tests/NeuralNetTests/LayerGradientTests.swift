import NeuralNet
import Tensor
import Testing

/// Every layer's backward pass against central finite differences, on small shapes.
@Suite struct LayerGradientTests {
  @Test(arguments: [
    (3, 1, 1, true), (3, 2, 1, false), (1, 1, 0, true), (2, 2, 0, false), (3, 1, 0, true),
  ])
  func conv2d(kernel: Int, stride: Int, padding: Int, bias: Bool) throws {
    var check = try GradientCheck(
      spec: layerTestSpec(
        2, 5, 6,
        [.conv2d(outputs: 3, kernel: kernel, stride: stride, padding: padding, bias: bias)]),
      batch: 3)
    try check.run()
  }

  @Test func conv2dInSeveralChunks() throws {
    // A column target of one output plane forces one image per GEMM chunk.
    var check = try GradientCheck(
      spec: layerTestSpec(3, 4, 4, [.conv2d(outputs: 4, kernel: 3, stride: 1, padding: 1)]),
      batch: 3,
      columnTarget: 16)
    try check.run()
  }

  /// Planes of at least 8×8 and 8 channels each way: the Winograd path for the output, the
  /// kernel gradient and the input gradient (padding 1, and 0 for odd tile counts).
  @Test(arguments: [1, 0])
  func conv2dWinograd(padding: Int) throws {
    var check = try GradientCheck(
      spec: layerTestSpec(8, 11, 10, [.conv2d(outputs: 8, kernel: 3, stride: 1, padding: padding)]),
      batch: 3, columnTarget: 100)
    try check.run()
  }

  @Test func batchNormOnPlanesInTraining() throws {
    var check = try GradientCheck(spec: layerTestSpec(3, 4, 5, [.batchNorm()]), batch: 4)
    try check.run()
  }

  @Test func batchNormOnFeaturesInTraining() throws {
    var check = try GradientCheck(spec: layerTestSpec(5, 1, 1, [.batchNorm()]), batch: 6)
    try check.run()
  }

  @Test func batchNormInEvaluation() throws {
    var check = try GradientCheck(spec: layerTestSpec(3, 3, 3, [.batchNorm()]), batch: 2)
    check.network.state.values[0] = 0.5
    check.network.state.values[4] = 2
    check.training = false
    try check.run()
  }

  @Test func relu() throws {
    var check = try GradientCheck(
      spec: layerTestSpec(2, 3, 4, [.relu]), batch: 2, inputs: spacedTensor([2, 2, 3, 4], seed: 1))
    try check.run()
  }

  @Test func silu() throws {
    var check = try GradientCheck(spec: layerTestSpec(2, 3, 4, [.silu]), batch: 2)
    try check.run()
  }

  @Test(arguments: [(2, 2), (3, 2), (2, 1)])
  func maxPool(kernel: Int, stride: Int) throws {
    var check = try GradientCheck(
      spec: layerTestSpec(2, 5, 6, [.maxPool(kernel: kernel, stride: stride)]), batch: 2,
      inputs: spacedTensor([2, 2, 5, 6], seed: 2))
    try check.run()
  }

  @Test(arguments: [(2, 2), (3, 1)])
  func avgPool(kernel: Int, stride: Int) throws {
    var check = try GradientCheck(
      spec: layerTestSpec(2, 5, 6, [.avgPool(kernel: kernel, stride: stride)]), batch: 2)
    try check.run()
  }

  @Test func globalAvgPool() throws {
    var check = try GradientCheck(spec: layerTestSpec(3, 4, 3, [.globalAvgPool]), batch: 2)
    try check.run()
  }

  @Test func dropoutInTraining() throws {
    var check = try GradientCheck(spec: layerTestSpec(4, 3, 3, [.dropout(rate: 0.5)]), batch: 3)
    try check.run()
    // The mask really drops about half the elements and scales the rest by 2.
    let out = try check.workspace.forward(check.input, training: true, seed: 7)
    let dropped = out.storage.filter { $0 == 0 }.count
    #expect(dropped > out.count / 4 && dropped < out.count * 3 / 4)
    for (y, x) in zip(out.storage, check.input.storage) where y != 0 {
      #expect(abs(y - 2 * x) < 1e-6)
    }
  }

  @Test func flattenThenDense() throws {
    var check = try GradientCheck(
      spec: layerTestSpec(2, 3, 2, [.flatten, .dense(outputs: 4)]), batch: 3)
    try check.run()
  }

  @Test func denseWithoutBias() throws {
    var check = try GradientCheck(
      spec: layerTestSpec(6, 1, 1, [.dense(outputs: 3, bias: false)]), batch: 2)
    try check.run()
  }

  @Test func residualWithIdentityShortcut() throws {
    var check = try GradientCheck(
      spec: layerTestSpec(
        2, 4, 4,
        [.residual(body: [.conv2d(outputs: 2, kernel: 3, padding: 1), .silu])]),
      batch: 2)
    try check.run()
  }

  @Test func residualWithProjection() throws {
    var check = try GradientCheck(
      spec: layerTestSpec(
        2, 4, 4,
        [
          .residual(
            body: [.conv2d(outputs: 3, kernel: 3, stride: 2, padding: 1), .batchNorm(), .silu],
            shortcut: [.conv2d(outputs: 3, kernel: 1, stride: 2, bias: false)])
        ]),
      batch: 3)
    try check.run()
  }

  @Test func smallNetworkEndToEnd() throws {
    // Smooth layers only (SiLU, average pooling), so no kink is crossed by a step.
    var check = try GradientCheck(
      spec: layerTestSpec(
        1, 8, 8,
        [
          .conv2d(outputs: 4, kernel: 3, padding: 1, bias: false), .batchNorm(), .silu,
          .avgPool(kernel: 2, stride: 2),
          .conv2d(outputs: 6, kernel: 3, padding: 1), .batchNorm(), .silu,
          .globalAvgPool, .dense(outputs: 5), .batchNorm(), .silu, .dropout(rate: 0.3),
          .dense(outputs: 3),
        ]),
      batch: 4)
    // Central differences through three batch norms: truncation error near 1e-3.
    check.tolerance = 5e-3
    try check.run(samples: 40)
  }
}
