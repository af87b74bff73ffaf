import Datasets
import Foundation
import NeuralNet
import Tensor
import TestSupport
import Testing

/// `Int8Network`: which networks it takes, the int8 section of a CNN card, and, on CPUs with
/// AVX-512 VNNI, its probabilities against the float network's on small random networks
/// (channel counts that are not multiples of 4 or 16, odd sizes, padding 0 and 1) and on the
/// shipped model with real validation faces.
@Suite struct Int8NetworkTests {
  static let normalization = Normalization(mean: 0.45, std: 0.27)

  /// A random network of `spec` whose batch norms' running statistics are not the identity:
  /// means within ±0.1, variances 0.5…1.5.
  static func network(_ spec: NetworkSpec, seed: UInt64) throws -> Network {
    let net = try Network(spec: spec, seed: seed)
    var random = SplitMix64(seed: seed)
    for info in net.state.infos {
      let count = info.count
      let values = (0..<count).map { _ in Float(random.next() >> 40) / Float(1 << 24) }
      let isMean = info.name.hasSuffix("running_mean")
      try net.state.set(
        info.name,
        to: Tensor(
          shape: [count], storage: values.map { isMean ? 0.2 * ($0 - 0.5) : 0.5 + $0 }))
    }
    return net
  }

  static func file(_ net: Network, side: Int, flip: Bool) throws -> ModelFile {
    try CNNClassifier.modelFile(
      network: net, classes: Emotion.names, sourceWidth: side, sourceHeight: side,
      normalization: normalization, training: nil, metrics: nil, calibration: nil, flip: flip)
  }

  static func pixels(count: Int, side: Int, seed: UInt64) -> [UInt8] {
    var random = Xoshiro256(seed: seed)
    // Smooth-ish images: a gradient plus noise, like faces more than white noise is.
    return (0..<(count * side * side)).map { k in
      let (y, x) = ((k / side) % side, k % side)
      return UInt8(clamping: (x + y) * 100 / side + random.nextInt(below: 120))
    }
  }

  @Test func refusesLayersItHasNoFormFor() throws {
    let conv = LayerSpec.conv2d(outputs: 8, kernel: 3, stride: 1, padding: 1, bias: false)
    let head: [LayerSpec] = [.globalAvgPool, .dense(outputs: 7)]
    let refused: [[LayerSpec]] = [
      [conv, .silu] + head,  // no ReLU
      [.conv2d(outputs: 8, kernel: 3, stride: 2, padding: 1), .relu] + head,  // stride 2
      [.conv2d(outputs: 8, kernel: 3, stride: 1, padding: 2), .relu] + head,  // padding 2
      [conv, .relu, .avgPool(kernel: 2, stride: 2)] + head,
      [conv, .relu, .flatten, .dense(outputs: 7)],  // no global pool
      [conv, .relu, .globalAvgPool, .dense(outputs: 7), .relu],  // no logits
      [conv, .batchNorm(), .relu, .maxPool(kernel: 3, stride: 2)] + head,
    ]
    for layers in refused {
      let net = try Network(
        spec: NetworkSpec(inputChannels: 1, inputHeight: 12, inputWidth: 12, layers: layers),
        seed: 1)
      #expect(throws: NetworkError.self, "\(layers)") {
        _ = try Int8Network(network: net, normalization: Self.normalization, activations: [])
      }
    }
    let colour = try Network(spec: .vgg(input: (3, 12, 12), stageWidths: [4]), seed: 1)
    #expect(throws: NetworkError.self) {
      _ = try Int8Network(network: colour, normalization: Self.normalization, activations: [])
    }
  }

  @Test func cardRangesMustMatchTheConvolutions() throws {
    let net = try Self.network(.vgg(input: (1, 12, 12), stageWidths: [4, 8]), seed: 2)
    let file = try Self.file(net, side: 14, flip: false)
    let good: [[Float]] = [
      [1, 1, 1, 1], [1, 1, 1, 1], Array(repeating: 2, count: 8),
      Array(repeating: 2, count: 8),
    ]
    // No section: the float network runs even when asked for 8 bits.
    #expect(try CNNClassifier(file: file, int8: true).int8Network == nil)
    for bad: [[Float]] in [
      Array(good.dropLast()), [[1, 1, 1]] + good.dropFirst(), [[-1, 1, 1, 1]] + good.dropFirst(),
      [[.nan, 1, 1, 1]] + good.dropFirst(),
    ] {
      let withBad = try CNNClassifier.withInt8(file, maxima: bad)
      #expect(throws: ModelFileError.self) { _ = try CNNClassifier(file: withBad, int8: true) }
      // Malformed is malformed, whether or not 8 bits are asked for.
      #expect(throws: ModelFileError.self) { _ = try CNNClassifier(file: withBad) }
    }
    let withGood = try CNNClassifier.withInt8(file, maxima: good, details: ["note": "test"])
    #expect(withGood.card.architecture["int8"]?["note"]?.stringValue == "test")
    #expect(try CNNClassifier(file: withGood).int8Network == nil)
    let asked = try CNNClassifier(file: withGood, int8: true)
    #expect((asked.int8Network != nil) == Int8Network.isSupported)
  }

  /// A model whose weights hold a NaN is refused, whatever the precision asked for: it would
  /// give NaN probabilities in floats and cannot be quantized.
  @Test func nonFiniteWeightsAreRefused() throws {
    let net = try Self.network(.vgg(input: (1, 12, 12), stageWidths: [4, 8]), seed: 3)
    var file = try Self.file(net, side: 14, flip: false)
    var weights = try #require(file.tensors["3.weight"])
    weights.storage[5] = .nan
    file.tensors["3.weight"] = weights
    let refusal = ModelFileError(path: "<memory>", problem: .nonFinite(tensor: "3.weight"))
    for int8 in [false, true] {
      #expect(throws: refusal) { _ = try CNNClassifier(file: file, int8: int8) }
    }
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var spec: NetworkSpec
    var flip: Bool
    var testDescription: String { name }
  }

  static let cases = [
    // 6 channels (stored as 8), 20 (a block and a quarter), odd sizes, a pool of an odd map.
    Case(
      name: "vgg 6, 20 on 15×15", spec: .vgg(input: (1, 15, 15), stageWidths: [6, 20], hidden: 12),
      flip: true),
    // Padding 0 with a bias and no batch norm, then a padded one; no pool before the head.
    Case(
      name: "valid conv with bias, then padded",
      spec: NetworkSpec(
        inputChannels: 1, inputHeight: 13, inputWidth: 13,
        layers: [
          .conv2d(outputs: 12, kernel: 3, stride: 1, padding: 0, bias: true), .relu,
          .conv2d(outputs: 36, kernel: 5, stride: 1, padding: 2, bias: false), .batchNorm(),
          .relu, .dropout(rate: 0.2), .globalAvgPool, .dense(outputs: 7),
        ]), flip: false),
  ]

  /// The 8-bit and float probabilities of 40 images, after calibrating on 200 others; the
  /// largest probability difference and the mean absolute logit-scale error are printed.
  @Test(.enabled(if: Int8Network.isSupported, "this CPU has no AVX-512 VNNI"), arguments: cases)
  func probabilitiesFollowTheFloatNetwork(_ c: Case) throws {
    let net = try Self.network(c.spec, seed: 7)
    let side = max(c.spec.inputHeight, c.spec.inputWidth) + 2
    let file = try Self.file(net, side: side, flip: c.flip)
    let float = try CNNClassifier(file: file, workers: 2)
    let maxima = try float.int8Maxima(
      pixels: Self.pixels(count: 200, side: side, seed: 1), count: 200)
    let quantized = try CNNClassifier(
      file: try CNNClassifier.withInt8(file, maxima: maxima), workers: 2, int8: true)
    #expect(quantized.int8Network != nil)
    let test = Self.pixels(count: 40, side: side, seed: 2)
    let a = try float.probabilities(pixels: test, count: 40)
    let b = try quantized.probabilities(pixels: test, count: 40)
    let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .nan
    // Ranges a third of the measured ones clip: the check must be able to fail.
    let clipped = try CNNClassifier(
      file: try CNNClassifier.withInt8(file, maxima: maxima.map { $0.map { $0 / 3 } }),
      workers: 2, int8: true)
    let c3 = try clipped.probabilities(pixels: test, count: 40)
    let clippedWorst = zip(a, c3).map { abs($0 - $1) }.max() ?? .nan
    print("\(c.name): largest probability difference \(worst); with clipped ranges \(clippedWorst)")
    #expect(worst < 0.01)
    #expect(clippedWorst > 2 * worst)
    // A batch gives each image what it gets alone.
    let single = try quantized.probabilities(pixels: Array(test.prefix(side * side)), count: 1)
    #expect(single == Array(b.prefix(7)))
  }

  /// The shipped model on real validation faces: the 8-bit network picks the float network's
  /// class for nearly all of them, with probabilities a few thousandths apart.
  @Test(.enabled(if: Int8Network.isSupported, "this CPU has no AVX-512 VNNI"))
  func shippedModelAgreesWithItsFloatForm() throws {
    guard let pixels = try ForwardOnlyNetworkTests.faces(perClass: 30) else { return }
    let count = pixels.count / (48 * 48)
    let url = SharedData.repositoryRoot.appendingPathComponent("Models/cnn.safetensors")
    let file = try ModelFile.read(from: url)
    let float = try CNNClassifier(file: file, workers: 2)
    let quantized = try CNNClassifier(file: file, workers: 2, int8: true)
    #expect(quantized.int8Network != nil, "the shipped card has int8 ranges")
    let a = try float.probabilities(pixels: pixels, count: count)
    let b = try quantized.probabilities(pixels: pixels, count: count)
    func argmax(_ p: [Float], _ i: Int) -> Int { (0..<7).max { p[i * 7 + $0] < p[i * 7 + $1] }! }
    let same = (0..<count).filter { argmax(a, $0) == argmax(b, $0) }.count
    let mean = zip(a, b).map { Double(abs($0 - $1)) }.reduce(0, +) / Double(a.count)
    print("shipped model, \(count) val faces: same class \(same), mean difference \(mean)")
    #expect(Double(same) >= 0.97 * Double(count))
    #expect(mean < 0.005)
  }
}
