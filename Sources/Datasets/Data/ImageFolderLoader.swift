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
