import Foundation
import Pipeline
import TestSupport
import Testing
import Vision

@Suite struct EmotionPipelineTests {
  let happy = MeanGreyClassifier.grey(for: .happy)
  let sad = MeanGreyClassifier.grey(for: .sad)
  let angry = MeanGreyClassifier.grey(for: .angry)

  @Test func smallFaceCropIsClassifiedWholeWithoutDetection() throws {
    let classifier = MeanGreyClassifier()
    let locator = FixedLocator([])
    let pipeline = EmotionPipeline(classifier: classifier, faceLocator: locator)
    let result = try pipeline.analyze(Scene.plain(width: 48, height: 48, level: sad))
    #expect(result.mode == .wholeImage)
    #expect(result.faces.count == 1)
    #expect(result.faces[0].box == PixelBox(x: 0, y: 0, width: 48, height: 48))
    #expect(result.faces[0].dominant == .sad)
    #expect(locator.calls == 0)
    // 96 px is still a crop; 97 px runs the detector.
    _ = try pipeline.analyze(Scene.plain(width: 96, height: 80, level: sad))
    #expect(locator.calls == 0)
    _ = try pipeline.analyze(Scene.plain(width: 97, height: 97, level: sad))
    #expect(locator.calls == 1)
  }

  @Test func ferValidationImageIsAFaceCrop() throws {
    guard let val = try SharedData.path("datasets/fer2013/val/happy") else { return }
    let file = try #require(
      try FileManager.default.contentsOfDirectory(atPath: val.path).sorted().first)
    let locator = FixedLocator([])
    let pipeline = EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: locator)
    let result = try pipeline.analyze(contentsOfFile: val.appendingPathComponent(file).path)
    #expect(result.mode == .wholeImage && locator.calls == 0)
    #expect(result.faces.map(\.box) == [PixelBox(x: 0, y: 0, width: 48, height: 48)])
  }

  @Test func smallCropWorksWithoutAnyDetector() throws {
    let pipeline = EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: nil)
    let result = try pipeline.analyze(Scene.plain(width: 60, height: 64, level: happy))
    #expect(result.faces.map(\.dominant) == [.happy])
    #expect(throws: AnalysisError.noFaceDetector) {
      try pipeline.analyze(Scene.plain(width: 300, height: 200, level: happy))
    }
  }

  @Test func tightCropWithoutDetectedFaceIsClassifiedWhole() throws {
    let pipeline = EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: FixedLocator([]))
    let crop = try pipeline.analyze(Scene.plain(width: 200, height: 180, level: happy))
    #expect(crop.mode == .wholeImage)
    #expect(crop.faces.map(\.box) == [PixelBox(x: 0, y: 0, width: 200, height: 180)])
    // Too large, or not square enough: no faces.
    let large = try pipeline.analyze(Scene.plain(width: 257, height: 257, level: happy))
    #expect(large.faces.isEmpty && large.mode == .detected)
    let wide = try pipeline.analyze(Scene.plain(width: 200, height: 150, level: happy))
    #expect(wide.faces.isEmpty)
    // A small but elongated image is no crop either.
    let strip = try pipeline.analyze(Scene.plain(width: 90, height: 30, level: happy))
    #expect(strip.faces.isEmpty)
  }

  @Test func tightCropWithDetectedFaceUsesTheDetection() throws {
    let face = PixelBox(x: 40, y: 40, width: 100, height: 100)
    let pipeline = EmotionPipeline(
      classifier: MeanGreyClassifier(), faceLocator: FixedLocator([face]))
    let result = try pipeline.analyze(Scene.plain(width: 200, height: 200, level: happy))
    #expect(result.mode == .detected)
    #expect(result.faces.map(\.box) == [face])
  }

  @Test func noDetectClassifiesTheWholeImageOnce() throws {
    let classifier = MeanGreyClassifier()
    let pipeline = EmotionPipeline(classifier: classifier, faceLocator: FailingLocator())
    let image = Scene.painting(
      Scene.plain(width: 640, height: 480, level: angry),
      PixelBox(x: 0, y: 0, width: 640, height: 240),
      level: 255)
    let result = try pipeline.analyze(image, options: AnalysisOptions(detect: false))
    #expect(result.width == 640 && result.height == 480)
    #expect(result.faces.map(\.box) == [PixelBox(x: 0, y: 0, width: 640, height: 480)])
    // Mean of 255 and angry's band middle (18) is 136: in happy's band (110–146).
    #expect(result.faces[0].dominant == .happy)
    #expect(classifier.batches.map(\.count) == [1])
    #expect(classifier.batches[0][0].width == 48 && classifier.batches[0][0].height == 48)
  }

  @Test func suppliedBoxesAreClassifiedLargestFirstInOneBatch() throws {
    let classifier = MeanGreyClassifier()
    let small = PixelBox(x: 10, y: 10, width: 60, height: 60)
    let large = PixelBox(x: 300, y: 100, width: 200, height: 200)
    var image = Scene.plain(width: 640, height: 480, level: 0)
    image = Scene.painting(image, small, level: sad)
    image = Scene.painting(image, large, level: happy)
    let pipeline = EmotionPipeline(classifier: classifier, faceLocator: FailingLocator())
    let result = try pipeline.analyze(
      image, options: AnalysisOptions(boxes: [small, large], margin: 0))
    #expect(result.mode == .supplied)
    #expect(result.faces.map(\.box) == [large, small])
    #expect(result.faces.map(\.dominant) == [.happy, .sad])
    #expect(classifier.batches.map(\.count) == [2])
    for face in result.faces {
      let sum = face.emotions.values.reduce(0, +)
      #expect(abs(sum - 1) < 1e-6)
      #expect(face.emotions[face.dominant] == face.emotions.values.max())
    }
  }

  @Test func suppliedBoxesAreValidated() throws {
    let pipeline = EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: nil)
    let image = Scene.plain(width: 100, height: 80, level: 0)
    let bad = [
      PixelBox(x: -1, y: 0, width: 10, height: 10),
      PixelBox(x: 0, y: 0, width: 0, height: 10),
      PixelBox(x: 0, y: 0, width: 10, height: -3),
      PixelBox(x: 95, y: 0, width: 10, height: 10),
      PixelBox(x: 0, y: 75, width: 10, height: 10),
      PixelBox(x: Int.max, y: 0, width: Int.max, height: 1),
    ]
    let good = PixelBox(x: 0, y: 0, width: 100, height: 80)
    for box in bad {
      #expect(
        throws: AnalysisError.invalidBox(index: 1, box: box, imageWidth: 100, imageHeight: 80)
      ) {
        try pipeline.analyze(image, options: AnalysisOptions(boxes: [good, box]))
      }
    }
    #expect(throws: AnalysisError.tooManyBoxes(count: 3, limit: 2)) {
      try pipeline.analyze(image, options: AnalysisOptions(maxFaces: 2, boxes: [good, good, good]))
    }
    let whole = try pipeline.analyze(image, options: AnalysisOptions(boxes: [good]))
    #expect(whole.faces.map(\.box) == [good])
    let none = try pipeline.analyze(image, options: AnalysisOptions(boxes: []))
    #expect(none.faces.isEmpty && none.mode == .supplied)
  }

  @Test func maxFacesKeepsTheLargestInOrder() throws {
    let boxes = [
      PixelBox(x: 0, y: 0, width: 40, height: 40),
      PixelBox(x: 500, y: 300, width: 120, height: 120),
      PixelBox(x: 100, y: 0, width: 80, height: 80),
      PixelBox(x: 300, y: 50, width: 80, height: 80),  // same area as the previous: higher first
      PixelBox(x: 200, y: 300, width: 100, height: 100),
    ]
    let classifier = MeanGreyClassifier()
    let pipeline = EmotionPipeline(classifier: classifier, faceLocator: FixedLocator(boxes))
    let image = Scene.plain(width: 640, height: 480, level: 100)
    let three = try pipeline.analyze(image, options: AnalysisOptions(maxFaces: 3))
    #expect(three.faces.map(\.box) == [boxes[1], boxes[4], boxes[2]])
    let all = try pipeline.analyze(image)
    #expect(all.faces.map(\.box) == [boxes[1], boxes[4], boxes[2], boxes[3], boxes[0]])
    #expect(classifier.batches.map(\.count) == [3, 5])
  }

  @Test func detectorBoxesOutsideTheImageAreClipped() throws {
    let boxes = [
      PixelBox(x: 600, y: 440, width: 100, height: 100),
      PixelBox(x: 700, y: 0, width: 10, height: 10),
    ]
    let pipeline = EmotionPipeline(
      classifier: MeanGreyClassifier(), faceLocator: FixedLocator(boxes))
    let result = try pipeline.analyze(Scene.plain(width: 640, height: 480, level: 9))
    #expect(result.faces.map(\.box) == [PixelBox(x: 600, y: 440, width: 40, height: 40)])
  }

  @Test func cropRegionIsASquareWithMarginClampedToTheImage() {
    // Centred: a 100 px face grows by 15 px on every side.
    #expect(
      FaceCrop.region(
        around: PixelBox(x: 100, y: 100, width: 100, height: 100), margin: 0.15, imageWidth: 640,
        imageHeight: 480) == PixelBox(x: 85, y: 85, width: 130, height: 130))
    // A tall box becomes a square of its longer side around the same centre.
    #expect(
      FaceCrop.region(
        around: PixelBox(x: 100, y: 100, width: 60, height: 100), margin: 0, imageWidth: 640,
        imageHeight: 480) == PixelBox(x: 80, y: 100, width: 100, height: 100))
    // In a corner the square is cut at the borders.
    #expect(
      FaceCrop.region(
        around: PixelBox(x: 0, y: 0, width: 50, height: 50), margin: 0.2, imageWidth: 640,
        imageHeight: 480) == PixelBox(x: 0, y: 0, width: 60, height: 60))
    #expect(
      FaceCrop.region(
        around: PixelBox(x: 590, y: 430, width: 50, height: 50), margin: 0.2, imageWidth: 640,
        imageHeight: 480) == PixelBox(x: 580, y: 420, width: 60, height: 60))
    // The whole image with a margin is the whole image.
    #expect(
      FaceCrop.region(
        around: PixelBox(x: 0, y: 0, width: 64, height: 48), margin: 0.5, imageWidth: 64,
        imageHeight: 48) == PixelBox(x: 0, y: 0, width: 64, height: 48))
    #expect(
      FaceCrop.region(
        around: PixelBox(x: 0, y: 0, width: 0, height: 5), margin: 0.1, imageWidth: 64,
        imageHeight: 48) == nil)
  }

  @Test func marginBringsContextIntoTheCrop() throws {
    // A 100 px face of level 255 on black: with no margin the crop is all white; with a 50 %
    // margin the crop is 200 px, a quarter white.
    let face = PixelBox(x: 200, y: 150, width: 100, height: 100)
    let image = Scene.painting(Scene.plain(width: 640, height: 480, level: 0), face, level: 255)
    for (margin, expected) in [(0.0, 255.0), (0.5, 255.0 / 4)] {
      let classifier = MeanGreyClassifier()
      let pipeline = EmotionPipeline(classifier: classifier, faceLocator: FixedLocator([face]))
      let result = try pipeline.analyze(image, options: AnalysisOptions(margin: margin))
      #expect(result.faces.map(\.box) == [face])
      let crop = try #require(classifier.batches.first?.first)
      let mean = Double(crop.pixels.reduce(0) { $0 + Int($1) }) / Double(crop.pixels.count)
      #expect(abs(mean - expected) < 2, "margin \(margin): mean \(mean)")
    }
  }

  @Test func faceAtTheBorderIsCroppedInsideTheImage() throws {
    let face = PixelBox(x: 0, y: 380, width: 100, height: 100)
    let image = Scene.painting(Scene.plain(width: 640, height: 480, level: 0), face, level: 255)
    let classifier = MeanGreyClassifier()
    let pipeline = EmotionPipeline(classifier: classifier, faceLocator: FixedLocator([face]))
    let result = try pipeline.analyze(image, options: AnalysisOptions(margin: 0.2))
    #expect(result.faces.map(\.box) == [face])
    // The 140 px square is cut to 120×120 (x 0…119, y 360…479): 100×100 white of 120×120.
    let crop = try #require(classifier.batches.first?.first)
    let mean = Double(crop.pixels.reduce(0) { $0 + Int($1) }) / Double(crop.pixels.count)
    #expect(abs(mean - 255.0 * 10_000 / 14_400) < 3, "mean \(mean)")
  }

  @Test func colourImagesAreConvertedToGrey() throws {
    let classifier = MeanGreyClassifier()
    let pipeline = EmotionPipeline(classifier: classifier, faceLocator: nil)
    let rgb = Scene.plain(width: 48, height: 48, level: happy).rgb()
    let result = try pipeline.analyze(rgb)
    #expect(result.faces.map(\.dominant) == [.happy])
    #expect(classifier.batches[0][0].channels == 1)
  }

  @Test func invalidClassifierOutputIsAnError() {
    let image = Scene.plain(width: 48, height: 48, level: 0)
    let outputs: [[[Float]]] = [
      [],
      [[0.5, 0.5]],
      [[0.5, 0.5, 0.5, 0, 0, 0, 0]],
      [[-0.1, 0.3, 0.3, 0.5, 0, 0, 0]],
      [[Float.nan, 0, 0, 1, 0, 0, 0]],
      [[0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0]],
    ]
    for rows in outputs {
      let pipeline = EmotionPipeline(
        classifier: FixedOutputClassifier(rows: rows), faceLocator: nil)
      #expect(throws: AnalysisError.self) { try pipeline.analyze(image) }
      do {
        _ = try pipeline.analyze(image)
      } catch {
        #expect(error.code == "invalid_classifier_output")
      }
    }
  }

  @Test func optionsAreValidated() {
    let pipeline = EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: nil)
    let image = Scene.plain(width: 48, height: 48, level: 0)
    for options in [
      AnalysisOptions(maxFaces: 0), AnalysisOptions(maxFaces: 5000), AnalysisOptions(margin: -0.1),
      AnalysisOptions(margin: .nan), AnalysisOptions(maxPixels: 0),
    ] {
      #expect(throws: AnalysisError.self) { try pipeline.analyze(image, options: options) }
    }
  }

  @Test func badBytesAndFilesGiveTypedErrors() throws {
    let pipeline = EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: nil)
    #expect(throws: AnalysisError.undecodable(.empty)) { try pipeline.analyze(encoded: []) }
    do {
      _ = try pipeline.analyze(encoded: Array("not an image at all".utf8))
      Issue.record("expected an error")
    } catch {
      #expect(error.code == "undecodable_image")
    }
    let png = try Scene.plain(width: 120, height: 100, level: 0).pngData()
    #expect(throws: AnalysisError.imageTooLarge(width: 120, height: 100, limit: 10_000)) {
      try pipeline.analyze(encoded: png, options: AnalysisOptions(maxPixels: 10_000))
    }
    do {
      _ = try pipeline.analyze(contentsOfFile: "/nonexistent/emocl/image.jpg")
      Issue.record("expected an error")
    } catch {
      #expect(error.code == "unreadable_file")
    }
  }

  @Test func sizeIsReportedAfterExifOrientation() throws {
    // orientation-6.jpg is stored 12x8 and rotated a quarter turn by its EXIF tag.
    let bytes = try [UInt8](
      Data(contentsOf: SharedData.fixture("VisionTests", "orientation-6.jpg")))
    let pipeline = EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: nil)
    let result = try pipeline.analyze(encoded: bytes, options: AnalysisOptions(detect: false))
    #expect(result.width == 8 && result.height == 12)
    #expect(result.faces.map(\.box) == [PixelBox(x: 0, y: 0, width: 8, height: 12)])
  }
}
