import Foundation

/// The contents of a `.safetensors` file: named tensors and an optional string→string metadata map.
///
/// Layout: an 8-byte little-endian header length `N`, then `N` bytes of UTF-8 JSON (padded with
/// spaces to a multiple of 8), then the tensors' bytes back to back. The header maps each tensor
/// name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the data) and
/// the optional key `__metadata__` to the metadata.
///
/// `serialized()` writes exactly what Python's `safetensors` (`save_file`) writes for the same
/// tensors and metadata: tensors ordered by dtype (wider first, see `SafetensorsDType`) then by
/// name, compact JSON with `__metadata__` first, the same string escaping and padding. Python
/// orders several metadata keys randomly; here they are sorted, so files are byte-identical
/// whenever the metadata has at most one key (as Emocl model files do).
public struct Safetensors: Sendable, Equatable {
  /// The format's limit on the header length.
  public static let maximumHeaderLength = 100_000_000

  /// The tensors by name.
  public var tensors: [String: SafetensorsTensor]
  /// The `__metadata__` map; nil when the file has none.
  public var metadata: [String: String]?

  /// Contents holding `tensors` and `metadata`.
  public init(tensors: [String: SafetensorsTensor] = [:], metadata: [String: String]? = nil) {
    self.tensors = tensors
    self.metadata = metadata
  }

  /// The file bytes. Throws only for a tensor name the format cannot hold (empty or
  /// `__metadata__`).
  public func serialized() throws(SafetensorsError) -> [UInt8] {
    let order = tensors.sorted { a, b in
      if a.value.dtype.layoutRank != b.value.dtype.layoutRank {
        return a.value.dtype.layoutRank > b.value.dtype.layoutRank
      }
      return Array(a.key.utf8).lexicographicallyPrecedes(Array(b.key.utf8))
    }
    var header = "{"
    var first = true
    if let metadata {
      header += "\"__metadata__\":{"
      let keys = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
      header += keys.map { "\(Self.quoted($0)):\(Self.quoted(metadata[$0]!))" }
        .joined(separator: ",")
      header += "}"
      first = false
    }
    var offset = 0
    for (name, tensor) in order {
      guard !name.isEmpty, name != "__metadata__" else { throw .invalidTensorName(name) }
      if !first { header += "," }
      first = false
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      let end = offset + tensor.bytes.count
      header +=
        "\(Self.quoted(name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],"
        + "\"data_offsets\":[\(offset),\(end)]}"
      offset = end
    }
    header += "}"
    var headerBytes = Array(header.utf8)
    headerBytes += [UInt8](repeating: 0x20, count: (8 - headerBytes.count % 8) % 8)

    var out = [UInt8]()
    out.reserveCapacity(8 + headerBytes.count + offset)
    withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
    out += headerBytes
    for (_, tensor) in order { out += tensor.bytes }
    return out
  }

  /// Parses and validates file bytes: the header length against the file size, the header JSON,
  /// every dtype, every shape against its byte length, and that the tensors' byte ranges tile
  /// the data exactly (contiguous, in bounds, no gaps).
  public init(parsing bytes: [UInt8]) throws(SafetensorsError) {
    let (entries, headerLength) = try Self.header(of: bytes)
    let dataStart = 8 + headerLength
    let dataLength = bytes.count - dataStart
    var metadata: [String: String]?
    var ranges: [TensorRange] = []
    for (name, value) in entries {
      if name == "__metadata__" {
        if case .null = value { continue }
        metadata = try Self.metadata(value)
        continue
      }
      ranges.append(try Self.tensorRange(name, value))
    }
    ranges.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
    try Self.checkTiling(ranges, dataLength: dataLength, fileSize: bytes.count)

    var tensors: [String: SafetensorsTensor] = [:]
    for r in ranges {
      tensors[r.name] = try SafetensorsTensor(
        dtype: r.dtype, shape: r.shape,
        bytes: Array(bytes[(dataStart + r.begin)..<(dataStart + r.end)]))
    }
    self.init(tensors: tensors, metadata: metadata)
  }

  /// One header entry: a tensor's dtype, shape and byte range relative to the data.
  private struct TensorRange {
    var name: String
    var dtype: SafetensorsDType
    var shape: [Int]
    var begin: Int
    var end: Int
  }

  /// The header's entries and length, after checking the length against the file size and
  /// that the header is a JSON object.
  private static func header(of bytes: [UInt8]) throws(SafetensorsError)
    -> (entries: [String: JSONValue], length: Int)
  {
    guard bytes.count >= 8 else { throw .truncated(fileSize: bytes.count, needed: 8) }
    var n: UInt64 = 0
    for i in (0..<8).reversed() { n = n << 8 | UInt64(bytes[i]) }
    guard n <= UInt64(Self.maximumHeaderLength) else {
      throw .headerTooLarge(n > UInt64(Int.max) ? Int.max : Int(n))
    }
    let headerLength = Int(n)
    guard bytes.count >= 8 + headerLength else {
      throw .truncated(fileSize: bytes.count, needed: 8 + headerLength)
    }
    guard headerLength >= 2, bytes[8] == UInt8(ascii: "{") else {
      throw .invalidHeader("does not start with a JSON object")
    }
    let json: JSONValue
    do {
      json = try JSONDecoder().decode(JSONValue.self, from: Data(bytes[8..<(8 + headerLength)]))
    } catch {
      throw .invalidHeader("not valid JSON")
    }
    guard case .object(let entries) = json else { throw .invalidHeader("not a JSON object") }
    return (entries, headerLength)
  }

  /// The `__metadata__` entry as a string map.
  private static func metadata(_ value: JSONValue) throws(SafetensorsError) -> [String: String] {
    guard case .object(let map) = value else {
      throw .invalidHeader("__metadata__ is not an object")
    }
    var strings: [String: String] = [:]
    for (key, item) in map {
      guard case .string(let s) = item else {
        throw .invalidHeader("__metadata__ value for '\(key)' is not a string")
      }
      strings[key] = s
    }
    return strings
  }

  /// The tensor entry `name`, checked: a known dtype, a shape of sizes, two ordered offsets
  /// whose distance is the shape's byte size.
  private static func tensorRange(_ name: String, _ value: JSONValue) throws(SafetensorsError)
    -> TensorRange
  {
    guard let dtypeName = value["dtype"]?.stringValue,
      let shapeValues = value["shape"]?.arrayValue,
      let offsetValues = value["data_offsets"]?.arrayValue
    else {
      throw .invalidHeader("entry '\(name)' lacks dtype, shape or data_offsets")
    }
    guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
      throw .unknownDType(tensor: name, dtype: dtypeName)
    }
    let shape = shapeValues.compactMap(\.intValue)
    guard shape.count == shapeValues.count, shape.allSatisfy({ $0 >= 0 }) else {
      throw .invalidHeader("entry '\(name)' has a shape that is not a list of sizes")
    }
    let offsets = offsetValues.compactMap(\.intValue)
    guard offsets.count == 2, offsets.allSatisfy({ $0 >= 0 }) else {
      throw .invalidOffsets(tensor: name, detail: "expected two non-negative integers")
    }
    guard offsets[0] <= offsets[1] else {
      throw .invalidOffsets(tensor: name, detail: "begin \(offsets[0]) > end \(offsets[1])")
    }
    guard let count = SafetensorsTensor.elementCount(shape),
      count.multipliedReportingOverflow(by: dtype.byteSize) == (offsets[1] - offsets[0], false)
    else {
      throw .sizeMismatch(
        tensor: name, shape: shape, dtype: dtypeName, bytes: offsets[1] - offsets[0])
    }
    return TensorRange(
      name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
  }

  /// Checks that `ranges` (sorted) tile the `dataLength` bytes after the header exactly:
  /// contiguous, in bounds, no gaps.
  private static func checkTiling(_ ranges: [TensorRange], dataLength: Int, fileSize: Int)
    throws(SafetensorsError)
  {
    var expected = 0
    for r in ranges {
      guard r.begin == expected else {
        throw .invalidOffsets(
          tensor: r.name,
          detail: r.begin < expected
            ? "overlaps the previous tensor (begins at \(r.begin), expected \(expected))"
            : "leaves a gap (begins at \(r.begin), expected \(expected))")
      }
      guard r.end <= dataLength else {
        throw .truncated(fileSize: fileSize, needed: fileSize - dataLength + r.end)
      }
      expected = r.end
    }
    guard expected == dataLength else {
      throw .invalidOffsets(
        tensor: ranges.last?.name ?? "",
        detail: "tensors cover \(expected) bytes but the file holds \(dataLength) after the header")
    }
  }

  /// `s` as a JSON string literal escaped as serde_json (the reference writer) escapes it:
  /// `"` and `\` with a backslash, \b \t \n \f \r by name, other control characters as `\u00xx`
  /// (lowercase hex), everything else (including `/` and non-ASCII) as raw UTF-8.
  static func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\u{08}": out += "\\b"
      case "\u{09}": out += "\\t"
      case "\u{0A}": out += "\\n"
      case "\u{0C}": out += "\\f"
      case "\u{0D}": out += "\\r"
      case "\u{00}"..."\u{1F}":
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
