import Classical
import Datasets
import Foundation
import ModelTestSupport
import Reporting
import Tensor
import TestSupport
import Testing
import Vision

@Suite(.serialized) struct EvaluationReportTests {
  /// Writes a logistic regression, a Platt-calibrated SVM and a truncated file into
  /// `directory`, and evaluates them as `emocl report` does.
  static func evaluatedModels(in directory: TemporaryDirectory, validation: LabeledImages)
    throws -> (entries: [ReportModel], logreg: ClassicalPipeline, svm: ClassicalPipeline)
  {
    let train = try TinyFaces.images(perClass: 6)
    let logreg = try TinyFaces.logisticRegression(train)
    let svm = try TinyFaces.svm(train, components: 5, probability: true)
    let urls = ["broken", "logreg", "svm"].map {
      directory.url.appendingPathComponent("\($0).safetensors")
    }
    let bytes = try TinyFaces.modelFile(logreg).serialized()
    try Data(bytes.prefix(100)).write(to: urls[0])
    try TinyFaces.modelFile(logreg).write(to: urls[1], precision: .float32)
    try TinyFaces.modelFile(svm).write(to: urls[2], precision: .float32)
    let keep = Set(validation.names.dropFirst(2))
    let entries = urls.map {
      ReportModel.evaluate(modelAt: $0, validation: validation, keeping: keep, batchSize: 5)
    }
    return (entries, logreg, svm)
  }

  @Test func evaluatesEveryModelAndKeepsGoingPastABadFile() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let validation = try TinyFaces.images(perClass: 3, offset: 40, mislabelled: true)
    let (entries, logreg, _) = try Self.evaluatedModels(in: directory, validation: validation)
    #expect(entries.map(\.name) == ["broken", "logreg", "svm"])
    let broken = entries[0]
    #expect(broken.card == nil && broken.validation == nil)
    #expect(broken.problem?.contains(broken.path) == true, "\(broken.problem ?? "")")
    let lr = entries[1]
    #expect(lr.problem == nil)
    #expect(lr.card?.kind == .logreg)
    #expect(lr.pipeline == logreg)
    let predicted = try logreg.predict(TinyFaces.features(validation))
    #expect(
      lr.validation
        == (try ClassificationReport(
          classes: Emotion.names, truth: validation.labels, predicted: predicted)))
    let subset = try ClassificationReport(
      classes: Emotion.names, truth: Array(validation.labels.dropFirst(2)),
      predicted: Array(predicted.dropFirst(2)))
    #expect(lr.validationWithoutDuplicates == subset)
    #expect(lr.validationWithoutDuplicates?.n == validation.count - 2)
    #expect(lr.validation!.accuracy < 1)  // the mislabelled images are counted as errors
    #expect(entries[2].validation?.n == validation.count)
  }

  @Test func rendersOneSelfContainedPageAndTheSeparateFiles() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let validation = try TinyFaces.images(perClass: 3, offset: 40, mislabelled: true)
    let (entries, _, svm) = try Self.evaluatedModels(in: directory, validation: validation)
    let report = EvaluationReport(
      train: ReportDataSet(title: "train", path: "data/train", counts: [6, 6, 6, 6, 6, 6, 6]),
      validation: ReportDataSet(title: "val", path: "data/val", counts: validation.counts()),
      duplicatesSummary: "left out 2 val images that are byte copies of train images; 19 remain",
      models: entries, modelsSource: directory.url.path, command: "emocl report …")
    let document = try report.render()
    let html = document.html

    #expect(
      Set(document.files.map(\.name)) == [
        "class-distribution.svg", "logreg-confusion.svg", "logreg-confusion-normalised.svg",
        "logreg-weights.png", "svm-confusion.svg", "svm-confusion-normalised.svg",
        "svm-eigenfaces.png", "svm-explained-variance.svg", "results.json", "intended-use.txt",
      ])
    for id in [
      "results", "models", "model-broken", "model-logreg", "model-svm", "data", "limitations",
    ] {
      #expect(html.contains("id=\"\(id)\""), "section \(id)")
    }
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("Article 5(1)(f)") && html.contains("FER2013"))
    #expect(html.contains("validation without duplicates (19 images)"))
    #expect(html.contains("left out 2 val images"))
    #expect(html.contains("Platt sigmoids"))
    #expect(html.contains("1.5 s"))  // training time from the card
    #expect(html.contains("broken could not be evaluated"))
    let kept = svm.pca!.explainedVarianceRatio.reduce(0.0) { $0 + Double($1) }
    #expect(html.contains(String(format: "explain %.1f%%", 100 * kept)))

    // Every SVG file is inline (without its XML declaration) and every PNG is a data: URI of
    // exactly the file's bytes; nothing is loaded from elsewhere.
    #expect(!html.contains("<?xml"))
    #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("url("))
    let svgFiles = document.files.filter { $0.name.hasSuffix(".svg") }
    #expect(html.components(separatedBy: "<svg ").count - 1 == svgFiles.count)
    for file in svgFiles {
      let svg = String(decoding: file.bytes, as: UTF8.self)
      let body = svg[svg.range(of: "<svg ")!.lowerBound...]
      #expect(html.contains(body.trimmingCharacters(in: .whitespacesAndNewlines)), "\(file.name)")
    }
    let sources = html.components(separatedBy: "src=\"").dropFirst().map {
      String($0.prefix { $0 != "\"" })
    }
    #expect(sources.count == 2)
    #expect(sources.allSatisfy { $0.hasPrefix("data:image/png;base64,") })
    let embedded = sources.compactMap {
      Data(base64Encoded: String($0.dropFirst("data:image/png;base64,".count)))
    }
    let pngFiles = document.files.filter { $0.name.hasSuffix(".png") }
    #expect(Set(embedded.map { [UInt8]($0) }) == Set(pngFiles.map(\.bytes)))
    for png in pngFiles { #expect(png.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47])) }

    let json = try #require(
      try JSONSerialization.jsonObject(
        with: Data(document.files.first { $0.name == "results.json" }!.bytes)) as? [String: Any])
    let models = try #require(json["models"] as? [[String: Any]])
    #expect(models.map { $0["name"] as? String } == ["broken", "logreg", "svm"])
    let lrValidation = try #require(models[1]["validation"] as? [String: Any])
    #expect(lrValidation["accuracy"] as? Double == entries[1].validation?.accuracy)
    #expect(models[0]["problem"] is String)

    let out = directory.url.appendingPathComponent("out/report")
    let page = try document.write(to: out)
    #expect(page.lastPathComponent == "report.html")
    #expect(try String(contentsOf: page, encoding: .utf8) == html)
    for file in document.files {
      #expect(try Data(contentsOf: out.appendingPathComponent(file.name)) == Data(file.bytes))
    }
  }

  @Test func withoutModelsTheReportSaysNoneAreShipped() throws {
    let counts = [1, 2, 3, 4, 5, 6, 7]
    let report = EvaluationReport(
      train: ReportDataSet(title: "train", path: "t", counts: counts),
      validation: ReportDataSet(title: "val", path: "v", counts: counts),
      duplicatesUnavailable: "no duplicates list", models: [], modelsSource: "Models/")
    let document = try report.render()
    #expect(document.html.contains("No models are shipped"))
    #expect(
      Set(document.files.map(\.name)) == [
        "class-distribution.svg", "results.json", "intended-use.txt",
      ])
    #expect(document.html.contains("id=\"limitations\""))
  }

  @Test func countsMustBeOnePerClass() throws {
    let report = EvaluationReport(
      train: ReportDataSet(title: "train", path: "t", counts: [1, 2]),
      validation: ReportDataSet(title: "val", path: "v", counts: [1, 2, 3, 4, 5, 6, 7]),
      models: [], modelsSource: "Models/")
    #expect(throws: ReportError.self) { try report.render() }
  }
}

@Suite struct ModelPicturesTests {
  /// A pipeline over 3×2 pixels with the given weights (one row of 6 per class) and PCA.
  static func pipeline(weights: [Float], pca: PCA? = nil, scale: [Float] = [1, 1, 1, 1, 1, 1])
    throws -> ClassicalPipeline
  {
    let features = pca?.componentCount ?? 6
    return try ClassicalPipeline(
      scaler: StandardScaler(mean: [Float](repeating: 0, count: 6), scale: scale), pca: pca,
      classifier: .logisticRegression(
        LogisticRegression(
          multiclass: .oneVsRest, coefficients: Tensor(shape: [7, features], storage: weights),
          intercepts: [Float](repeating: 0, count: 7))))
  }

  @Test func weightImagesUseADivergingScalePerClass() throws {
    var weights = [Float](repeating: 0, count: 42)
    weights[0..<6] = [1, -1, 0, 0.5, 0, 0]  // class 0
    weights[6..<12] = [0, 0, 0, 0, 0, -4]  // class 1: its own scale makes -4 full blue
    let grid = try #require(
      try ModelPictures.weightGrid(Self.pipeline(weights: weights), width: 3, height: 2, zoom: 2))
    // 7 tiles of 3×2 with 2 px padding, doubled.
    #expect(grid.width == (7 * 3 + 8 * 2) * 2 && grid.height == (2 + 2 * 2) * 2)
    #expect(grid.channels == 3)
    func pixel(_ x: Int, _ y: Int) -> [UInt8] {
      let i = (y * grid.width + x) * 3
      return Array(grid.pixels[i..<(i + 3)])
    }
    // Tile 0 starts at (2, 2), tile 1 at (7, 2), before zooming.
    #expect(pixel(4, 4) == [178, 24, 43])  // +1: full red
    #expect(pixel(6, 4) == [33, 102, 172])  // -1: full blue
    #expect(pixel(8, 4) == [247, 247, 247])  // 0: white
    #expect(pixel(4, 6) == [213, 136, 145])  // +0.5: halfway to red
    #expect(pixel(9 * 2, 3 * 2) == [33, 102, 172])  // class 1's (2, 1)
    #expect(pixel(0, 0) == [255, 255, 255])  // padding
  }

  @Test func noWeightImagesBehindAPCA() throws {
    let pca = try PCA(
      mean: [Float](repeating: 0, count: 6),
      components: Tensor(shape: [2, 6], storage: [0.5, 0.5, 0, 0, 0, -0.5, 0, 0, 1, 0, 0, 0]),
      explainedVariance: [2, 1], explainedVarianceRatio: [0.5, 0.25])
    let pipeline = try Self.pipeline(
      weights: [Float](repeating: 0.1, count: 14), pca: pca, scale: [1, 2, 1, 1, 1, 1])
    #expect(try ModelPictures.weightGrid(pipeline, width: 3, height: 2) == nil)
    #expect(
      try ModelPictures.weightGrid(
        Self.pipeline(weights: .init(repeating: 1, count: 42)), width: 2, height: 2) == nil)

    // Eigenfaces: component × pixel scale, each tile min → 0, max → 255.
    let grid = try #require(
      try ModelPictures.eigenfaceGrid(pipeline, width: 3, height: 2, zoom: 1))
    #expect(grid.width == 2 * 3 + 3 * 2 && grid.height == 2 + 2 * 2 && grid.channels == 1)
    // First component in pixel space: [0.5, 1, 0, 0, 0, -0.5] on a -0.5…1 range.
    let row0 = Array(grid.pixels[(2 * grid.width + 2)..<(2 * grid.width + 5)])
    let row1 = Array(grid.pixels[(3 * grid.width + 2)..<(3 * grid.width + 5)])
    #expect(row0 == [170, 255, 85])
    #expect(row1 == [85, 85, 0])
    #expect(
      try ModelPictures.eigenfaceGrid(
        Self.pipeline(weights: .init(repeating: 1, count: 42)), width: 3, height: 2) == nil)

    let chart = try ModelPictures.explainedVarianceChart(pca, title: "t")
    #expect(chart.contains("<polyline class=\"series\""))
    #expect(chart.contains("cumulative explained variance"))
  }
}
