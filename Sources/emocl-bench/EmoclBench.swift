import ArgumentParser
import Tensor

/// `emocl-bench <name>`: the Swift side of each `make bench` section (Scripts/bench/NN-name.sh).
/// A separate executable, not a product: it measures the machine rather than serving users.
@main
struct EmoclBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "emocl-bench",
    abstract: "Benchmarks run by `make bench` beside their peers.",
    subcommands: [
      BenchGEMM.self,
      BenchDecode.self,
      BenchVideo.self,
      BenchData.self,
      BenchClassical.self,
      BenchCNNTrain.self,
      BenchCNNInfer.self,
      BenchCNNInt8.self,
      BenchCNNOps.self,
      BenchCNNConvolutions.self,
      BenchConvAlgorithms.self,
      BenchFaces.self,
      BenchCNNFaces.self,
      BenchPNetCalibrate.self,
      BenchPNetInt8Error.self,
      BenchPipelineScenes.self,
      BenchPipelineStages.self,
      BenchDetectorScenes.self,
    ]
  )

  /// Measures with the best BLAS kernels the CPU supports, as `emocl` runs (this may
  /// re-execute the program first), with OpenBLAS single-threaded as under the library's own
  /// workers (a benchmark that measures BLAS threads sets them itself).
  static func main() {
    BLASKernel.ensureBest()
    ThreadPolicy(blasThreads: 1).configureProcess()
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      exit(withError: error)
    }
  }
}
