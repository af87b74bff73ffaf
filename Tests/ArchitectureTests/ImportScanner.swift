import Foundation

/// The modules the Swift files under a folder import (`import X`, `@preconcurrency import X`,
/// `import struct X.Y`), by file.
enum ImportScanner {
  /// The imported module names of one file's text.
  static func imports(in text: String) -> Set<String> {
    var modules = Set<String>()
    for line in text.split(separator: "\n") {
      var words = line.split(separator: " ").filter { !$0.isEmpty }
      while let first = words.first, first.hasPrefix("@") { words.removeFirst() }
      guard words.first == "import", words.count >= 2 else { continue }
      let kinds: Set<Substring> = [
        "struct", "class", "enum", "protocol", "func", "var", "typealias",
      ]
      let path = kinds.contains(words[1]) && words.count >= 3 ? words[2] : words[1]
      modules.insert(String(path.split(separator: ".")[0]))
    }
    return modules
  }

  /// Imported modules of every `.swift` file under `folder`, keyed by the file's path.
  static func imports(under folder: URL) throws -> [String: Set<String>] {
    var result: [String: Set<String>] = [:]
    guard
      let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
    else { return result }
    for case let url as URL in files where url.pathExtension == "swift" {
      result[url.path] = imports(in: try String(contentsOf: url, encoding: .utf8))
    }
    return result
  }
}
