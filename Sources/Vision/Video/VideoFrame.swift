/// One decoded video frame: its presentation time and its pixels (rotation applied).
public struct VideoFrame: Sendable, Equatable {
  /// Seconds from the start of the video (after the stream's start offset).
  public var time: Double
  /// The frame, grey or RGB as the reader was asked.
  public var image: Image

  /// A frame.
  public init(time: Double, image: Image) {
    self.time = time
    self.image = image
  }
}
