import Datasets
import Foundation
import Pipeline
import Testing

@Suite struct PredictionRecordTests {
  func sampleAnalysis() throws -> ImageAnalysis {
    let row: [Float] = [0.05, 0.01, 0.04, 0.7, 0.1, 0.06, 0.04]
    let emotions = try #require(EmotionProbabilities(validating: row))
    return ImageAnalysis(
      width: 640, height: 480,
      faces: [
        FaceEmotions(box: PixelBox(x: 10, y: 20, width: 100, height: 110), emotions: emotions)
      ],
      mode: .detected)
  }

  func jsonObject(_ records: [PredictionRecord]) throws -> [[String: Any]] {
    let text = BatchPredictor.json(records)
    return try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
  }

  @Test func analysisHasExactlyTheDocumentedShape() throws {
    let records = [PredictionRecord(image: "a/b.jpg", outcome: .analysis(try sampleAnalysis()))]
    let array = try jsonObject(records)
    #expect(array.count == 1)
    let object = array[0]
    #expect(Set(object.keys) == ["image", "width", "height", "faces"])
    #expect(object["image"] as? String == "a/b.jpg")
    #expect(object["width"] as? Int == 640 && object["height"] as? Int == 480)
    let faces = try #require(object["faces"] as? [[String: Any]])
    #expect(faces.count == 1)
    #expect(Set(faces[0].keys) == ["box", "emotions", "dominant"])
    let box = try #require(faces[0]["box"] as? [String: Int])
    #expect(box == ["x": 10, "y": 20, "width": 100, "height": 110])
    let emotions = try #require(faces[0]["emotions"] as? [String: Double])
    #expect(Set(emotions.keys) == Set(Emotion.names))
    #expect(abs(emotions.values.reduce(0, +) - 1) < 1e-5)
    #expect(faces[0]["dominant"] as? String == "happy")
    // Keys appear in the documented order.
    let text = BatchPredictor.json(records)
    let positions = ["\"image\"", "\"width\"", "\"height\"", "\"faces\""].compactMap {
      text.range(of: $0)?.lowerBound
    }
    #expect(positions.count == 4 && positions == positions.sorted())
  }

  @Test func failureHasImageAndError() throws {
    let record = PredictionRecord(image: "bad.jpg", error: .undecodable(.empty))
    #expect(record.failed)
    let object = try jsonObject([record])[0]
    #expect(Set(object.keys) == ["image", "error"])
    let error = try #require(object["error"] as? [String: String])
    #expect(error == ["type": "undecodable_image", "message": "image data is empty"])
  }

  @Test func recordsRoundTrip() throws {
    let records = [
      PredictionRecord(image: "x.png", outcome: .analysis(try sampleAnalysis())),
      PredictionRecord(image: "y.png", error: .noFaceDetector),
    ]
    let decoded = try JSONDecoder().decode(
      [PredictionRecord].self, from: Data(BatchPredictor.json(records).utf8))
    #expect(decoded.count == 2)
    #expect(decoded[1] == records[1])
    guard case .analysis(let analysis) = decoded[0].outcome else {
      Issue.record("expected an analysis")
      return
    }
    var expected = try sampleAnalysis()
    expected.mode = nil
    #expect(analysis == expected)
  }

  @Test func namesAreEscapedAndOutputIsDeterministic() throws {
    let name = "dir/\"quoted\" \\ tab\t new\nline \u{1} é 😀.jpg"
    let records = [
      PredictionRecord(image: name, outcome: .analysis(try sampleAnalysis())),
      PredictionRecord(image: name, error: .invalidOptions("a \"quoted\" reason")),
      PredictionRecord(
        image: "empty.png", outcome: .analysis(ImageAnalysis(width: 1, height: 2, faces: []))),
    ]
    let text = BatchPredictor.json(records)
    let array = try jsonObject(records)
    #expect(array.map { $0["image"] as? String } == [name, name, "empty.png"])
    #expect(
      (array[1]["error"] as? [String: String])?["message"] == "invalid options: a \"quoted\" reason"
    )
    #expect((array[2]["faces"] as? [Any])?.isEmpty == true)
    #expect(BatchPredictor.json(records) == text)
    #expect(text.contains("\"x\": 10, \"y\": 20, \"width\": 100, \"height\": 110"))
    #expect(text.contains("\"angry\": 0.05, \"disgust\": 0.01, \"fear\": 0.04, \"happy\": 0.7"))
  }

  @Test func emptyInputGivesAnEmptyArray() throws {
    #expect(try jsonObject([]).isEmpty)
  }

  @Test func probabilitiesAreValidatedAndNormalised() throws {
    #expect(EmotionProbabilities(validating: [1, 0, 0, 0, 0, 0]) == nil)
    #expect(EmotionProbabilities(validating: [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2]) == nil)
    #expect(EmotionProbabilities(validating: [1, 0, 0, 0, 0, 0, -0.0001]) == nil)
    #expect(EmotionProbabilities(validating: [.infinity, 0, 0, 0, 0, 0, 0]) == nil)
    let nearly = try #require(
      EmotionProbabilities(validating: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4004]))
    #expect(abs(nearly.values.reduce(0, +) - 1) < 1e-6)
    #expect(nearly.dominant == .surprise)
    // Equal maxima: the first in class order wins.
    let tie = try #require(EmotionProbabilities(validating: [0, 0.5, 0, 0.5, 0, 0, 0]))
    #expect(tie.dominant == .disgust)
    // Decoding rejects probabilities that do not sum to 1.
    let bad = #"{"angry":1,"disgust":1,"fear":0,"happy":0,"neutral":0,"sad":0,"surprise":0}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(EmotionProbabilities.self, from: Data(bad.utf8))
    }
  }

  @Test func textTableListsEveryFace() throws {
    let record = PredictionRecord(image: "photo.jpg", outcome: .analysis(try sampleAnalysis()))
    let lines = record.textTable.split(separator: "\n").map(String.init)
    #expect(lines.count == 3)
    #expect(lines[0] == "photo.jpg  640x480  1 face")
    for name in Emotion.names { #expect(lines[1].contains(name)) }
    #expect(lines[2].contains("10, 20, 100, 110"))
    #expect(lines[2].contains("happy    0.70"))
    let failure = PredictionRecord(image: "x", error: .noFaceDetector).textTable
    #expect(failure.hasPrefix("x  error (no_face_detector): "))
  }
}
