import Vision

/// Finds faces in a grey image for `EmotionPipeline` (the Haar-cascade `FaceDetector` conforms;
/// tests may supply fixed boxes).
public protocol FaceLocating: Sendable {
  /// Face boxes in `image`'s pixel coordinates, in any order; each must lie inside the image.
  /// - Parameter image: a grey (1-channel) image.
  func faceBoxes(in image: Image) throws -> [PixelBox]
}
