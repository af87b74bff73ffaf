/// The pipeline's answer for one image: its size after EXIF orientation and the faces found,
/// largest first. Encodes as `{"width": W, "height": H, "faces": [FaceEmotions…]}`.
public struct ImageAnalysis: Sendable, Equatable, Codable {
  /// Width in pixels after EXIF orientation.
  public var width: Int
  /// Height in pixels after EXIF orientation.
  public var height: Int
  /// One entry per face, largest box first (ties: higher, then further left, first).
  public var faces: [FaceEmotions]
  /// How the faces were chosen; not part of the JSON (nil when decoded).
  public var mode: AnalysisMode?

  /// An analysis of a `width` × `height` image.
  public init(width: Int, height: Int, faces: [FaceEmotions], mode: AnalysisMode? = nil) {
    self.width = width
    self.height = height
    self.faces = faces
    self.mode = mode
  }

  enum CodingKeys: String, CodingKey {
    case width, height, faces
  }
}
