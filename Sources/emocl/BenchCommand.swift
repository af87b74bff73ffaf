import ArgumentParser

/// `emocl bench`: the Swift side of `make bench` sections (hidden from help).
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Benchmarks run by `make bench`.",
    shouldDisplay: false,
    subcommands: [BenchData.self]
  )
}
