/// Bad input to the classification metrics.
public enum MetricsError: Error, Equatable, CustomStringConvertible {
  /// The class list is empty or names a class twice.
  case invalidClasses([String])
  /// `truth` and `predicted` have different lengths.
  case lengthMismatch(truth: Int, predicted: Int)
  /// A label index is outside `0..<classCount`.
  case labelOutOfRange(label: Int, classCount: Int)
  /// A label name is not in the class list.
  case unknownLabel(String)
  /// Confusion counts that are not a square, non-negative `classCount × classCount` table.
  case invalidCounts(classCount: Int)

  public var description: String {
    switch self {
    case .invalidClasses(let classes):
      return "class list must be non-empty with distinct names, got \(classes)"
    case .lengthMismatch(let truth, let predicted):
      return "\(truth) true labels but \(predicted) predictions"
    case .labelOutOfRange(let label, let classCount):
      return "label \(label) is outside 0..<\(classCount)"
    case .unknownLabel(let name):
      return "label '\(name)' is not one of the classes"
    case .invalidCounts(let classCount):
      return "confusion counts must be a non-negative \(classCount)x\(classCount) table"
    }
  }
}
