/// An 8-bit image in memory: grey (1 channel) or RGB (3 channels), rows top to bottom,
/// channels interleaved (`pixels[(y * width + x) * channels + c]`).
public struct Image: Sendable, Equatable {
  /// Width in pixels (after EXIF orientation when decoded).
  public let width: Int
  /// Height in pixels (after EXIF orientation when decoded).
  public let height: Int
  /// 1 for grey, 3 for RGB.
  public let channels: Int
  /// `width * height * channels` bytes.
  public var pixels: [UInt8]

  /// An image over `pixels`, which must hold exactly `width * height * channels` bytes.
  public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
    precondition(channels == 1 || channels == 3, "channels must be 1 or 3, got \(channels)")
    precondition(width >= 0 && height >= 0, "negative size \(width)x\(height)")
    precondition(pixels.count == width * height * channels, "pixel count does not match size")
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }

  /// A black image of the given size.
  public init(width: Int, height: Int, channels: Int) {
    self.init(
      width: width, height: height, channels: channels,
      pixels: [UInt8](repeating: 0, count: width * height * channels))
  }
}
