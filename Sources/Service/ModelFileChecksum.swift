import Crypto
import Foundation

/// A model file found in a models folder, with its size and SHA-256, so a bug report says
/// exactly which models were served.
public struct ModelFileChecksum: Sendable, Equatable, Codable {
  /// The file name, e.g. `cnn.safetensors`.
  public var name: String
  /// Size in bytes.
  public var bytes: Int
  /// Lowercase hex SHA-256 of the file's contents.
  public var sha256: String

  public init(name: String, bytes: Int, sha256: String) {
    self.name = name
    self.bytes = bytes
    self.sha256 = sha256
  }

  /// Every `*.safetensors` file directly in `folder`, by name.
  public static func scan(folder: URL) throws -> [ModelFileChecksum] {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".safetensors") }.sorted()
    return try names.map { name in try checksum(of: folder.appendingPathComponent(name)) }
  }

  /// The size and SHA-256 of one file, read in 1 MB pieces.
  public static func checksum(of file: URL) throws -> ModelFileChecksum {
    let handle = try FileHandle(forReadingFrom: file)
    defer { try? handle.close() }
    var hasher = SHA256()
    var bytes = 0
    while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
      hasher.update(data: piece)
      bytes += piece.count
    }
    let hex = hasher.finalize().map { byte in
      let digits = String(byte, radix: 16)
      return byte < 16 ? "0" + digits : digits
    }.joined()
    return ModelFileChecksum(name: file.lastPathComponent, bytes: bytes, sha256: hex)
  }
}
