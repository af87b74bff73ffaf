import Classical
import Datasets
import Tensor

/// A tiny real model for tests that need one: a 48×48 multinomial logistic regression scoring
/// happy 20m − 10 and sad 10 − 20m from the mean pixel value m in 0…1, so bright faces are
/// happy and dark ones sad, and a test knows the answer without a trained model.
public enum BrightnessModel {
  /// The model as a classical pipeline (no PCA, identity scaling).
  public static func pipeline() throws -> ClassicalPipeline {
    let pixels = 48 * 48
    var weights = [Float](repeating: 0, count: 7 * pixels)
    for j in 0..<pixels {
      weights[Emotion.happy.index * pixels + j] = 20 / Float(pixels)
      weights[Emotion.sad.index * pixels + j] = -20 / Float(pixels)
    }
    var intercepts = [Float](repeating: 0, count: 7)
    intercepts[Emotion.happy.index] = -10
    intercepts[Emotion.sad.index] = 10
    return try ClassicalPipeline(
      scaler: StandardScaler(
        mean: [Float](repeating: 0, count: pixels), scale: [Float](repeating: 1, count: pixels)),
      pca: nil,
      classifier: .logisticRegression(
        LogisticRegression(
          multiclass: .multinomial, coefficients: Tensor(shape: [7, pixels], storage: weights),
          intercepts: intercepts)))
  }
}
