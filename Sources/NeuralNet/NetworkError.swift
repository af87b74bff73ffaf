/// Why a network, workspace or parameter operation was refused.
public enum NetworkError: Error, Equatable, CustomStringConvertible {
  /// The specification cannot be built (bad extent, shapes that do not fit, ...).
  case invalidSpec(String)
  /// Building would need more memory than the configured limit.
  case tooLarge(String)
  /// A batch larger than the workspace was built for, or empty.
  case batchSize(requested: Int, maximum: Int)
  /// An input or gradient tensor of the wrong shape.
  case shapeMismatch(expected: [Int], got: [Int])
  /// No parameter or state tensor has this name.
  case unknownParameter(String)
  /// A training label that is no class index of the network's output.
  case labelOutOfRange(label: Int, classes: Int)
  /// A network, or ranges, that the 8-bit runner (``Int8Network``) does not take.
  case unsupported(String)

  public var description: String {
    switch self {
    case .invalidSpec(let why): return "invalid network specification: \(why)"
    case .tooLarge(let why): return "network too large: \(why)"
    case .batchSize(let requested, let maximum):
      return "batch of \(requested) images, but the workspace takes 1...\(maximum)"
    case .shapeMismatch(let expected, let got): return "expected shape \(expected), got \(got)"
    case .unknownParameter(let name): return "no parameter named \"\(name)\""
    case .labelOutOfRange(let label, let classes):
      return "label \(label) is outside 0..<\(classes)"
    case .unsupported(let why): return "not runnable in 8 bits: \(why)"
    }
  }
}
