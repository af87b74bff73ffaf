import Pipeline
import Testing
import Vision

/// `AnalysisOptions.detector` picks one of the pipeline's `faceLocators`; a colour-preferring
/// locator gets the RGB image.
@Suite struct DetectorChoiceTests {
  /// Records the channels of the image it was given.
  final class ColourProbe: FaceLocating, @unchecked Sendable {
    var channels: [Int] = []
    var prefersColour: Bool { true }
    func faceBoxes(in image: Image) throws -> [PixelBox] {
      channels.append(image.channels)
      return [PixelBox(x: 0, y: 0, width: 100, height: 100)]
    }
  }

  private let image = Image(width: 300, height: 200, channels: 3)

  @Test func theOptionsChooseTheLocator() throws {
    let standard = FixedLocator([PixelBox(x: 0, y: 0, width: 50, height: 50)])
    let other = FixedLocator([PixelBox(x: 10, y: 10, width: 60, height: 60)])
    let pipeline = EmotionPipeline(
      classifier: MeanGreyClassifier(), faceLocator: standard,
      faceLocators: [.cnn: standard, .haar: other])
    let chosen = try pipeline.analyze(image, options: AnalysisOptions(detector: .haar))
    #expect(chosen.faces.map(\.box) == [PixelBox(x: 10, y: 10, width: 60, height: 60)])
    #expect(other.calls == 1 && standard.calls == 0)
    _ = try pipeline.analyze(image)
    #expect(standard.calls == 1)
  }

  @Test func anUnavailableDetectorIsAnOptionsError() throws {
    let pipeline = EmotionPipeline(
      classifier: MeanGreyClassifier(), faceLocator: FixedLocator([]),
      faceLocators: [.haar: FixedLocator([])])
    #expect(throws: AnalysisError.self) {
      try pipeline.analyze(image, options: AnalysisOptions(detector: .cnn))
    }
  }

  @Test func aColourLocatorGetsRGBAndGreyOnesGrey() throws {
    let probe = ColourProbe()
    let pipeline = EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: probe)
    _ = try pipeline.analyze(image)
    let png = try image.pngData()
    _ = try pipeline.analyze(encoded: png)
    #expect(probe.channels == [3, 3])
  }

  /// Gives two faces, the smaller first, with details.
  struct DetailedLocator: FaceLocating {
    func faceBoxes(in image: Image) throws -> [PixelBox] { [] }
    func detailedFaces(in image: Image) throws -> [(box: PixelBox, details: FaceDetails)]? {
      [(20, 0.8), (60, 0.9)].map { side, score in
        let face = DetectedFace(
          left: 10, top: 10, right: 10 + Double(side), bottom: 10 + Double(side), score: score,
          landmarks: Array(repeating: ImagePoint(x: 15, y: 15), count: 5))
        return (face.pixelBox, FaceDetails(face: face, in: image))
      }
    }
  }

  @Test func detailsFollowTheirBoxesLargestFirst() throws {
    let pipeline = EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: DetailedLocator())
    let analysis = try pipeline.analyze(image)
    #expect(analysis.faces.map(\.box.width) == [60, 20])
    #expect(analysis.faces.map { $0.detection?.score } == [0.9, 0.8])
    #expect(analysis.faces.map { $0.detection?.quality.size } == [60, 20])
    // Supplied boxes carry no details.
    let supplied = try pipeline.analyze(
      image, options: AnalysisOptions(boxes: [PixelBox(x: 0, y: 0, width: 50, height: 50)]))
    #expect(supplied.faces.first?.detection == nil)
  }

  @Test func namesParse() {
    #expect(FaceDetectorKind(rawValue: "cnn") == .cnn)
    #expect(FaceDetectorKind(rawValue: "haar") == .haar)
    #expect(FaceDetectorKind(rawValue: "CNN") == nil)
    #expect(FaceDetectorKind.names == "cnn, haar")
  }
}
