import Pipeline
import Testing
import Vision

/// `FaceAligner` puts the eye landmarks on FER2013's eye positions.
@Suite struct FaceAlignerTests {
  /// A black photo with two white 5×5 dots centred on tilted "eyes".
  private func photo(left: (Int, Int), right: (Int, Int)) -> Image {
    var image = Image(width: 200, height: 200, channels: 1)
    for (cx, cy) in [left, right] {
      for y in (cy - 2)...(cy + 2) {
        for x in (cx - 2)...(cx + 2) { image.pixels[y * 200 + x] = 255 }
      }
    }
    return image
  }

  /// Intensity-weighted centre of the brighter half of `image` left (x < 24) or right of
  /// the middle.
  private func centre(_ image: Image, leftHalf: Bool) -> (x: Double, y: Double) {
    var (sx, sy, total) = (0.0, 0.0, 0.0)
    for y in 0..<image.height {
      for x in 0..<image.width where (x < image.width / 2) == leftHalf {
        let v = Double(image.pixels[y * image.width + x])
        (sx, sy, total) = (sx + v * Double(x), sy + v * Double(y), total + v)
      }
    }
    return (sx / total, sy / total)
  }

  @Test func tiltedEyesLandOnFERPositions() throws {
    let image = photo(left: (60, 80), right: (120, 110))
    let aligned = try #require(
      FaceAligner.aligned(
        image, leftEye: ImagePoint(x: 60, y: 80), rightEye: ImagePoint(x: 120, y: 110),
        width: 48, height: 48))
    let l = centre(aligned, leftHalf: true)
    let r = centre(aligned, leftHalf: false)
    #expect(
      abs(l.x - FaceAligner.ferEyes.left.x) < 0.6 && abs(l.y - FaceAligner.ferEyes.left.y) < 0.6)
    #expect(
      abs(r.x - FaceAligner.ferEyes.right.x) < 0.6 && abs(r.y - FaceAligner.ferEyes.right.y) < 0.6)
  }

  @Test func badEyesGiveNil() {
    let image = Image(width: 10, height: 10, channels: 1)
    let p = ImagePoint(x: 3, y: 3)
    #expect(FaceAligner.aligned(image, leftEye: p, rightEye: p, width: 48, height: 48) == nil)
    #expect(
      FaceAligner.aligned(
        image, leftEye: p, rightEye: ImagePoint(x: .nan, y: 1), width: 48, height: 48) == nil)
    #expect(
      FaceAligner.aligned(
        Image(width: 10, height: 10, channels: 3), leftEye: p, rightEye: ImagePoint(x: 8, y: 3),
        width: 48, height: 48) == nil)
  }
}
