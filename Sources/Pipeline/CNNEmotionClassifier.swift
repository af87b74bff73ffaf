import Datasets
import Foundation
import NeuralNet
import Vision

/// A `cnn` model file's `CNNClassifier` as an `EmotionClassifier`. Faces are grey crops of the
/// card's input size (48×48 for FER2013 models); the network sees their centre crop, normalised
/// and temperature-scaled as the card says.
public struct CNNEmotionClassifier: EmotionClassifier {
  /// The name reports show (the model file's name).
  public let name: String
  /// The network with its weights (its calls are serialised by a lock, so sharing is safe).
  public let model: CNNClassifier

  public var inputSize: (width: Int, height: Int) {
    (model.card.input.width, model.card.input.height)
  }

  /// Wraps `model` under `name`.
  public init(model: CNNClassifier, name: String) {
    self.model = model
    self.name = name
  }

  /// Loads a `cnn` model file; inference runs on up to two threads in batches of 64, as
  /// `options` say (the card's flip unless overridden; 8 bits where the card and CPU allow).
  public init(modelFile file: ModelFile, name: String, options: CNNOptions = CNNOptions()) throws {
    let workers = max(1, min(2, ProcessInfo.processInfo.activeProcessorCount))
    self.init(
      model: try CNNClassifier(
        file: file, maxBatch: 64, workers: workers, flip: options.flip, int8: options.int8),
      name: name)
  }

  public func probabilities(forFaces faces: [Image]) throws -> [[Float]] {
    guard !faces.isEmpty else { return [] }
    let (width, height) = inputSize
    var pixels: [UInt8] = []
    pixels.reserveCapacity(faces.count * width * height)
    for (i, face) in faces.enumerated() {
      guard face.width == width, face.height == height, face.channels == 1 else {
        throw AnalysisError.invalidOptions(
          "face \(i) is \(face.width)x\(face.height) with \(face.channels) channels; "
            + "the model takes \(width)x\(height) grey crops")
      }
      pixels += face.pixels
    }
    let classes = model.card.classes.count
    let flat = try model.probabilities(pixels: pixels, count: faces.count)
    return (0..<faces.count).map { Array(flat[($0 * classes)..<(($0 + 1) * classes)]) }
  }
}
