/// A 64-bit non-cryptographic hash for cache keys and cache-file checksums.
///
/// Bytes are folded in 8 at a time (multiply–rotate–xor, constants from FNV-1a and the golden
/// ratio), so checksumming FER2013 train's 66 MB of pixels takes milliseconds. It detects
/// accidental changes and torn writes; it is not meant to resist deliberate collisions.
struct Fingerprint {
  private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325

  private mutating func mix(_ word: UInt64) {
    state = (state ^ word) &* 0x0000_0100_0000_01b3
    state = (state << 31 | state >> 33) ^ (word &* 0x9e37_79b9_7f4a_7c15)
  }

  /// Folds in raw bytes (their length too, so `"ab","c"` differs from `"a","bc"`).
  mutating func combine(bytes: UnsafeRawBufferPointer) {
    mix(UInt64(bytes.count))
    var offset = 0
    while offset + 8 <= bytes.count {
      mix(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
      offset += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while offset < bytes.count {
      tail |= UInt64(bytes[offset]) << shift
      shift += 8
      offset += 1
    }
    mix(tail)
  }

  mutating func combine(_ value: Int64) { mix(UInt64(bitPattern: value)) }

  mutating func combine(_ value: Int) { mix(UInt64(bitPattern: Int64(value))) }

  mutating func combine(_ text: String) {
    var copy = text
    copy.withUTF8 { combine(bytes: UnsafeRawBufferPointer($0)) }
  }

  /// The final value, avalanched so that nearby states give unrelated keys.
  var value: UInt64 {
    var x = state
    x ^= x >> 33
    x = x &* 0xff51_afd7_ed55_8ccd
    x ^= x >> 33
    x = x &* 0xc4ce_b9fe_1a85_ec53
    x ^= x >> 33
    return x
  }

  /// The hash of a byte range.
  static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var fingerprint = Fingerprint()
    fingerprint.combine(bytes: bytes)
    return fingerprint.value
  }
}
