/// A point in an image's pixel coordinates (x to the right, y down; fractional).
public struct ImagePoint: Sendable, Hashable, Codable {
  /// Horizontal position in pixels.
  public var x: Double
  /// Vertical position in pixels.
  public var y: Double

  /// The point (`x`, `y`).
  public init(x: Double, y: Double) {
    self.x = x
    self.y = y
  }
}
