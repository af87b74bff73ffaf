import Foundation

/// Runs a harness over saved inputs: files, or every file in a directory (recursively).
public enum FuzzReplay {
  /// The regular files at `path`: itself, or those under it sorted by path.
  public static func files(at path: String) -> [URL] {
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
    guard isDirectory.boolValue else { return [url] }
    let found = FileManager.default.enumerator(
      at: url, includingPropertiesForKeys: [.isRegularFileKey])
    let files = (found?.allObjects as? [URL] ?? []).filter {
      (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
    }
    return files.sorted { $0.path < $1.path }
  }

  /// Runs `target` over every file at `paths`, printing one line per input; returns the number
  /// of inputs whose invariants failed (a crash ends the process instead).
  public static func run(_ target: FuzzTarget, paths: [String]) -> Int {
    var failures = 0
    for file in paths.flatMap(files(at:)) {
      guard let data = FileManager.default.contents(atPath: file.path) else {
        print("unreadable: \(file.path)")
        failures += 1
        continue
      }
      do {
        try target.run([UInt8](data))
        print("ok: \(file.path)")
      } catch {
        print("FAILED: \(file.path): \(error)")
        failures += 1
      }
    }
    return failures
  }
}
