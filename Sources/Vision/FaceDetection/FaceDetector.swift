import Foundation

/// Viola–Jones face detection with an OpenCV Haar cascade.
///
/// `detect(in:options:)` with OpenCV-style options reproduces `CascadeClassifier.detectMultiScale`
/// (see `DetectionOptions`); the extras (working-size shrink, relative minimum size, eye check)
/// trade recall for precision.
public struct FaceDetector: Sendable {
  /// The face cascade.
  public let cascade: HaarCascade
  /// The eye cascade used by `DetectionOptions.requireEye`; nil disables that check.
  public let eyeCascade: HaarCascade?

  /// A detector using `cascade`, and `eyeCascade` for the optional eye check.
  public init(cascade: HaarCascade, eyeCascade: HaarCascade? = nil) {
    self.cascade = cascade
    self.eyeCascade = eyeCascade
  }

  /// OpenCV's frontal face cascade with its eye cascade, from `HaarCascade.standardDirectory`
  /// (Debian's opencv-data by default): what `DetectionOptions.default` expects.
  /// - Throws: `HaarCascadeError` when a cascade file is missing or invalid.
  public static func standard(in directory: URL? = nil) throws -> FaceDetector {
    FaceDetector(
      cascade: try HaarCascade.frontalFaceDefault(in: directory),
      eyeCascade: try HaarCascade.eye(in: directory))
  }

  /// Faces in `image` with `DetectionOptions.default`.
  public func detect(in image: Image) throws -> [FaceBox] {
    try detect(in: image, options: .default)
  }

  /// Boxes of the faces in the grey `image`, in its pixel coordinates, in no particular order.
  /// - Throws: `FaceDetectionError.notGrey` for a colour image, `.invalidOptions` for options
  ///   out of range (or an eye check requested without an eye cascade).
  public func detect(in image: Image, options: DetectionOptions) throws -> [FaceBox] {
    guard image.channels == 1 else { throw FaceDetectionError.notGrey(channels: image.channels) }
    try options.validate()
    if options.requireEye && eyeCascade == nil {
      throw FaceDetectionError.invalidOptions(
        reason: "requireEye needs an eye cascade (use FaceDetector.standard(), or pass eyeCascade)")
    }
    guard image.width > 0, image.height > 0 else { return [] }

    // Minimum and maximum sizes in input pixels.
    let shorter = min(image.width, image.height)
    let relative = Int((options.minRelativeSize * Double(shorter)).rounded(.up))
    // Sizes beyond any image are clamped so that the conversions below cannot overflow.
    let limit = 1 << 30
    let minSide = min(max(options.minSize, relative), limit)

    // The working copy and the factors mapping it back.
    var working = image
    if let side = options.maxWorkingSide, max(image.width, image.height) > side {
      let shrink = Double(max(image.width, image.height)) / Double(side)
      let width = max(Int((Double(image.width) / shrink).rounded()), 1)
      let height = max(Int((Double(image.height) / shrink).rounded()), 1)
      working = WorkingCopy.shrink(image, width: width, height: height)
    }
    let fx = Double(image.width) / Double(working.width)
    let fy = Double(image.height) / Double(working.height)
    let workingMin =
      working.width == image.width ? minSide : Int((Double(minSide) / fx).rounded(.up))
    var workingMax = 0  // 0: no maximum, as in OpenCV
    if let maxSize = options.maxSize, maxSize > 0 {
      let clamped = min(maxSize, limit)
      workingMax = working.width == image.width ? clamped : max(Int(Double(clamped) / fx), 1)
    }

    var boxes = try detectExact(
      in: working, cascade: cascade, scaleFactor: options.scaleFactor,
      minNeighbors: options.minNeighbors, minSize: workingMin, maxSize: workingMax,
      threads: options.threads)
    if working.width != image.width || working.height != image.height {
      boxes = boxes.map { b in
        let x = Int((Double(b.x) * fx).rounded())
        let y = Int((Double(b.y) * fy).rounded())
        let right = min(Int((Double(b.x + b.width) * fx).rounded()), image.width)
        let bottom = min(Int((Double(b.y + b.height) * fy).rounded()), image.height)
        return FaceBox(x: x, y: y, width: right - x, height: bottom - y, neighbors: b.neighbors)
      }
    }
    if options.requireEye, let eyeCascade {
      boxes = try boxes.filter { try EyeCheck.hasEye(in: image, face: $0, cascade: eyeCascade) }
    }
    if options.suppressOverlaps { boxes = Self.suppressingOverlaps(boxes) }
    return boxes
  }

  /// Keeps, of boxes whose intersection exceeds half the smaller one, the best supported.
  static func suppressingOverlaps(_ boxes: [FaceBox]) -> [FaceBox] {
    let ranked = boxes.sorted {
      ($0.neighbors, $0.area, $1.y, $1.x) > ($1.neighbors, $1.area, $0.y, $0.x)
    }
    var kept: [FaceBox] = []
    for box in ranked {
      let overlapping = kept.contains { other in
        let w = min(box.x + box.width, other.x + other.width) - max(box.x, other.x)
        let h = min(box.y + box.height, other.y + other.height) - max(box.y, other.y)
        return w > 0 && h > 0 && 2 * w * h > min(box.area, other.area)
      }
      if !overlapping { kept.append(box) }
    }
    return kept
  }

  /// OpenCV's `detectMultiScale` with explicit parameters, on `image` as it is.
  func detectExact(
    in image: Image, cascade: HaarCascade, scaleFactor: Double, minNeighbors: Int, minSize: Int,
    maxSize: Int, threads: Int
  ) throws -> [FaceBox] {
    guard
      let levels = PyramidLevels.levels(
        width: image.width, height: image.height, windowWidth: cascade.windowWidth,
        windowHeight: cascade.windowHeight, scaleFactor: scaleFactor,
        minSize: (minSize, minSize), maxSize: (maxSize, maxSize))
    else {
      throw FaceDetectionError.invalidOptions(
        reason: "scaleFactor \(scaleFactor) gives more than \(PyramidLevels.maximumLevels) levels")
    }
    let candidates = CascadeScanner.candidates(
      cascade, image: image, levels: levels, threads: threads)
    let grouped = RectangleGrouping.group(candidates, groupThreshold: minNeighbors)
    // OpenCV's clipObjects: intersect with the image, drop what becomes empty.
    return grouped.compactMap { b in
      let x0 = max(b.x, 0)
      let y0 = max(b.y, 0)
      let x1 = min(b.x + b.width, image.width)
      let y1 = min(b.y + b.height, image.height)
      guard x1 > x0, y1 > y0 else { return nil }
      return FaceBox(x: x0, y: y0, width: x1 - x0, height: y1 - y0, neighbors: b.neighbors)
    }
  }
}
