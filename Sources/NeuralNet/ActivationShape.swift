/// The per-image shape of an activation: `channels` planes of `height × width` (features are
/// planes of 1×1). In a batch of `n` the activation is stored `[channels, n, height, width]`.
public struct ActivationShape: Sendable, Hashable, Codable, CustomStringConvertible {
  public var channels: Int
  public var height: Int
  public var width: Int

  public init(channels: Int, height: Int, width: Int) {
    self.channels = channels
    self.height = height
    self.width = width
  }

  /// Elements per image.
  public var size: Int { channels * height * width }
  /// Elements per plane.
  public var planeSize: Int { height * width }
  public var description: String { "\(channels)×\(height)×\(width)" }
}
