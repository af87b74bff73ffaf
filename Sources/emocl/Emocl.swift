import ArgumentParser
import Datasets
import Tensor

/// The `emocl` command: train, evaluate, predict, serve and report.
@main
struct Emocl: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "emocl",
    abstract: "Facial emotion recognition: train, evaluate and serve models on FER2013.",
    version: EmoclVersion.string,
    subcommands: [
      Train.self,
      Tune.self,
      Evaluate.self,
      Quantize.self,
      Predict.self,
      Report.self,
      DatasetCommand.self,
      Serve.self,
      Worker.self,
      Keys.self,
      Info.self,
    ]
  )

  /// Runs with the best BLAS kernels the CPU supports (which may re-execute the program first).
  static func main() async {
    BLASKernel.ensureBest()
    await main(nil)
  }
}
