/// Bounds on the work a `VideoReader` accepts: frames larger than these are refused before
/// any is decoded (and again for each frame, since a stream may change size).
public struct VideoLimits: Sendable, Equatable {
  /// The longest side in pixels.
  public var maxSide: Int
  /// The most pixels a frame may have.
  public var maxPixels: Int

  /// Limits; by default 8192 pixels a side and 40 megapixels (8K UHD is 33 MP).
  public init(maxSide: Int = 8192, maxPixels: Int = 40_000_000) {
    self.maxSide = maxSide
    self.maxPixels = maxPixels
  }
}
