/// The region cut out around a face box for the classifier.
///
/// The box is first made square (side = its longer side, same centre), then grown by `margin`
/// times that side on every side (0.15 turns a 100 px face into a 130 px crop). The square is
/// then clamped to the image (intersected with it): near a border the crop is no longer square
/// and the classifier's resize stretches it slightly; it always contains the clamped box.
///
/// The pipeline's default margin is 0 (`AnalysisOptions.margin`), because OpenCV's frontal-face
/// box already frames a face as FER2013's crops do: on 430 FER validation faces pasted into a
/// canvas, the detected box's side was 0.975 of the crop's (median; Scripts/measure/
/// haar-fer-framing.py), i.e. a margin of about 0.01. On FER faces pasted into generated scenes
/// (`emocl-bench pipeline-scenes`, 600 faces), every added margin lowered agreement with
/// classifying the crops directly: a small CNN 81 % at 0, 80 % at 0.05, 76 % at 0.1, 67 % at
/// 0.2; a pixel logistic regression 50 %, 42 %, 40 %, 29 %.
public enum FaceCrop {
  /// The square around `box`, before it is rounded and clamped to the image: its centre (edge
  /// coordinates: pixel (0, 0) covers 0..<1) and its side, `box`'s longer side grown by
  /// `margin` on every side.
  public static func square(around box: PixelBox, margin: Double)
    -> (centreX: Double, centreY: Double, side: Double)
  {
    (
      Double(box.x) + Double(box.width) / 2, Double(box.y) + Double(box.height) / 2,
      Double(max(box.width, box.height)) * (1 + 2 * margin)
    )
  }

  /// The crop rectangle for `box` in a `width` × `height` image; nil when nothing of it lies
  /// inside the image or the box is empty.
  public static func region(
    around box: PixelBox, margin: Double, imageWidth: Int, imageHeight: Int
  ) -> PixelBox? {
    // Beyond 2^40 the arithmetic below could overflow; no image is that large.
    let limit = 1 << 40
    guard box.width > 0, box.height > 0, abs(box.x) < limit, abs(box.y) < limit,
      box.width < limit, box.height < limit
    else { return nil }
    let (centreX, centreY, size) = square(around: box, margin: margin)
    let left = Int((centreX - size / 2).rounded())
    let top = Int((centreY - size / 2).rounded())
    let span = Int(size.rounded())
    let x0 = max(left, 0)
    let y0 = max(top, 0)
    let x1 = min(left + span, imageWidth)
    let y1 = min(top + span, imageHeight)
    guard x1 > x0, y1 > y0 else { return nil }
    return PixelBox(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
  }
}
