import Classical
import Datasets
import Foundation
import Vision

extension EvaluationReport {
  /// The page and its separate files.
  ///
  /// Sections (element ids): `results` (the table), `models` (one `model-NAME` section per
  /// model: card facts, metrics text, confusion matrices, pictures), `data` (class
  /// distribution) and `limitations`. Files: `class-distribution.svg`, per model
  /// `NAME-confusion.svg`, `NAME-confusion-normalised.svg` and, when the model has them,
  /// `NAME-weights.png`, `NAME-eigenfaces.png`, `NAME-explained-variance.svg`; plus
  /// `results.json` and `intended-use.txt`.
  ///
  /// - Throws: `ReportError.invalidInput` for data-set counts that are not one per class;
  ///   chart and PNG errors (which well-formed inputs do not cause).
  public func render() throws -> ReportDocument {
    for set in [train, validation] where set.counts.count != Emotion.allCases.count {
      throw ReportError.invalidInput(
        "\(set.title) has \(set.counts.count) class counts, not \(Emotion.allCases.count)")
    }
    var page = ReportPage()
    let stems = models.map { page.uniqueStem(HTML.fileStem($0.name)) }
    var body = header()
    body += resultsSection(stems: stems)
    body += try modelSections(&page, stems: stems)
    body += try dataSection(&page)
    body += limitationsSection()
    page.files.append(ReportFile(name: "results.json", bytes: Array(try resultsJSON())))
    page.files.append(ReportFile(name: "intended-use.txt", bytes: Array((intendedUse + "\n").utf8)))
    let html = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(HTML.escape(title))</title>
      <style>
      \(HTML.css)
      </style>
      </head>
      <body>
      \(body)
      </body>
      </html>

      """
    return ReportDocument(html: html, files: page.files)
  }

  // MARK: Sections

  private func header() -> String {
    let date = ISO8601DateFormatter().string(from: generated)
    var s = "<header>\n<h1>\(HTML.escape(title))</h1>\n<p class=\"note\">Generated \(date) by "
    s += "Emocl \(HTML.escape(EmoclVersion.string))"
    if let command { s += " with <code>\(HTML.escape(command))</code>" }
    s += ".<br>Training data: <code>\(HTML.escape(train.path))</code> (\(train.total) images); "
    s += "validation data: <code>\(HTML.escape(validation.path))</code> "
    s += "(\(validation.total) images). Models from \(HTML.escape(modelsSource)).</p>\n"
    s += "<nav><a href=\"#results\">Results</a><a href=\"#models\">Models</a>"
    s += "<a href=\"#data\">Data</a><a href=\"#limitations\">Intended use and limitations</a>"
    s += "</nav>\n</header>\n"
    return s
  }

  private func resultsSection(stems: [String]) -> String {
    var s = "<section id=\"results\">\n<h2>Results</h2>\n"
    guard !models.isEmpty else {
      s += "<p class=\"problem\">No models are shipped: no model files were found in "
      s += "\(HTML.escape(modelsSource)). Train one (e.g. <code>emocl train logreg</code>) and "
      s += "place it in <code>Models/</code>.</p>\n</section>\n"
      return s
    }
    let metrics: [(String, (ClassificationReport) -> Double)] = [
      ("accuracy", { $0.accuracy }), ("macro precision", { $0.macroPrecision }),
      ("macro recall", { $0.macroRecall }), ("macro F1", { $0.macroF1 }),
      ("weighted F1", { $0.weightedF1 }),
    ]
    let withoutDuplicates = models.contains { $0.validationWithoutDuplicates != nil }
    s += "<table class=\"results\">\n<thead>\n<tr><th rowspan=\"2\">model</th>"
    s += "<th rowspan=\"2\" class=\"text\">kind</th>"
    let group = "<th colspan=\"\(metrics.count)\" class=\"group\">"
    s += group + "validation (\(validation.total) images)</th>"
    if withoutDuplicates {
      let n = models.compactMap { $0.validationWithoutDuplicates?.n }.first ?? 0
      s += group + "validation without duplicates (\(n) images)</th>"
    }
    s += "<th rowspan=\"2\">training time</th><th rowspan=\"2\" class=\"text\">calibration</th>"
    s += "</tr>\n<tr>"
    let groups = withoutDuplicates ? 2 : 1
    for _ in 0..<groups {
      for (name, _) in metrics { s += "<th>\(name)</th>" }
    }
    s += "</tr>\n</thead>\n<tbody>\n"
    // The best value of each metric column is bold when there is something to compare.
    func best(_ values: [Double?]) -> Double? {
      values.compactMap { $0 }.count > 1 ? values.compactMap { $0 }.max() : nil
    }
    let reports: [(ReportModel) -> ClassificationReport?] = [
      { $0.validation }, { $0.validationWithoutDuplicates },
    ]
    for (model, stem) in zip(models, stems) {
      s += "<tr><td><a href=\"#model-\(HTML.escape(stem))\">"
      s += "\(HTML.escape(model.name))</a></td>"
      s += "<td class=\"text\">\(HTML.escape(model.card?.kind.rawValue ?? "?"))</td>"
      for group in reports.prefix(groups) {
        for (_, metric) in metrics {
          guard let report = group(model) else {
            s += "<td>–</td>"
            continue
          }
          let value = metric(report)
          let top = best(models.map { group($0).map(metric) })
          s += top == value ? "<td class=\"best\">" : "<td>"
          s += String(format: "%.4f", value) + "</td>"
        }
      }
      s += "<td>\(model.card?.training.map { HTML.duration($0.seconds) } ?? "–")</td>"
      s += "<td class=\"text\">\(HTML.escape(Self.calibrationText(model)))</td></tr>\n"
    }
    s += "</tbody>\n</table>\n"
    s += "<p class=\"note\">Each model classifies every validation image by its own decision "
    s += "rule (the argmax of its probabilities; a one-vs-one SVM's vote), as "
    s += "<code>emocl evaluate</code> does. Macro averages weigh the seven classes equally; the "
    s += "weighted F1 weighs them by their number of images. Bold: the best value of a column."
    if let duplicatesSummary {
      s += " Without duplicates: \(HTML.escape(duplicatesSummary)) (a model may have seen "
      s += "those images in training)."
    } else if let duplicatesUnavailable {
      s += " No duplicate-free columns: \(HTML.escape(duplicatesUnavailable))."
    }
    s += "</p>\n"
    for model in models where model.problem != nil {
      s += "<p class=\"problem\">\(HTML.escape(model.name)) could not be evaluated: "
      s += "\(HTML.escape(model.problem!))</p>\n"
    }
    s += "</section>\n"
    return s
  }

  private func modelSections(_ page: inout ReportPage, stems: [String]) throws -> String {
    var s = "<section id=\"models\">\n<h2>Models</h2>\n"
    if models.isEmpty { s += "<p>No models are shipped.</p>\n" }
    for (model, stem) in zip(models, stems) {
      s += "<section id=\"model-\(HTML.escape(stem))\">\n<h3>\(HTML.escape(model.name))</h3>\n"
      s += cardFacts(model)
      if let card = model.card {
        for (name, table) in LayerTable.tables(in: card.architecture) {
          s += table.html(name: name)
        }
      }
      if let problem = model.problem {
        s += "<p class=\"problem\">Not evaluated: \(HTML.escape(problem))</p>\n"
      }
      if let report = model.validation {
        s += "<div class=\"figures\">\n"
        let counts = report.confusionMatrix
        s += try page.svgFigure(
          Heatmap(confusion: counts, title: "\(model.name): confusion matrix (validation)").svg(),
          file: "\(stem)-confusion.svg",
          caption: "Counts on the \(report.n) validation images: rows are the true classes, "
            + "columns the predicted ones.")
        s += try page.svgFigure(
          Heatmap(
            confusion: counts, normalised: true,
            title: "\(model.name): confusion matrix, row-normalised"
          ).svg(),
          file: "\(stem)-confusion-normalised.svg",
          caption: "Each row divided by its class's number of images: the diagonal is the "
            + "recall of each class.")
        s += "</div>\n"
        s += "<details><summary>Metrics per class (validation)</summary>\n<pre>"
        s += HTML.escape(report.table()) + "</pre>\n</details>\n"
      }
      if let pipeline = model.pipeline {
        s += try pictures(of: pipeline, model: model, stem: stem, page: &page)
      }
      s += "</section>\n"
    }
    s += "</section>\n"
    return s
  }

  /// Weight images, eigenfaces and the explained-variance curve, when the pipeline has them.
  private func pictures(
    of pipeline: ClassicalPipeline, model: ReportModel, stem: String, page: inout ReportPage
  ) throws -> String {
    guard let input = model.card?.input else { return "" }
    var s = ""
    if let weights = try ModelPictures.weightGrid(
      pipeline, width: input.width, height: input.height)
    {
      s += "<h4>Weight images</h4>\n"
      s += try page.pngFigure(
        weights, file: "\(stem)-weights.png",
        alt: "logistic-regression weights of \(model.name), one image per class",
        caption: "Each class's weight on every standardised pixel, left to right: "
          + Emotion.names.joined(separator: ", ")
          + ". Red: a brighter-than-average pixel speaks for the class; blue: against it; "
          + "white: no weight. Each image is scaled by its own largest weight.")
    }
    if let eigenfaces = try ModelPictures.eigenfaceGrid(
      pipeline, width: input.width, height: input.height)
    {
      s += "<h4>Eigenfaces</h4>\n"
      let shown = min(16, pipeline.pca!.componentCount)
      s += try page.pngFigure(
        eigenfaces, file: "\(stem)-eigenfaces.png",
        alt: "the first \(shown) principal components of \(model.name) as images",
        caption: "The first \(shown) principal components of the standardised training pixels "
          + "(row by row, largest variance first), mapped back to pixels; each is scaled to "
          + "its own range and its sign is arbitrary.")
    }
    if let pca = pipeline.pca {
      let kept = pca.explainedVarianceRatio.reduce(0.0) { $0 + Double($1) }
      s += try page.svgFigure(
        ModelPictures.explainedVarianceChart(
          pca, title: "\(model.name): cumulative explained variance"),
        file: "\(stem)-explained-variance.svg",
        caption: String(
          format: "The %d components the model keeps explain %.1f%% of the variance of the "
            + "standardised training pixels.", pca.componentCount, 100 * kept))
    }
    return s
  }

  private func dataSection(_ page: inout ReportPage) throws -> String {
    var s = "<section id=\"data\">\n<h2>Data</h2>\n"
    let chart = BarChart(
      title: "Class distribution (share of each set's images)", categories: Emotion.names,
      series: [train, validation].map { set in
        BarChart.Series(
          name: "\(set.title) (\(set.total))",
          values: set.counts.map { 100 * Double($0) / Double(max(set.total, 1)) })
      }, yLabel: "share of images (%)")
    s += try page.svgFigure(
      chart.svg(), file: "class-distribution.svg",
      caption: "Classes are strongly imbalanced (few disgust images), so accuracy alone "
        + "flatters a model that neglects rare classes; compare the macro averages.")
    let table = ClassDistribution(
      classes: Emotion.names,
      columns: [train, validation].map {
        ClassDistribution.Column(title: $0.title, counts: $0.counts)
      })
    s += "<pre>\(HTML.escape(table.table()))</pre>\n</section>\n"
    return s
  }

  private func limitationsSection() -> String {
    var s = "<section id=\"limitations\" class=\"limitations\">\n"
    s += "<h2>Intended use and limitations</h2>\n"
    for paragraph in intendedUse.components(separatedBy: "\n\n") {
      s += "<p>\(HTML.escape(paragraph))</p>\n"
    }
    s += "<p>The validation set is FER2013's PublicTest half; the numbers above describe "
    s += "48×48 grey face crops like those, not photos of other people, cameras or settings, "
    s += "and not the held-back PrivateTest half.</p>\n"
    for model in models {
      if let text = model.card?.intendedUse, text != intendedUse {
        s += "<p><b>\(HTML.escape(model.name))</b>'s card adds: \(HTML.escape(text))</p>\n"
      }
    }
    s += "</section>\n"
    return s
  }

  // MARK: Card facts

  private func cardFacts(_ model: ReportModel) -> String {
    var rows: [(String, String)] = [("file", model.path)]
    if let size = model.fileSize { rows[0].1 += " (\(HTML.size(size)))" }
    if let card = model.card {
      rows.append(("kind", card.kind.rawValue))
      rows.append(("architecture", Self.architectureText(card.architecture)))
      rows.append(
        (
          "input",
          "\(card.input.width)×\(card.input.height), \(card.input.channels) channel(s), "
            + "pixel scale \(Self.scaleText(card.input.scale))"
        ))
      if let training = card.training {
        rows.append(("trained", "\(training.date) in \(HTML.duration(training.seconds))"))
        rows.append(("training data", training.data))
        rows.append(("command", training.command))
      }
      if let metrics = card.metrics {
        rows.append(
          (
            "card metrics",
            String(
              format: "accuracy %.4f, macro F1 %.4f on %d images (as measured at training)",
              metrics.accuracy, metrics.macroF1, metrics.n)
          ))
      }
      rows.append(("calibration", Self.calibrationText(model)))
      rows.append(("Emocl version", card.emoclVersion))
    }
    if let seconds = model.evaluationSeconds, let n = model.validation?.n {
      rows.append(("evaluation", String(format: "%d images in %.2f s", n, seconds)))
    }
    var s = "<dl class=\"card\">\n"
    for (key, value) in rows {
      s += "<dt>\(HTML.escape(key))</dt><dd>\(HTML.escape(value))</dd>\n"
    }
    return s + "</dl>\n"
  }

  /// The card's temperature scaling, or what else calibrates the model's probabilities.
  static func calibrationText(_ model: ReportModel) -> String {
    if let c = model.card?.calibration {
      return String(
        format: "temperature %.3f; ECE %.4f → %.4f", c.temperature, c.eceBefore, c.eceAfter)
    }
    if let pipeline = model.pipeline, case .svm(let svc) = pipeline.classifier {
      return svc.platt.isEmpty
        ? "none (no probabilities)" : "Platt sigmoids"
    }
    return model.card == nil ? "–" : "none in the card"
  }

  /// A pixel scale as `1/255` when it is the reciprocal of a whole number.
  static func scaleText(_ scale: Double) -> String {
    let inverse = 1 / scale
    if inverse.isFinite, abs(inverse - inverse.rounded()) < 1e-6 * abs(inverse) {
      return "1/\(Int(inverse.rounded()))"
    }
    return "\(scale)"
  }

  /// The card's architecture as one line of JSON, without the networks that get a layer table
  /// of their own (`LayerTable.tables(in:)`).
  static func architectureText(_ architecture: JSONValue) -> String {
    let tabled = Set(LayerTable.tables(in: architecture).map(\.name))
    guard !tabled.isEmpty, case .object(let members) = architecture else {
      return compactJSON(architecture)
    }
    let rest = members.filter { !tabled.contains($0.key) }
    let tables = tabled.sorted().joined(separator: ", ")
    return rest.isEmpty
      ? "layers of \(tables) below"
      : compactJSON(.object(rest)) + "; layers of \(tables) below"
  }

  /// `value` as one line of JSON with sorted keys.
  static func compactJSON(_ value: JSONValue) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "?" }
    return String(decoding: data, as: UTF8.self)
  }
}

/// Collects the separate files while the page is written, and gives each model a unique stem.
private struct ReportPage {
  var files: [ReportFile] = []
  var stems: Set<String> = []

  /// `stem`, or `stem-2`, `stem-3`, … when an earlier model took it.
  mutating func uniqueStem(_ stem: String) -> String {
    var candidate = stem
    var n = 2
    while stems.contains(candidate) {
      candidate = "\(stem)-\(n)"
      n += 1
    }
    stems.insert(candidate)
    return candidate
  }

  /// `svg` inline in a figure, and as the file `file`.
  mutating func svgFigure(_ svg: String, file: String, caption: String) throws -> String {
    files.append(ReportFile(name: file, bytes: Array(svg.utf8)))
    return "<figure>\n\(HTML.inlineSVG(svg))\n<figcaption>\(HTML.escape(caption))</figcaption>"
      + "\n</figure>\n"
  }

  /// `image` as a PNG `data:` URI in a figure, and as the file `file`.
  mutating func pngFigure(_ image: Image, file: String, alt: String, caption: String) throws
    -> String
  {
    let png = try image.pngData()
    files.append(ReportFile(name: file, bytes: png))
    return "<figure>\n<img class=\"pixels\" src=\"\(HTML.dataURI(png: png))\" "
      + "width=\"\(image.width)\" height=\"\(image.height)\" alt=\"\(HTML.escape(alt))\">\n"
      + "<figcaption>\(HTML.escape(caption))</figcaption>\n</figure>\n"
  }
}
