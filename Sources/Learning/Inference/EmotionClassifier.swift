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
}
