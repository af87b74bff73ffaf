import Foundation

/// Where the tests find `../shared` (datasets and photos) and the repository's own fixtures.
public enum SharedData {
  /// The repository root, derived from this file's path.
  public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `EMOCL_SHARED` if set, else `../shared` beside the repository.
  public static var root: URL {
    if let path = ProcessInfo.processInfo.environment["EMOCL_SHARED"], !path.isEmpty {
      return URL(fileURLWithPath: path)
    }
    return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
  }

  /// True when running under CI (`CI=true`), where missing shared data is a failure, not a skip.
  public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  /// The shared path `relative` (e.g. `datasets/photos`) if it exists. When it does not, prints
  /// why the caller skips and returns nil; under CI it instead throws, so the test fails.
  public static func path(_ relative: String) throws -> URL? {
    let url = root.appendingPathComponent(relative)
    if FileManager.default.fileExists(atPath: url.path) { return url }
    if isCI { throw MissingSharedData(path: url.path) }
    print("skipped: shared data not found at \(url.path) (set EMOCL_SHARED)")
    return nil
  }

  /// A committed fixture file under `Tests/<target>/Fixtures/<name>`.
  public static func fixture(_ target: String, _ name: String) -> URL {
    repositoryRoot.appendingPathComponent("Tests/\(target)/Fixtures/\(name)")
  }
}

/// Shared data the tests need is absent under CI.
public struct MissingSharedData: Error, CustomStringConvertible {
  public let path: String
  public var description: String { "shared data missing under CI: \(path)" }
}

/// A fresh temporary directory, removed by `cleanup()`.
public struct TemporaryDirectory: Sendable {
  public let url: URL
  public init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("emocl-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }
  public func cleanup() { try? FileManager.default.removeItem(at: url) }
}
