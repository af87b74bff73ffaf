import Vision

/// How `EmotionPipeline` chooses the faces of an image.
///
/// Face-crop rule: an image is treated as a face crop and classified whole when it is nearly
/// square (longer side at most `faceCropMaxAspect` times the shorter) and either
/// - its longer side is at most `faceCropMaxSide` pixels (96: twice FER2013's 48; the detector
///   is not run, as its 30 px minimum window leaves it almost no room), or
/// - its longer side is at most `tightCropMaxSide` pixels (256) and the detector found no face
///   (a Haar cascade needs some context around a face and often misses tight crops).
/// Otherwise an image without detected faces yields no faces.
public struct AnalysisOptions: Sendable, Equatable {
  /// Run the face detector; when false the whole image is classified as one face.
  public var detect: Bool
  /// At most this many faces (the largest) are classified; 1…`maxFacesLimit`.
  public var maxFaces: Int
  /// Face boxes to classify instead of detecting; each must be a positive-size rectangle
  /// inside the image (after EXIF orientation), and there may be at most `maxFaces`.
  public var boxes: [PixelBox]?
  /// Context added around each face before cropping, as a fraction of the face's side on each
  /// side; 0 by default, since the detector's box already matches FER2013's framing (see
  /// `FaceCrop`).
  public var margin: Double
  /// Largest `width * height` decoded; larger images fail with `imageTooLarge`.
  public var maxPixels: Int
  /// Most pixels cropped and resized for one image, summed over its faces' crops (each clipped
  /// to the image); more fail with `workTooLarge` before any is cropped. It bounds the work one
  /// request can ask for with many large `boxes` (default 64 megapixels: every face of a
  /// 50-megapixel photo fits).
  public var maxCropPixels: Int
  /// Longest side of an image always classified whole when nearly square.
  public var faceCropMaxSide: Int
  /// Longest side of a nearly square image classified whole when no face is detected.
  public var tightCropMaxSide: Int
  /// Largest ratio of longer to shorter side that counts as nearly square.
  public var faceCropMaxAspect: Double
  /// The detector to run, one of the pipeline's `faceLocators`; nil runs its `faceLocator`.
  public var detector: FaceDetectorKind?
  /// Level each detected face with landmarks (CNN detector) whose eyes are rolled beyond
  /// `FaceAligner.levelBeyondDegrees`: its square is cut out turned so that the eyes are level
  /// (`FaceAligner`). On by default.
  public var align: Bool

  /// The largest accepted `maxFaces`.
  public static let maxFacesLimit = 1024

  /// Options; by default detect, 32 faces, no margin (see `FaceCrop`), the decoder's
  /// 50 megapixel limit.
  public init(
    detect: Bool = true, maxFaces: Int = 32, boxes: [PixelBox]? = nil, margin: Double = 0,
    maxPixels: Int = DecodeOptions.defaultMaxPixels, maxCropPixels: Int = 64_000_000,
    faceCropMaxSide: Int = 96,
    tightCropMaxSide: Int = 256, faceCropMaxAspect: Double = 1.25,
    detector: FaceDetectorKind? = nil, align: Bool = true
  ) {
    self.detector = detector
    self.align = align
    self.detect = detect
    self.maxFaces = maxFaces
    self.boxes = boxes
    self.margin = margin
    self.maxPixels = maxPixels
    self.maxCropPixels = maxCropPixels
    self.faceCropMaxSide = faceCropMaxSide
    self.tightCropMaxSide = tightCropMaxSide
    self.faceCropMaxAspect = faceCropMaxAspect
  }

  /// Checks ranges; `EmotionPipeline` calls this.
  public func validate() throws(AnalysisError) {
    guard (1...Self.maxFacesLimit).contains(maxFaces) else {
      throw .invalidOptions(
        "max faces must be between 1 and \(Self.maxFacesLimit), got \(maxFaces)")
    }
    guard margin.isFinite, (0...1).contains(margin) else {
      throw .invalidOptions("margin must be between 0 and 1, got \(margin)")
    }
    guard maxPixels >= 1 else {
      throw .invalidOptions("max pixels must be positive, got \(maxPixels)")
    }
    guard maxCropPixels >= 1 else {
      throw .invalidOptions("max crop pixels must be positive, got \(maxCropPixels)")
    }
    guard faceCropMaxSide >= 0, tightCropMaxSide >= 0 else {
      throw .invalidOptions("face-crop sides must not be negative")
    }
    guard faceCropMaxAspect.isFinite, faceCropMaxAspect >= 1 else {
      throw .invalidOptions("face-crop aspect must be at least 1, got \(faceCropMaxAspect)")
    }
  }

  /// Whether a `width` × `height` image is nearly square (see the type's description).
  public func isNearlySquare(width: Int, height: Int) -> Bool {
    let long = max(width, height)
    let short = min(width, height)
    return short > 0 && Double(long) <= faceCropMaxAspect * Double(short)
  }

  /// Whether the image is a face crop classified whole without detection.
  public func isSmallFaceCrop(width: Int, height: Int) -> Bool {
    isNearlySquare(width: width, height: height) && max(width, height) <= faceCropMaxSide
  }

  /// Whether the image is classified whole when the detector finds no face in it.
  public func isTightFaceCrop(width: Int, height: Int) -> Bool {
    isNearlySquare(width: width, height: height) && max(width, height) <= tightCropMaxSide
  }
}
