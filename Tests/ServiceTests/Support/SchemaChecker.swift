import Foundation
import TestSupport

/// Checks JSON values against the schemas of our OpenAPI document (Sources/Service/Public/
/// openapi.json): `$ref`, `type` (one or a list), `required`, `properties`, `items`, `enum`,
/// `oneOf` (at least one must match), `minimum`/`maximum`. Enough to catch a missing key or a
/// wrong type in a real response.
struct SchemaChecker {
  let document: [String: Any]

  static func load() throws -> SchemaChecker {
    let url = SharedData.repositoryRoot.appendingPathComponent(
      "Sources/Service/Public/openapi.json")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    return SchemaChecker(document: json as! [String: Any])
  }

  /// The problems found checking `value` against `#/components/schemas/<name>`; empty when valid.
  func check(_ value: Any, against name: String) -> [String] {
    check(value, schema: ["$ref": "#/components/schemas/\(name)"], path: "$")
  }

  /// Parses `data` and checks it.
  func check(json data: Data, against name: String) -> [String] {
    guard let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    else { return ["not JSON: \(String(decoding: data, as: UTF8.self).prefix(200))"] }
    return check(value, against: name)
  }

  private func resolve(_ ref: String) -> [String: Any] {
    var node: Any = document
    for key in ref.dropFirst(2).split(separator: "/") {
      node = (node as? [String: Any])?[String(key)] ?? [:]
    }
    return node as? [String: Any] ?? [:]
  }

  static func typeName(_ value: Any) -> String {
    if value is NSNull { return "null" }
    if value is String { return "string" }
    if let n = value as? NSNumber {
      // Foundation's JSON numbers: Bool as type "c", integers as "q", reals as "d".
      switch String(cString: n.objCType) {
      case "c", "B": return "boolean"
      case "d", "f": return "number"
      default: return "integer"
      }
    }
    if value is [Any] { return "array" }
    if value is [String: Any] { return "object" }
    return "unknown"
  }

  private func check(_ value: Any, schema: [String: Any], path: String) -> [String] {
    if let ref = schema["$ref"] as? String { return check(value, schema: resolve(ref), path: path) }
    if let options = schema["oneOf"] as? [[String: Any]] {
      let results = options.map { check(value, schema: $0, path: path) }
      return results.contains(where: \.isEmpty)
        ? [] : ["\(path): matches none of oneOf: \(results.flatMap { $0 }.prefix(3))"]
    }
    var errors: [String] = []
    let actual = Self.typeName(value)
    if let type = schema["type"] {
      let allowed = (type as? [String]) ?? [(type as? String) ?? ""]
      let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
      if !ok { return ["\(path): expected \(allowed.joined(separator: "|")), got \(actual)"] }
    }
    if let choices = schema["enum"] as? [Any] {
      if !choices.contains(where: { "\($0)" == "\(value)" }) {
        errors.append("\(path): \(value) not in \(choices)")
      }
    }
    if let n = value as? NSNumber, actual == "integer" || actual == "number" {
      if let minimum = (schema["minimum"] as? NSNumber)?.doubleValue, n.doubleValue < minimum {
        errors.append("\(path): \(n) < minimum \(minimum)")
      }
      if let maximum = (schema["maximum"] as? NSNumber)?.doubleValue, n.doubleValue > maximum {
        errors.append("\(path): \(n) > maximum \(maximum)")
      }
    }
    if let object = value as? [String: Any] {
      for key in schema["required"] as? [String] ?? [] where object[key] == nil {
        errors.append("\(path): missing required key '\(key)'")
      }
      for (key, sub) in schema["properties"] as? [String: [String: Any]] ?? [:] {
        if let child = object[key] { errors += check(child, schema: sub, path: "\(path).\(key)") }
      }
    }
    if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
      for (i, element) in array.enumerated() {
        errors += check(element, schema: items, path: "\(path)[\(i)]")
      }
    }
    return errors
  }
}
