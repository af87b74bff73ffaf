/// What a finished video held: its size, rate and length, the model, and how many frames,
/// faces and tracks were analysed.
public struct VideoSummary: Sendable, Equatable {
  public var model: String
  public var width: Int
  public var height: Int
  public var fps: Double
  /// Seconds.
  public var duration: Double
  /// Analysed frames.
  public var frames: Int
  /// Faces over all analysed frames.
  public var faces: Int
  public var tracks: Int

  public init(
    model: String, width: Int, height: Int, fps: Double, duration: Double, frames: Int,
    faces: Int, tracks: Int
  ) {
    self.model = model
    self.width = width
    self.height = height
    self.fps = fps
    self.duration = duration
    self.frames = frames
    self.faces = faces
    self.tracks = tracks
  }
}
