import Foundation

/// Why a report could not be produced.
public enum ReportError: Error, Equatable, CustomStringConvertible {
  /// A file or folder could not be written.
  case cannotWrite(path: String, reason: String)
  /// The inputs do not fit together (e.g. counts for another number of classes).
  case invalidInput(String)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    case .invalidInput(let why): return "cannot build the report: \(why)"
    }
  }
}
