/// The faces in one analysed video frame. Encodes as `{"time": s, "faces": […]}`.
public struct VideoFrameFaces: Sendable, Equatable, Codable {
  /// Presentation time of the frame, in seconds from the start of the video.
  public var time: Double
  /// The faces in the frame, each with its track id.
  public var faces: [TrackedFace]

  /// A frame's faces.
  public init(time: Double, faces: [TrackedFace]) {
    self.time = time
    self.faces = faces
  }
}
