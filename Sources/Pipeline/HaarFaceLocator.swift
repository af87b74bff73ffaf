import Vision

/// The Haar-cascade `FaceDetector` as the pipeline's face locator.
public struct HaarFaceLocator: FaceLocating {
  /// The detector.
  public var detector: FaceDetector
  /// Its options; by default `DetectionOptions.default` (precision-oriented, with an eye check).
  public var options: DetectionOptions

  /// A locator running `detector` with `options`.
  public init(detector: FaceDetector, options: DetectionOptions = .default) {
    self.detector = detector
    self.options = options
  }

  /// OpenCV's frontal-face and eye cascades from Debian's opencv-data, default options.
  /// - Throws: `HaarCascadeError` when a cascade file is missing or invalid.
  public static func standard() throws -> HaarFaceLocator {
    HaarFaceLocator(detector: try FaceDetector.standard())
  }

  /// The boxes of the faces the Haar cascade finds in `image`, with `options`.
  public func faceBoxes(in image: Image) throws -> [PixelBox] {
    try detector.detect(in: image, options: options).map {
      PixelBox(x: $0.x, y: $0.y, width: $0.width, height: $0.height)
    }
  }
}
