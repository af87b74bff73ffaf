import ArgumentParser

/// `emocl bench <name>`: the Swift side of each `make bench` section (Scripts/bench/NN-name.sh),
/// hidden from help because it measures the machine rather than serving users.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Benchmarks run by `make bench` beside their peers.",
    shouldDisplay: false,
    subcommands: [
      BenchGEMM.self,
      BenchDecode.self,
      BenchData.self,
      BenchClassical.self,
      BenchCNNTrain.self,
      BenchCNNInfer.self,
      BenchCNNOps.self,
      BenchFaces.self,
      BenchPipelineScenes.self,
      BenchPipelineStages.self,
    ]
  )
}
