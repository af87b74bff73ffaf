import ArgumentParser

/// `emocl bench <name>`: hidden benchmark subcommands, driven by Scripts/bench/*.sh, which time
/// the same work in the peer (Python) and print the ratio.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Benchmarks (used by make bench).",
    shouldDisplay: false,
    subcommands: [BenchFaces.self]
  )
}
