import Dispatch
import Foundation
import Vision

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
    let (size, firstGood) = try firstSize(of: listing, options: options, skipped: &skipped)
    let todo = Array(files[firstGood...])
    let imageBytes = size.width * size.height
    let (total, overflow) = todo.count.multipliedReportingOverflow(by: imageBytes)
    guard !overflow, total <= maximumDatasetBytes else {
      throw DatasetError.tooLarge(
        path: listing.root,
        detail: "\(todo.count) images of \(size) need more than \(maximumDatasetBytes >> 30) GiB;"
          + " choose a smaller image size")
    }

    let root = listing.root
    let decoded = decodeAll(todo, root: root, size: size, total: total)
    var pixels = decoded.pixels
    let failures = decoded.failures
    var resized = decoded.resized
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

  /// The data set's image size: `options.imageSize`, or that of the first file that decodes;
  /// with the index of the first file to decode into the set. Files before it that fail are
  /// added to `skipped` (or their error thrown, unless bad files are skipped).
  private static func firstSize(
    of listing: ImageFolderListing, options: DatasetOptions, skipped: inout [DatasetError]
  ) throws -> (ImageSize, Int) {
    let files = listing.files
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
    return (size, firstGood)
  }

  /// Decodes `todo` in parallel into one buffer of `total` pixels (image `i` at `i · width ·
  /// height`); a file that fails leaves its slot zero and its error in `failures`.
  private static func decodeAll(
    _ todo: [ListedFile], root: String, size: ImageSize, total: Int
  ) -> (pixels: [UInt8], failures: [DatasetError?], resized: [Bool]) {
    let imageBytes = size.width * size.height
    var pixels = [UInt8](repeating: 0, count: total)
    var failures = [DatasetError?](repeating: nil, count: todo.count)
    var resized = [Bool](repeating: false, count: todo.count)
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
    return (pixels, failures, resized)
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
