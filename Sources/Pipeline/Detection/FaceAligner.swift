import Foundation
import Vision

/// Levels tilted faces: a face whose eyes (landmarks of the CNN detector) are rolled further
/// than FER2013's faces commonly are is cut out of the photo turned back, so that its eyes are
/// level, from the same square the pipeline crops around its box (`FaceCrop`).
///
/// Why the box's square and not the eyes for position and size: the classifier learnt FER2013's
/// framing, which the box reproduces (faces pasted upright into scenes score as their crops
/// do); placing the eyes where FER2013's median eyes sit framed faces worse (1,000 val faces in
/// scenes, `emocl-bench pipeline-scenes`: 65.6% against 68.1% upright), as the distance between
/// the eyes shrinks when a head turns. Why only beyond a roll: FER2013's own faces are tilted
/// (train faces: |roll| 4.1° median, 14.1° at the 90th percentile, 19.2° at the 95th;
/// `Scripts/measure/fer-eye-positions.py`), the classifier learnt them so, and levelling faces
/// within that range changed nothing measurable or cost a little.
public enum FaceAligner {
  /// Faces rolled by more than this (degrees) are levelled: the 95th percentile of FER2013 train
  /// faces' |roll|, rounded (19.2°).
  public static let levelBeyondDegrees = 19.0

  /// A face's roll from its eye landmarks, in radians: the angle of the line from the left to
  /// the right eye (image y points down, so a positive roll turns the face clockwise on
  /// screen); nil when the eyes are not two distinct finite points.
  public static func roll(leftEye: ImagePoint, rightEye: ImagePoint) -> Double? {
    let (dx, dy) = (Double(rightEye.x - leftEye.x), Double(rightEye.y - leftEye.y))
    guard dx.isFinite, dy.isFinite, dx * dx + dy * dy > 1e-6 else { return nil }
    return atan2(dy, dx)
  }

  /// Whether a face with `roll` (radians) is levelled: |roll| > ``levelBeyondDegrees``.
  public static func levels(roll: Double) -> Bool {
    abs(roll) * 180 / .pi > levelBeyondDegrees
  }

  /// The `width × height` grey face cut from the square of side `side` centred on
  /// (`centreX`, `centreY`) (pixel-index coordinates: pixel (0, 0) is centred on (0, 0)), turned
  /// by `roll` radians about its centre, so that a face rolled by `roll` comes out upright. Each
  /// output pixel averages `n × n` bilinear samples, `n` the shrink factor rounded up (at most
  /// 8), so that large faces are not aliased; outside the photo the nearest edge pixel is
  /// repeated. Nil for a colour image, an empty size or side, or non-finite values.
  public static func levelled(
    _ grey: Image, centreX: Double, centreY: Double, side: Double, roll: Double, width: Int,
    height: Int
  ) -> Image? {
    guard grey.channels == 1, grey.width > 0, grey.height > 0, width > 0, height > 0,
      centreX.isFinite, centreY.isFinite, side.isFinite, side > 0, roll.isFinite
    else { return nil }
    // Output offsets from its centre, in output pixels, scaled to photo pixels and turned.
    let (sx, sy) = (side / Double(width), side / Double(height))
    let (c, s) = (cos(roll), sin(roll))
    let n = max(1, min(8, Int(max(sx, sy).rounded(.up))))
    var pixels = [UInt8](repeating: 0, count: width * height)
    grey.pixels.withUnsafeBufferPointer { data in
      func sample(_ x: Double, _ y: Double) -> Double {
        let cx = min(max(x, 0), Double(grey.width - 1))
        let cy = min(max(y, 0), Double(grey.height - 1))
        let (x0, y0) = (Int(cx), Int(cy))
        let (x1, y1) = (min(x0 + 1, grey.width - 1), min(y0 + 1, grey.height - 1))
        let (fx, fy) = (cx - Double(x0), cy - Double(y0))
        let top =
          Double(data[y0 * grey.width + x0]) * (1 - fx) + Double(data[y0 * grey.width + x1]) * fx
        let bottom =
          Double(data[y1 * grey.width + x0]) * (1 - fx) + Double(data[y1 * grey.width + x1]) * fx
        return top * (1 - fy) + bottom * fy
      }
      let (halfW, halfH) = (Double(width) / 2, Double(height) / 2)
      for oy in 0..<height {
        for ox in 0..<width {
          var total = 0.0
          for j in 0..<n {
            for i in 0..<n {
              let dx = (Double(ox) + (Double(i) + 0.5) / Double(n) - halfW) * sx
              let dy = (Double(oy) + (Double(j) + 0.5) / Double(n) - halfH) * sy
              total += sample(centreX + c * dx - s * dy, centreY + s * dx + c * dy)
            }
          }
          pixels[oy * width + ox] = UInt8(max(0, min(255, (total / Double(n * n)).rounded())))
        }
      }
    }
    return Image(width: width, height: height, channels: 1, pixels: pixels)
  }
}
