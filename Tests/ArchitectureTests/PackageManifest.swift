import Foundation

/// The targets of a `Package.swift` as far as the layer check needs them: each target's kind,
/// its source folder and the package targets and products it depends on. Read from the
/// manifest's text (the `.target(name: …, dependencies: […])` calls), not by running SwiftPM.
struct PackageManifest: Equatable {
  /// One `.target`, `.executableTarget`, `.systemLibrary` or `.testTarget` call.
  struct Target: Equatable {
    var name: String
    /// A test target or a test helper under `Tests/`: outside the layer order.
    var isTest: Bool
    /// The folder its sources are in, relative to the package root.
    var path: String
    /// Names of targets of this package it depends on (plain strings in `dependencies:`).
    var targets: Set<String>
    /// Names of products of other packages it depends on (`.product(name: …)`).
    var products: Set<String>
  }

  var targets: [Target]

  /// Every target by name.
  var byName: [String: Target] { Dictionary(targets.map { ($0.name, $0) }) { a, _ in a } }

  /// The targets declared in `text`, a `Package.swift`.
  init(parsing text: String) {
    let code = text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { line in line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line) }
      .joined(separator: "\n")
    let kinds = [".target(", ".executableTarget(", ".systemLibrary(", ".testTarget("]
    var found: [Target] = []
    var searchStart = code.startIndex
    while let next = kinds.compactMap({ kind in
      code.range(of: kind, range: searchStart..<code.endIndex).map { (kind, $0) }
    }).min(by: { $0.1.lowerBound < $1.1.lowerBound }) {
      let (kind, range) = next
      let body = Self.balanced(code, from: range.upperBound)
      searchStart = body.upperBound
      let call = String(code[range.upperBound..<body.upperBound])
      guard let name = Self.stringArgument("name", in: call) else { continue }
      let testTarget = kind == ".testTarget("
      let path =
        Self.stringArgument("path", in: call)
        ?? (testTarget ? "Tests/\(name)" : "Sources/\(name)")
      // Test helpers (`.target`s under Tests/) are test code: outside the layers.
      let isTest = testTarget || path.hasPrefix("Tests/")
      var targets = Set<String>()
      var products = Set<String>()
      if let deps = call.range(of: "dependencies:"),
        let open = call.range(of: "[", range: deps.upperBound..<call.endIndex)
      {
        let close = Self.balanced(call, from: open.upperBound, open: "[", close: "]")
        let list = String(call[open.upperBound..<close.lowerBound])
        // `.product(name: "P", package: "p")` entries hold no brackets of their own.
        let productCall = try! NSRegularExpression(pattern: "\\.product\\([^)]*\\)")
        let whole = NSRange(list.startIndex..., in: list)
        for match in productCall.matches(in: list, range: whole) {
          let inner = (list as NSString).substring(with: match.range)
          if let productName = Self.stringArgument("name", in: inner) {
            products.insert(productName)
          }
        }
        let rest = productCall.stringByReplacingMatches(
          in: list, range: whole, withTemplate: "")
        targets = Set(Self.stringLiterals(in: rest))
      }
      found.append(
        Target(name: name, isTest: isTest, path: path, targets: targets, products: products))
    }
    targets = found
  }

  /// The range of the text up to and including the bracket that closes the one opened just
  /// before `start`.
  private static func balanced(
    _ text: String, from start: String.Index, open: Character = "(", close: Character = ")"
  ) -> Range<String.Index> {
    var depth = 1
    var index = start
    var inString = false
    while index < text.endIndex {
      let c = text[index]
      if c == "\"" { inString.toggle() }
      if !inString {
        if c == open { depth += 1 }
        if c == close {
          depth -= 1
          if depth == 0 { return index..<text.index(after: index) }
        }
      }
      index = text.index(after: index)
    }
    return text.endIndex..<text.endIndex
  }

  /// The string literal after `label:` in `call`, if any.
  private static func stringArgument(_ label: String, in call: String) -> String? {
    guard let regex = try? NSRegularExpression(pattern: "\\b\(label):\\s*\"([^\"]*)\"") else {
      return nil
    }
    let ns = call as NSString
    guard let match = regex.firstMatch(in: call, range: NSRange(location: 0, length: ns.length))
    else { return nil }
    return ns.substring(with: match.range(at: 1))
  }

  /// Every string literal in `text`.
  private static func stringLiterals(in text: String) -> [String] {
    let parts = text.split(separator: "\"", omittingEmptySubsequences: false)
    return stride(from: 1, to: parts.count, by: 2).map { String(parts[$0]) }
  }
}
