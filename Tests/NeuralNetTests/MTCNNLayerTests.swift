import Foundation
import NeuralNet
import Tensor
import TestSupport
import Testing

/// The layers MTCNN needs, per-channel PReLU and ceil-mode max pooling: backward passes against
/// finite differences, forward passes against PyTorch (Scripts/fixtures/mtcnn_layers_reference.py).
@Suite struct MTCNNLayerTests {
  @Test func preluOnPlanes() throws {
    var check = try GradientCheck(
      spec: layerTestSpec(3, 4, 5, [.prelu]), batch: 2, inputs: spacedTensor([2, 3, 4, 5], seed: 3))
    // Distinct slopes per channel, one negative, so a channel mix-up shows.
    let slopes = check.network.parameters.values
    (slopes[0], slopes[1], slopes[2]) = (0.25, -0.7, 1.3)
    try check.run(samples: 60)
  }

  @Test func preluOnFeatures() throws {
    var check = try GradientCheck(
      spec: layerTestSpec(4, 2, 2, [.flatten, .prelu]), batch: 3,
      inputs: spacedTensor([3, 4, 2, 2], seed: 4))
    try check.run(samples: 60)
  }

  @Test(arguments: [(3, 2, 7, 8), (2, 2, 5, 5), (3, 2, 6, 6), (2, 1, 4, 3)])
  func ceilMaxPool(kernel: Int, stride: Int, height: Int, width: Int) throws {
    var check = try GradientCheck(
      spec: layerTestSpec(2, height, width, [.maxPoolCeil(kernel: kernel, stride: stride)]),
      batch: 2,
      inputs: spacedTensor([2, 2, height, width], seed: 5))
    try check.run(samples: 60)
  }

  /// Evaluation passes skip the argmax; a backward pass after one recomputes it.
  @Test(arguments: [(2, 5, 7), (2, 6, 8), (3, 7, 8), (3, 9, 46), (3, 5, 21)])
  func ceilMaxPoolInEvaluation(kernel: Int, height: Int, width: Int) throws {
    var check = try GradientCheck(
      spec: layerTestSpec(2, height, width, [.maxPoolCeil(kernel: kernel, stride: 2)]), batch: 2,
      inputs: spacedTensor([2, 2, height, width], seed: 6))
    check.training = false
    try check.run(samples: 60)
  }

  @Test func ceilOutputSizesMatchPyTorch() throws {
    // PyTorch: MaxPool2d(k, s, ceil_mode=True) on 1×1×L×L gives these sides.
    let cases: [(length: Int, kernel: Int, stride: Int, side: Int)] = [
      (22, 3, 2, 11), (9, 3, 2, 4), (46, 3, 2, 23), (21, 3, 2, 10), (8, 2, 2, 4), (7, 2, 2, 4),
      (598, 2, 2, 299), (3, 3, 2, 1), (4, 3, 2, 2),
    ]
    for c in cases {
      let network = try Network(
        spec: layerTestSpec(
          1, c.length, c.length, [.maxPoolCeil(kernel: c.kernel, stride: c.stride)]),
        seed: 0)
      #expect(network.outputShape.height == c.side, "\(c)")
    }
  }

  @Test func ceilPoolRejectsAnInputSmallerThanItsWindow() {
    #expect(throws: NetworkError.self) {
      try Network(spec: layerTestSpec(1, 2, 5, [.maxPoolCeil(kernel: 3, stride: 2)]), seed: 0)
    }
  }

  @Test func specsRoundTripThroughJSON() throws {
    let layers: [LayerSpec] = [.prelu, .maxPoolCeil(kernel: 3, stride: 2)]
    let data = try JSONEncoder().encode(layers)
    #expect(try JSONDecoder().decode([LayerSpec].self, from: data) == layers)
  }

  struct Reference: Decodable {
    struct Array: Decodable {
      var shape: [Int]
      var values: [Float]
    }
    var input: Array
    var slopes: Array
    var preluPool3: Array
    var pool2: Array
    enum CodingKeys: String, CodingKey {
      case input, slopes, pool2
      case preluPool3 = "prelu_pool3"
    }
  }

  @Test func forwardMatchesPyTorch() throws {
    let url = SharedData.fixture("NeuralNetTests", "mtcnn_layers.json")
    let ref = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    let input = Tensor(shape: ref.input.shape, storage: ref.input.values)
    let (c, h, w) = (ref.input.shape[1], ref.input.shape[2], ref.input.shape[3])
    let cases: [([LayerSpec], Reference.Array)] = [
      ([.prelu, .maxPoolCeil(kernel: 3, stride: 2)], ref.preluPool3),
      ([.maxPoolCeil(kernel: 2, stride: 2)], ref.pool2),
    ]
    for (layers, expected) in cases {
      let network = try Network(spec: layerTestSpec(c, h, w, layers), seed: 0)
      if case .prelu = layers[0] {
        try network.parameters.set("0.weight", to: Tensor(shape: [c], storage: ref.slopes.values))
      }
      let workspace = try Workspace(network: network, maxBatch: 2)
      let out = try workspace.forward(input, training: false)
      #expect(out.shape == expected.shape)
      for (a, e) in zip(out.storage, expected.values) { #expect(abs(a - e) <= 1e-6) }
    }
  }
}
