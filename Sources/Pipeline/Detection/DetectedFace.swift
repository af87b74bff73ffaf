/// One face found by a CNN detector: its box, the detector's face probability and five
/// landmarks, all in the image's pixel coordinates.
public struct DetectedFace: Sendable, Hashable, Codable {
  /// Left edge of the box (may lie outside the image, as the detector regresses it).
  public var left: Double
  /// Top edge of the box.
  public var top: Double
  /// Right edge of the box.
  public var right: Double
  /// Bottom edge of the box.
  public var bottom: Double
  /// The detector's probability that the box holds a face, in [0, 1].
  public var score: Double
  /// Left eye, right eye, nose tip, left and right mouth corners (as seen in the image: the
  /// "left" eye is the one on the image's left).
  public var landmarks: [ImagePoint]

  /// A detection.
  public init(
    left: Double, top: Double, right: Double, bottom: Double, score: Double,
    landmarks: [ImagePoint]
  ) {
    self.left = left
    self.top = top
    self.right = right
    self.bottom = bottom
    self.score = score
    self.landmarks = landmarks
  }

  /// The box rounded to whole pixels (not clipped to the image).
  public var pixelBox: PixelBox {
    let x = Int(left.rounded())
    let y = Int(top.rounded())
    return PixelBox(
      x: x, y: y, width: Int(right.rounded()) - x, height: Int(bottom.rounded()) - y)
  }
}
