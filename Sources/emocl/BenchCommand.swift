import ArgumentParser

/// `emocl bench <name>`: the Swift side of the sections in Scripts/bench/ (hidden from help).
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure one piece of the library (used by make bench).",
    shouldDisplay: false,
    subcommands: [BenchDecode.self]
  )
}
