import ArgumentParser

/// `emocl bench <name>`: the Swift side of the `make bench` sections (hidden).
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Benchmarks behind `make bench`.",
    shouldDisplay: false,
    subcommands: [BenchCNNTrain.self, BenchCNNInfer.self, BenchCNNOps.self]
  )
}
