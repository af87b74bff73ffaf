import Datasets
import Foundation
import NeuralNet
import Tensor
import TestSupport
import Testing
import Training

@Suite struct CNNClassifierTests {
  @Test func modelFileRoundTripGivesTheSameProbabilities() throws {
    let spec = NetworkSpec.vgg(input: (1, 10, 10), stageWidths: [4, 6], hidden: 8, classes: 7)
    let net = try Network(spec: spec, seed: 3)
    // Non-trivial running statistics.
    for i in 0..<net.state.count { net.state.values[i] = 0.5 + Float(i % 5) * 0.1 }
    let normalization = Normalization(mean: 0.5, std: 0.25)
    let file = try CNNClassifier.modelFile(
      network: net, classes: Emotion.names, sourceWidth: 12, sourceHeight: 12,
      normalization: normalization, training: nil, metrics: nil,
      calibration: Calibration(temperature: 2, eceBefore: 0.1, eceAfter: 0.05))
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let url = dir.url.appendingPathComponent("cnn.safetensors")
    try file.write(to: url, precision: .float32)
    let classifier = try CNNClassifier(file: try ModelFile.read(from: url), maxBatch: 4)
    #expect(classifier.crop == 10 && classifier.temperature == 2)

    var rng = Xoshiro256(seed: 1)
    let pixels = (0..<(5 * 144)).map { _ in UInt8(rng.nextInt(below: 256)) }
    let probabilities = try classifier.probabilities(pixels: pixels, count: 5)
    // Reference: centre crop, normalise, evaluation forward of the original network.
    var input = Tensor(shape: [5, 1, 10, 10])
    for i in 0..<5 {
      for y in 0..<10 {
        for x in 0..<10 {
          let v = Float(pixels[i * 144 + (y + 1) * 12 + x + 1]) / 255
          input[i, 0, y, x] = (v - 0.5) / 0.25
        }
      }
    }
    let logits = try Workspace(network: net, maxBatch: 5).forward(input, training: false)
    let expected = CNNClassifier.softmax(logits.storage, classes: 7, temperature: 2)
    for (a, b) in zip(probabilities, expected) { #expect(abs(a - b) < 1e-5) }
    for i in 0..<5 {
      #expect(abs(probabilities[(i * 7)..<(i * 7 + 7)].reduce(0, +) - 1) < 1e-5)
    }
    #expect(throws: (any Error).self) {
      _ = try classifier.probabilities(pixels: [1, 2], count: 1)
    }

    // With test-time flip: softmax of the mean of the crop's and its mirror's logits.
    let flipFile = try CNNClassifier.modelFile(
      network: net, classes: Emotion.names, sourceWidth: 12, sourceHeight: 12,
      normalization: normalization, training: nil, metrics: nil, calibration: nil, flip: true)
    let flipped = try CNNClassifier(file: flipFile, maxBatch: 2, workers: 2)
    #expect(flipped.flip)
    var mirror = input
    for i in 0..<5 {
      for y in 0..<10 { for x in 0..<10 { mirror[i, 0, y, x] = input[i, 0, y, 9 - x] } }
    }
    let mirrored = try Workspace(network: net, maxBatch: 5).forward(mirror, training: false)
    let mean = zip(logits.storage, mirrored.storage).map { ($0 + $1) / 2 }
    let expectedFlip = CNNClassifier.softmax(mean, classes: 7, temperature: 1)
    for (a, b) in zip(try flipped.probabilities(pixels: pixels, count: 5), expectedFlip) {
      #expect(abs(a - b) < 1e-5)
    }

    // The caller may turn the card's flip off: the plain crop's softmax again.
    let unflipped = try CNNClassifier(file: flipFile, maxBatch: 2, workers: 2, flip: false)
    #expect(!unflipped.flip)
    let expectedPlain = CNNClassifier.softmax(logits.storage, classes: 7, temperature: 1)
    for (a, b) in zip(try unflipped.probabilities(pixels: pixels, count: 5), expectedPlain) {
      #expect(abs(a - b) < 1e-5)
    }
  }

  @Test func aModelFileOfAnotherKindIsRefused() throws {
    let card = ModelCard(kind: .logreg, classes: Emotion.names, input: .fer2013)
    let file = ModelFile(card: card, tensors: ["weight": Tensor(shape: [7, 4])])
    #expect(throws: (any Error).self) { _ = try CNNClassifier(file: file) }
  }
}

@Suite struct TemperatureScalingTests {
  @Test func fitRecoversTheTemperatureThatGeneratedTheLabels() {
    // Labels drawn from softmax(z / 2): the best temperature for logits z is about 2.
    var rng = Xoshiro256(seed: 5)
    var logits: [Float] = []
    var labels: [Int] = []
    for _ in 0..<4000 {
      let z = (0..<4).map { _ in Float(rng.nextGaussian() * 3) }
      logits += z
      let p = CNNClassifier.softmax(z, classes: 4, temperature: 2)
      var u = rng.nextFloat()
      var label = 3
      for c in 0..<4 {
        if u < p[c] {
          label = c
          break
        }
        u -= p[c]
      }
      labels.append(label)
    }
    let t = TemperatureScaling.fit(logits: logits, labels: labels, classes: 4)
    #expect(abs(t - 2) < 0.15)
    let before = TemperatureScaling.expectedCalibrationError(
      logits: logits, labels: labels, classes: 4)
    let after = TemperatureScaling.expectedCalibrationError(
      logits: logits, labels: labels, classes: 4, temperature: t)
    #expect(after < before)
  }

  @Test func calibrationErrorOfAHandExample() {
    // Two images, two classes. Image 0: confidence σ(2) ≈ 0.881 for class 0, correct.
    // Image 1: confidence 0.5 (tie, predicts class 0), wrong. Bins of width 0.1:
    // |1 − 0.881|·1/2 + |0 − 0.5|·1/2.
    let logits: [Float] = [2, 0, 1, 1]
    let ece = TemperatureScaling.expectedCalibrationError(
      logits: logits, labels: [0, 1], classes: 2, bins: 10)
    let c = 1 / (1 + exp(-2.0))
    #expect(abs(ece - ((1 - c) + 0.5) / 2) < 1e-9)
  }
}
