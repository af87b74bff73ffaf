import Vision

/// Finds faces in an image for `EmotionPipeline` (the Haar-cascade `FaceDetector` and the
/// CNN `MTCNNDetector` conform; tests may supply fixed boxes).
public protocol FaceLocating: Sendable {
  /// Face boxes in `image`'s pixel coordinates, in any order; each must lie inside the image.
  /// - Parameter image: a grey (1-channel) image, or an RGB one when ``prefersColour``.
  func faceBoxes(in image: Image) throws -> [PixelBox]
  /// Whether the locator wants the image in colour when it has colour (grey otherwise).
  var prefersColour: Bool { get }
  /// Faces with detector details (score, landmarks, quality), when the locator has them;
  /// nil (the default) when it only gives boxes.
  func detailedFaces(in image: Image) throws -> [(box: PixelBox, details: FaceDetails)]?
}

extension FaceLocating {
  /// Grey by default: the Haar cascades work on grey images.
  public var prefersColour: Bool { false }

  /// No details by default.
  public func detailedFaces(in image: Image) throws -> [(box: PixelBox, details: FaceDetails)]? {
    nil
  }
}
