import ArgumentParser
import Tensor

/// `emocl info`: what to paste into a bug report.
struct Info: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "What to paste into a bug report: version, CPU, BLAS kernels, threads, speed, "
      + "models, database.",
    discussion: """
      Prints Emocl's version; the CPU and its instruction-set extensions; the BLAS library, the \
      kernels in use (and whether Emocl chose them, and why) and their numerical self-test; \
      threads; sgemm GFLOP/s (512³ for about a second, on 1 thread and on every core); the \
      model files in the models folder with their SHA-256; the database URL with its password \
      masked.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  @Option(help: "Models folder (default: $EMOCL_MODELS, else the repository's Models/).")
  var models: String?

  @Option(help: "Database URL as `emocl serve` takes it (default: $EMOCL_DATABASE, else sqlite).")
  var database: String?

  @Option(help: "Output format.")
  var format: Format = .text

  @Option(help: "Seconds of sgemm to measure; 0 skips the measurement.")
  var speedSeconds: Double = 1

  @Flag(help: "Print only the OpenBLAS cores this CPU runs, best first, one per line.")
  var supportedCores = false

  func validate() throws {
    guard speedSeconds >= 0, speedSeconds <= 60 else {
      throw ValidationError("--speed-seconds must be between 0 and 60")
    }
  }

  func run() throws {
    if supportedCores {
      print(BLASCore.supported(by: .current).map(\.rawValue).joined(separator: "\n"))
      return
    }
    let report = InfoReport.gather(
      modelsOption: models, databaseOption: database,
      speedSeconds: speedSeconds > 0 ? speedSeconds : nil)
    print(format == .json ? report.json : report.text)
  }
}
