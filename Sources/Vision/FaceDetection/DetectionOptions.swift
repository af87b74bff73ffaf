import Foundation

/// Parameters of `FaceDetector.detect`.
///
/// The memberwise initialiser's defaults for `scaleFactor`, `minNeighbors`, `minSize` and
/// `maxSize`, with the extras off, give OpenCV's `CascadeClassifier.detectMultiScale` exactly
/// (same boxes, same neighbour counts). `DetectionOptions.default` is tuned for precision instead.
public struct DetectionOptions: Sendable, Equatable {
  /// Ratio between successive window sizes (> 1). Smaller finds more sizes, more slowly.
  public var scaleFactor: Double
  /// Grouped boxes need more than this many raw windows (OpenCV's `minNeighbors`); 0 returns
  /// the raw windows ungrouped.
  public var minNeighbors: Int
  /// Smallest box side in pixels of the input image.
  public var minSize: Int
  /// Largest box side in pixels of the input image; nil (or 0, as in OpenCV) for no limit.
  public var maxSize: Int?
  /// When set, detection runs on a copy shrunk so that its longer side is at most this many
  /// pixels (boxes are mapped back to the input's coordinates). Nil scans full resolution.
  public var maxWorkingSide: Int?
  /// Smallest box side as a fraction of the input's shorter side (0 for none); combined with
  /// `minSize` by taking the larger.
  public var minRelativeSize: Double
  /// When true, a box is kept only if OpenCV's eye cascade finds an eye in its upper part.
  public var requireEye: Bool
  /// When true, of two boxes sharing more than half of the smaller one's area, only the one with
  /// more neighbours is kept (OpenCV keeps both unless one lies wholly inside the other).
  public var suppressOverlaps: Bool
  /// Worker threads for the scan (levels of the pyramid are spread over them; capped at the
  /// number of active cores).
  public var threads: Int

  /// Options; the defaults reproduce OpenCV's `detectMultiScale(image, 1.1, 3, 0, (30, 30))`.
  public init(
    scaleFactor: Double = 1.1, minNeighbors: Int = 3, minSize: Int = 30, maxSize: Int? = nil,
    maxWorkingSide: Int? = nil, minRelativeSize: Double = 0, requireEye: Bool = false,
    suppressOverlaps: Bool = false, threads: Int? = nil
  ) {
    self.scaleFactor = scaleFactor
    self.minNeighbors = minNeighbors
    self.minSize = minSize
    self.maxSize = maxSize
    self.maxWorkingSide = maxWorkingSide
    self.minRelativeSize = minRelativeSize
    self.requireEye = requireEye
    self.suppressOverlaps = suppressOverlaps
    self.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
  }

  /// Checks ranges; `FaceDetector.detect` calls this.
  public func validate() throws {
    func bad(_ reason: String) -> FaceDetectionError { .invalidOptions(reason: reason) }
    guard scaleFactor.isFinite, scaleFactor > 1 else {
      throw bad("scaleFactor must be a finite number above 1, got \(scaleFactor)")
    }
    guard minNeighbors >= 0 else { throw bad("minNeighbors must be >= 0, got \(minNeighbors)") }
    guard minSize >= 0 else { throw bad("minSize must be >= 0, got \(minSize)") }
    if let maxSize, maxSize < 0 { throw bad("maxSize must be >= 0, got \(maxSize)") }
    if let maxWorkingSide, maxWorkingSide < 1 {
      throw bad("maxWorkingSide must be >= 1, got \(maxWorkingSide)")
    }
    guard minRelativeSize.isFinite, (0...1).contains(minRelativeSize) else {
      throw bad("minRelativeSize must be in [0, 1], got \(minRelativeSize)")
    }
    guard threads >= 1 else { throw bad("threads must be >= 1, got \(threads)") }
  }
}

extension DetectionOptions {
  /// Precision-oriented defaults (a false face skews an audience's statistics more than a missed
  /// one), chosen on the shared photos (see FaceDetectionQualityTests):
  /// - detection on a copy whose longer side is at most 480 px: with the minimum below, the
  ///   smallest face sought stays at 27–36 px there (above the cascade's 24-px window), and a
  ///   1920x1080 frame costs 16x fewer windows than at full size;
  /// - boxes at least 1/10 of the shorter side (and 30 px): tiny boxes are mostly texture, and
  ///   too small for the expression model anyway;
  /// - scale factor 1.2 (half the pyramid levels of OpenCV's customary 1.1, same faces found
  ///   once the eye check is on) and `minNeighbors` 4;
  /// - an eye check on each box (the detector needs an eye cascade, as `FaceDetector.standard()`
  ///   has): it removed every false face on the shared photos (collars, ties, a sequined dress),
  ///   at the cost of faces behind dark glasses;
  /// - overlapping boxes reduced to the best supported one.
  public static var `default`: DetectionOptions {
    DetectionOptions(
      scaleFactor: 1.2, minNeighbors: 4, minSize: 30, maxSize: nil, maxWorkingSide: 480,
      minRelativeSize: 0.1, requireEye: true, suppressOverlaps: true)
  }
}
