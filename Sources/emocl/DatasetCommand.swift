import ArgumentParser

/// `emocl dataset`: inspect image-folder datasets (`<dir>/<class>/<image>`).
struct DatasetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dataset",
    abstract: "Inspect image-folder datasets (<dir>/<class>/<image>).",
    subcommands: [DatasetStats.self]
  )
}
