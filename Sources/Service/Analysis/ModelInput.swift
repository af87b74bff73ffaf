import Datasets

/// The input size a model classifies.
public struct ModelInput: Codable, Sendable, Equatable {
  public var width: Int
  public var height: Int
  /// 1 for grey, 3 for RGB.
  public var channels: Int

  public init(width: Int, height: Int, channels: Int) {
    self.width = width
    self.height = height
    self.channels = channels
  }
}
