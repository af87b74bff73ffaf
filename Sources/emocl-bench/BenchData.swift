import ArgumentParser
import Datasets
import Foundation

/// `emocl-bench data DIR`: seconds to load an image-folder dataset with a cold pixel cache
/// (decoding every file) and again from the cache.
struct BenchData: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data",
    abstract: "Time the first (decoding) and the cached load of a dataset folder."
  )

  @Argument(help: "Dataset folder, e.g. ../shared/datasets/fer2013/train.")
  var directory: String

  @Option(help: "Cached loads to time; the fastest is reported.")
  var repeats = 3

  func run() throws {
    guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
    let cache = FileManager.default.temporaryDirectory
      .appendingPathComponent("emocl-bench-data-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: cache) }
    let options = DatasetOptions(cacheDirectory: cache)
    let url = URL(fileURLWithPath: directory)

    let clock = ContinuousClock()
    var first: DatasetLoad?
    let firstTime = try clock.measure {
      first = try LabeledImages.loadWithReport(directory: url, options: options)
    }
    guard let first, !first.fromCache else {
      throw ValidationError("the first load unexpectedly came from the cache")
    }
    if let warning = first.cacheWarning { throw ValidationError("cache not written: \(warning)") }
    var best = Duration.seconds(1_000_000)
    var listing = Duration.seconds(1_000_000)
    for _ in 0..<repeats {
      var again: DatasetLoad?
      let time = try clock.measure {
        again = try LabeledImages.loadWithReport(directory: url, options: options)
      }
      guard let again, again.fromCache, again.images == first.images else {
        throw ValidationError("the cached load did not return the first load's images")
      }
      best = min(best, time)
      listing = min(listing, again.listingDuration)
    }
    let images = first.images
    print("images \(images.count) \(images.width)x\(images.height)")
    print("first_load_s \(String(format: "%.3f", seconds(firstTime)))")
    print("cached_load_s \(String(format: "%.3f", seconds(best)))")
    print("listing_s \(String(format: "%.3f", seconds(listing)))")
  }
}
