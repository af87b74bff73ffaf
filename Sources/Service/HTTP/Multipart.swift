/// A small parser for `multipart/form-data` bodies held in memory (they are size-limited first).
public enum Multipart {
  /// Longest header block of one part; real browsers send well under 1 KB.
  static let maxHeaderBytes = 16 * 1024

  /// The `boundary` parameter of a `multipart/form-data` content type, or nil when the type is
  /// not multipart/form-data or the boundary is absent or longer than RFC 2046's 70 characters.
  public static func boundary(contentType: String) -> String? {
    let (type, parameters) = parseHeaderValue(contentType)
    guard type.lowercased() == "multipart/form-data",
      let boundary = parameters["boundary"], (1...70).contains(boundary.utf8.count)
    else { return nil }
    return boundary
  }

  /// Splits `body` into its parts. Preamble and epilogue are ignored, as RFC 2046 says.
  public static func parse(_ body: [UInt8], boundary: String, maxParts: Int = 64)
    throws(MultipartError) -> [MultipartPart]
  {
    guard !boundary.isEmpty else { throw .missingBoundary }
    let dashBoundary = Array("--\(boundary)".utf8)
    let delimiter = Array("\r\n--\(boundary)".utf8)
    // The first delimiter may start the body without a preceding CRLF.
    var position: Int
    if body.starts(with: dashBoundary) {
      position = dashBoundary.count
    } else if let found = find(delimiter, in: body, from: 0) {
      position = found + delimiter.count
    } else {
      throw .malformed("no opening boundary")
    }
    var parts: [MultipartPart] = []
    while true {
      // After a delimiter: "--" closes the body; otherwise optional padding then CRLF.
      if body.count - position >= 2, body[position] == 0x2D, body[position + 1] == 0x2D {
        return parts
      }
      while position < body.count, body[position] == 0x20 || body[position] == 0x09 {
        position += 1
      }
      guard body.count - position >= 2, body[position] == 0x0D, body[position + 1] == 0x0A else {
        throw .malformed("boundary not followed by CRLF")
      }
      position += 2
      guard parts.count < maxParts else { throw .tooManyParts(limit: maxParts) }
      let headerEnd: Int
      if body.count - position >= 2, body[position] == 0x0D, body[position + 1] == 0x0A {
        headerEnd = position  // a part without headers
      } else {
        guard let end = find(Array("\r\n\r\n".utf8), in: body, from: position),
          end - position <= maxHeaderBytes
        else { throw .malformed("part headers not terminated") }
        headerEnd = end + 2
      }
      var part = try parseHeaders(body[position..<headerEnd])
      let contentStart = headerEnd + 2
      guard let contentEnd = find(delimiter, in: body, from: contentStart) else {
        throw .malformed("part not closed by a boundary (truncated body?)")
      }
      part.body = Array(body[contentStart..<contentEnd])
      parts.append(part)
      position = contentEnd + delimiter.count
    }
  }

  /// Parses "Name: value" lines (each ending in CRLF) into a part with an empty body.
  static func parseHeaders(_ block: ArraySlice<UInt8>) throws(MultipartError) -> MultipartPart {
    var part = MultipartPart(name: nil, filename: nil, contentType: nil, body: [])
    guard let text = String(validating: block, as: UTF8.self) else {
      throw .malformed("part headers are not UTF-8")
    }
    for line in text.split(separator: "\r\n", omittingEmptySubsequences: true) {
      guard let colon = line.firstIndex(of: ":") else {
        throw .malformed("part header line without a colon")
      }
      let name = line[..<colon].trimmingSpaces().lowercased()
      let value = String(line[line.index(after: colon)...].trimmingSpaces())
      switch name {
      case "content-disposition":
        let (disposition, parameters) = parseHeaderValue(value)
        guard disposition.lowercased() == "form-data" else {
          throw .malformed("Content-Disposition is \(disposition), not form-data")
        }
        part.name = parameters["name"]
        part.filename = parameters["filename"]
      case "content-type":
        part.contentType = value
      default:
        continue
      }
    }
    return part
  }

  /// Splits `type; a=b; c="d"` into the lowercased-key parameters; quoted values may hold `;`
  /// and backslash escapes.
  static func parseHeaderValue(_ value: String) -> (String, [String: String]) {
    let chars = Array(value)
    var i = 0
    func skipSpaces() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }
    var head = ""
    while i < chars.count, chars[i] != ";" {
      head.append(chars[i])
      i += 1
    }
    var parameters: [String: String] = [:]
    while i < chars.count {
      i += 1  // the ';'
      skipSpaces()
      var key = ""
      while i < chars.count, chars[i] != "=", chars[i] != ";" {
        key.append(chars[i])
        i += 1
      }
      var parameterValue = ""
      if i < chars.count, chars[i] == "=" {
        i += 1
        skipSpaces()
        if i < chars.count, chars[i] == "\"" {
          i += 1
          while i < chars.count, chars[i] != "\"" {
            if chars[i] == "\\", i + 1 < chars.count { i += 1 }
            parameterValue.append(chars[i])
            i += 1
          }
          i += 1  // the closing quote
          while i < chars.count, chars[i] != ";" { i += 1 }
        } else {
          while i < chars.count, chars[i] != ";" {
            parameterValue.append(chars[i])
            i += 1
          }
          parameterValue = String(Substring(parameterValue).trimmingSpaces())
        }
      }
      let trimmedKey = Substring(key).trimmingSpaces().lowercased()
      if !trimmedKey.isEmpty, parameters[trimmedKey] == nil {
        parameters[trimmedKey] = parameterValue
      }
    }
    return (String(Substring(head).trimmingSpaces()), parameters)
  }

  /// The first index of `needle` in `haystack` at or after `start`.
  static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard let first = needle.first, haystack.count >= needle.count else { return nil }
    let last = haystack.count - needle.count
    var i = start
    return haystack.withUnsafeBufferPointer { h in
      needle.withUnsafeBufferPointer { n in
        while i <= last {
          if h[i] == first {
            var j = 1
            while j < n.count, h[i + j] == n[j] { j += 1 }
            if j == n.count { return i }
          }
          i += 1
        }
        return nil
      }
    }
  }
}

extension StringProtocol {
  /// Without leading and trailing spaces and tabs.
  func trimmingSpaces() -> Substring {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
    while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
    return s
  }
}
