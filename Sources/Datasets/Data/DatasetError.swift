/// Why a dataset could not be loaded or combined. Each case names the file or folder at fault.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
  /// The dataset root does not exist or is not a directory.
  case notADirectory(path: String)
  /// A folder under the root is not one of the known classes.
  case unknownClassFolder(name: String, root: String, known: [String])
  /// A file could not be opened or read (permissions, a directory inside a class folder, a loose
  /// file at the root, ...).
  case unreadableFile(path: String, reason: String)
  /// A file was read but is not a decodable image.
  case undecodableFile(path: String, reason: String)
  /// The dataset would need more memory than allowed, with the detail.
  case tooLarge(path: String, detail: String)
  /// No image at all was found (or all were skipped).
  case empty(path: String)
  /// Parts that do not fit together (sizes, labels, classes), with the detail.
  case inconsistent(String)
  /// A class name that is not in the set's `classes`.
  case unknownClassName(String, known: [String])
  /// A split fraction outside 0...1.
  case invalidFraction(Double)
  /// A duplicates list that cannot be parsed: the line number (1-based) and why.
  case malformedDuplicates(path: String, line: Int, reason: String)

  public var description: String {
    switch self {
    case .notADirectory(let path):
      return "dataset folder not found or not a directory: \(path)"
    case .unknownClassFolder(let name, let root, let known):
      return "unknown class folder '\(name)' in \(root) (expected only: "
        + known.joined(separator: ", ") + ")"
    case .unreadableFile(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .undecodableFile(let path, let reason):
      return "cannot decode \(path): \(reason)"
    case .empty(let path):
      return "no images found in \(path)"
    case .tooLarge(let path, let detail):
      return "dataset \(path) is too large: \(detail)"
    case .inconsistent(let detail):
      return "inconsistent dataset: \(detail)"
    case .unknownClassName(let name, let known):
      return "unknown class '\(name)' (known: \(known.joined(separator: ", ")))"
    case .invalidFraction(let fraction):
      return "split fraction \(fraction) is not within 0...1"
    case .malformedDuplicates(let path, let line, let reason):
      return "\(path):\(line): \(reason)"
    }
  }
}
