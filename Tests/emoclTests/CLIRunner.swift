import Foundation
import TestSupport
import Testing

/// Runs the built `emocl` binary (beside the test bundle in the build folder), with a private
/// dataset cache when `cache` is given, `environment` added and the variables in `removing`
/// taken out; returns its exit status, standard output and standard error.
func runCLI(
  _ arguments: [String], cache: URL? = nil, environment: [String: String] = [:],
  removing: [String] = []
) throws -> (status: Int32, output: String, error: String) {
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
  var merged = ProcessInfo.processInfo.environment
  if let cache { merged["EMOCL_CACHE"] = cache.path }
  for name in removing { merged[name] = nil }
  process.environment = merged.merging(environment) { $1 }
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
