/// Helpers that turn the fuzzer's bytes into the inputs a parser takes.
enum FuzzInput {
  /// The bytes before the first newline (at most `limit` of them) and the bytes after it; all of
  /// `bytes` as the second part when there is no newline within `limit`.
  static func splitFirstLine(_ bytes: [UInt8], limit: Int = 256) -> ([UInt8], [UInt8]) {
    guard let newline = bytes.prefix(limit).firstIndex(of: 0x0A) else { return ([], bytes) }
    return (Array(bytes[..<newline]), Array(bytes[(newline + 1)...]))
  }

  /// `bytes` as text, invalid UTF-8 replaced by U+FFFD (as a server reading a header would).
  static func text(_ bytes: some Collection<UInt8>) -> String {
    String(decoding: bytes, as: UTF8.self)
  }

  /// The 8 bytes at the start of `bytes` as a little-endian integer (missing bytes are zero).
  static func int64(_ bytes: [UInt8]) -> Int64 {
    var value: UInt64 = 0
    for (index, byte) in bytes.prefix(8).enumerated() { value |= UInt64(byte) << (8 * index) }
    return Int64(bitPattern: value)
  }
}
