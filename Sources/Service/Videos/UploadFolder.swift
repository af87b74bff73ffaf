import Foundation

/// The folder where uploaded videos wait for their job. The database records only each
/// upload's file name; every process joins it to its own folder, so `emocl worker`s on other
/// machines may mount the shared folder anywhere.
public struct UploadFolder: Sendable, Equatable {
  /// The folder, as configured (relative paths are taken from the working directory).
  public let path: String

  public init(_ path: String) { self.path = path }

  /// True for the names this service gives uploads: letters, digits, `-`, `_` and `.`, not
  /// starting with a dot. A name read back from the database is checked before use, so a
  /// tampered row cannot point a worker at another file.
  public static func isUploadName(_ name: String) -> Bool {
    !name.isEmpty && !name.hasPrefix(".") && name.count <= 100
      && name.allSatisfy { c in
        c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_")
      }
  }

  /// The full path of upload `name`; nil for a name this service would not have given.
  public func file(_ name: String) -> String? {
    guard Self.isUploadName(name) else { return nil }
    return (path as NSString).appendingPathComponent(name)
  }

  /// Removes upload `name` if it is there.
  public func remove(_ name: String) throws {
    guard let file = file(name), FileManager.default.fileExists(atPath: file) else { return }
    try FileManager.default.removeItem(atPath: file)
  }
}
