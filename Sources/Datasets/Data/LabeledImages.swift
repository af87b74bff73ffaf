/// A labelled set of same-sized 8-bit grey images, stored flat for fast batching.
///
/// `pixels` holds `count × height × width` bytes, image after image, each row-major (top row
/// first). `labels[i]` indexes `classes`; `names[i]` is the image's key `"class/file.jpg"` (file
/// names alone repeat across FER2013's class folders, so the class is always part of the key).
/// Value type: copies are cheap until mutated (copy-on-write arrays), so it crosses threads freely.
public struct LabeledImages: Sendable, Equatable {
  /// The seven emotion classes in their fixed order (`Emotion.names`); a label is an index into
  /// this list, and an image-folder dataset's class folders must be among them.
  public static let emotionClasses = Emotion.names

  /// Class names; `labels` index into this list.
  public let classes: [String]
  /// Width of every image in pixels.
  public let width: Int
  /// Height of every image in pixels.
  public let height: Int
  /// `count × height × width` grey levels, image after image, each row-major.
  public var pixels: [UInt8]
  /// The class index of each image (`0..<classes.count`).
  public var labels: [Int]
  /// The key of each image, `"class/file.jpg"`.
  public var names: [String]

  /// Number of images.
  public var count: Int { labels.count }

  /// Bytes per image (`width × height`).
  public var imageByteCount: Int { width * height }

  /// A set over the given arrays. Throws `DatasetError.inconsistent` when the sizes disagree
  /// (`pixels.count != labels.count × height × width`, `names.count != labels.count`) or a label
  /// is outside `classes`.
  public init(
    classes: [String] = LabeledImages.emotionClasses, width: Int, height: Int,
    pixels: [UInt8], labels: [Int], names: [String]
  ) throws {
    guard width > 0, height > 0 else {
      throw DatasetError.inconsistent("image size \(width)x\(height) is not positive")
    }
    guard names.count == labels.count else {
      throw DatasetError.inconsistent("\(names.count) names for \(labels.count) labels")
    }
    let (bytes, overflow) = labels.count.multipliedReportingOverflow(by: width * height)
    guard !overflow, pixels.count == bytes else {
      throw DatasetError.inconsistent(
        "\(pixels.count) pixel bytes for \(labels.count) images of \(width)x\(height)")
    }
    if let bad = labels.first(where: { $0 < 0 || $0 >= classes.count }) {
      throw DatasetError.inconsistent("label \(bad) outside the \(classes.count) classes")
    }
    self.init(
      unchecked: classes, width: width, height: height, pixels: pixels, labels: labels,
      names: names)
  }

  /// An empty set of `width × height` images over `classes`.
  public init(classes: [String] = LabeledImages.emotionClasses, width: Int, height: Int) {
    self.init(unchecked: classes, width: width, height: height, pixels: [], labels: [], names: [])
  }

  /// Trusted construction from parts already known to be consistent.
  init(
    unchecked classes: [String], width: Int, height: Int, pixels: [UInt8], labels: [Int],
    names: [String]
  ) {
    self.classes = classes
    self.width = width
    self.height = height
    self.pixels = pixels
    self.labels = labels
    self.names = names
  }

  /// Number of images in each class, in `classes` order.
  public func counts() -> [Int] {
    var result = [Int](repeating: 0, count: classes.count)
    for label in labels { result[label] += 1 }
    return result
  }

  /// The grey levels of image `index` (`height × width`, row-major).
  public func imagePixels(_ index: Int) -> ArraySlice<UInt8> {
    pixels[index * imageByteCount..<(index + 1) * imageByteCount]
  }

  /// Every pixel as a Float, `value × scale` (the default maps 0...255 to 0...1), in the same
  /// `count × height × width` layout: the input of a `[count, 1, height, width]` tensor.
  public func floatPixels(scale: Float = 1 / 255) -> [Float] {
    pixels.map { Float($0) * scale }
  }

  /// The pixels of the images at `indices`, in that order, as Floats `value × scale`, laid out
  /// `indices.count × height × width` (a mini-batch `[n, 1, height, width]`).
  public func floatPixels(indices: some Collection<Int>, scale: Float = 1 / 255) -> [Float] {
    let size = imageByteCount
    var result = [Float](repeating: 0, count: indices.count * size)
    result.withUnsafeMutableBufferPointer { out in
      pixels.withUnsafeBufferPointer { source in
        var offset = 0
        for index in indices {
          precondition(index >= 0 && index < count, "image index \(index) out of 0..<\(count)")
          let start = index * size
          for k in 0..<size { out[offset + k] = Float(source[start + k]) * scale }
          offset += size
        }
      }
    }
    return result
  }
}
