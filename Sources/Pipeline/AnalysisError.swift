import Vision

/// Why `EmotionPipeline` could not analyse an image. `code` is a stable snake_case name for
/// JSON error objects (`{"type": code, "message": description}`).
public enum AnalysisError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file could not be read.
  case unreadable(path: String, reason: String)
  /// The bytes are not an image this build decodes, or are damaged.
  case undecodable(ImageError)
  /// The image has more pixels than `AnalysisOptions.maxPixels`.
  case imageTooLarge(width: Int, height: Int, limit: Int)
  /// A caller-supplied box is not a positive-size rectangle inside the image.
  case invalidBox(index: Int, box: PixelBox, imageWidth: Int, imageHeight: Int)
  /// More caller-supplied boxes than `AnalysisOptions.maxFaces`.
  case tooManyBoxes(count: Int, limit: Int)
  /// The faces' crops together cover more pixels than `AnalysisOptions.maxCropPixels`.
  case workTooLarge(cropPixels: Int, limit: Int)
  /// Options out of range.
  case invalidOptions(String)
  /// Detection was requested but the pipeline has no face locator.
  case noFaceDetector
  /// The face locator failed.
  case detectionFailed(String)
  /// The classifier threw.
  case classifierFailed(String)
  /// The classifier returned rows that are not 7 probabilities per face.
  case invalidClassifierOutput(String)

  /// A stable machine-readable name of the case.
  public var code: String {
    switch self {
    case .unreadable: return "unreadable_file"
    case .undecodable: return "undecodable_image"
    case .imageTooLarge: return "image_too_large"
    case .invalidBox: return "invalid_box"
    case .tooManyBoxes: return "too_many_boxes"
    case .workTooLarge: return "work_too_large"
    case .invalidOptions: return "invalid_options"
    case .noFaceDetector: return "no_face_detector"
    case .detectionFailed: return "detection_failed"
    case .classifierFailed: return "classifier_failed"
    case .invalidClassifierOutput: return "invalid_classifier_output"
    }
  }

  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .undecodable(let error):
      return "\(error)"
    case .imageTooLarge(let width, let height, let limit):
      return "image is too large: \(width)x\(height) pixels exceeds the limit of \(limit) pixels"
    case .invalidBox(let index, let box, let imageWidth, let imageHeight):
      return "box \(index) \(box) (x, y, width, height) is not a positive-size rectangle inside "
        + "the \(imageWidth)x\(imageHeight) image"
    case .tooManyBoxes(let count, let limit):
      return "\(count) boxes given, more than the maximum of \(limit) faces"
    case .workTooLarge(let cropPixels, let limit):
      return "the face boxes cover \(cropPixels) pixels in all, more than the limit of \(limit) "
        + "pixels per image; send fewer or smaller boxes"
    case .invalidOptions(let reason):
      return "invalid options: \(reason)"
    case .noFaceDetector:
      return "face detection was requested but no face detector is available"
    case .detectionFailed(let reason):
      return "face detection failed: \(reason)"
    case .classifierFailed(let reason):
      return "the classifier failed: \(reason)"
    case .invalidClassifierOutput(let reason):
      return "the classifier returned invalid probabilities: \(reason)"
    }
  }

  /// Maps a Vision decoding or file error to the pipeline's cases.
  init(_ error: ImageError) {
    switch error {
    case .file(let path, let reason): self = .unreadable(path: path, reason: reason)
    case .tooLarge(let width, let height, let limit):
      self = .imageTooLarge(width: width, height: height, limit: limit)
    default: self = .undecodable(error)
    }
  }
}
