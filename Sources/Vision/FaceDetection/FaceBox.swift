/// A detected face: an axis-aligned box in the pixel coordinates of the image passed to
/// `FaceDetector.detect`, and the number of raw detection windows merged into it (OpenCV's
/// "numDetections"; higher means more confident).
public struct FaceBox: Sendable, Equatable, Hashable, Codable {
  /// Left edge.
  public var x: Int
  /// Top edge.
  public var y: Int
  /// Width in pixels.
  public var width: Int
  /// Height in pixels.
  public var height: Int
  /// Raw windows merged into this box (1 for an ungrouped window).
  public var neighbors: Int

  /// A box; `neighbors` defaults to 1 (a single window).
  public init(x: Int, y: Int, width: Int, height: Int, neighbors: Int = 1) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
    self.neighbors = neighbors
  }

  /// Area in pixels (0 for an empty box).
  public var area: Int { max(width, 0) * max(height, 0) }

  /// Intersection over union with `other`, in [0, 1].
  public func intersectionOverUnion(_ other: FaceBox) -> Double {
    let left = max(x, other.x)
    let top = max(y, other.y)
    let right = min(x + width, other.x + other.width)
    let bottom = min(y + height, other.y + other.height)
    let intersection = max(right - left, 0) * max(bottom - top, 0)
    let union = area + other.area - intersection
    return union > 0 ? Double(intersection) / Double(union) : 0
  }
}
