import Foundation
import TestSupport
import Testing
import Vision

/// Each piece of the detector against OpenCV 4 (values from Scripts/fixtures/faces_reference.py).
@Suite struct FaceDetectionOracleTests {
  struct ResizeFixture: Decodable {
    struct Output: Decodable {
      let width: Int
      let height: Int
      let pixels: String
    }
    let width: Int
    let height: Int
    let pixels: String
    let resized: [Output]
  }

  @Test func pyramidResizeIsBitExactWithOpenCV() throws {
    let fixture = try FaceFixtures.json("resize.json", as: ResizeFixture.self)
    let source = Image(
      width: fixture.width, height: fixture.height, channels: 1,
      pixels: FaceFixtures.base64(fixture.pixels))
    #expect(fixture.resized.count == 12)
    for output in fixture.resized {
      let ours = try source.resizedLinearExact(width: output.width, height: output.height)
      let expected = FaceFixtures.base64(output.pixels)
      let differing = zip(ours.pixels, expected).filter { $0 != $1 }.count
      #expect(ours.pixels.count == expected.count)
      #expect(differing == 0, "\(output.width)x\(output.height): \(differing) pixels differ")
    }
  }

  struct IntegralFixture: Decodable {
    struct Case: Decodable {
      let width: Int
      let height: Int
      let pixels: String
      let sum: [Int32]
      let squares: [Int32]
      let tilted: [Int32]
    }
    struct Constant: Decodable {
      let width: Int
      let height: Int
      let value: UInt8
      let sumLast: Int32
      let squaresLast: Int32
      let tiltedLast: Int32
      let squaresMiddle: Int32
    }
    let cases: [Case]
    let constant: Constant
  }

  @Test func integralPlanesMatchOpenCV() throws {
    let fixture = try FaceFixtures.json("integral.json", as: IntegralFixture.self)
    for c in fixture.cases {
      let image = Image(
        width: c.width, height: c.height, channels: 1, pixels: FaceFixtures.base64(c.pixels))
      let planes = try IntegralImages(of: image)
      #expect(planes.sum == c.sum, "sum \(c.width)x\(c.height)")
      #expect(planes.squares == c.squares, "squares \(c.width)x\(c.height)")
      #expect(planes.tilted == c.tilted, "tilted \(c.width)x\(c.height)")
    }
    // Squared sums past 2^31 wrap as OpenCV's CV_32S plane does.
    let k = fixture.constant
    let big = Image(
      width: k.width, height: k.height, channels: 1,
      pixels: [UInt8](repeating: k.value, count: k.width * k.height))
    let planes = try IntegralImages(of: big)
    #expect(planes.sum.last == k.sumLast)
    #expect(planes.squares.last == k.squaresLast)
    #expect(planes.tilted.last == k.tiltedLast)
    #expect(planes.squares[(k.height / 2) * (k.width + 1) + k.width / 2] == k.squaresMiddle)
  }

  @Test func tiltedIntegralMatchesItsDefinition() throws {
    // Independent of OpenCV: T(X, Y) = Σ I(x, y) over y < Y, |x − X + 1| ≤ Y − y − 1.
    var state: UInt32 = 7
    let (w, h) = (9, 6)
    let pixels: [UInt8] = (0..<(w * h)).map { _ in
      state = state &* 1_664_525 &+ 1_013_904_223
      return UInt8(truncatingIfNeeded: state >> 24)
    }
    let planes = try IntegralImages(of: Image(width: w, height: h, channels: 1, pixels: pixels))
    for Y in 0...h {
      for X in 0...w {
        var total: Int32 = 0
        for y in 0..<Y {
          for x in 0..<w where abs(x - X + 1) <= Y - y - 1 { total += Int32(pixels[y * w + x]) }
        }
        #expect(planes.tilted[Y * (w + 1) + X] == total, "T(\(X), \(Y))")
      }
    }
  }

  struct GroupingFixture: Decodable {
    struct Set: Decodable {
      let rects: [[Int]]
      let grouped: [String: [[Int]]]
    }
    let eps: Double
    let sets: [Set]
  }

  @Test func groupingMatchesOpenCVGroupRectangles() throws {
    let fixture = try FaceFixtures.json("grouping.json", as: GroupingFixture.self)
    #expect(fixture.sets.count == 12)
    for (index, set) in fixture.sets.enumerated() {
      let rects = set.rects.map { FaceBox(x: $0[0], y: $0[1], width: $0[2], height: $0[3]) }
      for (key, expected) in set.grouped {
        let threshold = Int(key)!
        let ours = RectangleGrouping.group(rects, groupThreshold: threshold, eps: fixture.eps)
        if threshold <= 0 {
          // OpenCV leaves the list as it is, each with weight 1.
          #expect(ours.map { [$0.x, $0.y, $0.width, $0.height] } == set.rects)
          #expect(ours.allSatisfy { $0.neighbors == 1 })
        } else {
          #expect(FaceFixtures.rows(ours) == expected, "set \(index), threshold \(threshold)")
        }
      }
    }
  }

  @Test(
    arguments: try FaceFixtures.json("scenes.json", as: FaceFixtures.Scenes.self).scenes.map(\.name)
  )
  func detectionMatchesOpenCVOnGeneratedScenes(_ name: String) throws {
    let scenes = try FaceFixtures.json("scenes.json", as: FaceFixtures.Scenes.self).scenes
    let scene = try #require(scenes.first { $0.name == name })
    let image = try FaceFixtures.greyImage(scene.file, width: scene.width, height: scene.height)
    for expected in scene.results {
      let detector = FaceDetector(cascade: try FaceFixtures.cascades.cascade(expected.cascade))
      let found = try detector.detect(in: image, options: expected.options)
      #expect(FaceFixtures.rows(found) == expected.boxes, "\(scene.name): \(expected.label)")
    }
  }

  @Test func generatedScenesHoldFacesAndNonFaces() throws {
    // Guards the oracle itself: the scenes must exercise detections, raw windows and empties.
    let scenes = try FaceFixtures.json("scenes.json", as: FaceFixtures.Scenes.self).scenes
    let counts = scenes.flatMap { $0.results.map(\.boxes.count) }
    #expect(counts.contains(0))
    #expect(counts.filter { $0 > 0 }.count >= 15)
    #expect((counts.max() ?? 0) > 100)
    let tilted = try FaceFixtures.cascades.cascade("haarcascade_eye_tree_eyeglasses.xml")
    #expect(tilted.hasTiltedFeatures && !tilted.isStumpBased)
    let eyesFound = scenes.flatMap { $0.results }.filter {
      $0.cascade == "haarcascade_eye_tree_eyeglasses.xml" && !$0.boxes.isEmpty
    }
    #expect(eyesFound.count >= 2)
  }
}

/// The detector on the shared photos, decoded by Vision, against OpenCV on the same grey pixels.
@Suite(.serialized) struct FaceDetectionPhotoOracleTests {
  @Test func detectionMatchesOpenCVOnSharedPhotos() throws {
    guard let directory = try SharedData.path("datasets/photos") else { return }
    let photos = try FaceFixtures.json("photos.json", as: FaceFixtures.Photos.self).photos
    #expect(photos.count == 8)
    for photo in photos {
      let image = try Image(
        contentsOfFile: directory.appendingPathComponent(photo.file).path,
        options: DecodeOptions(colour: .grey))
      #expect(image.width == photo.width && image.height == photo.height, "\(photo.file) size")
      let hash = FaceFixtures.fnv1a64(image.pixels)
      let samePixels = hash == photo.fnv1a64
      if !samePixels {
        // Then only count and IoU are compared (a grey level here and there moves a few windows).
        print(
          "note: \(photo.file): Vision's grey (fnv \(hash)) differs from OpenCV's "
            + "\(photo.grey) (fnv \(photo.fnv1a64)); comparing boxes by IoU only")
      }
      for expected in photo.results {
        let detector = FaceDetector(cascade: try FaceFixtures.cascades.cascade(expected.cascade))
        let found = try detector.detect(in: image, options: expected.options)
        let worst = FaceFixtures.worstIoU(expected: expected.boxes, found: found)
        #expect(found.count == expected.boxes.count, "\(photo.file): \(expected.label)")
        #expect(worst >= 0.9, "\(photo.file): \(expected.label): IoU \(worst)")
        if samePixels {
          // Same pixels, same arithmetic: the very same boxes and neighbour counts.
          #expect(FaceFixtures.rows(found) == expected.boxes, "\(photo.file): \(expected.label)")
        }
      }
    }
  }
}
