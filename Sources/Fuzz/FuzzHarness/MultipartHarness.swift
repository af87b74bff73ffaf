import Service

/// The first line is the request's Content-Type, the rest its body. When the type yields no
/// boundary the body is still parsed with a fixed one, so the body parser is always exercised.
/// Checks the part limit, that parts never hold more bytes than the body, and that no part's
/// content contains the delimiter that should have ended it.
enum MultipartHarness {
  static let maxParts = 8

  static func run(_ data: [UInt8]) throws(FuzzFailure) {
    let (typeLine, body) = FuzzInput.splitFirstLine(data)
    let boundary = Multipart.boundary(contentType: FuzzInput.text(typeLine))
    if let boundary {
      try FuzzFailure.require(
        (1...70).contains(boundary.utf8.count), "boundary of \(boundary.utf8.count) bytes")
    }
    let used = boundary ?? "XyZzy"
    let parts: [MultipartPart]
    do {
      parts = try Multipart.parse(body, boundary: used, maxParts: maxParts)
    } catch {
      return
    }
    try FuzzFailure.require(parts.count <= maxParts, "\(parts.count) parts > \(maxParts)")
    let total = parts.reduce(0) { $0 + $1.body.count }
    try FuzzFailure.require(total <= body.count, "parts hold \(total) bytes of \(body.count)")
    let delimiter = Array("\r\n--\(used)".utf8)
    for (index, part) in parts.enumerated() {
      try FuzzFailure.require(
        !contains(part.body, delimiter), "part \(index) contains its closing delimiter")
    }
  }

  private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard haystack.count >= needle.count else { return false }
    for start in 0...(haystack.count - needle.count)
    where haystack[start..<(start + needle.count)].elementsEqual(needle) {
      return true
    }
    return false
  }
}
