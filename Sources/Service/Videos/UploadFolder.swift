import Foundation
import Vision

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

  /// Why the folder cannot take uploads.
  public struct Unusable: Error, CustomStringConvertible {
    public let description: String
  }

  /// Creates the folder if needed and checks that a file can be written in it (a probe file,
  /// removed at once), so that a server or worker with an unusable folder stops at start with
  /// the system's reason, instead of answering every upload with a 500.
  public func prepare() throws(Unusable) {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      // Foundation's message says little ("The file doesn't exist"); mkdir gives the reason.
      let reason =
        mkdir(path, 0o755) == 0 || errno == EEXIST
        ? FileErrorReason.describe(error) : String(cString: strerror(errno))
      throw Unusable(description: "upload folder \(path) cannot be created: \(reason)")
    }
    let probe = (path as NSString).appendingPathComponent(".emocl-probe-\(getpid())")
    let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw Unusable(
        description: "upload folder \(path) is not writable: \(String(cString: strerror(errno)))")
    }
    close(fd)
    unlink(probe)
  }

  /// Removes upload `name` if it is there.
  public func remove(_ name: String) throws {
    guard let file = file(name), FileManager.default.fileExists(atPath: file) else { return }
    try FileManager.default.removeItem(atPath: file)
  }
}
