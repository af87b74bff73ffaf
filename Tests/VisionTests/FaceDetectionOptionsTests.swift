import Foundation
import TestSupport
import Testing
import Vision

/// The detector's API contract: option checks, typed errors, thread-independence, coordinates.
@Suite struct FaceDetectionOptionsTests {
  static func scene() throws -> Image {
    try FaceFixtures.greyImage("scene_collage.gray", width: 420, height: 300)
  }

  static func detector() throws -> FaceDetector {
    FaceDetector(
      cascade: try FaceFixtures.cascades.cascade("haarcascade_frontalface_default.xml"),
      eyeCascade: try FaceFixtures.cascades.cascade("haarcascade_eye.xml"))
  }

  @Test func optionsOutOfRangeAreTypedErrors() throws {
    let detector = try Self.detector()
    let image = try Self.scene()
    let bad: [DetectionOptions] = [
      DetectionOptions(scaleFactor: 1.0), DetectionOptions(scaleFactor: .nan),
      DetectionOptions(scaleFactor: .infinity), DetectionOptions(minNeighbors: -1),
      DetectionOptions(minSize: -3), DetectionOptions(maxSize: -1),
      DetectionOptions(maxWorkingSide: 0), DetectionOptions(minRelativeSize: 2),
      DetectionOptions(threads: 0),
      DetectionOptions(scaleFactor: 1.000_001),  // millions of levels
    ]
    for options in bad {
      #expect(Comment(rawValue: "\(options)")) {
        try detector.detect(in: image, options: options)
      } throws: { error in
        guard case .invalidOptions = error as? FaceDetectionError else { return false }
        return true
      }
    }
  }

  @Test func colourImagesAndMissingEyeCascadeAreTypedErrors() throws {
    let detector = try Self.detector()
    let rgb = Image(width: 40, height: 30, channels: 3)
    #expect(throws: FaceDetectionError.notGrey(channels: 3)) {
      try detector.detect(in: rgb, options: DetectionOptions())
    }
    let noEyes = FaceDetector(cascade: detector.cascade)
    #expect(throws: FaceDetectionError.self) { try noEyes.detect(in: try Self.scene()) }
    #expect(throws: FaceDetectionError.notGrey(channels: 3)) {
      try rgb.resizedLinearExact(width: 10, height: 10)
    }
  }

  @Test func degenerateImagesGiveNoFaces() throws {
    let detector = try Self.detector()
    for (w, h) in [(0, 0), (1, 1), (23, 100), (100, 23), (5000, 1)] {
      let image = Image(width: w, height: h, channels: 1)
      #expect(try detector.detect(in: image, options: DetectionOptions()).isEmpty)
      #expect(try detector.detect(in: image).isEmpty)
    }
  }

  @Test func threadCountDoesNotChangeTheResult() throws {
    let detector = try Self.detector()
    let image = try Self.scene()
    let one = try detector.detect(in: image, options: DetectionOptions(minNeighbors: 0, threads: 1))
    let four = try detector.detect(
      in: image, options: DetectionOptions(minNeighbors: 0, threads: 4))
    #expect(one.count > 100)
    #expect(one == four)
  }

  @Test func workingCopyBoxesAreInInputCoordinates() throws {
    let detector = try Self.detector()
    let image = try Self.scene()
    // The collage's faces are 90, 120, 110 and 64 px: the three large ones survive a 210-px copy.
    var options = DetectionOptions(minSize: 60, maxWorkingSide: 210)
    let found = try detector.detect(in: image, options: options)
    let full = try detector.detect(in: image, options: DetectionOptions(minSize: 60))
    #expect(found.count >= 3)
    for box in found {
      #expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= 420 && box.y + box.height <= 300)
      let best = full.map { $0.intersectionOverUnion(box) }.max() ?? 0
      #expect(best >= 0.6, "\(box) vs \(full)")
    }
    // A relative minimum of 0.2 x 300 px is a minimum of 60 px: the 45-px face goes.
    options = DetectionOptions(minRelativeSize: 0.2)
    let large = try detector.detect(in: image, options: options)
    #expect(large == full)
    #expect(large.count == 3 && large.allSatisfy { $0.width >= 60 }, "\(large)")
  }

  @Test func defaultsKeepFacesAndDropOverlaps() throws {
    let detector = try Self.detector()
    let found = try detector.detect(in: try Self.scene())
    #expect(found.count >= 3 && found.count <= 4, "\(found)")
    for (i, a) in found.enumerated() {
      for b in found[(i + 1)...] { #expect(a.intersectionOverUnion(b) == 0) }
    }
  }

  @Test func faceBoxGeometry() {
    let a = FaceBox(x: 0, y: 0, width: 10, height: 10, neighbors: 3)
    let b = FaceBox(x: 5, y: 0, width: 10, height: 10)
    #expect(a.area == 100 && b.neighbors == 1)
    #expect(abs(a.intersectionOverUnion(b) - 50.0 / 150.0) < 1e-12)
    #expect(a.intersectionOverUnion(FaceBox(x: 20, y: 20, width: 5, height: 5)) == 0)
    #expect(a.intersectionOverUnion(a) == 1)
  }
}

@Suite struct FaceDetectionSizeLimitTests {
  @Test func extremeSizesNeitherTrapNorAllocate() throws {
    let detector = try FaceDetectionOptionsTests.detector()
    let image = try FaceDetectionOptionsTests.scene()
    for working in [nil, 200] as [Int?] {
      let huge = DetectionOptions(minSize: Int.max, maxWorkingSide: working)
      // No window reaches the minimum: OpenCV then scans the level nearest to it (the largest).
      _ = try detector.detect(in: image, options: huge)
      let tiny = DetectionOptions(maxSize: 1, maxWorkingSide: working)
      #expect(try detector.detect(in: image, options: tiny).isEmpty)
      let noMaximum = DetectionOptions(maxSize: 0, maxWorkingSide: working)
      let unbounded = DetectionOptions(maxSize: nil, maxWorkingSide: working)
      #expect(
        try detector.detect(in: image, options: noMaximum)
          == detector.detect(in: image, options: unbounded))
      let manyThreads = DetectionOptions(maxWorkingSide: working, threads: 10_000)
      #expect(
        try detector.detect(in: image, options: manyThreads)
          == detector.detect(in: image, options: unbounded))
    }
  }
}
