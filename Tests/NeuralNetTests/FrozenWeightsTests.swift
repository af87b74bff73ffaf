import NeuralNet
import Tensor
import Testing

@Suite struct FrozenWeightsTests {
  /// 8 → 8 channels, 3×3 on 6×6 planes: the Winograd path (rows too short for the direct
  /// convolution), whose kernel transforms a frozen workspace keeps between calls.
  static let spec = NetworkSpec(
    inputChannels: 8, inputHeight: 6, inputWidth: 6,
    layers: [.conv2d(outputs: 8, kernel: 3, padding: 1), .relu, .flatten, .dense(outputs: 3)])

  static func input(_ salt: Int) -> Tensor {
    Tensor(shape: [2, 8, 6, 6], storage: (0..<576).map { Float(($0 * 7 + salt) % 13) / 6 - 1 })
  }

  @Test("a frozen workspace gives the outputs of a fresh one, call after call")
  func frozenMatchesFresh() throws {
    let network = try Network(spec: Self.spec, seed: 4)
    let frozen = try Workspace(network: network, maxBatch: 2)
    frozen.frozenWeights = true
    for salt in 0..<3 {
      let expected = try Workspace(network: network, maxBatch: 2).forward(
        Self.input(salt), training: false)
      let got = try frozen.forward(Self.input(salt), training: false)
      #expect(got.storage == expected.storage, "call \(salt)")
    }
  }

  @Test("an unfrozen workspace sees weights changed between calls; a frozen one keeps its kernels")
  func changedWeights() throws {
    let network = try Network(spec: Self.spec, seed: 4)
    let live = try Workspace(network: network, maxBatch: 2)
    let frozen = try Workspace(network: network, maxBatch: 2)
    frozen.frozenWeights = true
    let before = try live.forward(Self.input(1), training: false)
    #expect(try frozen.forward(Self.input(1), training: false).storage == before.storage)
    // Double every parameter: the convolution's kernels change.
    let values = network.parameters.values
    for i in 0..<network.parameters.count { values[i] *= 2 }
    let after = try live.forward(Self.input(1), training: false)
    #expect(after.storage != before.storage)
    #expect(
      try Workspace(network: network, maxBatch: 2).forward(Self.input(1), training: false).storage
        == after.storage)
    // The frozen workspace was promised unchanged weights: it still uses the old kernels'
    // transforms, so its output differs from the live one.
    #expect(try frozen.forward(Self.input(1), training: false).storage != after.storage)
  }
}
