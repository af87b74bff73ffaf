import Foundation
import TestSupport
import Testing

/// Runs the built `emocl` binary (beside the test bundle in the build folder).
private func emocl(_ arguments: [String], environment: [String: String] = [:]) throws
  -> (status: Int32, output: String, error: String)
{
  let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  let candidates = [
    folder.appendingPathComponent("emocl"),
    folder.deletingLastPathComponent().appendingPathComponent("emocl"),
    SharedData.repositoryRoot.appendingPathComponent(".build/release/emocl"),
  ]
  let binary = try #require(
    candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
    "emocl binary not found near \(folder.path)")
  let process = Process()
  process.executableURL = binary
  process.arguments = arguments
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
  let output = Pipe()
  let error = Pipe()
  process.standardOutput = output
  process.standardError = error
  try process.run()
  let out = output.fileHandleForReading.readDataToEndOfFile()
  let err = error.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (
    process.terminationStatus, String(decoding: out, as: UTF8.self),
    String(decoding: err, as: UTF8.self)
  )
}

@Suite struct PredictCommandTests {
  @Test func missingModelIsAClearError() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let result = try emocl(
      ["predict", "x.jpg", "--model", dir.url.appendingPathComponent("none.safetensors").path])
    #expect(result.status != 0)
    #expect(result.error.contains("model file not found"), "\(result.error)")
    let named = try emocl(
      ["predict", "x.jpg", "--model", "nosuchmodel", "--models", dir.url.path],
      environment: ["EMOCL_MODELS": ""])
    #expect(named.status != 0)
    #expect(named.error.contains("'nosuchmodel' not found"), "\(named.error)")
  }

  @Test func badOptionsAreRejectedBeforeWork() throws {
    for arguments in [
      ["predict", "x.jpg", "--boxes", "[[1, 2, 3]]"],
      ["predict", "x.jpg", "--boxes", "not json"],
      ["predict", "x.jpg", "--max-faces", "0"],
      ["predict", "x.jpg", "--format", "xml"],
      ["predict"],
    ] {
      let result = try emocl(arguments)
      #expect(result.status == 64, "\(arguments): \(result.status) \(result.error)")
      #expect(result.output.isEmpty)
    }
  }
}
