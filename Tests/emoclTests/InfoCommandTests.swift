import Foundation
import TestSupport
import Testing

/// `emocl info` run as a program, with the BLAS variables of this test run removed, so the
/// kernel choice (and its re-execution) happens as it would for a user.
@Suite struct InfoCommandTests {
  static let cleared = [
    "OPENBLAS_CORETYPE", "EMOCL_BLAS_KERNEL_STATE", "EMOCL_BLAS_SIMULATE_LIBRARY_CHOICE",
    "EMOCL_BLAS_SELFTEST_FAIL", "EMOCL_DATABASE", "EMOCL_MODELS",
  ]

  /// Runs `emocl info ARGUMENTS` with `environment` added to a cleared copy of this one.
  static func info(_ arguments: [String], environment: [String: String] = [:]) throws -> (
    status: Int32, output: String, error: String
  ) {
    try runCLI(["info"] + arguments, environment: environment, removing: cleared)
  }

  /// `info --format json` without the speed measurement, parsed.
  static func json(_ arguments: [String] = [], environment: [String: String] = [:]) throws
    -> (report: [String: Any], error: String)
  {
    let run = try info(
      ["--format", "json", "--speed-seconds", "0"] + arguments, environment: environment)
    #expect(run.status == 0, "\(run.error)")
    let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8))
    return (try #require(object as? [String: Any]), run.error)
  }

  static func kernel(_ report: [String: Any]) throws -> (core: String, choice: [String: Any]) {
    let system = try #require(report["system"] as? [String: Any])
    let kernel = try #require(system["kernel"] as? [String: Any])
    let selfTest = try #require(kernel["selfTest"] as? [String: Any])
    #expect(selfTest["failure"] == nil)
    #expect(selfTest["passed"] as? Bool == true)
    return (
      try #require(kernel["core"] as? String), try #require(kernel["choice"] as? [String: Any])
    )
  }

  static func supportedCores(_ report: [String: Any]) throws -> [String] {
    let system = try #require(report["system"] as? [String: Any])
    return try #require(system["supportedCores"] as? [String])
  }

  @Test func withNothingSetTheBestCoreRuns() throws {
    let (report, error) = try Self.json()
    let cores = try Self.supportedCores(report)
    let (core, choice) = try Self.kernel(report)
    // OpenBLAS's own choice is kept only if it is as good as the best this CPU runs (or a
    // core newer than Emocl's table); otherwise Emocl chose the best.
    if choice["emocl"] != nil { #expect(core == cores.first) }
    #expect(choice["user"] == nil)
    #expect(error.isEmpty, "\(error)")
    #expect(report["version"] as? String != nil)
    #expect((report["environment"] as? [String: String])?["OPENBLAS_CORETYPE"] == nil)
  }

  @Test func usersCoreTypeIsKept() throws {
    let (report, _) = try Self.json(environment: ["OPENBLAS_CORETYPE": "Prescott"])
    let (core, choice) = try Self.kernel(report)
    #expect(core == "Prescott")
    #expect(choice["user"] != nil)
    #expect((report["environment"] as? [String: String])?["OPENBLAS_CORETYPE"] == "Prescott")
  }

  @Test func unknownCPUIsGivenTheBestCoreByReexecution() throws {
    // As on a CPU OpenBLAS does not know: it "chooses" Prescott by itself.
    let (report, error) = try Self.json(environment: [
      "OPENBLAS_CORETYPE": "Prescott", "EMOCL_BLAS_SIMULATE_LIBRARY_CHOICE": "1",
    ])
    let cores = try Self.supportedCores(report)
    try #require(cores.first != "Prescott", "this CPU runs nothing better than Prescott")
    let (core, choice) = try Self.kernel(report)
    #expect(core == cores.first)
    let emocl = try #require(choice["emocl"] as? [String: Any])
    #expect(emocl["libraryCore"] as? String == "Prescott")
    #expect(error.isEmpty, "\(error)")
    // The variables Emocl set are gone once it runs: children choose for themselves.
    #expect((report["environment"] as? [String: String])?["OPENBLAS_CORETYPE"] == nil)
  }

  @Test func coreFailingTheSelfTestIsReplacedAndSaidSoOnce() throws {
    let (probe, _) = try Self.json()
    let cores = try Self.supportedCores(probe)
    try #require(cores.count >= 3)
    let (report, error) = try Self.json(environment: [
      "OPENBLAS_CORETYPE": "Prescott", "EMOCL_BLAS_SIMULATE_LIBRARY_CHOICE": "1",
      "EMOCL_BLAS_SELFTEST_FAIL": cores[0],
    ])
    let (core, choice) = try Self.kernel(report)
    #expect(core == cores[1])
    let emocl = try #require(choice["emocl"] as? [String: Any])
    #expect(emocl["failed"] as? [String] == [cores[0]])
    let lines = error.split(separator: "\n").filter { $0.contains("self-test") }
    #expect(lines.count == 1)
    #expect(lines.first?.contains(cores[0]) == true)
  }

  @Test func passwordsNeverAppear() throws {
    let secret = "s3cr3t-Pa55"
    let url = "postgres://alice:\(secret)@db.example:5432/emocl?sslmode=require"
    for format in ["text", "json"] {
      let byOption = try Self.info(
        ["--format", format, "--speed-seconds", "0", "--database", url])
      #expect(byOption.status == 0)
      #expect(!byOption.output.contains(secret))
      #expect(byOption.output.contains("alice:****@db.example:5432/emocl"))
      let byVariable = try Self.info(
        ["--format", format, "--speed-seconds", "0"], environment: ["EMOCL_DATABASE": url])
      #expect(!byVariable.output.contains(secret))
      #expect(byVariable.output.contains("EMOCL_DATABASE"))
      // A URL that does not parse is not shown at all.
      let broken = try Self.info(
        ["--format", format, "--speed-seconds", "0", "--database", "postgres://alice:\(secret)@"])
      #expect(!broken.output.contains(secret))
      #expect(!broken.error.contains(secret))
    }
  }

  @Test func modelsAreListedWithTheirChecksums() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "emocl-info-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("hello".utf8).write(to: folder.appendingPathComponent("tiny.safetensors"))
    try Data("not a model".utf8).write(to: folder.appendingPathComponent("notes.txt"))
    let (report, _) = try Self.json(["--models", folder.path])
    let models = try #require(report["models"] as? [[String: Any]])
    #expect(models.count == 1)
    #expect(models.first?["name"] as? String == "tiny.safetensors")
    #expect(
      models.first?["sha256"] as? String
        == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
    #expect(models.first?["bytes"] as? Int == 5)
  }

  /// The shipped CNN's card holds 8-bit ranges: the report names it, the unreadable file not.
  @Test func cnnModelsWithEightBitRangesAreNamed() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "emocl-info-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createSymbolicLink(
      at: folder.appendingPathComponent("cnn.safetensors"),
      withDestinationURL: SharedData.repositoryRoot.appendingPathComponent(
        "Models/cnn.safetensors"))
    try Data("hello".utf8).write(to: folder.appendingPathComponent("tiny.safetensors"))
    let (report, _) = try Self.json(["--models", folder.path])
    #expect(report["int8Models"] as? [String] == ["cnn.safetensors"])
    let text = try Self.info(["--models", folder.path, "--speed-seconds", "0"])
    #expect(text.output.contains("8-bit ranges in its card"), "\(text.output)")
  }

  @Test func textReportHasEverySubjectAndTheSpeed() throws {
    let run = try Self.info(["--speed-seconds", "0.2"])
    #expect(run.status == 0)
    for label in [
      "Emocl", "CPU", "features", "BLAS", "kernels", "threads", "sgemm", "models", "database",
    ] {
      #expect(run.output.contains("\n\(label) ") || run.output.hasPrefix("\(label) "), "\(label)")
    }
    #expect(run.output.contains("GFLOP/s on 1 thread"))
    #expect(run.output.contains("self-test passed"))
  }

  /// The face detector's kernels are named, as the CPU allows (what `emocl-bench cnn-faces
  /// --pnet-kernels best` runs).
  @Test func detectorKernelsAreNamed() throws {
    let (report, _) = try Self.json()
    let features =
      try #require(
        (report["system"] as? [String: Any])?["cpu"] as? [String: Any])["features"] as? [String]
    let expected: String? =
      features?.contains("AVX-512F") == true
      ? "AVX-512"
      : features?.contains("AVX2") == true && features?.contains("FMA") == true ? "AVX2+FMA" : nil
    #expect(report["detectorKernels"] as? String == expected)
    let text = try Self.info(["--speed-seconds", "0"])
    #expect(text.output.contains("face detector (MTCNN): "), "\(text.output)")
  }
}
