import Datasets
import Foundation
import NeuralNet
import Tensor
import TestSupport
import Testing

/// `emocl quantize` on a small CNN over generated 12×12 faces: the ranges land in a copy of the
/// card (the tensors and the original file untouched), with the 8-bit evaluation where the CPU
/// runs it and a clear refusal where it cannot; models of another kind and images of another
/// size are refused.
@Suite(.serialized) struct QuantizeCommandTests {
  static func cnn(in faces: GeneratedFaces) throws -> URL {
    let net = try Network(spec: .vgg(input: (1, 10, 10), stageWidths: [4, 8], hidden: 8), seed: 4)
    let file = try CNNClassifier.modelFile(
      network: net, classes: Emotion.names, sourceWidth: 12, sourceHeight: 12,
      normalization: Normalization(mean: 0.5, std: 0.25), training: nil, metrics: nil,
      calibration: nil, flip: true)
    try FileManager.default.createDirectory(at: faces.models, withIntermediateDirectories: true)
    let url = faces.models.appendingPathComponent("small.safetensors")
    try file.write(to: url, precision: .float32)
    return url
  }

  @Test func writesTheRangesAndTheEightBitEvaluation() throws {
    let faces = try GeneratedFaces()
    defer { faces.cleanup() }
    let url = try Self.cnn(in: faces)
    let before = try Data(contentsOf: url)
    let out = faces.root.appendingPathComponent("quantized.safetensors")
    let result = try runCLI(
      [
        "quantize", "--model", url.path, "--data", faces.train.path, "--images", "30",
        "--evaluate", faces.val.path, "--output", out.path,
      ], cache: faces.cache)
    #expect(try Data(contentsOf: url) == before, "the original model is untouched")
    guard Int8Network.isSupported else {
      #expect(result.status != 0)
      #expect(result.error.contains("AVX-512 VNNI"), "\(result.error)")
      return
    }
    #expect(result.status == 0, "\(result.error)")
    #expect(result.output.contains("accuracy float"), "\(result.output)")
    let written = try ModelFile.read(from: out)
    let entry = try #require(written.card.architecture["int8"])
    let maxima = try #require(entry["maxima"]?.arrayValue)
    #expect(maxima.map { $0.arrayValue?.count } == [4, 4, 8, 8])
    #expect(entry["calibration"]?.stringValue?.contains(faces.train.path) == true)
    #expect(entry["evaluation"]?["images"]?.intValue == 21)
    #expect(entry["evaluation"]?["metrics"]?["accuracy"]?.doubleValue != nil)
    let original = try ModelFile.read(from: url)
    #expect(written.tensors == original.tensors)
    let classifier = try CNNClassifier(file: written, int8: true)
    #expect(classifier.int8Network != nil)
  }

  @Test func refusesOtherModelsAndOtherImageSizes() throws {
    let faces = try GeneratedFaces()
    defer { faces.cleanup() }
    let (_, logreg) = try faces.trainModel("tiny")
    let notCNN = try runCLI(
      ["quantize", "--model", logreg.path, "--data", faces.train.path], cache: faces.cache)
    #expect(notCNN.status != 0)
    #expect(notCNN.error.contains("cnn"), "\(notCNN.error)")
    // A model for 48×48 faces against the 12×12 folder.
    let shipped = SharedData.repositoryRoot.appendingPathComponent("Models/cnn.safetensors")
    let out = faces.root.appendingPathComponent("never.safetensors")
    let wrongSize = try runCLI(
      ["quantize", "--model", shipped.path, "--data", faces.train.path, "--output", out.path],
      cache: faces.cache)
    #expect(wrongSize.status != 0)
    #expect(wrongSize.error.contains("12x12"), "\(wrongSize.error)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
    let noImages = try runCLI(
      ["quantize", "--model", shipped.path, "--data", faces.train.path, "--images", "0"])
    #expect(noImages.status != 0)
  }
}
