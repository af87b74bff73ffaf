import Foundation
import Testing

/// `emocl serve` started as a user starts it, for tests that talk to the real binary.
enum ServeProcess {
  struct NotStarted: Error, CustomStringConvertible {
    var description: String
  }

  /// Starts `emocl serve` on a free port with a model folder and a database URL; returns the
  /// process and its port (read from the "listening" log line). The log keeps being drained, so
  /// the server never blocks on a full pipe.
  static func start(models: URL, database: String, arguments: [String] = []) async throws
    -> (Process, Int)
  {
    let process = Process()
    process.executableURL = ServeCommandTests.binary
    process.arguments =
      [
        // No video workers: tests share one PostgreSQL database, and a server's worker would
        // take the video jobs of the worker test (with another upload folder).
        "serve", "--port", "0", "--models", models.path, "--database", database, "--workers", "0",
      ] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging([
      "EMOCL_LOG_LEVEL": "info"
    ]) { $1 }
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    var log = ""
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline, process.isRunning {
      let data = err.fileHandleForReading.availableData
      if data.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
      log += String(decoding: data, as: UTF8.self)
      if let range = log.range(of: #"port=(\d+)"#, options: .regularExpression),
        let port = Int(log[range].dropFirst(5))
      {
        err.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
        return (process, port)
      }
    }
    if process.isRunning { process.terminate() }
    throw NotStarted(description: "emocl serve did not start: \(log)")
  }
}
