import Foundation
import Pipeline
import TestSupport
import Testing
import Vision

@Suite struct BatchPredictorTests {
  @Test func badImageGivesAnErrorEntryAndOthersSucceed() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let good = dir.url.appendingPathComponent("good.png").path
    let bad = dir.url.appendingPathComponent("bad.jpg").path
    let missing = dir.url.appendingPathComponent("missing.png").path
    let happy = MeanGreyClassifier.grey(for: .happy)
    try Scene.plain(width: 64, height: 64, level: happy).writePNG(toFile: good)
    try Data("definitely not a JPEG".utf8).write(to: URL(fileURLWithPath: bad))
    let predictor = BatchPredictor(
      pipeline: EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: nil))
    let records = predictor.run([good, bad, missing, good])
    #expect(records.map(\.image) == [good, bad, missing, good])
    #expect(records.map(\.failed) == [false, true, true, false])
    let object = try #require(
      JSONSerialization.jsonObject(with: Data(BatchPredictor.json(records).utf8))
        as? [[String: Any]])
    #expect((object[1]["error"] as? [String: String])?["type"] == "undecodable_image")
    #expect((object[2]["error"] as? [String: String])?["type"] == "unreadable_file")
    let faces = try #require(object[0]["faces"] as? [[String: Any]])
    #expect(faces.count == 1 && faces[0]["dominant"] as? String == "happy")
    #expect(object[0]["width"] as? Int == 64)
  }

  @Test func annotationWritesAPNGWithTheBoxDrawn() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let photo = dir.url.appendingPathComponent("scene.png").path
    let sad = MeanGreyClassifier.grey(for: .sad)
    let face = PixelBox(x: 60, y: 80, width: 90, height: 90)
    let background: UInt8 = 30
    let scene = Scene.painting(
      Scene.plain(width: 320, height: 240, level: background), face, level: sad)
    try scene.writePNG(toFile: photo)
    let out = dir.url.appendingPathComponent("annotated")
    var options = AnalysisOptions(boxes: [face])
    options.margin = 0
    let predictor = BatchPredictor(
      pipeline: EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: nil),
      options: options, annotationDirectory: out, font: try Font.dejaVuSans())
    let records = predictor.run([photo])
    #expect(records.map(\.failed) == [false])
    let annotated = try Image(contentsOfFile: out.appendingPathComponent("scene.png").path)
    #expect(annotated.width == 320 && annotated.height == 240 && annotated.channels == 3)
    func pixel(_ x: Int, _ y: Int) -> [UInt8] {
      let i = (y * annotated.width + x) * 3
      return Array(annotated.pixels[i..<(i + 3)])
    }
    let blue = ImageAnalysis.colour(for: .sad)
    let boxColour = [blue.red, blue.green, blue.blue]
    // The border (2 px wide for a 240 px image) is in the emotion's colour on all four sides.
    #expect(pixel(face.x, face.y + 45) == boxColour)
    #expect(pixel(face.x + 1, face.y + 60) == boxColour)
    #expect(pixel(face.x + face.width - 1, face.y + 45) == boxColour)
    #expect(pixel(face.x + 45, face.y + face.height - 1) == boxColour)
    // Inside the face and far from it the photo is unchanged.
    #expect(pixel(face.x + 45, face.y + 45) == [sad, sad, sad])
    #expect(pixel(300, 230) == [background, background, background])
    // The label band sits above the box and holds text: pixels blended towards white.
    #expect(pixel(face.x + 1, face.y - 2) == boxColour)
    var inked = 0
    for y in max(0, face.y - 30)..<face.y {
      for x in face.x..<(face.x + 90) where pixel(x, y)[0] > 128 { inked += 1 }
    }
    #expect(inked > 40, "\(inked) light label pixels")
  }

  @Test func annotationWithoutFontDrawsBoxesAndNamesAreUnique() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try FileManager.default.createDirectory(
      at: dir.url.appendingPathComponent("a"), withIntermediateDirectories: true)
    let first = dir.url.appendingPathComponent("face.png").path
    let second = dir.url.appendingPathComponent("a/face.jpg").path
    try Scene.plain(width: 48, height: 48, level: 200).writePNG(toFile: first)
    try FileManager.default.copyItem(atPath: first, toPath: second)
    let out = dir.url.appendingPathComponent("out")
    let predictor = BatchPredictor(
      pipeline: EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: nil),
      annotationDirectory: out, font: nil)
    let records = predictor.run([first, second])
    #expect(records.map(\.failed) == [false, false])
    let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    #expect(names == ["face-2.png", "face.png"])
    let drawn = try Image(contentsOfFile: out.appendingPathComponent("face.png").path)
    // The whole-image box's border is drawn along the edges.
    #expect(drawn.pixels[0..<3] != [200, 200, 200])
    let centre = (24 * 48 + 24) * 3
    #expect(Array(drawn.pixels[centre..<(centre + 3)]) == [200, 200, 200])
  }

  @Test func annotationFailureIsReportedForThatImage() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let photo = dir.url.appendingPathComponent("p.png").path
    try Scene.plain(width: 48, height: 48, level: 10).writePNG(toFile: photo)
    // The output "directory" is a regular file, so nothing can be written into it.
    let blocker = dir.url.appendingPathComponent("blocker")
    try Data([1]).write(to: blocker)
    let predictor = BatchPredictor(
      pipeline: EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: nil),
      annotationDirectory: blocker)
    let records = predictor.run([photo])
    guard case .failure(let failure) = records[0].outcome else {
      Issue.record("expected a failure")
      return
    }
    #expect(failure.type == "annotation_failed")
  }
}
