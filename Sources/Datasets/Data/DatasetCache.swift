import Foundation

/// The binary cache of one decoded dataset (format version 2, little-endian):
///
///     header (60 bytes): "EMOCLDS\0"  UInt32 version  UInt64 listingKey  UInt32 width
///       UInt32 height  UInt64 count  UInt32 classCount  UInt32 skippedCount  UInt64 resizedCount
///       UInt64 metadataByteCount
///     metadata: classCount strings, count names,
///       skippedCount × (UInt8 kind: 0 unreadable / 1 undecodable, path, reason),
///       count label bytes (each string: UInt32 byte count + UTF-8)
///     pixels: count × height × width bytes
///     UInt64 checksum of header + metadata, UInt64 checksum of the pixels
///
/// `listingKey` fingerprints every file's relative path, size and modification time, so an
/// added, removed, replaced or touched file makes the entry stale; that is seen from the header
/// alone, before the rest is read. The pixels are read straight into the array the images keep
/// (no second copy of FER2013's 66 MB). Anything unexpected when reading (short or long file, bad
/// magic, other version, checksum mismatch, out-of-range values) makes `read` return nil — a
/// miss — and the caller rewrites the file. Writes go to a temporary file in the same folder that
/// is then renamed over the old one, so readers never see half a file.
enum DatasetCache {
  static let version: UInt32 = 2
  private static let headerByteCount = 60
  static let magic: [UInt8] = Array("EMOCLDS\0".utf8)

  /// A cached dataset and the files skipped when it was built.
  struct Entry: Sendable, Equatable {
    var images: LabeledImages
    var skipped: [DatasetError]
    var resizedCount: Int
  }

  /// The cache file for `root` loaded with `options` (one file per root and option set, so a
  /// changed dataset overwrites its stale entry instead of piling up new ones).
  static func file(root: String, classes: [String], options: DatasetOptions) -> URL {
    var key = Fingerprint()
    key.combine(Int(version))
    key.combine(root)
    for name in classes { key.combine(name) }
    key.combine(options.skipBadFiles ? 1 : 0)
    key.combine(options.imageSize?.width ?? 0)
    key.combine(options.imageSize?.height ?? 0)
    let hex = String(key.value, radix: 16)
    let name = String(repeating: "0", count: 16 - hex.count) + hex + ".emocl-dataset"
    return options.resolvedCacheDirectory.appendingPathComponent(name)
  }

  /// The fingerprint of a listing: each file's relative path, size and modification time, and
  /// each rejected entry.
  static func listingKey(_ listing: ImageFolderListing) -> UInt64 {
    var key = Fingerprint()
    key.combine(listing.root)
    key.combine(listing.files.count)
    for file in listing.files {
      key.combine(file.label)
      key.combine(file.name)
      key.combine(file.size)
      key.combine(file.modifiedSeconds)
      key.combine(file.modifiedNanoseconds)
    }
    for error in listing.rejected { key.combine(error.description) }
    return key.value
  }

  // MARK: Writing

  /// Writes `entry` atomically. Errors are returned for reporting, never thrown: a failed cache
  /// write must not fail the load that produced the data.
  @discardableResult
  static func write(_ entry: Entry, listingKey: UInt64, to file: URL) -> String? {
    let images = entry.images
    var metadata = ByteWriter()
    for name in images.classes { metadata.append(string: name) }
    for name in images.names { metadata.append(string: name) }
    for error in entry.skipped {
      switch error {
      case .undecodableFile(let path, let reason):
        metadata.append(UInt8(1))
        metadata.append(string: path)
        metadata.append(string: reason)
      case .unreadableFile(let path, let reason):
        metadata.append(UInt8(0))
        metadata.append(string: path)
        metadata.append(string: reason)
      default:
        // Not skippable, so never listed; stored as text to keep the format total.
        metadata.append(UInt8(0))
        metadata.append(string: error.description)
        metadata.append(string: "")
      }
    }
    metadata.bytes.append(contentsOf: images.labels.lazy.map { UInt8(truncatingIfNeeded: $0) })

    var head = ByteWriter()
    head.append(magic)
    head.append(version)
    head.append(listingKey)
    head.append(UInt32(images.width))
    head.append(UInt32(images.height))
    head.append(UInt64(images.count))
    head.append(UInt32(images.classes.count))
    head.append(UInt32(entry.skipped.count))
    head.append(UInt64(entry.resizedCount))
    head.append(UInt64(metadata.bytes.count))
    assert(head.bytes.count == headerByteCount)
    head.bytes += metadata.bytes
    var checksums = ByteWriter()
    checksums.append(head.bytes.withUnsafeBytes { Fingerprint.of($0) })
    checksums.append(images.pixels.withUnsafeBytes { Fingerprint.of($0) })
    return writeAtomically([head.bytes, images.pixels, checksums.bytes], to: file)
  }

  private static func writeAtomically(_ parts: [[UInt8]], to file: URL) -> String? {
    let folder = file.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      return "cannot create cache folder \(folder.path): \(error.localizedDescription)"
    }
    let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString)")
    return PosixFile.writeAtomically(parts, to: file.path, temporary: temporary.path)
  }

  // MARK: Reading

  /// The entry in `file` if it exists, is intact and was built from a listing with `listingKey`;
  /// otherwise nil.
  static func read(_ file: URL, listingKey: UInt64) -> Entry? {
    guard let input = PosixFile.Input(path: file.path),
      let head = input.read(count: headerByteCount),
      let header = Header(head, listingKey: listingKey, fileSize: input.size)
    else { return nil }
    let (width, height, count64) = (header.width, header.height, header.count)
    let (classCount, skippedCount) = (header.classCount, header.skippedCount)
    let (resizedCount, metadataCount64) = (header.resizedCount, header.metadataCount)
    let count = Int(count64)
    let metadataCount = Int(metadataCount64)
    let (pixelCount, overflow) = count.multipliedReportingOverflow(by: width * height)
    guard !overflow,
      input.size == headerByteCount + metadataCount + pixelCount + 16,
      let metadata = input.read(count: metadataCount),
      let pixels = input.read(count: pixelCount),
      let sums = input.read(count: 16)
    else { return nil }
    let expected = sums.withUnsafeBytes {
      ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }
    guard
      (head + metadata).withUnsafeBytes({ Fingerprint.of($0) }) == UInt64(littleEndian: expected.0),
      pixels.withUnsafeBytes({ Fingerprint.of($0) }) == UInt64(littleEndian: expected.1)
    else { return nil }

    return metadata.withUnsafeBytes { buffer -> Entry? in
      var reader = ByteReader(buffer: buffer)
      var classes: [String] = []
      for _ in 0..<classCount {
        guard let name = reader.string() else { return nil }
        classes.append(name)
      }
      var names: [String] = []
      names.reserveCapacity(count)
      for _ in 0..<count {
        guard let name = reader.string() else { return nil }
        names.append(name)
      }
      var skipped: [DatasetError] = []
      for _ in 0..<skippedCount {
        guard let kind = reader.integer(UInt8.self), kind <= 1, let path = reader.string(),
          let reason = reader.string()
        else { return nil }
        skipped.append(
          kind == 1
            ? .undecodableFile(path: path, reason: reason)
            : .unreadableFile(path: path, reason: reason))
      }
      guard let labelBytes = reader.bytes(count), reader.isAtEnd else { return nil }
      guard
        let images = try? LabeledImages(
          classes: classes, width: width, height: height, pixels: pixels,
          labels: labelBytes.map(Int.init), names: names)
      else { return nil }
      return Entry(images: images, skipped: skipped, resizedCount: Int(resizedCount))
    }
  }
}

/// The fixed-size header of a cache file, validated against the expected listing key and the
/// file's size.
private struct Header {
  var width: Int
  var height: Int
  var count: UInt64
  var classCount: Int
  var skippedCount: Int
  var resizedCount: UInt64
  var metadataCount: UInt64

  init?(_ bytes: [UInt8], listingKey: UInt64, fileSize: Int) {
    let parsed = bytes.withUnsafeBytes { buffer -> Header? in
      var header = ByteReader(buffer: buffer)
      guard let mark = header.bytes(DatasetCache.magic.count),
        mark.elementsEqual(DatasetCache.magic),
        header.integer(UInt32.self) == DatasetCache.version,
        header.integer(UInt64.self) == listingKey,
        let width = header.integer(UInt32.self).map(Int.init),
        let height = header.integer(UInt32.self).map(Int.init),
        let count = header.integer(UInt64.self),
        let classCount = header.integer(UInt32.self).map(Int.init),
        let skippedCount = header.integer(UInt32.self).map(Int.init),
        let resizedCount = header.integer(UInt64.self),
        let metadataCount = header.integer(UInt64.self),
        width > 0, height > 0, classCount <= 256, resizedCount <= count,
        count <= UInt64(fileSize), metadataCount <= UInt64(fileSize)
      else { return nil }
      return Header(
        width: width, height: height, count: count, classCount: classCount,
        skippedCount: skippedCount, resizedCount: resizedCount, metadataCount: metadataCount)
    }
    guard let parsed else { return nil }
    self = parsed
  }

  private init(
    width: Int, height: Int, count: UInt64, classCount: Int, skippedCount: Int,
    resizedCount: UInt64, metadataCount: UInt64
  ) {
    self.width = width
    self.height = height
    self.count = count
    self.classCount = classCount
    self.skippedCount = skippedCount
    self.resizedCount = resizedCount
    self.metadataCount = metadataCount
  }
}

/// Appends little-endian integers and length-prefixed strings to a byte array.
private struct ByteWriter {
  var bytes: [UInt8] = []

  mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

  mutating func append<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func append(string: String) {
    append(UInt32(string.utf8.count))
    bytes.append(contentsOf: string.utf8)
  }
}

/// Reads what `ByteWriter` wrote; every read is bounds-checked and returns nil past the end.
private struct ByteReader {
  let buffer: UnsafeRawBufferPointer
  var offset = 0

  init(buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

  var isAtEnd: Bool { offset == buffer.count }

  mutating func bytes(_ count: Int) -> UnsafeRawBufferPointer.SubSequence? {
    guard count >= 0, count <= buffer.count - offset else { return nil }
    defer { offset += count }
    return buffer[offset..<offset + count]
  }

  mutating func integer<T: FixedWidthInteger>(_ type: T.Type) -> T? {
    guard let raw = bytes(MemoryLayout<T>.size) else { return nil }
    return T(littleEndian: UnsafeRawBufferPointer(rebasing: raw).loadUnaligned(as: T.self))
  }

  mutating func string() -> String? {
    guard let length = integer(UInt32.self), let raw = bytes(Int(length)) else { return nil }
    return String(decoding: UnsafeRawBufferPointer(rebasing: raw), as: UTF8.self)
  }
}
