import Foundation
import Pipeline
import TestSupport
import Testing
import Vision

/// End to end on the shared photos: decode → detect (Haar, default options) → crop → classify,
/// with the mean-grey test classifier (face counts themselves are the detector's tests).
@Suite(.serialized) struct PhotoPipelineTests {
  @Test func everyPhotoGivesOrderedBoxesInsideTheImage() throws {
    guard let photos = try SharedData.path("datasets/photos") else { return }
    let files = try FileManager.default.contentsOfDirectory(atPath: photos.path)
      .filter { $0.hasSuffix(".jpg") || $0.hasSuffix(".png") }.sorted()
    #expect(files.count == 8)
    let classifier = MeanGreyClassifier()
    let pipeline = EmotionPipeline(
      classifier: classifier, faceLocator: try HaarFaceLocator.standard())
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let predictor = BatchPredictor(
      pipeline: pipeline, annotationDirectory: dir.url, font: try Font.dejaVuSans())
    let records = predictor.run(files.map { photos.appendingPathComponent($0).path })
    var counts: [String: Int] = [:]
    for (file, record) in zip(files, records) {
      guard case .analysis(let analysis) = record.outcome else {
        Issue.record("\(file): \(record.outcome)")
        continue
      }
      counts[file] = analysis.faces.count
      let areas = analysis.faces.map(\.box.area)
      #expect(areas == areas.sorted(by: >), "\(file)")
      for face in analysis.faces {
        #expect(face.box.isInside(width: analysis.width, height: analysis.height), "\(file)")
      }
      let annotated = try Image(
        contentsOfFile: dir.url.appendingPathComponent(
          URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent + ".png"
        ).path)
      #expect(annotated.width == analysis.width && annotated.height == analysis.height)
    }
    #expect(counts["29_no-faces.jpg"] == 0)
    #expect(counts["21_single_face.jpg"] == 1)
    #expect((counts["20_multi_face.jpg"] ?? 0) >= 2)
    // One batched classifier call per photo with faces.
    #expect(classifier.batches.count == counts.values.filter { $0 > 0 }.count)
  }
}
