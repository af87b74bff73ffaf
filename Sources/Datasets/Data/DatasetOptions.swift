import Foundation

/// How `LabeledImages.load(directory:options:)` reads an image-folder dataset.
public struct DatasetOptions: Sendable, Equatable {
  /// When true, files that cannot be read or decoded are left out and listed in the load report
  /// (`DatasetLoad.skipped`) instead of failing the whole load.
  public var skipBadFiles: Bool
  /// When true, decoded pixels are kept in (and reused from) a binary cache file.
  public var useCache: Bool
  /// Where cache files go; nil means `DatasetOptions.defaultCacheDirectory`.
  public var cacheDirectory: URL?
  /// The size every image gets. nil: the size of the first decodable image in load order
  /// (48×48 for FER2013). Images of another size are resized to it with Vision's resize (area
  /// averaging to shrink, bilinear to grow), so a folder of mixed photo sizes still loads;
  /// `DatasetLoad.resizedCount` says how many were.
  public var imageSize: ImageSize?

  /// Options; the defaults fail on the first bad file and use the default cache folder.
  public init(
    skipBadFiles: Bool = false, useCache: Bool = true, cacheDirectory: URL? = nil,
    imageSize: ImageSize? = nil
  ) {
    self.skipBadFiles = skipBadFiles
    self.useCache = useCache
    self.cacheDirectory = cacheDirectory
    self.imageSize = imageSize
  }

  /// `$EMOCL_CACHE/datasets` when `EMOCL_CACHE` is set (it replaces `~/.cache/emocl`, the root of
  /// every Emocl cache), else `$XDG_CACHE_HOME/emocl/datasets`, else `~/.cache/emocl/datasets`.
  /// Always outside the work tree.
  public static var defaultCacheDirectory: URL {
    let environment = ProcessInfo.processInfo.environment
    if let root = environment["EMOCL_CACHE"], !root.isEmpty {
      return URL(fileURLWithPath: root).appendingPathComponent("datasets")
    }
    if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
      return URL(fileURLWithPath: xdg).appendingPathComponent("emocl/datasets")
    }
    return FileManager.default.homeDirectoryForCurrentUser
      .appendingPathComponent(".cache/emocl/datasets")
  }

  /// The cache folder these options use.
  public var resolvedCacheDirectory: URL { cacheDirectory ?? Self.defaultCacheDirectory }
}
