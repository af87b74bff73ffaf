import Vision

/// What a CNN detector adds to a face beyond its box: its face probability, five landmarks
/// and a quality score. Encodes as `{"score": …, "landmarks": [{"x": …, "y": …}, …],
/// "quality": {…}}`.
public struct FaceDetails: Sendable, Hashable, Codable {
  /// The detector's face probability.
  public var score: Double
  /// Left eye, right eye, nose, left and right mouth corners (see ``DetectedFace``).
  public var landmarks: [ImagePoint]
  /// Size, sharpness, pose and the `reliable` verdict.
  public var quality: FaceQuality

  /// Details as recorded (e.g. read back from storage).
  public init(score: Double, landmarks: [ImagePoint], quality: FaceQuality) {
    self.score = score
    self.landmarks = landmarks
    self.quality = quality
  }

  /// Details of `face`, scored in `image` against `limits`.
  public init(face: DetectedFace, in image: Image, limits: FaceQuality.Limits = .init()) {
    score = face.score
    landmarks = face.landmarks
    quality = FaceQuality(face: face, in: image, limits: limits)
  }
}
