/// Why a tensor operation on caller-supplied data could not be carried out.
///
/// Shape mistakes between tensors the program built itself are programming errors and stop with a
/// precondition; data that comes from outside (files, requests) goes through the throwing APIs,
/// which report one of these cases instead.
public enum TensorError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `storage` holds `count` elements but `shape` needs `expected`.
  case storageCountMismatch(shape: [Int], expected: Int, count: Int)
  /// A dimension is negative, or the element count overflows.
  case invalidShape([Int])
  /// The operation needs a tensor of another rank.
  case rankMismatch(operation: String, expected: Int, shape: [Int])
  /// The operation needs a square matrix.
  case notSquare(operation: String, shape: [Int])
  /// The operation needs at least one element (row, column) but got none.
  case empty(operation: String, shape: [Int])
  /// The input holds NaN or infinity, which LAPACK cannot decompose.
  case nonFinite(operation: String)
  /// An argument is out of its valid range.
  case invalidArgument(operation: String, reason: String)
  /// A LAPACK routine returned a nonzero `info`: negative means argument `-info` was illegal,
  /// positive means the algorithm failed to converge.
  case lapack(routine: String, info: Int)

  public var description: String {
    switch self {
    case .storageCountMismatch(let shape, let expected, let count):
      return "storage of \(count) elements does not fit shape \(shape) (needs \(expected))"
    case .invalidShape(let shape):
      return
        "invalid shape \(shape): dimensions must be non-negative and the size must fit in memory"
    case .rankMismatch(let operation, let expected, let shape):
      return "\(operation) needs a rank-\(expected) tensor, got shape \(shape)"
    case .notSquare(let operation, let shape):
      return "\(operation) needs a square matrix, got shape \(shape)"
    case .empty(let operation, let shape):
      return "\(operation) needs a non-empty tensor, got shape \(shape)"
    case .nonFinite(let operation):
      return "\(operation) input contains NaN or infinity"
    case .invalidArgument(let operation, let reason):
      return "\(operation): \(reason)"
    case .lapack(let routine, let info):
      // LAPACKE's own codes for failing to allocate its workspace or transposed copy.
      if info == -1010 || info == -1011 { return "LAPACK \(routine): out of memory" }
      if info < 0 { return "LAPACK \(routine): argument \(-info) had an illegal value" }
      return "LAPACK \(routine) failed to converge (info = \(info))"
    }
  }
}
