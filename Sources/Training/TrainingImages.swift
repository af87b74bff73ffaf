/// Grey images and labels as the CNN trainer consumes them: `count × height × width` bytes,
/// image after image, and one class index per image.
public struct TrainingImages: Sendable {
  public let width: Int
  public let height: Int
  /// Class names; labels index into this list.
  public let classes: [String]
  public let pixels: [UInt8]
  public let labels: [Int]

  /// Checks that sizes agree and every label indexes `classes`.
  public init(width: Int, height: Int, classes: [String], pixels: [UInt8], labels: [Int])
    throws(TrainingError)
  {
    guard width > 0, height > 0, !classes.isEmpty else {
      throw .invalidData("image size \(width)×\(height) and \(classes.count) classes")
    }
    guard pixels.count == labels.count * width * height else {
      throw .invalidData(
        "\(pixels.count) bytes for \(labels.count) images of \(width)×\(height)")
    }
    guard labels.allSatisfy({ $0 >= 0 && $0 < classes.count }) else {
      throw .invalidData("a label is outside 0..<\(classes.count)")
    }
    self.width = width
    self.height = height
    self.classes = classes
    self.pixels = pixels
    self.labels = labels
  }

  /// Number of images.
  public var count: Int { labels.count }

  /// Images per class, in `classes` order.
  public var classCounts: [Int] {
    var counts = [Int](repeating: 0, count: classes.count)
    for l in labels { counts[l] += 1 }
    return counts
  }
}
