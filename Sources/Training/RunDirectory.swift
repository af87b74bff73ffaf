import Datasets
import Foundation

/// Where training runs keep checkpoints and logs: `$EMOCL_CACHE/runs` when `EMOCL_CACHE` is
/// set, else `$XDG_CACHE_HOME/emocl/runs`, else `~/.cache/emocl/runs` (outside the work tree).
public enum RunDirectory {
  public static var root: URL {
    let environment = ProcessInfo.processInfo.environment
    if let root = environment["EMOCL_CACHE"], !root.isEmpty {
      return URL(fileURLWithPath: root).appendingPathComponent("runs")
    }
    if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
      return URL(fileURLWithPath: xdg).appendingPathComponent("emocl/runs")
    }
    return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(
      ".cache/emocl/runs")
  }

  /// The folder of run `name`, which must be a plain name (letters, digits, `-`, `_`, `.`).
  public static func url(for name: String) throws(TrainingError) -> URL {
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
    guard !name.isEmpty, name.count <= 100, !name.hasPrefix("."),
      name.unicodeScalars.allSatisfy({ allowed.contains($0) })
    else {
      throw .invalidConfiguration(
        "run name \"\(name)\" must be letters, digits, '-', '_' or '.' (not starting with '.')")
    }
    return root.appendingPathComponent(name)
  }
}

extension TrainingImages {
  /// The images and labels of a loaded dataset.
  public init(_ images: LabeledImages) throws(TrainingError) {
    try self.init(
      width: images.width, height: images.height, classes: images.classes,
      pixels: images.pixels, labels: images.labels)
  }
}
