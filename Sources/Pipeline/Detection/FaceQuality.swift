import Foundation
import Vision

/// How readable a detected face is: its size, its sharpness and its head pose estimated from
/// the five landmarks, with a `reliable` verdict against ``FaceQuality/Limits``.
///
/// The pose is a rough geometric estimate from 2-D landmarks (no 3-D model): `roll` is the
/// tilt of the eye line; after undoing it, `yaw` is the nose's sideways offset from the line
/// joining the eyes' and the mouth corners' midpoints, relative to half the eye distance, and
/// `pitch` the nose's height between eye line and mouth line relative to
/// ``frontalNoseHeight`` (measured on the shared photos' faces), each mapped to degrees by
/// `asin`. Good enough to set aside faces turned far away, not to measure angles.
public struct FaceQuality: Sendable, Hashable, Codable {
  /// Shorter side of the face box, in pixels.
  public var size: Double
  /// Variance of the Laplacian (4-neighbour, on 0…255 grey) of the face resampled to 64×64:
  /// low for blurred faces. Independent of the face's size in the photo.
  public var sharpness: Double
  /// Tilt of the eye line in degrees (positive: the right-hand eye lower in the image).
  public var roll: Double
  /// Head turn in degrees (positive: nose towards the image's right), rough.
  public var yaw: Double
  /// Head nod in degrees (positive: nose lower than usual, face looking down), rough.
  public var pitch: Double
  /// Whether the face passes the limits it was scored with.
  public var reliable: Bool

  /// Nose height between the eye line (0) and the mouth line (1) of a frontal face: the mean
  /// over the 16 faces MTCNN finds in the shared photos is 0.57.
  public static let frontalNoseHeight = 0.57

  /// When a face counts as reliable.
  public struct Limits: Sendable, Hashable, Codable {
    /// Smallest face side in pixels (FER2013's faces are 48 px; below 24 a face is upscaled
    /// more than twice).
    public var minSize: Double
    /// Smallest ``FaceQuality/sharpness``.
    public var minSharpness: Double
    /// Largest |yaw| in degrees.
    public var maxYaw: Double
    /// Largest |pitch| in degrees.
    public var maxPitch: Double

    /// Limits; the defaults are judgement calls, not yet calibrated against accuracy.
    public init(
      minSize: Double = 24, minSharpness: Double = 20, maxYaw: Double = 45, maxPitch: Double = 40
    ) {
      self.minSize = minSize
      self.minSharpness = minSharpness
      self.maxYaw = maxYaw
      self.maxPitch = maxPitch
    }
  }

  /// A score as recorded (e.g. read back from storage).
  public init(
    size: Double, sharpness: Double, roll: Double, yaw: Double, pitch: Double, reliable: Bool
  ) {
    self.size = size
    self.sharpness = sharpness
    self.roll = roll
    self.yaw = yaw
    self.pitch = pitch
    self.reliable = reliable
  }

  /// Scores `face` (found in `image`, grey or RGB) against `limits`.
  public init(face: DetectedFace, in image: Image, limits: Limits = Limits()) {
    size = min(face.right - face.left, face.bottom - face.top)
    sharpness = Self.sharpness(face: face, in: image)
    (roll, yaw, pitch) = Self.pose(face.landmarks)
    reliable =
      size >= limits.minSize && sharpness >= limits.minSharpness && abs(yaw) <= limits.maxYaw
      && abs(pitch) <= limits.maxPitch
  }

  /// Roll, yaw and pitch in degrees from [left eye, right eye, nose, left mouth, right mouth];
  /// zeros when there are not five finite points with distinct eyes and mouth below them.
  public static func pose(_ landmarks: [ImagePoint]) -> (roll: Double, yaw: Double, pitch: Double) {
    guard landmarks.count == 5, landmarks.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
      return (0, 0, 0)
    }
    let (le, re, nose) = (landmarks[0], landmarks[1], landmarks[2])
    let roll = atan2(re.y - le.y, re.x - le.x)
    let eyes = ImagePoint(x: (le.x + re.x) / 2, y: (le.y + re.y) / 2)
    let mouthPoint = ImagePoint(
      x: (landmarks[3].x + landmarks[4].x) / 2, y: (landmarks[3].y + landmarks[4].y) / 2)
    // Undo the roll around the eyes' midpoint.
    let (c, s) = (cos(-roll), sin(-roll))
    func level(_ p: ImagePoint) -> (x: Double, y: Double) {
      let (x, y) = (p.x - eyes.x, p.y - eyes.y)
      return (c * x - s * y, s * x + c * y)
    }
    let n = level(nose)
    let m = level(mouthPoint)
    let halfEyes = hypot(re.x - le.x, re.y - le.y) / 2
    guard halfEyes > 0, m.y > 0 else { return (roll * 180 / .pi, 0, 0) }
    let height = n.y / m.y
    let sideways = (n.x - m.x * height) / halfEyes
    func degrees(_ v: Double) -> Double { asin(max(-1, min(1, v))) * 180 / .pi }
    return (
      roll * 180 / .pi, degrees(sideways), degrees((height - frontalNoseHeight) * 2)
    )
  }

  /// Variance of the Laplacian of the face box (clipped to the image) area-resampled to 64×64
  /// grey; 0 when the box misses the image.
  public static func sharpness(face: DetectedFace, in image: Image) -> Double {
    let x0 = max(0, Int(face.left.rounded()))
    let y0 = max(0, Int(face.top.rounded()))
    let x1 = min(image.width, Int(face.right.rounded()))
    let y1 = min(image.height, Int(face.bottom.rounded()))
    guard x1 - x0 >= 2, y1 - y0 >= 2, face.left.isFinite, face.right.isFinite else { return 0 }
    let side = 64
    // Normalised planes (v − 127.5)/128 → back to 0…255 grey (mean of the three channels).
    let planes = AreaResampler.resampled(
      image, x: x0, y: y0, width: x1 - x0, height: y1 - y0, outWidth: side, outHeight: side,
      summedAreaTable: false)
    let plane = side * side
    let grey = (0..<plane).map {
      Double(planes[$0] + planes[plane + $0] + planes[2 * plane + $0]) / 3 * 128 + 127.5
    }
    var sum = 0.0
    var sumSquares = 0.0
    for y in 1..<(side - 1) {
      for x in 1..<(side - 1) {
        let i = y * side + x
        let l = grey[i - 1] + grey[i + 1] + grey[i - side] + grey[i + side] - 4 * grey[i]
        sum += l
        sumSquares += l * l
      }
    }
    let count = Double((side - 2) * (side - 2))
    let mean = sum / count
    return max(0, sumSquares / count - mean * mean)
  }
}
