import Foundation
import Pipeline
import Testing
import Vision

/// `FaceAligner` levels a tilted face: the square around its box, turned back by its roll.
@Suite struct FaceAlignerTests {
  /// A 48×48 test face: a bright bar across the eyes' row and a darker square below its centre,
  /// with a gradient so that every pixel differs.
  private static func face() -> Image {
    var image = Image(width: 48, height: 48, channels: 1)
    for y in 0..<48 {
      for x in 0..<48 {
        var v = 40 + x + y
        if (14...18).contains(y) && (8...40).contains(x) { v = 250 }
        if (28...36).contains(y) && (18...30).contains(x) { v = 10 }
        image.pixels[y * 48 + x] = UInt8(v)
      }
    }
    return image
  }

  /// `image` (48×48) drawn turned by `degrees` about its centre into a 200×200 photo at
  /// (`cx`, `cy`), by nearest-neighbour lookup from 4× supersampled positions averaged.
  private static func photo(turning image: Image, degrees: Double, cx: Double, cy: Double)
    -> Image
  {
    var out = Image(width: 200, height: 200, channels: 1)
    let (c, s) = (cos(degrees * .pi / 180), sin(degrees * .pi / 180))
    for y in 0..<200 {
      for x in 0..<200 {
        var total = 0.0
        for j in 0..<4 {
          for i in 0..<4 {
            // The photo point relative to the centre, turned back into the face's frame.
            let px = Double(x) + (Double(i) + 0.5) / 4 - 0.5 - cx
            let py = Double(y) + (Double(j) + 0.5) / 4 - 0.5 - cy
            let fx = c * px + s * py + 23.5
            let fy = -s * px + c * py + 23.5
            let (ix, iy) = (Int(fx.rounded()), Int(fy.rounded()))
            total +=
              (0..<48).contains(ix) && (0..<48).contains(iy)
              ? Double(image.pixels[iy * 48 + ix]) : 128
          }
        }
        out.pixels[y * 200 + x] = UInt8((total / 16).rounded())
      }
    }
    return out
  }

  private static func meanAbsoluteDifference(_ a: Image, _ b: Image, inset: Int) -> Double {
    var (sum, count) = (0.0, 0)
    for y in inset..<(a.height - inset) {
      for x in inset..<(a.width - inset) {
        sum += abs(Double(a.pixels[y * a.width + x]) - Double(b.pixels[y * b.width + x]))
        count += 1
      }
    }
    return sum / Double(count)
  }

  @Test(
    "a face turned by the roll of its eyes comes back upright",
    arguments: [25.0, -30.0])
  func levelsTurnedFace(degrees: Double) throws {
    let face = Self.face()
    let photo = Self.photo(turning: face, degrees: degrees, cx: 100.5, cy: 90.5)
    // The face's eye points, turned as the face was: (14, 16) and (34, 16) of 48.
    let (c, s) = (cos(degrees * .pi / 180), sin(degrees * .pi / 180))
    func turned(_ x: Double, _ y: Double) -> ImagePoint {
      let (dx, dy) = (x - 23.5, y - 23.5)
      return ImagePoint(x: 100.5 + c * dx - s * dy, y: 90.5 + s * dx + c * dy)
    }
    let roll = try #require(
      FaceAligner.roll(leftEye: turned(14, 16), rightEye: turned(34, 16)))
    #expect(abs(roll * 180 / .pi - degrees) < 1e-9)
    #expect(FaceAligner.levels(roll: roll))
    let levelled = try #require(
      FaceAligner.levelled(
        photo, centreX: 100.5, centreY: 90.5, side: 48, roll: roll, width: 48, height: 48))
    // Inside the face (its corners came from outside it), within resampling blur.
    let error = Self.meanAbsoluteDifference(levelled, face, inset: 4)
    #expect(error < 6, "mean difference \(error)")
    // Not turned back, the same square is far from the face.
    let unturned = try #require(
      FaceAligner.levelled(
        photo, centreX: 100.5, centreY: 90.5, side: 48, roll: 0, width: 48, height: 48))
    #expect(Self.meanAbsoluteDifference(unturned, face, inset: 4) > 4 * error)
  }

  @Test("with no roll and the box's size, levelled is the crop itself")
  func identity() throws {
    let photo = Self.photo(turning: Self.face(), degrees: 0, cx: 60.5, cy: 70.5)
    let crop = try photo.cropped(x: 37, y: 47, width: 48, height: 48)
    let same = try #require(
      FaceAligner.levelled(
        photo, centreX: 60.5, centreY: 70.5, side: 48, roll: 0, width: 48, height: 48))
    #expect(same == crop)
  }

  @Test("only rolls beyond FER2013's 95th percentile are levelled")
  func threshold() {
    #expect(FaceAligner.levelBeyondDegrees == 19)
    #expect(!FaceAligner.levels(roll: 18.9 * .pi / 180))
    #expect(FaceAligner.levels(roll: -19.1 * .pi / 180))
    #expect(
      FaceAligner.roll(leftEye: ImagePoint(x: 1, y: 1), rightEye: ImagePoint(x: 1, y: 1)) == nil)
    #expect(
      FaceAligner.roll(leftEye: ImagePoint(x: 1, y: 1), rightEye: ImagePoint(x: .nan, y: 1))
        == nil)
  }

  @Test func badInputsGiveNil() {
    let grey = Image(width: 10, height: 10, channels: 1)
    #expect(
      FaceAligner.levelled(
        Image(width: 10, height: 10, channels: 3), centreX: 5, centreY: 5, side: 4, roll: 0.5,
        width: 48, height: 48) == nil)
    #expect(
      FaceAligner.levelled(grey, centreX: 5, centreY: 5, side: 0, roll: 0.5, width: 48, height: 48)
        == nil)
    #expect(
      FaceAligner.levelled(
        grey, centreX: .nan, centreY: 5, side: 4, roll: 0.5, width: 48, height: 48) == nil)
  }
}

/// The pipeline levels a face only when its landmarks say it is rolled beyond the threshold,
/// from the square `FaceCrop` cuts around its box.
@Suite struct PipelineLevellingTests {
  private static func details(roll degrees: Double) -> FaceDetails {
    let (c, s) = (cos(degrees * .pi / 180), sin(degrees * .pi / 180))
    // Eyes 20 px apart about (100, 90), turned by `degrees`; nose and mouth anywhere.
    let eyes = [(-10.0, 0.0), (10.0, 0.0)].map { dx, dy in
      ImagePoint(x: 100 + c * dx - s * dy, y: 90 + s * dx + c * dy)
    }
    let rest = Array(repeating: ImagePoint(x: 100, y: 100), count: 3)
    return FaceDetails(
      score: 0.99, landmarks: eyes + rest,
      quality: FaceQuality(
        size: 60, sharpness: 100, roll: degrees, yaw: 0, pitch: 0, reliable: true))
  }

  @Test func levelsOnlyBeyondTheThreshold() throws {
    var photo = Image(width: 200, height: 200, channels: 1)
    for i in photo.pixels.indices { photo.pixels[i] = UInt8(i % 251) }
    let box = PixelBox(x: 70, y: 60, width: 60, height: 60)
    let size = (width: 48, height: 48)
    #expect(
      EmotionPipeline.levelled(box, Self.details(roll: 12), in: photo, margin: 0, size: size)
        == nil)
    let levelled = try #require(
      EmotionPipeline.levelled(box, Self.details(roll: -25), in: photo, margin: 0.1, size: size))
    let expected = try #require(
      FaceAligner.levelled(
        photo, centreX: 99.5, centreY: 89.5, side: 72, roll: -25 * .pi / 180, width: 48,
        height: 48))
    #expect(levelled == expected)
    // Without all five landmarks nothing is levelled.
    var partial = Self.details(roll: 40)
    partial.landmarks.removeLast()
    #expect(EmotionPipeline.levelled(box, partial, in: photo, margin: 0, size: size) == nil)
  }
}
