import Foundation

/// A `--model` argument that names no model file.
public enum ModelLocatorError: Error, Equatable, CustomStringConvertible {
  /// The argument is empty.
  case emptyName
  /// A path argument names no file.
  case fileNotFound(String)
  /// No `NAME.safetensors` in any searched directory.
  case modelNotFound(name: String, searched: [String])

  public var description: String {
    switch self {
    case .emptyName:
      return "no model given"
    case .fileNotFound(let path):
      return "model file not found: \(path)"
    case .modelNotFound(let name, let searched):
      let places = searched.isEmpty ? "no models directory found" : searched.joined(separator: ", ")
      return
        "model '\(name)' not found (looked for \(name).\(ModelLocator.fileExtension) in: \(places)); "
        + "pass --models DIR, set \(ModelLocator.environmentVariable), or give a path"
    }
  }
}
