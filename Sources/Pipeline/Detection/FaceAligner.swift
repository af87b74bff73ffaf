import Foundation
import Vision

/// Cuts a face out of a grey photo rotated and scaled so that its eyes are level and sit where
/// FER2013's eyes sit, at the classifier's input size: a similarity transform fixed by the two
/// eye landmarks.
public enum FaceAligner {
  /// FER2013's eye positions in its 48×48 faces: medians of facenet-pytorch's MTCNN landmarks
  /// on 588 train faces (Scripts/measure/fer-eye-positions.py; left eye x 14.46, right eye x
  /// 32.89, heights 19.05 and 18.60, here averaged to level eyes).
  public static let ferEyes = (
    left: ImagePoint(x: 14.46, y: 18.83), right: ImagePoint(x: 32.89, y: 18.83)
  )

  /// The `width × height` grey face whose eyes land on ``ferEyes`` (scaled from 48×48), or nil
  /// when the eyes are not two distinct finite points. Each output pixel averages `n × n`
  /// bilinear samples, `n` the shrink factor rounded up (at most 8), so that large faces are
  /// not aliased; outside the photo the nearest edge pixel is repeated.
  public static func aligned(
    _ grey: Image, leftEye: ImagePoint, rightEye: ImagePoint, width: Int, height: Int
  ) -> Image? {
    guard grey.channels == 1, grey.width > 0, grey.height > 0, width > 0, height > 0,
      leftEye.x.isFinite, leftEye.y.isFinite, rightEye.x.isFinite, rightEye.y.isFinite
    else { return nil }
    let (sx, sy) = (Double(width) / 48, Double(height) / 48)
    let t1 = (x: ferEyes.left.x * sx, y: ferEyes.left.y * sy)
    let t2 = (x: ferEyes.right.x * sx, y: ferEyes.right.y * sy)
    // Complex ratio k = (s2 − s1) / (t2 − t1): source = s1 + k·(target − t1).
    let (dx, dy) = (t2.x - t1.x, t2.y - t1.y)
    let (ex, ey) = (rightEye.x - leftEye.x, rightEye.y - leftEye.y)
    let norm = dx * dx + dy * dy
    guard norm > 0, ex * ex + ey * ey > 1e-6 else { return nil }
    let kr = (ex * dx + ey * dy) / norm
    let ki = (ey * dx - ex * dy) / norm
    let shrink = (kr * kr + ki * ki).squareRoot()
    let n = max(1, min(8, Int(shrink.rounded(.up))))
    var pixels = [UInt8](repeating: 0, count: width * height)
    grey.pixels.withUnsafeBufferPointer { source in
      func sample(_ x: Double, _ y: Double) -> Double {
        let cx = min(max(x, 0), Double(grey.width - 1))
        let cy = min(max(y, 0), Double(grey.height - 1))
        let (x0, y0) = (Int(cx), Int(cy))
        let (x1, y1) = (min(x0 + 1, grey.width - 1), min(y0 + 1, grey.height - 1))
        let (fx, fy) = (cx - Double(x0), cy - Double(y0))
        let top =
          Double(source[y0 * grey.width + x0]) * (1 - fx)
          + Double(source[y0 * grey.width + x1]) * fx
        let bottom =
          Double(source[y1 * grey.width + x0]) * (1 - fx)
          + Double(source[y1 * grey.width + x1]) * fx
        return top * (1 - fy) + bottom * fy
      }
      for oy in 0..<height {
        for ox in 0..<width {
          var total = 0.0
          for j in 0..<n {
            for i in 0..<n {
              // Sub-pixel centre in output coordinates, relative to the left eye target.
              let px = Double(ox) + (Double(i) + 0.5) / Double(n) - 0.5 - t1.x
              let py = Double(oy) + (Double(j) + 0.5) / Double(n) - 0.5 - t1.y
              total += sample(leftEye.x + kr * px - ki * py, leftEye.y + ki * px + kr * py)
            }
          }
          pixels[oy * width + ox] = UInt8(max(0, min(255, (total / Double(n * n)).rounded())))
        }
      }
    }
    return Image(width: width, height: height, channels: 1, pixels: pixels)
  }
}
