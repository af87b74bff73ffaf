import Vision

/// A trained model that turns face crops into emotion probabilities; every Emocl model type
/// (CNN, logistic regression, SVM, …) conforms, so `EmotionPipeline` and the CLI need not know
/// which one they run.
public protocol EmotionClassifier: Sendable {
  /// A short human name for reports, e.g. `"cnn"` or the model file's name.
  var name: String { get }

  /// The crop size the model was trained on (48×48 for FER2013 models). The pipeline resizes
  /// every face to exactly this size before calling `probabilities(forFaces:)`.
  var inputSize: (width: Int, height: Int) { get }

  /// Emotion probabilities for each face, in one batched call.
  ///
  /// - Parameter faces: grey (1-channel) crops of exactly `inputSize`, pixel values 0…255; the
  ///   model applies its own normalisation.
  /// - Returns: one row per face, in the order given, each holding 7 probabilities in
  ///   `Emotion.allCases` order that sum to 1. An empty input gives an empty result.
  func probabilities(forFaces faces: [Image]) throws -> [[Float]]

  /// The predicted class of each face (an index into `Emotion.allCases`), in one batched call:
  /// the model's own decision rule, which is what `emocl evaluate` scores.
  ///
  /// The default is the most probable class of `probabilities(forFaces:)` (the first of equal
  /// maxima). A model whose decision rule differs from that argmax (a one-vs-one SVM votes) or
  /// that can predict without probabilities overrides it.
  func predictedClasses(forFaces faces: [Image]) throws -> [Int]
}

extension EmotionClassifier {
  /// The argmax of each row of `probabilities(forFaces:)`.
  public func predictedClasses(forFaces faces: [Image]) throws -> [Int] {
    try probabilities(forFaces: faces).map { row in
      var best = 0
      for k in row.indices where row[k] > row[best] { best = k }
      return best
    }
  }
}
