import Datasets
import Foundation
import ModelTestSupport

/// A tiny real model file for the service: the brightness model (bright faces happy, dark ones
/// sad), with a made-up validation report and calibration in its card so the API's model
/// listing has something to show.
enum TinyModel {
  /// The card's validation confusion matrix: 10 images per class, 6 right, the rest called
  /// neutral (neutral's own row is all right).
  static let confusion: [[Int]] = (0..<7).map { t in
    (0..<7).map { p in
      if t == Emotion.neutral.index { return p == t ? 10 : 0 }
      return p == t ? 6 : (p == Emotion.neutral.index ? 4 : 0)
    }
  }
  static let calibration = Calibration(temperature: 1.7, eceBefore: 0.12, eceAfter: 0.04)

  /// Writes the model as `folder/name.safetensors`.
  static func write(to folder: URL, name: String) throws {
    let model = try BrightnessModel.pipeline()
    let report = ClassificationReport(
      try ConfusionMatrix(classes: Emotion.names, counts: confusion))
    var file = model.modelFile(
      classes: Emotion.names,
      training: TrainingInfo(
        data: "generated", command: "TinyModel.write", seconds: 0,
        date: Date(timeIntervalSince1970: 1_790_000_000)),
      metrics: report)
    file.card.calibration = calibration
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try file.write(to: folder.appendingPathComponent("\(name).safetensors"))
  }
}
