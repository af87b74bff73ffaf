import Datasets
import Foundation
import TestSupport

/// A small image-folder dataset in a temporary directory, made of real FER2013 files copied
/// from ../shared at test time, with its own cache folder.
struct DatasetFixture {
  let temporary: TemporaryDirectory
  /// The dataset root (`<root>/<class>/<file>`).
  let root: URL
  /// The cache folder the fixture's loads use.
  let cache: URL
  /// FER2013's train folder in ../shared.
  let fer: URL

  /// nil (skip) when ../shared is absent. `perClass` gives how many files to copy per class,
  /// taken in name order from FER2013 train.
  init?(perClass: [String: Int]) throws {
    guard let fer = try SharedData.path("datasets/fer2013/train") else { return nil }
    self.fer = fer
    temporary = try TemporaryDirectory()
    root = temporary.url.appendingPathComponent("data")
    cache = temporary.url.appendingPathComponent("cache")
    for (name, count) in perClass {
      let files = try FileManager.default.contentsOfDirectory(
        atPath: fer.appendingPathComponent(name).path
      ).sorted().prefix(count)
      for file in files { try copy("\(name)/\(file)") }
    }
  }

  var options: DatasetOptions { DatasetOptions(cacheDirectory: cache) }

  /// Copies FER2013 train's `class/file` into the dataset as `target` (default: same key).
  /// Content is copied, not the read-only mode of the shared file.
  func copy(_ name: String, as target: String? = nil) throws {
    let data = try Data(contentsOf: fer.appendingPathComponent(name))
    try write(data, to: target ?? name)
  }

  /// Writes `data` at `relative` under the root, creating folders.
  func write(_ data: Data, to relative: String) throws {
    let url = root.appendingPathComponent(relative)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url)
  }

  func load(_ options: DatasetOptions? = nil) throws -> DatasetLoad {
    try LabeledImages.loadWithReport(directory: root, options: options ?? self.options)
  }

  func cleanup() { temporary.cleanup() }
}
