import NeuralNet
import Tensor
import Testing

@Suite struct LayerProfileTests {
  /// Conv 1→4 (3×3, padding 1) on 6×6, BN, ReLU, max-pool, flatten, dense 36→7.
  static let spec = NetworkSpec(
    inputChannels: 1, inputHeight: 6, inputWidth: 6,
    layers: [
      .conv2d(outputs: 4, kernel: 3, padding: 1, bias: false), .batchNorm(), .relu,
      .maxPool(kernel: 2, stride: 2), .flatten, .dense(outputs: 7),
    ])

  @Test("a profile lists each layer with its shapes, times and GEMM FLOPs")
  func profile() throws {
    let network = try Network(spec: Self.spec, seed: 1)
    let workspace = try Workspace(network: network, maxBatch: 3)
    workspace.profiling = true
    let input = Tensor(shape: [3, 1, 6, 6], storage: (0..<108).map { Float($0 % 7) - 3 })
    _ = try workspace.forward(input, training: true)
    _ = try workspace.backward(
      Tensor(shape: [3, 7, 1, 1], storage: [Float](repeating: 0.1, count: 21)))
    let profile = workspace.profile
    #expect(profile.map(\.kind) == ["conv2d", "batchNorm", "relu", "maxPool", "flatten", "dense"])
    #expect(profile[0].input == ActivationShape(channels: 1, height: 6, width: 6))
    #expect(profile[0].output == ActivationShape(channels: 4, height: 6, width: 6))
    #expect(profile[4].output == ActivationShape(channels: 36, height: 1, width: 1))
    // Conv: 2 · (4·6·6 outputs) · (1·3·3 taps); dense: 2 · 7 · 36.
    #expect(profile[0].forwardFLOPs == Double(2 * 144 * 9))
    #expect(profile[5].forwardFLOPs == Double(2 * 7 * 36))
    #expect(profile[1].forwardFLOPs == nil && profile[3].backwardFLOPs(isFirst: false) == nil)
    #expect(profile[0].backwardFLOPs(isFirst: true) == Double(2 * 144 * 9))
    #expect(profile[5].backwardFLOPs(isFirst: false) == Double(2 * 2 * 7 * 36))
    #expect(profile.allSatisfy { $0.forwardSeconds >= 0 && $0.backwardSeconds >= 0 })
    #expect(profile.reduce(0) { $0 + $1.forwardSeconds } > 0)
    workspace.profiling = false
    #expect(workspace.profile.isEmpty)
  }
}
