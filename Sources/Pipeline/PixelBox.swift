/// An axis-aligned rectangle in an image's pixel coordinates (after EXIF orientation): left edge
/// `x`, top edge `y`, `width` and `height` in pixels. Encodes as
/// `{"x": …, "y": …, "width": …, "height": …}`.
public struct PixelBox: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Left edge.
  public var x: Int
  /// Top edge.
  public var y: Int
  /// Width in pixels.
  public var width: Int
  /// Height in pixels.
  public var height: Int

  /// A box; no check is made here (see `EmotionPipeline` for validation of supplied boxes).
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  /// Area in pixels (0 for an empty or negative box).
  public var area: Int { max(width, 0) * max(height, 0) }

  /// True when the box has a positive size and lies entirely inside a `width` × `height` image.
  public func isInside(width imageWidth: Int, height imageHeight: Int) -> Bool {
    // Compared as x <= imageWidth - width so that huge values cannot overflow.
    width > 0 && height > 0 && x >= 0 && y >= 0 && width <= imageWidth && height <= imageHeight
      && x <= imageWidth - width && y <= imageHeight - height
  }

  /// Intersection over union with `other`, in [0, 1] (0 when both are empty).
  public func intersectionOverUnion(_ other: PixelBox) -> Double {
    let left = max(x, other.x)
    let top = max(y, other.y)
    let right = min(x + width, other.x + other.width)
    let bottom = min(y + height, other.y + other.height)
    let intersection = max(right - left, 0) * max(bottom - top, 0)
    let union = area + other.area - intersection
    return union > 0 ? Double(intersection) / Double(union) : 0
  }

  enum CodingKeys: String, CodingKey {
    case x, y, width, height
  }

  public var description: String { "[\(x), \(y), \(width), \(height)]" }
}
