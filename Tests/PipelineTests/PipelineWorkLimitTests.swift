import Pipeline
import TestSupport
import Testing
import Vision

/// The work one image may ask for is bounded: the crops of all its faces together cover at most
/// `AnalysisOptions.maxCropPixels` pixels, checked before anything is cropped.
@Suite struct PipelineWorkLimitTests {
  @Test func cropsOverTheLimitAreRefusedBeforeCropping() throws {
    let pipeline = EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: nil)
    let image = Scene.plain(width: 200, height: 100, level: 0)
    let whole = PixelBox(x: 0, y: 0, width: 100, height: 100)
    // Three 100×100 crops are 30,000 pixels.
    let three = AnalysisOptions(boxes: [whole, whole, whole], maxCropPixels: 30_000)
    #expect(try pipeline.analyze(image, options: three).faces.count == 3)
    let over = AnalysisOptions(boxes: [whole, whole, whole], maxCropPixels: 29_999)
    #expect(throws: AnalysisError.workTooLarge(cropPixels: 30_000, limit: 29_999)) {
      try pipeline.analyze(image, options: over)
    }
    #expect(throws: AnalysisError.self) {
      try pipeline.analyze(image, options: AnalysisOptions(maxCropPixels: 0))
    }
  }

  @Test func boxesPastTheEdgeCountOnlyThePixelsInside() throws {
    let pipeline = EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: nil)
    let image = Scene.plain(width: 100, height: 100, level: 0)
    // A box reaching the corner is cropped as its square around the centre, clipped.
    let corner = PixelBox(x: 50, y: 50, width: 50, height: 50)
    let result = try pipeline.analyze(
      image,
      options: AnalysisOptions(boxes: Array(repeating: corner, count: 4), maxCropPixels: 10_000))
    #expect(result.faces.count == 4)
  }
}
