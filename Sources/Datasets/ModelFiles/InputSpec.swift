import Foundation

/// The input a model expects and how pixels are normalised:
/// `x = (pixel * scale - mean[c]) / std[c]` for channel `c`.
public struct InputSpec: Sendable, Equatable, Codable {
  /// Width in pixels.
  public var width: Int
  /// Height in pixels.
  public var height: Int
  /// 1 for grey, 3 for RGB.
  public var channels: Int
  /// Applied to 0…255 pixel values first (1/255 maps to 0…1).
  public var scale: Double
  /// Per-channel mean subtracted after scaling (`channels` values).
  public var mean: [Double]
  /// Per-channel standard deviation divided by last (`channels` values, non-zero).
  public var std: [Double]

  /// An input of `width × height` pixels with `channels` channels, scaled by `scale`; `mean`
  /// defaults to zeros and `std` to ones (no normalisation).
  public init(
    width: Int, height: Int, channels: Int, scale: Double = 1.0 / 255.0, mean: [Double]? = nil,
    std: [Double]? = nil
  ) {
    self.width = width
    self.height = height
    self.channels = channels
    self.scale = scale
    self.mean = mean ?? Array(repeating: 0, count: channels)
    self.std = std ?? Array(repeating: 1, count: channels)
  }

  /// FER2013 geometry: 48×48 grey, scaled to 0…1.
  public static let fer2013 = InputSpec(width: 48, height: 48, channels: 1)

  /// What is wrong with the spec, or nil.
  public var inconsistency: String? {
    if width <= 0 || height <= 0 { return "size \(width)x\(height) is not positive" }
    if channels != 1 && channels != 3 { return "channels must be 1 or 3, got \(channels)" }
    if mean.count != channels || std.count != channels {
      return "mean and std need \(channels) values each"
    }
    if !scale.isFinite || scale == 0 || std.contains(where: { $0 == 0 || !$0.isFinite }) {
      return "scale and std must be finite and non-zero"
    }
    return nil
  }
}
