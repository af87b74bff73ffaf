import Datasets

/// Why an evaluation could not run.
public enum EvaluationError: Error, Equatable, CustomStringConvertible {
  /// There is nothing to evaluate (with why, e.g. every image was a duplicate).
  case noImages(String)
  /// The batch size is not positive.
  case invalidBatchSize(Int)
  /// The data set's classes are not the seven emotions in Emocl's order.
  case wrongClasses([String])
  /// The classifier returned the wrong number of predictions or a class outside 0..<7.
  case invalidPredictions(String)
  /// A duplicates list cannot be applied to the evaluated folder.
  case duplicates(String)

  public var description: String {
    switch self {
    case .noImages(let why): return "nothing to evaluate: \(why)"
    case .invalidBatchSize(let size): return "batch size must be positive, got \(size)"
    case .wrongClasses(let classes):
      return "the data set's classes \(classes) are not \(Emotion.names)"
    case .invalidPredictions(let why): return "the classifier returned invalid predictions: \(why)"
    case .duplicates(let why): return why
    }
  }
}
