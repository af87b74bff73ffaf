import ArgumentParser
import Foundation
import Learning

/// `emocl dataset`: inspect image-folder datasets (`<dir>/<class>/<image>`).
struct DatasetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dataset",
    abstract: "Inspect image-folder datasets (<dir>/<class>/<image>).",
    subcommands: [DatasetStats.self]
  )
}

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
    print(distribution.table(), terminator: "")
    for note in notes { print(note) }
  }

  /// Column titles: each folder's last path component, or the whole path when two would clash.
  static func titles(for directories: [String]) -> [String] {
    let short = directories.map { URL(fileURLWithPath: $0).standardizedFileURL.lastPathComponent }
    return Set(short).count == short.count ? short : directories
  }
}
