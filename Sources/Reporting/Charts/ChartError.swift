/// Data a chart or image grid cannot be drawn from.
public enum ChartError: Error, Equatable, CustomStringConvertible {
  /// Nothing to draw (no categories, series, points, cells or tiles).
  case empty(String)
  /// Counts that must agree do not (e.g. a series with fewer values than categories).
  case lengthMismatch(String)
  /// A NaN or infinite value where a number must be drawn.
  case nonFinite(String)
  /// A size or layout parameter out of range.
  case invalidSize(String)

  public var description: String {
    switch self {
    case .empty(let what): return "nothing to draw: \(what)"
    case .lengthMismatch(let what): return "mismatched lengths: \(what)"
    case .nonFinite(let what): return "non-finite value: \(what)"
    case .invalidSize(let what): return "invalid size: \(what)"
    }
  }
}
