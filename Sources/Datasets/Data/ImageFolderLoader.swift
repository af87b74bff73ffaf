import Dispatch
import Foundation
import Vision

/// What loading an image folder produced, beyond the images themselves.
public struct DatasetLoad: Sendable {
  /// The decoded images.
  public var images: LabeledImages
  /// The files left out (only with `DatasetOptions.skipBadFiles`), each error naming its file.
  public var skipped: [DatasetError]
  /// Number of images that had another size and were resized to the dataset's size.
  public var resizedCount: Int
  /// True when the images came from the cache rather than from decoding.
  public var fromCache: Bool
  /// The cache file used or written (nil with `useCache == false`).
  public var cacheFile: URL?
  /// Why the cache could not be written, if it could not (the load itself still succeeded).
  public var cacheWarning: String?
  /// Time spent listing the folder and `stat`ing every file (part of every load, cached or not).
  public var listingDuration: Duration
}

extension LabeledImages {
  /// Loads the image-folder dataset at `directory` (`<directory>/<class>/<image>`, classes from
  /// `LabeledImages.emotionClasses`; a class may be absent), see `loadWithReport`.
  public static func load(directory: URL, options: DatasetOptions = .init()) throws
    -> LabeledImages
  {
    try loadWithReport(directory: directory, options: options).images
  }

  /// Loads the image-folder dataset at `directory` and reports what was skipped and whether the
  /// cache answered.
  ///
  /// Images come in the fixed class order (`emotionClasses`), files within a class sorted by
  /// name, each decoded to 8-bit grey. All get one size: `options.imageSize`, else the size of
  /// the first decodable image; others are resized to it (counted in `resizedCount`). Hidden
  /// files (`.name`) are ignored.
  ///
  /// Errors (each naming its folder or file): `DatasetError.notADirectory`,
  /// `.unknownClassFolder` (a folder that is not a class), `.unreadableFile` (also a loose file
  /// at the root or a folder inside a class folder), `.undecodableFile`, `.empty`, `.tooLarge`.
  /// With `options.skipBadFiles` the unreadable and undecodable files are skipped and listed in
  /// `DatasetLoad.skipped` instead.
  ///
  /// With `options.useCache`, the decoded result is stored in a binary cache file keyed by the
  /// root path, the options and every file's relative path, size and modification time; a later
  /// load of the unchanged folder reads that file instead of decoding. Decoding runs on all cores.
  public static func loadWithReport(directory: URL, options: DatasetOptions = .init()) throws
    -> DatasetLoad
  {
    var root = directory.standardizedFileURL.path
    while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
    let classes = emotionClasses
    let clock = ContinuousClock()
    let listingStart = clock.now
    let listing = try ImageFolderListing(root: root, classes: classes)
    let listingDuration = clock.now - listingStart
    if !options.skipBadFiles, let first = listing.rejected.first { throw first }

    var cacheFile: URL?
    var listingKey: UInt64 = 0
    if options.useCache {
      let file = DatasetCache.file(root: root, classes: classes, options: options)
      listingKey = DatasetCache.listingKey(listing)
      if let entry = DatasetCache.read(file, listingKey: listingKey) {
        return DatasetLoad(
          images: entry.images, skipped: entry.skipped, resizedCount: entry.resizedCount,
          fromCache: true, cacheFile: file, cacheWarning: nil,
          listingDuration: listingDuration)
      }
      cacheFile = file
    }

    let decoded = try ImageFolderDecoder.decode(
      listing: listing, classes: classes, options: options)
    var warning: String?
    if let cacheFile {
      warning = DatasetCache.write(
        DatasetCache.Entry(
          images: decoded.images, skipped: decoded.skipped, resizedCount: decoded.resizedCount),
        listingKey: listingKey, to: cacheFile)
    }
    return DatasetLoad(
      images: decoded.images, skipped: decoded.skipped, resizedCount: decoded.resizedCount,
      fromCache: false, cacheFile: cacheFile, cacheWarning: warning,
      listingDuration: listingDuration)
  }
}

/// Reads and decodes listed files in parallel into one pixel buffer.
enum ImageFolderDecoder {
  /// Largest pixel buffer a dataset may need (4 GiB: FER2013 train needs 66 MB).
  static let maximumDatasetBytes = 4 << 30

  struct Result {
    var images: LabeledImages
    var skipped: [DatasetError]
    var resizedCount: Int
  }

  static func decode(listing: ImageFolderListing, classes: [String], options: DatasetOptions)
    throws -> Result
  {
    let files = listing.files
    var skipped = listing.rejected
    // The dataset's size: given, or that of the first file that decodes.
    var size = options.imageSize
    var firstGood = 0
    while size == nil, firstGood < files.count {
      do throws(DatasetError) {
        let image = try decodeFile(root: listing.root, name: files[firstGood].name, size: nil)
        size = ImageSize(width: image.width, height: image.height)
      } catch {
        if !options.skipBadFiles { throw error }
        skipped.append(error)
        firstGood += 1
      }
    }
    guard let size, size.width > 0, size.height > 0 else {
      throw DatasetError.empty(path: listing.root)
    }
    let todo = Array(files[firstGood...])
    let imageBytes = size.width * size.height
    let (total, overflow) = todo.count.multipliedReportingOverflow(by: imageBytes)
    guard !overflow, total <= maximumDatasetBytes else {
      throw DatasetError.tooLarge(
        path: listing.root,
        detail: "\(todo.count) images of \(size) need more than \(maximumDatasetBytes >> 30) GiB;"
          + " choose a smaller image size")
    }

    var pixels = [UInt8](repeating: 0, count: total)
    var failures = [DatasetError?](repeating: nil, count: todo.count)
    var resized = [Bool](repeating: false, count: todo.count)
    let root = listing.root
    pixels.withUnsafeMutableBufferPointer { pixelBuffer in
      failures.withUnsafeMutableBufferPointer { failureBuffer in
        resized.withUnsafeMutableBufferPointer { resizedBuffer in
          let shared = SharedBuffers(
            pixels: pixelBuffer, failures: failureBuffer, resized: resizedBuffer)
          // Many more chunks than cores, so a slow chunk does not leave a core idle at the end.
          let chunkCount = max(
            1, min(todo.count, ProcessInfo.processInfo.activeProcessorCount * 16))
          DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = todo.count * chunk / chunkCount
            let end = todo.count * (chunk + 1) / chunkCount
            for index in start..<end {
              let image: GreyImage
              do throws(DatasetError) {
                image = try decodeFile(root: root, name: todo[index].name, size: size)
              } catch {
                shared.failures[index] = error
                continue
              }
              image.pixels.withUnsafeBufferPointer { source in
                let target = shared.pixels.baseAddress! + index * imageBytes
                target.update(from: source.baseAddress!, count: imageBytes)
              }
              shared.resized[index] = image.wasResized
            }
          }
        }
      }
    }

    let bad = failures.indices.filter { failures[$0] != nil }
    if !bad.isEmpty && !options.skipBadFiles { throw failures[bad[0]]! }
    var labels = todo.map(\.label)
    var names = todo.map(\.name)
    if !bad.isEmpty {
      skipped += bad.map { failures[$0]! }
      let keep = todo.indices.filter { failures[$0] == nil }
      var kept = [UInt8]()
      kept.reserveCapacity(keep.count * imageBytes)
      for index in keep {
        kept.append(contentsOf: pixels[index * imageBytes..<(index + 1) * imageBytes])
      }
      pixels = kept
      labels = keep.map { labels[$0] }
      names = keep.map { names[$0] }
      resized = keep.map { resized[$0] }
    }
    guard !labels.isEmpty else { throw DatasetError.empty(path: root) }
    let images = LabeledImages(
      unchecked: classes, width: size.width, height: size.height, pixels: pixels, labels: labels,
      names: names)
    return Result(images: images, skipped: skipped, resizedCount: resized.count { $0 })
  }

  /// Reads and decodes `root/name` to grey at `size` (see `GreyImage`).
  static func decodeFile(root: String, name: String, size: ImageSize?) throws(DatasetError)
    -> GreyImage
  {
    try GreyImage(contentsOfFile: root + "/" + name, size: size)
  }
}

/// The output buffers the decoding workers write into. Each worker writes only the slots of its
/// own images, so the accesses never overlap.
private struct SharedBuffers: @unchecked Sendable {
  let pixels: UnsafeMutableBufferPointer<UInt8>
  let failures: UnsafeMutableBufferPointer<DatasetError?>
  let resized: UnsafeMutableBufferPointer<Bool>
}
