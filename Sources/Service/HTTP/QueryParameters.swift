import Foundation
import Hummingbird
import HummingbirdCore
import Pipeline

/// Typed reads of query parameters; a present but malformed value is a 400 naming the parameter.
package struct QueryParameters {
  let values: FlatDictionary<Substring, Substring>

  package init(_ request: Request) { values = request.uri.queryParameters }

  /// `text` as a whole number written the one way: digits without leading zeros (or `0`),
  /// after an optional `-`; nil for `+1`, `01`, `1.0`, ` 1` or out of Int64's range. Numbers in
  /// paths and queries have one spelling each (`/analyses/01` once deleted record 1).
  package static func canonicalInteger(_ text: Substring) -> Int64? {
    let digits = text.hasPrefix("-") ? text.dropFirst() : text
    guard let first = digits.utf8.first, first != UInt8(ascii: "0") || digits.count == 1,
      digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
    else { return nil }
    return Int64(text)
  }

  /// The value of `name`, nil when absent. A parameter given twice is a 400: which of the two
  /// a client meant cannot be known, and taking the first silently (`?limit=5&limit=6`) or
  /// the last differs between servers and proxies.
  package func value(_ name: String) throws(Problem) -> Substring? {
    let all = values[values: name[...]]
    guard all.count <= 1 else {
      throw .badParameter(name, "given \(all.count) times, expected once")
    }
    return all.first
  }

  package func string(_ name: String, maxLength: Int = 200) throws(Problem) -> String? {
    guard let value = try self.value(name) else { return nil }
    guard value.count <= maxLength, !value.contains(where: { $0.isNewline || $0 == "\0" }) else {
      throw .badParameter(name, "at most \(maxLength) characters on one line")
    }
    return String(value)
  }

  package func bool(_ name: String, default fallback: Bool) throws(Problem) -> Bool {
    guard let value = try self.value(name) else { return fallback }
    switch value.lowercased() {
    case "true", "1", "yes": return true
    case "false", "0", "no": return false
    default: throw .badParameter(name, "expected true or false, got '\(value)'")
    }
  }

  package func int(_ name: String, in range: ClosedRange<Int>) throws(Problem) -> Int? {
    guard let value = try self.value(name) else { return nil }
    guard let n = Self.canonicalInteger(value).map(Int.init), range.contains(n) else {
      throw .badParameter(
        name, "expected a whole number in \(range.lowerBound)...\(range.upperBound), got '\(value)'"
      )
    }
    return n
  }

  package func int64(_ name: String, minimum: Int64) throws(Problem) -> Int64? {
    guard let value = try self.value(name) else { return nil }
    guard let n = Self.canonicalInteger(value), n >= minimum else {
      throw .badParameter(name, "expected a whole number ≥ \(minimum), got '\(value)'")
    }
    return n
  }

  package func time(_ name: String) throws(Problem) -> Int64? {
    guard let value = try self.value(name) else { return nil }
    guard let micros = RFC3339.parse(String(value)) else {
      throw .badParameter(
        name, "expected an RFC 3339 time like 2026-11-27T09:00:00Z, got '\(value)'")
    }
    return micros
  }

  package func oneOf(_ name: String, _ choices: [String], default fallback: String) throws(Problem)
    -> String
  {
    guard let value = try self.value(name) else { return fallback }
    guard choices.contains(String(value)) else {
      throw .badParameter(
        name, "expected one of \(choices.joined(separator: ", ")), got '\(value)'")
    }
    return String(value)
  }

  /// `boxes=[[x,y,w,h],...]`: at most 256 boxes of whole numbers (x, y ≥ 0; width, height ≥ 1;
  /// each at most 1,000,000). Parsed strictly: JSON booleans, strings, fractions, exponents and
  /// nulls are refused rather than coerced to numbers.
  package func boxes(_ name: String) throws(Problem) -> [PixelBox]? {
    guard let value = try self.value(name) else { return nil }
    let problem = Problem.badParameter(
      name, "expected JSON [[x,y,width,height],...] with whole numbers ≥ 0 and sizes ≥ 1")
    guard value.utf8.count <= 16_384, let list = BoxListParser.parse(Array(value.utf8)),
      list.count <= 256
    else { throw problem }
    var boxes: [PixelBox] = []
    for numbers in list {
      guard numbers.count == 4, numbers[2] >= 1, numbers[3] >= 1,
        numbers.allSatisfy({ $0 <= 1_000_000 })
      else { throw problem }
      boxes.append(PixelBox(x: numbers[0], y: numbers[1], width: numbers[2], height: numbers[3]))
    }
    return boxes
  }

  /// The `tag`, `from` and `to` parameters; `from` must come before `to`.
  package func filter() throws(Problem) -> AnalysisFilter {
    let filter = AnalysisFilter(tag: try string("tag"), from: try time("from"), to: try time("to"))
    if let from = filter.from, let to = filter.to, from >= to {
      throw .badParameter("from", "must be before to")
    }
    return filter
  }
}
