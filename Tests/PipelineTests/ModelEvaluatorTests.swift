import Datasets
import ModelTestSupport
import Pipeline
import Testing
import Vision

/// Predicts angry when an image's left half is brighter than its right half (0.6 against
/// happy's 0.4), else happy (0.9 against angry's 0.1): mirror averaging turns a bright-left
/// image's angry into happy (0.35 against 0.65).
private struct LeftRightClassifier: EmotionClassifier {
  let name = "left-right"
  let inputSize = (width: 4, height: 2)
  func probabilities(forFaces faces: [Image]) throws -> [[Float]] {
    faces.map { face in
      var (left, right) = (0, 0)
      for (i, p) in face.pixels.enumerated() {
        if i % face.width < face.width / 2 { left += Int(p) } else { right += Int(p) }
      }
      var row = [Float](repeating: 0, count: 7)
      (row[0], row[3]) = left > right ? (0.6, 0.4) : (0.1, 0.9)
      return row
    }
  }
}

@Suite struct ModelEvaluatorTests {
  /// Uniform images of the given grey levels, labelled `labels`.
  static func uniform(levels: [UInt8], labels: [Int], side: Int = 12) throws -> LabeledImages {
    try LabeledImages(
      width: side, height: side,
      pixels: levels.flatMap { [UInt8](repeating: $0, count: side * side) }, labels: labels,
      names: labels.indices.map { "\(Emotion.names[labels[$0]])/\($0).png" })
  }

  @Test func batchesResizesAndCounts() throws {
    let truth: [Emotion] = [
      .angry, .angry, .happy, .sad, .surprise, .fear, .neutral, .neutral, .disgust, .happy,
    ]
    let shown: [Emotion] = [
      .angry, .fear, .happy, .sad, .surprise, .fear, .neutral, .sad, .angry, .happy,
    ]
    let images = try Self.uniform(
      levels: shown.map(MeanGreyClassifier.grey(for:)), labels: truth.map(\.index))
    let classifier = MeanGreyClassifier(inputSize: (6, 5))
    let report = try ModelEvaluator(classifier: classifier, batchSize: 4).evaluate(images)
    #expect(report == (try ClassificationReport(truth: truth, predicted: shown)))
    #expect(report.n == 10)
    #expect(classifier.batches.map(\.count) == [4, 4, 2])
    #expect(
      classifier.batches.joined().allSatisfy { $0.width == 6 && $0.height == 5 && $0.channels == 1 }
    )
    // One batch or many: the same predictions.
    let whole = try ModelEvaluator(classifier: MeanGreyClassifier(inputSize: (12, 12)))
    #expect(try whole.predictions(for: images) == shown.map(\.index))
  }

  @Test func mirrorAveragingUsesTheMirrorImage() throws {
    // 4×2 images: bright left half (angry alone, happy with its mirror) and bright right half.
    let brightLeft: [UInt8] = [200, 200, 10, 10, 200, 200, 10, 10]
    let brightRight: [UInt8] = [10, 10, 200, 200, 10, 10, 200, 200]
    let images = try LabeledImages(
      width: 4, height: 2, pixels: brightLeft + brightRight, labels: [0, 3],
      names: ["angry/l.png", "happy/r.png"])
    let plain = ModelEvaluator(classifier: LeftRightClassifier())
    #expect(try plain.predictions(for: images) == [0, 3])
    let mirrored = ModelEvaluator(classifier: LeftRightClassifier(), mirrorAveraging: true)
    #expect(try mirrored.predictions(for: images) == [3, 3])
  }

  @Test func badInputIsATypedError() throws {
    let empty = LabeledImages(width: 12, height: 12)
    let classifier = MeanGreyClassifier()
    #expect(throws: EvaluationError.noImages("the data set is empty")) {
      try ModelEvaluator(classifier: classifier).evaluate(empty)
    }
    let one = try Self.uniform(levels: [10], labels: [0])
    #expect(throws: EvaluationError.invalidBatchSize(0)) {
      try ModelEvaluator(classifier: classifier, batchSize: 0).evaluate(one)
    }
    let other = try LabeledImages(
      classes: ["cat", "dog"], width: 1, height: 1, pixels: [0], labels: [1], names: ["dog/a"])
    #expect(throws: EvaluationError.wrongClasses(["cat", "dog"])) {
      try ModelEvaluator(classifier: classifier).evaluate(other)
    }
    let twoRows = FixedOutputClassifier(rows: [[1, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0]])
    #expect(throws: EvaluationError.invalidPredictions("2 predictions for 1 images")) {
      try ModelEvaluator(classifier: twoRows).evaluate(one)
    }
  }

  @Test func classicalModelScoresAsItsPipelinePredicts() throws {
    let train = try TinyFaces.images(perClass: 4)
    let pipeline = try TinyFaces.svm(train)
    let classifier = try ClassicalClassifier(modelFile: TinyFaces.modelFile(pipeline), name: "s")
    let test = try TinyFaces.images(perClass: 5, offset: 30, mislabelled: true)
    let report = try ModelEvaluator(classifier: classifier, batchSize: 8).evaluate(test)
    let expected = try ClassificationReport(
      classes: Emotion.names, truth: test.labels,
      predicted: pipeline.predict(TinyFaces.features(test)))
    #expect(report == expected)
    #expect(report.n == 35)
    #expect(report.accuracy < 1)
  }
}

@Suite struct SplitCopiesTests {
  static let list = """
    # groups of byte-identical files
    train/happy/img0.png\tval/happy/img1.png
    ! train/angry/img3.png\tval/sad/img0.png
    val/fear/img0.png\tval/fear/img1.png
    train/neutral/img0.png\ttrain/neutral/img1.png
    train/surprise/img2.png\tval/surprise/img2.png\tval/surprise/img3.png
    train/disgust/img0.png\tval/disgust/img9.png

    """

  @Test func removesOnlyCopiesOfOtherSplits() throws {
    let duplicates = try FERDuplicates(parsing: Self.list)
    #expect(duplicates.splits == ["train", "val"])
    let val = try TinyFaces.images(perClass: 4)
    let copies = try SplitCopies(removingFrom: val, split: "val", duplicates: duplicates)
    // happy/img1, sad/img0, surprise/img2 and surprise/img3; val-only and absent files stay.
    #expect(copies.removedCount == 4)
    #expect(copies.images.count == 24)
    #expect(copies.otherSplits == ["train"])
    let removed = Set(val.names).subtracting(copies.images.names)
    #expect(
      removed == ["happy/img1.png", "sad/img0.png", "surprise/img2.png", "surprise/img3.png"])
    #expect(
      copies.summary
        == "left out 4 val images that are byte copies of train images; 24 remain")
    // From the train side, the copies of val images go.
    let fromTrain = try SplitCopies(removingFrom: val, split: "train", duplicates: duplicates)
    #expect(fromTrain.removedCount == 4)  // happy/img0, angry/img3, surprise/img2, disgust/img0
  }

  @Test func aFolderNotInTheListIsAnError() throws {
    let duplicates = try FERDuplicates(parsing: Self.list)
    let val = try TinyFaces.images(perClass: 1)
    #expect(throws: EvaluationError.self) {
      try SplitCopies(removingFrom: val, split: "myval", duplicates: duplicates)
    }
  }
}
