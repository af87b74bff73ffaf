import Foundation

/// The binary cache of one decoded dataset (format version 1, little-endian):
///
///     "EMOCLDS\0"  UInt32 version  UInt64 listingKey
///     UInt32 width  UInt32 height  UInt64 count  UInt32 classCount  UInt32 skippedCount
///     UInt64 resizedCount
///     classCount strings, count names,
///     skippedCount × (UInt8 kind: 0 unreadable / 1 undecodable, path, reason)
///     (each string: UInt32 byte count + UTF-8)
///     count label bytes, count × height × width pixel bytes
///     UInt64 checksum of everything before it
///
/// `listingKey` fingerprints every file's relative path, size and modification time, so an
/// added, removed, replaced or touched file makes the entry stale. Anything unexpected when
/// reading (short file, bad magic, other version, checksum mismatch, out-of-range values) makes
/// `read` return nil — a miss — and the caller rewrites the file. Writes go to a temporary file
/// in the same folder that is then renamed over the old one, so readers never see half a file.
enum DatasetCache {
  static let version: UInt32 = 1
  private static let magic: [UInt8] = Array("EMOCLDS\0".utf8)

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
    var out = ByteWriter()
    out.append(magic)
    out.append(version)
    out.append(listingKey)
    let images = entry.images
    out.append(UInt32(images.width))
    out.append(UInt32(images.height))
    out.append(UInt64(images.count))
    out.append(UInt32(images.classes.count))
    out.append(UInt32(entry.skipped.count))
    out.append(UInt64(entry.resizedCount))
    for name in images.classes { out.append(string: name) }
    for name in images.names { out.append(string: name) }
    for error in entry.skipped {
      switch error {
      case .undecodableFile(let path, let reason):
        out.append(UInt8(1))
        out.append(string: path)
        out.append(string: reason)
      case .unreadableFile(let path, let reason):
        out.append(UInt8(0))
        out.append(string: path)
        out.append(string: reason)
      default:
        // Not skippable, so never listed; stored as text to keep the format total.
        out.append(UInt8(0))
        out.append(string: error.description)
        out.append(string: "")
      }
    }
    out.bytes.append(contentsOf: images.labels.lazy.map { UInt8(truncatingIfNeeded: $0) })
    out.bytes.append(contentsOf: images.pixels)
    let checksum = out.bytes.withUnsafeBytes { Fingerprint.of($0) }
    out.append(checksum)
    return writeAtomically(out.bytes, to: file)
  }

  private static func writeAtomically(_ bytes: [UInt8], to file: URL) -> String? {
    let folder = file.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      return "cannot create cache folder \(folder.path): \(error.localizedDescription)"
    }
    let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString)")
    return PosixFile.writeAtomically(bytes, to: file.path, temporary: temporary.path)
  }

  // MARK: Reading

  /// The entry in `file` if it exists, is intact and was built from a listing with `listingKey`;
  /// otherwise nil.
  static func read(_ file: URL, listingKey: UInt64) -> Entry? {
    guard let bytes = readWholeFile(file.path) else { return nil }
    return bytes.withUnsafeBytes { parse($0, listingKey: listingKey) }
  }

  private static func parse(_ buffer: UnsafeRawBufferPointer, listingKey: UInt64) -> Entry? {
    guard buffer.count >= magic.count + 8 else { return nil }
    let body = UnsafeRawBufferPointer(rebasing: buffer[..<(buffer.count - 8)])
    let stored = UInt64(
      littleEndian: buffer.loadUnaligned(fromByteOffset: buffer.count - 8, as: UInt64.self))
    var reader = ByteReader(buffer: body)
    guard let head = reader.bytes(magic.count), head.elementsEqual(magic),
      reader.integer(UInt32.self) == version,
      reader.integer(UInt64.self) == listingKey
    else { return nil }
    // Checked only once the header matches: a stale entry costs no checksum pass.
    guard Fingerprint.of(body) == stored else { return nil }
    guard let width = reader.integer(UInt32.self).map(Int.init),
      let height = reader.integer(UInt32.self).map(Int.init),
      let count64 = reader.integer(UInt64.self),
      let classCount = reader.integer(UInt32.self).map(Int.init),
      let skippedCount = reader.integer(UInt32.self).map(Int.init),
      let resizedCount = reader.integer(UInt64.self), resizedCount <= count64,
      width > 0, height > 0, count64 <= UInt64(body.count), classCount <= 256,
      skippedCount <= body.count
    else { return nil }
    let count = Int(count64)
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
      guard let kind = reader.integer(UInt8.self), let path = reader.string() else { return nil }
      switch kind {
      case 0, 1:
        guard let reason = reader.string() else { return nil }
        skipped.append(
          kind == 1
            ? .undecodableFile(path: path, reason: reason)
            : .unreadableFile(path: path, reason: reason))
      default:
        return nil
      }
    }
    let (pixelCount, overflow) = count.multipliedReportingOverflow(by: width * height)
    guard !overflow, let labelBytes = reader.bytes(count),
      let pixelBytes = reader.bytes(pixelCount),
      reader.isAtEnd
    else { return nil }
    let labels = labelBytes.map(Int.init)
    guard
      let images = try? LabeledImages(
        classes: classes, width: width, height: height, pixels: Array(pixelBytes), labels: labels,
        names: names)
    else { return nil }
    return Entry(images: images, skipped: skipped, resizedCount: Int(resizedCount))
  }

  /// The whole file, or nil when it is missing or unreadable.
  private static func readWholeFile(_ path: String) -> [UInt8]? {
    try? PosixFile.read(path: path, limit: Int.max)
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
