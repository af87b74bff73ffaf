import Tensor

/// Why fitting or applying a classical model (scaler, PCA, logistic regression, SVM) failed.
public enum ClassicalError: Error, Equatable, CustomStringConvertible {
  /// The feature matrix is not rank 2 `[samples, features]` or has no rows or columns.
  case badFeatureShape([Int])
  /// The number of labels differs from the number of feature rows.
  case labelCountMismatch(labels: Int, samples: Int)
  /// A label lies outside `0..<classCount`.
  case labelOutOfRange(label: Int, classCount: Int)
  /// Fitting needs at least this many distinct classes among the labels.
  case tooFewClasses(found: Int, needed: Int)
  /// The features passed to `transform`/`predict` have another width than the fitted model.
  case featureCountMismatch(expected: Int, got: Int)
  /// A feature value is NaN or infinite.
  case nonFiniteFeature(row: Int, column: Int)
  /// An option is out of its valid range, with the reason.
  case invalidOption(String)
  /// A LAPACK routine reported failure (`info` is its return code).
  case lapackFailure(routine: String, info: Int)
  /// Stored model parameters are inconsistent or missing.
  case invalidParameters(String)

  public var description: String {
    switch self {
    case .badFeatureShape(let shape):
      return "features must be a non-empty [samples, features] matrix, got shape \(shape)"
    case .labelCountMismatch(let labels, let samples):
      return "\(labels) labels for \(samples) samples"
    case .labelOutOfRange(let label, let classCount):
      return "label \(label) is outside 0..<\(classCount)"
    case .tooFewClasses(let found, let needed):
      return "the labels hold \(found) distinct classes; fitting needs at least \(needed)"
    case .featureCountMismatch(let expected, let got):
      return "the model expects \(expected) features per sample, got \(got)"
    case .nonFiniteFeature(let row, let column):
      return "feature [\(row), \(column)] is NaN or infinite"
    case .invalidOption(let reason):
      return "invalid option: \(reason)"
    case .lapackFailure(let routine, let info):
      return "LAPACK \(routine) failed with info = \(info)"
    case .invalidParameters(let reason):
      return "invalid model parameters: \(reason)"
    }
  }
}

/// Checks that `features` is a finite, non-empty `[samples, features]` matrix.
func validateFeatures(_ features: Tensor, expectedWidth: Int? = nil) throws {
  guard features.rank == 2, features.shape[0] > 0, features.shape[1] > 0 else {
    throw ClassicalError.badFeatureShape(features.shape)
  }
  if let expectedWidth, features.shape[1] != expectedWidth {
    throw ClassicalError.featureCountMismatch(expected: expectedWidth, got: features.shape[1])
  }
  let width = features.shape[1]
  try features.storage.withUnsafeBufferPointer { values in
    for index in values.indices where !values[index].isFinite {
      throw ClassicalError.nonFiniteFeature(row: index / width, column: index % width)
    }
  }
}

/// Checks labels against the samples and class count; returns how many samples each class has.
func validateLabels(_ labels: [Int], samples: Int, classCount: Int) throws -> [Int] {
  guard labels.count == samples else {
    throw ClassicalError.labelCountMismatch(labels: labels.count, samples: samples)
  }
  var counts = [Int](repeating: 0, count: classCount)
  for label in labels {
    guard label >= 0, label < classCount else {
      throw ClassicalError.labelOutOfRange(label: label, classCount: classCount)
    }
    counts[label] += 1
  }
  return counts
}
