import Datasets
import Foundation
import TestSupport
import Testing
import Vision

/// Decodes a file the way the loader should, as the oracle for its pixels.
private func greyPixels(_ url: URL, size: (Int, Int)? = nil) throws -> [UInt8] {
  var image = try Image(
    decoding: [UInt8](Data(contentsOf: url)), options: DecodeOptions(colour: .grey))
  if let size { image = try image.resized(width: size.0, height: size.1) }
  return image.pixels
}

@Suite struct ImageFolderLoadTests {
  @Test func loadsClassesInFixedOrderKeyedByClassAndName() throws {
    guard let fixture = try DatasetFixture(perClass: ["surprise": 2, "angry": 3, "happy": 1])
    else { return }
    defer { fixture.cleanup() }
    // FER2013 repeats this file name in two classes, with different images (see its README).
    try fixture.copy("neutral/Training_52789098.jpg")
    try fixture.copy("surprise/Training_52789098.jpg")
    try fixture.write(Data("hidden".utf8), to: "angry/.DS_Store")

    let load = try fixture.load()
    let images = load.images
    #expect(images.classes == LabeledImages.emotionClasses)
    #expect(images.counts() == [3, 0, 0, 1, 1, 0, 3])
    #expect(images.labels == [0, 0, 0, 3, 4, 6, 6, 6])
    #expect(images.width == 48 && images.height == 48)
    #expect(images.pixels.count == 8 * 48 * 48)
    #expect(images.names.filter { $0.hasSuffix("/Training_52789098.jpg") }.count == 2)
    for label in images.classes.indices {
      let names = images.names.indices.filter { images.labels[$0] == label }.map {
        images.names[$0]
      }
      #expect(names == names.sorted())
      #expect(names.allSatisfy { $0.hasPrefix(images.classes[label] + "/") })
    }
    for (index, name) in images.names.enumerated() {
      let expected = try greyPixels(fixture.root.appendingPathComponent(name))
      #expect(Array(images.imagePixels(index)) == expected, "\(name)")
    }
    let neutral = try #require(images.names.firstIndex(of: "neutral/Training_52789098.jpg"))
    let surprise = try #require(images.names.firstIndex(of: "surprise/Training_52789098.jpg"))
    #expect(images.imagePixels(neutral) != images.imagePixels(surprise))
    #expect(!load.fromCache && load.skipped.isEmpty && load.resizedCount == 0)
    #expect(try LabeledImages.load(directory: fixture.root, options: fixture.options) == images)
  }

  @Test func unknownClassFolderIsAnErrorNamingIt() throws {
    guard let fixture = try DatasetFixture(perClass: ["angry": 1]) else { return }
    defer { fixture.cleanup() }
    try fixture.copy("angry/Training_10118481.jpg", as: "contempt/a.jpg")
    for skip in [false, true] {
      var options = fixture.options
      options.skipBadFiles = skip
      #expect {
        try fixture.load(options)
      } throws: { error in
        guard case .unknownClassFolder(let name, _, let known) = error as? DatasetError else {
          return false
        }
        return name == "contempt" && known == LabeledImages.emotionClasses
          && "\(error)".contains("'contempt'")
      }
    }
  }

  @Test func missingFolderIsAnError() throws {
    let missing = URL(fileURLWithPath: "/nonexistent/emocl-dataset")
    #expect(throws: DatasetError.notADirectory(path: "/nonexistent/emocl-dataset")) {
      try LabeledImages.load(directory: missing, options: DatasetOptions(useCache: false))
    }
  }

  @Test func badFilesFailOrAreSkippedAndCounted() throws {
    guard let fixture = try DatasetFixture(perClass: ["angry": 2, "happy": 3]) else { return }
    defer { fixture.cleanup() }
    // "0..." sorts before FER's "Training_..." names: the very first file is bad.
    try fixture.write(Data("not an image".utf8), to: "angry/0-broken.jpg")
    try fixture.write(Data(), to: "happy/empty.jpg")
    let half = try Data(contentsOf: fixture.fer.appendingPathComponent("sad/Training_10022789.jpg"))
    try fixture.write(half.prefix(half.count / 2), to: "sad/truncated.jpg")
    try FileManager.default.createDirectory(
      at: fixture.root.appendingPathComponent("happy/folder"), withIntermediateDirectories: true)
    try fixture.write(Data("loose".utf8), to: "notes.txt")

    // Without skipping, the first bad entry in load order fails the load, named.
    #expect {
      try fixture.load()
    } throws: { error in
      guard case .unreadableFile(let path, _) = error as? DatasetError else { return false }
      return path.hasSuffix("/notes.txt")
    }
    try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("notes.txt"))
    #expect {
      try fixture.load()
    } throws: { error in
      guard case .unreadableFile(let path, _) = error as? DatasetError else { return false }
      return path.hasSuffix("happy/folder")
    }
    try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("happy/folder"))
    #expect {
      try fixture.load()
    } throws: { error in
      guard case .undecodableFile(let path, _) = error as? DatasetError else { return false }
      return path == fixture.root.path + "/angry/0-broken.jpg"
    }
    try fixture.write(Data("loose".utf8), to: "notes.txt")

    var options = fixture.options
    options.skipBadFiles = true
    let load = try fixture.load(options)
    #expect(load.images.counts() == [2, 0, 0, 3, 0, 0, 0])
    #expect(load.images.width == 48)
    let skipped = load.skipped.map { "\($0)" }
    #expect(skipped.count == 4)
    for name in ["notes.txt", "angry/0-broken.jpg", "happy/empty.jpg", "sad/truncated.jpg"] {
      #expect(skipped.contains { $0.contains(fixture.root.path + "/" + name) }, "\(name)")
    }
    // The cache remembers what was skipped.
    let again = try fixture.load(options)
    #expect(again.fromCache && again.skipped == load.skipped && again.images == load.images)
  }

  @Test func onlyBadFilesIsEmpty() throws {
    guard let fixture = try DatasetFixture(perClass: [:]) else { return }
    defer { fixture.cleanup() }
    try fixture.write(Data("x".utf8), to: "fear/a.jpg")
    var options = fixture.options
    options.skipBadFiles = true
    #expect(throws: DatasetError.empty(path: fixture.root.path)) { try fixture.load(options) }
  }

  @Test func otherSizesAreResizedToTheDatasetSize() throws {
    guard let fixture = try DatasetFixture(perClass: ["angry": 2]),
      let photos = try SharedData.path("datasets/photos")
    else { return }
    defer { fixture.cleanup() }
    // A colour photo (shrunk) and a 10x8 grey PNG (grown) among 48x48 JPEGs.
    let photo = photos.appendingPathComponent("21_single_face.jpg")
    try fixture.write(Data(contentsOf: photo), to: "happy/photo.jpg")
    let small = Image(width: 10, height: 8, channels: 1, pixels: (0..<80).map { UInt8($0 * 3) })
    try fixture.write(Data(try small.pngData()), to: "sad/small.png")

    let load = try fixture.load()
    let images = load.images
    #expect(images.width == 48 && images.height == 48 && images.count == 4)
    #expect(load.resizedCount == 2)
    let photoIndex = try #require(images.names.firstIndex(of: "happy/photo.jpg"))
    #expect(Array(images.imagePixels(photoIndex)) == (try greyPixels(photo, size: (48, 48))))
    let smallIndex = try #require(images.names.firstIndex(of: "sad/small.png"))
    #expect(
      Array(images.imagePixels(smallIndex)) == (try small.resized(width: 48, height: 48)).pixels)
    #expect(try fixture.load().resizedCount == 2)  // from the cache

    var options = fixture.options
    options.imageSize = ImageSize(width: 24, height: 20)
    let shrunk = try fixture.load(options)
    #expect(shrunk.images.width == 24 && shrunk.images.height == 20 && shrunk.resizedCount == 4)
    let first = fixture.root.appendingPathComponent(shrunk.images.names[0])
    #expect(Array(shrunk.images.imagePixels(0)) == (try greyPixels(first, size: (24, 20))))
  }
}

@Suite struct DatasetCacheTests {
  @Test func cacheHitReturnsIdenticalData() throws {
    guard let fixture = try DatasetFixture(perClass: ["fear": 3, "sad": 2]) else { return }
    defer { fixture.cleanup() }
    let first = try fixture.load()
    let second = try fixture.load()
    #expect(!first.fromCache && second.fromCache)
    #expect(second.images == first.images)
    let file = try #require(first.cacheFile)
    #expect(file.deletingLastPathComponent().path == fixture.cache.path)
    #expect(FileManager.default.fileExists(atPath: file.path))
    #expect(first.cacheWarning == nil)
    // Only the cache file itself is left behind: the temporary file was renamed.
    #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.cache.path).count == 1)
  }

  @Test func changedFilesInvalidateTheCache() throws {
    guard let fixture = try DatasetFixture(perClass: ["fear": 3, "sad": 2]) else { return }
    defer { fixture.cleanup() }
    let first = try fixture.load()
    // Replace one image's content.
    let target = first.images.names[1]
    try fixture.copy("happy/Training_10019449.jpg", as: target)
    let changed = try fixture.load()
    #expect(!changed.fromCache)
    #expect(changed.images.names == first.images.names)
    #expect(
      Array(changed.images.imagePixels(1))
        == (try greyPixels(fixture.root.appendingPathComponent(target))))
    #expect(changed.images.imagePixels(1) != first.images.imagePixels(1))
    #expect(try fixture.load().fromCache)
    // Touch a file (same bytes, new time).
    let url = fixture.root.appendingPathComponent(first.images.names[0])
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: url.path)
    #expect(try !fixture.load().fromCache)
    // Add a file.
    try fixture.copy("happy/Training_10019449.jpg")
    let added = try fixture.load()
    #expect(!added.fromCache && added.images.count == first.images.count + 1)
    // The stale entry was replaced, not kept beside the new one.
    #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.cache.path).count == 1)
  }

  @Test func corruptCacheFilesAreIgnoredAndRewritten() throws {
    guard let fixture = try DatasetFixture(perClass: ["angry": 2, "surprise": 2]) else { return }
    defer { fixture.cleanup() }
    let first = try fixture.load()
    let file = try #require(first.cacheFile)
    let good = try Data(contentsOf: file)
    var flipped = good
    flipped[good.count - 100] ^= 0x5a  // a pixel byte: only the checksum notices
    var badLabel = good
    badLabel[good.count - 16 - 4 * 48 * 48 - 1] = 200
    let damaged: [Data] = [
      good.prefix(good.count / 2), good.prefix(10), Data(), Data("garbage".utf8), flipped,
      badLabel, good + Data([0]),
    ]
    for bytes in damaged {
      try bytes.write(to: file)
      let load = try fixture.load()
      #expect(!load.fromCache)
      #expect(load.images == first.images)
      #expect(try Data(contentsOf: file) == good)
      #expect(try fixture.load().fromCache)
    }
  }

  @Test func anUnwritableCacheIsAWarningNotAFailure() throws {
    guard let fixture = try DatasetFixture(perClass: ["angry": 1]) else { return }
    defer { fixture.cleanup() }
    // A cache folder below a regular file cannot be created.
    let file = fixture.temporary.url.appendingPathComponent("plain-file")
    try Data("x".utf8).write(to: file)
    var options = fixture.options
    options.cacheDirectory = file.appendingPathComponent("cache")
    let load = try fixture.load(options)
    #expect(load.images.count == 1 && !load.fromCache)
    #expect(load.cacheWarning?.contains("cannot create cache folder") == true)
  }

  @Test func withoutCacheNothingIsWritten() throws {
    guard let fixture = try DatasetFixture(perClass: ["angry": 1]) else { return }
    defer { fixture.cleanup() }
    var options = fixture.options
    options.useCache = false
    let load = try fixture.load(options)
    #expect(!load.fromCache && load.cacheFile == nil && load.images.count == 1)
    #expect(!FileManager.default.fileExists(atPath: fixture.cache.path))
  }
}
