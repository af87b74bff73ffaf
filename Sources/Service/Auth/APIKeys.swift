import Crypto
import Foundation

/// API keys: `emocl_` followed by 43 base64url characters (32 random bytes). Only the key's
/// SHA-256 is stored; the key itself is shown once, when created.
public enum APIKeys {
  static let keyPrefix = "emocl_"
  /// How many leading characters are stored in clear, to recognise a key in `emocl keys list`.
  static let shownPrefixLength = 12

  /// A new random key (from the system's cryptographic generator).
  public static func generate() -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    return keyPrefix + base64URL(bytes)
  }

  /// Lowercase hex SHA-256 of the key's UTF-8 bytes.
  public static func hash(_ key: String) -> String {
    SHA256.hash(data: Array(key.utf8)).map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }

  /// The part of a key kept in clear.
  public static func shownPrefix(_ key: String) -> String { String(key.prefix(shownPrefixLength)) }

  /// The longest name a key may have, in characters.
  public static let maxNameLength = 100

  /// Why a key's name was refused.
  public struct NameError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
  }

  /// Checks a key's name: not blank, at most ``maxNameLength`` characters, no control characters
  /// (a tab or newline would break `emocl keys list`'s columns and the logs' lines).
  public static func checkName(_ name: String) throws(NameError) {
    if name.allSatisfy(\.isWhitespace) {
      throw NameError(description: "a key's name must not be empty or blank")
    }
    if name.count > maxNameLength {
      throw NameError(
        description: "a key's name has at most \(maxNameLength) characters, not \(name.count)")
    }
    if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      throw NameError(description: "a key's name must not hold control characters (tab, newline)")
    }
  }

  /// Creates a key, stores its hash, and returns the key (to show once) with its record. Throws
  /// ``NameError`` for a name ``checkName(_:)`` refuses, before anything is stored.
  public static func create(name: String, in store: any AnalysisStore, now: Int64) async throws
    -> (key: String, record: APIKeyRecord)
  {
    try checkName(name)
    let key = generate()
    let record = try await store.createKey(
      name: name, prefix: shownPrefix(key), hash: hash(key), createdAt: now)
    return (key, record)
  }

  static func base64URL(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    var out = ""
    var i = 0
    while i < bytes.count {
      let chunk = bytes[i..<min(i + 3, bytes.count)]
      var value = 0
      for (k, b) in chunk.enumerated() { value |= Int(b) << (16 - 8 * k) }
      for k in 0..<(chunk.count + 1) { out.append(alphabet[(value >> (18 - 6 * k)) & 63]) }
      i += 3
    }
    return out
  }
}
