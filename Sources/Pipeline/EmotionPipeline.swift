import Foundation
import Vision

/// From any photo to emotions per face: decode (EXIF orientation applied) → grey → find faces
/// → crop each face with a margin (`FaceCrop`) → resize to the classifier's input → classify all
/// faces in one batched call → `ImageAnalysis`, largest face first.
///
/// Faces come from, in order of precedence: caller-supplied `AnalysisOptions.boxes`; the whole
/// image when `detect` is false or the image is a face crop (see `AnalysisOptions`); the face
/// locator otherwise.
public struct EmotionPipeline: Sendable {
  /// The model.
  public var classifier: any EmotionClassifier
  /// The face detector; nil makes detection unavailable (whole-image and supplied boxes work).
  public var faceLocator: (any FaceLocating)?
  /// Detectors `AnalysisOptions.detector` can choose by name.
  public var faceLocators: [FaceDetectorKind: any FaceLocating]

  /// A pipeline over `classifier`, detecting faces with `faceLocator`, or with one of
  /// `faceLocators` when the options name it.
  public init(
    classifier: any EmotionClassifier, faceLocator: (any FaceLocating)?,
    faceLocators: [FaceDetectorKind: any FaceLocating] = [:]
  ) {
    self.classifier = classifier
    self.faceLocator = faceLocator
    self.faceLocators = faceLocators
  }

  /// The locator `options` asks for: the named one, else the default.
  func locator(for options: AnalysisOptions) -> (any FaceLocating)? {
    guard let kind = options.detector else { return faceLocator }
    return faceLocators[kind]
  }

  /// Reads, decodes and analyses the image file at `path`.
  public func analyze(contentsOfFile path: String, options: AnalysisOptions = .init())
    throws(AnalysisError) -> ImageAnalysis
  {
    try options.validate()
    let bytes: [UInt8]
    do {
      bytes = try ImageFile.read(path)
    } catch {
      throw AnalysisError(error)
    }
    return try analyze(encoded: bytes, options: options)
  }

  /// Decodes (JPEG, PNG or WebP; EXIF orientation applied; grey, or RGB when the face locator
  /// prefers colour and will run) and analyses `bytes`.
  public func analyze(encoded bytes: [UInt8], options: AnalysisOptions = .init())
    throws(AnalysisError) -> ImageAnalysis
  {
    try options.validate()
    let image: Image
    let colour =
      options.detect && options.boxes == nil && locator(for: options)?.prefersColour == true
    do {
      image = try Image(
        decoding: bytes,
        options: DecodeOptions(
          colour: colour ? .rgb : .grey, maxPixels: options.maxPixels,
          appliesOrientation: true))
    } catch {
      throw AnalysisError(error)
    }
    return try analyze(image, options: options)
  }

  /// Analyses a decoded image (converted to grey for the classifier when it is RGB; a locator
  /// that prefers colour gets the RGB image).
  public func analyze(_ image: Image, options: AnalysisOptions = .init())
    throws(AnalysisError) -> ImageAnalysis
  {
    try options.validate()
    guard image.width > 0, image.height > 0 else {
      throw .undecodable(.invalidSize(width: image.width, height: image.height))
    }
    guard image.width <= options.maxPixels / image.height else {
      throw .imageTooLarge(width: image.width, height: image.height, limit: options.maxPixels)
    }
    let grey = image.channels == 1 ? image : image.grey()
    let (boxes, mode, details) = try locatedFaces(in: grey, colour: image, options: options)
    var faces = try classify(
      boxes, in: grey, margin: mode == .wholeImage ? 0 : options.margin,
      maxCropPixels: options.maxCropPixels, alignedBy: options.align ? details : nil)
    if let details {
      for i in faces.indices { faces[i].detection = details[i] }
    }
    return ImageAnalysis(width: image.width, height: image.height, faces: faces, mode: mode)
  }

  /// The boxes to classify, largest first, and where they came from. `colour` (same size as
  /// `grey`) goes to a locator that prefers colour.
  func faceBoxes(in grey: Image, colour: Image? = nil, options: AnalysisOptions)
    throws(AnalysisError)
    -> ([PixelBox], AnalysisMode)
  {
    let (boxes, mode, _) = try locatedFaces(in: grey, colour: colour, options: options)
    return (boxes, mode)
  }

  /// ``faceBoxes(in:colour:options:)`` with, when the locator gives them, each box's detector
  /// details in the same order.
  func locatedFaces(in grey: Image, colour: Image? = nil, options: AnalysisOptions)
    throws(AnalysisError)
    -> ([PixelBox], AnalysisMode, [FaceDetails]?)
  {
    let whole = [PixelBox(x: 0, y: 0, width: grey.width, height: grey.height)]
    if let supplied = options.boxes {
      guard supplied.count <= options.maxFaces else {
        throw .tooManyBoxes(count: supplied.count, limit: options.maxFaces)
      }
      for (index, box) in supplied.enumerated()
      where !box.isInside(width: grey.width, height: grey.height) {
        throw .invalidBox(index: index, box: box, imageWidth: grey.width, imageHeight: grey.height)
      }
      return (Self.largestFirst(supplied), .supplied, nil)
    }
    if !options.detect || options.isSmallFaceCrop(width: grey.width, height: grey.height) {
      return (whole, .wholeImage, nil)
    }
    guard let faceLocator = locator(for: options) else {
      if let kind = options.detector, faceLocator != nil {
        throw .invalidOptions(
          "detector '\(kind.rawValue)' is not available; available: "
            + faceLocators.keys.map(\.rawValue).sorted().joined(separator: ", "))
      }
      throw .noFaceDetector
    }
    var found: [(box: PixelBox, details: FaceDetails?)]
    let input = faceLocator.prefersColour ? (colour ?? grey) : grey
    do {
      if let detailed = try faceLocator.detailedFaces(in: input) {
        found = detailed.map { ($0.box, $0.details) }
      } else {
        found = try faceLocator.faceBoxes(in: input).map { ($0, nil) }
      }
    } catch {
      throw .detectionFailed("\(error)")
    }
    // A locator's box that strays outside the image is clipped rather than trusted.
    found = found.compactMap { face in
      Self.clip(face.box, width: grey.width, height: grey.height).map { ($0, face.details) }
    }
    if found.isEmpty, options.isTightFaceCrop(width: grey.width, height: grey.height) {
      return (whole, .wholeImage, nil)
    }
    // Largest first, ties as in largestFirst (top, then left).
    let ordered = found.sorted { a, b in
      if a.box.area != b.box.area { return a.box.area > b.box.area }
      if a.box.y != b.box.y { return a.box.y < b.box.y }
      return a.box.x < b.box.x
    }.prefix(options.maxFaces)
    let details = ordered.compactMap(\.details)
    return (
      ordered.map(\.box), .detected,
      details.count == ordered.count && !details.isEmpty ? details : nil
    )
  }

  /// Crops, resizes and classifies `boxes` in one batched call. The crops together may cover
  /// at most `maxCropPixels` pixels (checked before any is made). With `alignedBy` (one per
  /// box), a face whose eyes are rolled beyond `FaceAligner.levelBeyondDegrees` is cut out of
  /// the same square turned level instead (`FaceAligner`).
  func classify(
    _ boxes: [PixelBox], in grey: Image, margin: Double, maxCropPixels: Int = Int.max,
    alignedBy details: [FaceDetails]? = nil
  ) throws(AnalysisError) -> [FaceEmotions] {
    guard !boxes.isEmpty else { return [] }
    let size = classifier.inputSize
    guard size.width > 0, size.height > 0 else {
      throw .classifierFailed("classifier '\(classifier.name)' has input size \(size)")
    }
    var regions: [PixelBox] = []
    var cropPixels = 0
    for box in boxes {
      guard
        let region = FaceCrop.region(
          around: box, margin: margin, imageWidth: grey.width, imageHeight: grey.height)
      else {
        throw .undecodable(
          ImageError.outOfBounds(
            x: box.x, y: box.y, width: box.width, height: box.height, imageWidth: grey.width,
            imageHeight: grey.height))
      }
      // Regions lie inside the image, so each area and the running sum stay far from overflow.
      cropPixels += region.width * region.height
      regions.append(region)
    }
    guard cropPixels <= maxCropPixels else {
      throw .workTooLarge(cropPixels: cropPixels, limit: maxCropPixels)
    }
    var crops: [Image] = []
    crops.reserveCapacity(boxes.count)
    do throws(ImageError) {
      for (index, region) in regions.enumerated() {
        if let details, index < details.count,
          let levelled = Self.levelled(
            boxes[index], details[index], in: grey, margin: margin, size: size)
        {
          crops.append(levelled)
          continue
        }
        let crop = try grey.cropped(
          x: region.x, y: region.y, width: region.width, height: region.height)
        crops.append(try crop.resized(width: size.width, height: size.height))
      }
    } catch {
      throw .undecodable(error)
    }
    let rows: [[Float]]
    do {
      rows = try classifier.probabilities(forFaces: crops)
    } catch {
      throw .classifierFailed("\(error)")
    }
    guard rows.count == boxes.count else {
      throw .invalidClassifierOutput("\(rows.count) rows for \(boxes.count) faces")
    }
    var faces: [FaceEmotions] = []
    for (box, row) in zip(boxes, rows) {
      guard let emotions = EmotionProbabilities(validating: row) else {
        throw .invalidClassifierOutput(
          "expected 7 probabilities >= 0 summing to 1, got \(row.prefix(8))")
      }
      faces.append(FaceEmotions(box: box, emotions: emotions))
    }
    return faces
  }

  /// The face of `box` levelled (`FaceAligner`) at the classifier's `size`, when its landmarks
  /// say it is rolled beyond ``FaceAligner/levelBeyondDegrees``; nil otherwise. The square is
  /// `FaceCrop`'s, before it is clamped to the photo (the photo's edge is repeated outside).
  package static func levelled(
    _ box: PixelBox, _ details: FaceDetails, in grey: Image, margin: Double,
    size: (width: Int, height: Int)
  ) -> Image? {
    guard details.landmarks.count == 5,
      let roll = FaceAligner.roll(leftEye: details.landmarks[0], rightEye: details.landmarks[1]),
      FaceAligner.levels(roll: roll)
    else { return nil }
    // FaceAligner takes pixel-index coordinates (pixel (0, 0) centred on (0, 0)).
    let square = FaceCrop.square(around: box, margin: margin)
    return FaceAligner.levelled(
      grey, centreX: square.centreX - 0.5, centreY: square.centreY - 0.5, side: square.side,
      roll: roll, width: size.width, height: size.height)
  }

  /// `box` intersected with a `width` × `height` image, or nil when nothing remains.
  static func clip(_ box: PixelBox, width: Int, height: Int) -> PixelBox? {
    let limit = 1 << 40  // keeps the sums below from overflowing
    guard box.width > 0, box.height > 0, abs(box.x) < limit, abs(box.y) < limit,
      box.width < limit, box.height < limit
    else { return nil }
    let x0 = max(box.x, 0)
    let y0 = max(box.y, 0)
    let x1 = min(box.x + box.width, width)
    let y1 = min(box.y + box.height, height)
    guard x1 > x0, y1 > y0 else { return nil }
    return PixelBox(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
  }

  /// Boxes by decreasing area; ties by top edge, then left edge (a stable, documented order).
  static func largestFirst(_ boxes: [PixelBox]) -> [PixelBox] {
    boxes.sorted { a, b in
      if a.area != b.area { return a.area > b.area }
      if a.y != b.y { return a.y < b.y }
      return a.x < b.x
    }
  }
}
