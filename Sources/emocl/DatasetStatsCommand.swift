import ArgumentParser
import Datasets
import Foundation
import Reporting

/// `emocl dataset stats DIR...`: the class distribution of one or more folders.
struct DatasetStats: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Print the class distribution (counts and shares) of dataset folders side by side.",
    discussion: """
      Each folder is loaded (and decoded, through the pixel cache) like training loads it, so \
      a bad file is reported here too.
      """
  )

  @Argument(help: "Dataset folders, each holding one subfolder per class.")
  var directories: [String]

  @Flag(help: "Skip unreadable or undecodable files (counted and listed) instead of failing.")
  var skipBadFiles = false

  @Flag(help: "Neither read nor write the decoded-pixel cache.")
  var noCache = false

  @Option(
    help: ArgumentHelp(
      "Also write the distribution as a grouped bar chart (SVG): one group per class, one bar per folder.",
      valueName: "file.svg"))
  var plot: String?

  @Flag(help: "Plot image counts instead of each folder's shares (in percent).")
  var plotCounts = false

  func run() throws {
    let options = DatasetOptions(skipBadFiles: skipBadFiles, useCache: !noCache)
    var columns: [ClassDistribution.Column] = []
    var notes: [String] = []
    let titles = Self.titles(for: directories)
    for (directory, title) in zip(directories, titles) {
      let load = try LabeledImages.loadWithReport(
        directory: URL(fileURLWithPath: directory), options: options)
      columns.append(ClassDistribution.Column(title: title, counts: load.images.counts()))
      let images = load.images
      var note = "\(title): \(images.count) images of \(images.width)x\(images.height)"
      if load.resizedCount > 0 { note += ", \(load.resizedCount) resized" }
      if !load.skipped.isEmpty { note += ", \(load.skipped.count) skipped" }
      notes.append(note)
      for skipped in load.skipped { notes.append("  skipped: \(skipped)") }
      if let warning = load.cacheWarning { notes.append("  cache not written: \(warning)") }
    }
    let distribution = ClassDistribution(classes: LabeledImages.emotionClasses, columns: columns)
    if let plot { try writeChart(distribution, to: plot) }
    print(distribution.table(), terminator: "")
    for note in notes { print(note) }
    if let plot { print("chart: \(plot)") }
  }

  /// The grouped bar chart of `distribution`: shares (so folders of different sizes compare) or,
  /// with `--plot-counts`, counts.
  private func writeChart(_ distribution: ClassDistribution, to path: String) throws {
    let series = distribution.columns.map { column in
      BarChart.Series(
        name: column.title,
        values: column.counts.map { count in
          plotCounts ? Double(count) : 100 * Double(count) / Double(max(column.total, 1))
        })
    }
    let chart = BarChart(
      title: "Class distribution", categories: distribution.classes, series: series,
      yLabel: plotCounts ? "images" : "share of the folder's images (%)")
    let svg = try chart.svg()
    do {
      try svg.write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
      throw DatasetCommandError("cannot write the chart to \(path): \(error.localizedDescription)")
    }
  }

  /// Column titles: each folder's last path component, or the whole path when two would clash.
  static func titles(for directories: [String]) -> [String] {
    let short = directories.map { URL(fileURLWithPath: $0).standardizedFileURL.lastPathComponent }
    return Set(short).count == short.count ? short : directories
  }
}
