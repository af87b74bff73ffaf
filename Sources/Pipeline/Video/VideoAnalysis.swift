/// The result of analysing one video: what was read, and the faces found per analysed frame,
/// with a track id that follows one face over time. Encodes as the JSON object that
/// `emocl predict VIDEO --format json` prints and the service stores:
///
///     {"video", "width", "height", "fps", "duration", "model",
///      "frames": [{"time", "faces": [{"track", "box", "dominant", "emotions"}]}],
///      "tracks": [{"id", "first", "last", "frames", "emotions"}]}
///
/// Times are seconds from the start of the video (after the container's start offset).
public struct VideoAnalysis: Sendable, Equatable, Codable {
  /// The file name as given (no directories added).
  public var video: String
  /// Frame width in pixels after the rotation metadata is applied.
  public var width: Int
  /// Frame height in pixels after the rotation metadata is applied.
  public var height: Int
  /// The stream's average frame rate (frames per second).
  public var fps: Double
  /// Duration in seconds.
  public var duration: Double
  /// The emotion model's name (its file name without extension).
  public var model: String
  /// One entry per analysed frame, in time order (frames with no face included, with `faces`
  /// empty, so that a client can tell "no face" from "not analysed").
  public var frames: [VideoFrameFaces]
  /// One entry per track, in id order.
  public var tracks: [VideoTrackSummary]

  /// A result; no check is made here.
  public init(
    video: String, width: Int, height: Int, fps: Double, duration: Double, model: String,
    frames: [VideoFrameFaces], tracks: [VideoTrackSummary]
  ) {
    self.video = video
    self.width = width
    self.height = height
    self.fps = fps
    self.duration = duration
    self.model = model
    self.frames = frames
    self.tracks = tracks
  }
}
