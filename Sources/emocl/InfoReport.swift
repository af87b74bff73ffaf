import Datasets
import Foundation
import Service
import Tensor

/// Everything `emocl info` prints: what a bug report needs to reproduce a figure or a result.
struct InfoReport: Codable, Equatable {
  /// Emocl's release.
  var version: String
  /// CPU, BLAS library, kernels, threads, sgemm speed.
  var system: SystemReport
  /// The kernels in one line, e.g. `Cooperlake, chosen by Emocl (OpenBLAS chose Prescott)`.
  var kernelSummary: String
  /// The models folder looked at, and where its name came from.
  var modelsFolder: String
  var modelsFolderSource: String
  /// The model files in it with their checksums (empty if none or unreadable).
  var models: [ModelFileChecksum]
  /// Why the folder could not be read, if it could not.
  var modelsError: String?
  /// The model files among ``models`` whose card holds a CNN's 8-bit ranges
  /// (`architecture.int8`): they run in 8 bits where ``SystemReport`` shows AVX-512 VNNI.
  var int8Models: [String] = []
  /// The instruction set of the face detector's float kernels (`AVX-512`, `AVX2+FMA`), or nil
  /// where MTCNN runs on the networks' generic layers.
  var detectorKernels: String? = PlanarInstructions.best?.description
  /// The database URL with its password masked, and where it came from.
  var database: String
  var databaseSource: String
  /// Variables that change BLAS threads or kernels, as set for this run.
  var environment: [String: String]

  /// Variables reported in ``environment``.
  static let environmentVariables = [
    "OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OPENBLAS_VERBOSE", "OPENBLAS_L2_SIZE",
    "GOTO_NUM_THREADS", "OMP_NUM_THREADS",
  ]

  /// Gathers the report; `speedSeconds` of sgemm, or none when nil.
  static func gather(
    modelsOption: String?, databaseOption: String?, speedSeconds: Double?,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> InfoReport {
    let system = SystemReport.gather(
      measureSpeed: speedSeconds != nil, seconds: speedSeconds ?? 0)
    let (folder, folderSource) = modelsFolder(option: modelsOption, environment: environment)
    var models: [ModelFileChecksum] = []
    var modelsError: String?
    do {
      models = try ModelFileChecksum.scan(folder: folder)
    } catch {
      modelsError = "cannot read \(folder.path): \(error.localizedDescription)"
    }
    let (database, databaseSource): (String, String) =
      if let databaseOption, !databaseOption.isEmpty {
        (DatabaseURL.masked(databaseOption), "--database")
      } else if let variable = environment["EMOCL_DATABASE"], !variable.isEmpty {
        (DatabaseURL.masked(variable), "EMOCL_DATABASE")
      } else {
        (ServiceConfiguration().database.masked, "default")
      }
    let int8Models = models.map(\.name).filter { name in
      guard let card = try? ModelFile.read(from: folder.appendingPathComponent(name)).card
      else { return false }
      return card.kind == .cnn && card.architecture["int8"] != nil
    }
    return InfoReport(
      version: EmoclVersion.string, system: system, kernelSummary: system.kernel.summary,
      modelsFolder: folder.path, modelsFolderSource: folderSource, models: models,
      modelsError: modelsError, int8Models: int8Models, database: database,
      databaseSource: databaseSource,
      environment: environment.filter { environmentVariables.contains($0.key) })
  }

  /// `--models`, else `EMOCL_MODELS`, else the repository's `Models/` (as `emocl serve` finds
  /// it), else `Models` in the current directory.
  static func modelsFolder(option: String?, environment: [String: String]) -> (URL, String) {
    if let option, !option.isEmpty { return (URL(fileURLWithPath: option), "--models") }
    if let variable = environment[ModelLocator.environmentVariable], !variable.isEmpty {
      return (URL(fileURLWithPath: variable), ModelLocator.environmentVariable)
    }
    let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    if let repository = ModelLocator.runningExecutable.flatMap(
      ModelLocator.repositoryModelsDirectory)
      ?? ModelLocator.repositoryModelsDirectory(from: current)
    {
      return (repository, "the repository's Models/")
    }
    return (current.appendingPathComponent("Models"), "default")
  }
}
