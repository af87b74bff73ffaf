import ArgumentParser
import Foundation

/// A training run's folders and output (`sources.json` in the run folder), so that
/// `--resume NAME` needs no other flag.
struct RunSources: Codable, Equatable {
  var data: String?
  var val: String?
  var out: String?

  static let fileName = "sources.json"

  /// `given` completed from the run's saved sources when resuming (flags given win).
  /// - Throws: `ValidationError` when `--data` or `--out` is neither given nor saved.
  static func resolve(given: RunSources, resuming: Bool, in directory: URL) throws -> RunSources {
    var sources = given
    if resuming,
      let bytes = try? Data(contentsOf: directory.appendingPathComponent(fileName)),
      let saved = try? JSONDecoder().decode(RunSources.self, from: bytes)
    {
      sources.data = given.data ?? saved.data
      sources.val = given.val ?? saved.val
      sources.out = given.out ?? saved.out
    }
    let missing = [("--data", sources.data), ("--out", sources.out)].filter { $0.1 == nil }
    guard missing.isEmpty else {
      throw ValidationError(
        "missing \(missing.map(\.0).joined(separator: " and "))"
          + (resuming ? " (the run folder \(directory.path) does not record it)" : ""))
    }
    return sources
  }

  /// Records the sources in the run folder, as absolute paths (a resume may start elsewhere).
  func save(in directory: URL) throws {
    func absolute(_ path: String?) -> String? {
      path.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }
    let record = RunSources(data: absolute(data), val: absolute(val), out: absolute(out))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(record).write(to: directory.appendingPathComponent(Self.fileName))
  }
}
