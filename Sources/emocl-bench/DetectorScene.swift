import Datasets
import Foundation
import Pipeline
import Tensor
import Vision

/// A generated grey scene for detection benches: several FER2013 faces of random size, angle and
/// place on a synthetic background, some partly covered, with the truth for each face.
struct DetectorScene {
  /// One pasted face: its square before rotation (the truth a detection is matched against),
  /// the angle it was turned by, and whether part of it was covered.
  struct Face {
    var box: PixelBox
    var degrees: Double
    var covered: Bool
  }

  /// What to generate.
  struct Settings {
    var width = 1280
    var height = 800
    var faces = 2...6
    /// Face sides are drawn log-uniformly from this range, in pixels.
    var sides = 24.0...400.0
    /// Largest |angle| in degrees.
    var rotate = 30.0
    /// Share of faces with a grey block over a quarter to two fifths of them (a hand, a cup, a
    /// microphone): over the mouth and chin, or over the left or right side.
    var covered = 0.25
  }

  var image: Image
  var faces: [Face]

  /// The images of `dataset` at `indices` (all by default) as grey images: a scene's crops.
  static func crops(of dataset: LabeledImages, indices: [Int]? = nil) -> [Image] {
    (indices ?? Array(0..<dataset.count)).map { i in
      Image(
        width: dataset.width, height: dataset.height, channels: 1,
        pixels: Array(dataset.imagePixels(i)))
    }
  }

  /// A scene from `crops` (48×48 grey faces, drawn at random) with `settings`; `kind` 0 is a
  /// plain background, 1 per-pixel noise, 2 smooth blotches with mild noise.
  init(crops: [Image], kind: Int, settings: Settings, random: inout SplitMix64) throws {
    let (width, height) = (settings.width, settings.height)
    image = try Self.background(kind: kind, width: width, height: height, random: &random)
    faces = []
    let count = settings.faces.lowerBound + Self.below(settings.faces.count, &random)
    // Rotated squares are kept apart by their bounding squares (plus a gap), so no face covers
    // another: the truth stays unambiguous.
    var taken: [PixelBox] = []
    for _ in 0..<count {
      let u = Self.unit(&random)
      let (low, high) = (log(settings.sides.lowerBound), log(settings.sides.upperBound))
      let side = Int(exp(low + u * (high - low)).rounded())
      let degrees = (2 * Self.unit(&random) - 1) * settings.rotate
      let angle = degrees * .pi / 180
      let reach = Int((Double(side) / 2 * (abs(cos(angle)) + abs(sin(angle)))).rounded(.up))
      guard 2 * reach < width, 2 * reach < height else { continue }
      var placed: PixelBox?
      for _ in 0..<50 {
        let cx = reach + Self.below(width - 2 * reach, &random)
        let cy = reach + Self.below(height - 2 * reach, &random)
        let bounds = PixelBox(
          x: cx - reach - 4, y: cy - reach - 4, width: 2 * reach + 8, height: 2 * reach + 8)
        if !taken.contains(where: { $0.intersects(bounds) }) {
          taken.append(bounds)
          placed = PixelBox(x: cx - side / 2, y: cy - side / 2, width: side, height: side)
          break
        }
      }
      guard let box = placed else { continue }
      let crop = crops[Self.below(crops.count, &random)]
      try paste(crop, into: box, angle: angle)
      let covered = Self.unit(&random) < settings.covered
      if covered { cover(box, random: &random) }
      faces.append(Face(box: box, degrees: degrees, covered: covered))
    }
  }

  /// `face` enlarged to `box` and turned by `angle` about the box's centre.
  private mutating func paste(_ face: Image, into box: PixelBox, angle: Double) throws {
    let enlarged = try face.resized(width: box.width, height: box.width)
    Self.paste(enlarged, into: box, angle: angle, scene: &image)
  }

  /// Pastes the square `enlarged` (`box.width` a side) into `scene` at `box`, turned by `angle`
  /// (radians) about the box's centre: scene pixels whose inverse rotation falls inside the
  /// square take its nearest pixel; the rest keep the background.
  static func paste(_ enlarged: Image, into box: PixelBox, angle: Double, scene: inout Image) {
    let side = box.width
    let (c, s) = (cos(angle), sin(angle))
    let centre = Double(side) / 2
    let reach = Int((Double(side) * 0.75).rounded(.up))
    let (cx, cy) = (box.x + side / 2, box.y + side / 2)
    for sy in max(0, cy - reach)..<min(scene.height, cy + reach) {
      for sx in max(0, cx - reach)..<min(scene.width, cx + reach) {
        let (dx, dy) = (Double(sx - box.x) + 0.5 - centre, Double(sy - box.y) + 0.5 - centre)
        let fx = Int((c * dx + s * dy + centre).rounded(.down))
        let fy = Int((-s * dx + c * dy + centre).rounded(.down))
        if fx >= 0, fy >= 0, fx < side, fy < side {
          scene.pixels[sy * scene.width + sx] = enlarged.pixels[fy * side + fx]
        }
      }
    }
  }

  /// A block of one random grey over part of `box`: the lower part (mouth and chin) or the
  /// left or right side, a quarter to two fifths of the face.
  private mutating func cover(_ box: PixelBox, random: inout SplitMix64) {
    let share = 0.25 + 0.15 * Self.unit(&random)
    let grey = UInt8(Self.below(256, &random))
    let colour = Colour(red: grey, green: grey, blue: grey)
    let part = Int((Double(box.width) * share).rounded())
    switch Self.below(3, &random) {
    case 0:
      image.fillRectangle(
        x: box.x, y: box.y + box.height - part, width: box.width, height: part, colour: colour)
    case 1:
      image.fillRectangle(x: box.x, y: box.y, width: part, height: box.height, colour: colour)
    default:
      image.fillRectangle(
        x: box.x + box.width - part, y: box.y, width: part, height: box.height, colour: colour)
    }
  }

  /// A grey background: plain, per-pixel noise, or smooth blotches (a random 8×6 image
  /// enlarged) with mild noise.
  static func background(kind: Int, width: Int, height: Int, random: inout SplitMix64) throws
    -> Image
  {
    switch kind {
    case 0:
      let level = UInt8(below(256, &random))
      return Image(
        width: width, height: height, channels: 1,
        pixels: [UInt8](repeating: level, count: width * height))
    case 1:
      return Image(
        width: width, height: height, channels: 1,
        pixels: (0..<(width * height)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    default:
      let coarse = Image(
        width: 8, height: 6, channels: 1,
        pixels: (0..<48).map { _ in UInt8(truncatingIfNeeded: random.next()) })
      var scene = try coarse.resized(width: width, height: height)
      for i in scene.pixels.indices {
        let noise = Int(random.next() % 31) - 15
        scene.pixels[i] = UInt8(max(0, min(255, Int(scene.pixels[i]) + noise)))
      }
      return scene
    }
  }

  /// A uniform number in [0, 1).
  static func unit(_ random: inout SplitMix64) -> Double {
    Double(random.next() >> 11) / Double(1 << 53)
  }

  /// A uniform whole number in 0..<n (n ≥ 1).
  static func below(_ n: Int, _ random: inout SplitMix64) -> Int {
    Int(random.next() % UInt64(max(n, 1)))
  }
}

extension PixelBox {
  /// Whether the two boxes share any pixel.
  fileprivate func intersects(_ other: PixelBox) -> Bool {
    x < other.x + other.width && other.x < x + width && y < other.y + other.height
      && other.y < y + height
  }
}
