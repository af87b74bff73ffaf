/// What a `VideoReader` learnt about the video stream when it opened the file.
public struct VideoInfo: Sendable, Equatable {
  /// Frame width in pixels after the rotation is applied.
  public var width: Int
  /// Frame height in pixels after the rotation is applied.
  public var height: Int
  /// The clockwise rotation the display matrix asked for, applied to every frame: 0, 90, 180
  /// or 270.
  public var rotation: Int
  /// Average frame rate (frames per second); 0 when the container does not say.
  public var fps: Double
  /// Duration in seconds; 0 when unknown.
  public var duration: Double
  /// FFmpeg's codec name, e.g. `h264`, `hevc`, `vp9`, `av1`.
  public var codec: String
  /// FFmpeg's container (demuxer) name, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `matroska,webm`.
  public var container: String

  /// A description; no check is made here.
  public init(
    width: Int, height: Int, rotation: Int, fps: Double, duration: Double, codec: String,
    container: String
  ) {
    self.width = width
    self.height = height
    self.rotation = rotation
    self.fps = fps
    self.duration = duration
    self.codec = codec
    self.container = container
  }
}
