import Foundation

/// Reads Swift source as text: the names of `public` functions (operators left out), and every
/// identifier, enough to tell whether a public function is called from another target. A name
/// shared with another type's member counts as called, so the check can miss dead code but
/// never reports a function that is called.
enum PublicAPIScanner {
  /// Names of `public` (not `package` or internal) functions declared at the start of a line,
  /// after attributes and modifiers.
  static func publicFunctionNames(in text: String) -> [String] {
    text.split(separator: "\n").compactMap { line in
      var words = line.split(separator: " ").map(String.init)
      while let first = words.first, first.hasPrefix("@") { words.removeFirst() }
      guard words.first == "public" else { return nil }
      let modifiers: Set<String> = ["static", "mutating", "final", "nonisolated", "override"]
      words = Array(words.dropFirst().drop { modifiers.contains($0) })
      guard words.first == "func", words.count > 1 else { return nil }
      let name = words[1].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
      return name.isEmpty ? nil : String(name)
    }
  }

  /// Every identifier (letters, digits and underscores, not starting with a digit).
  static func identifiers(in text: String) -> Set<String> {
    var result = Set<String>()
    var current = ""
    for character in text {
      if character.isLetter || character.isNumber || character == "_" {
        current.append(character)
      } else {
        if let first = current.first, !first.isNumber { result.insert(current) }
        current = ""
      }
    }
    if let first = current.first, !first.isNumber { result.insert(current) }
    return result
  }
}
