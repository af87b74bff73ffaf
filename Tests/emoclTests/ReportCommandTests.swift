import Datasets
import Foundation
import TestSupport
import Testing

@Suite(.serialized) struct ReportCommandTests {
  @Test func writesOneSelfContainedPageAndTheChartFiles() throws {
    let faces = try GeneratedFaces()
    defer { faces.cleanup() }
    let (logreg, _) = try faces.trainModel("logreg")
    _ = try faces.trainModel("svm", svm: true)
    let out = faces.root.appendingPathComponent("report")
    let result = try runCLI(
      [
        "report", "--train", faces.train.path, "--val", faces.val.path, "--out", out.path,
        "--models", faces.models.path,
      ], cache: faces.cache)
    #expect(result.status == 0, "\(result.error)")
    #expect(result.output.contains("left out 3 val images"))
    let expected = try ClassificationReport(
      classes: Emotion.names, truth: faces.load(faces.val).labels,
      predicted: logreg.predict(GeneratedFaces.features(faces.load(faces.val))))
    #expect(
      result.output.contains(
        String(format: "logreg: accuracy %.4f, macro F1 %.4f", expected.accuracy, expected.macroF1)
      ))

    let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
    #expect(
      Set(files) == [
        "report.html", "class-distribution.svg", "logreg-confusion.svg",
        "logreg-confusion-normalised.svg", "logreg-weights.png", "svm-confusion.svg",
        "svm-confusion-normalised.svg", "svm-eigenfaces.png", "svm-explained-variance.svg",
        "results.json", "intended-use.txt",
      ])
    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    for id in ["results", "model-logreg", "model-svm", "data", "limitations"] {
      #expect(html.contains("id=\"\(id)\""), "\(id)")
    }
    #expect(html.contains("validation without duplicates (18 images)"))
    #expect(html.components(separatedBy: "src=\"data:image/png;base64,").count - 1 == 2)
    #expect(html.components(separatedBy: "<svg ").count - 1 == 6)
    #expect(!html.contains("src=\"http") && !html.contains("<link") && !html.contains("<script"))
    #expect(html.contains(String(format: "%.4f", expected.accuracy)))
    #expect(html.contains("EU AI Act"))
  }

  @Test func withoutModelsThePageSaysNoneAreShipped() throws {
    let faces = try GeneratedFaces()
    defer { faces.cleanup() }
    let out = faces.root.appendingPathComponent("report")
    let result = try runCLI(
      [
        "report", "--train", faces.train.path, "--val", faces.val.path, "--out", out.path,
        "--models", faces.models.path,
      ], cache: faces.cache)
    #expect(result.status == 0, "\(result.error)")
    #expect(result.output.contains("no models found"))
    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("No models are shipped"))
    #expect(html.contains("id=\"data\"") && html.contains("id=\"limitations\""))
  }

  @Test func aMissingDataFolderFailsCleanly() throws {
    let faces = try GeneratedFaces()
    defer { faces.cleanup() }
    let missing = faces.root.appendingPathComponent("nothing")
    let result = try runCLI(
      [
        "report", "--train", missing.path, "--val", faces.val.path, "--out",
        faces.root.appendingPathComponent("r").path, "--models", faces.models.path,
      ], cache: faces.cache)
    #expect(result.status == 1)
    #expect(result.error.contains("dataset folder not found or not a directory: \(missing.path)"))
  }
}
