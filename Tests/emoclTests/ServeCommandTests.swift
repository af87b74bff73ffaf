import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `emocl keys` and `emocl serve` as a user runs them: the built binary, a temporary SQLite file.
@Suite("emocl serve and keys", .serialized)
struct ServeCommandTests {
  /// `.build/<config>/emocl`, beside the test bundle.
  static var binary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("emocl")
  }

  static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: outData, as: UTF8.self),
      String(decoding: errData, as: UTF8.self)
    )
  }

  @Test("keys create, list and revoke")
  func keys() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let database = "sqlite:" + directory.url.appendingPathComponent("sub/k.sqlite").path
    let created = try Self.run(["keys", "create", "--name", "ci", "--database", database])
    #expect(created.status == 0, "\(created.err)")
    let key = created.out.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(key.hasPrefix("emocl_") && key.count == 49)
    let listed = try Self.run(["keys", "list", "--database", database])
    #expect(listed.out.contains("\t\(key.prefix(12))…\t") && listed.out.contains("\tci"))
    #expect(!listed.out.contains(key))
    #expect(try Self.run(["keys", "revoke", "1", "--database", database]).status == 0)
    let again = try Self.run(["keys", "revoke", "1", "--database", database])
    #expect(again.status != 0 && again.err.contains("no unrevoked key with id 1"))
    #expect(
      try Self.run(["keys", "list", "--database", database]).out.contains("\t-\tci") == false)
  }

  @Test("serve answers /healthz and stops cleanly on SIGTERM")
  func serve() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let process = Process()
    process.executableURL = Self.binary
    process.arguments = ["serve", "--port", "0"]
    process.environment = ProcessInfo.processInfo.environment.merging([
      "EMOCL_DATABASE": "sqlite:" + directory.url.appendingPathComponent("s.sqlite").path,
      "EMOCL_LOG_LEVEL": "info",
    ]) { $1 }
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    // The port appears in the "listening" log line.
    var log = ""
    var port: Int?
    let deadline = ContinuousClock.now + .seconds(30)
    while port == nil, ContinuousClock.now < deadline, process.isRunning {
      let data = err.fileHandleForReading.availableData
      if data.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
      log += String(decoding: data, as: UTF8.self)
      if let range = log.range(of: #"port=(\d+)"#, options: .regularExpression) {
        port = Int(log[range].dropFirst(5))
      }
    }
    let bound = try #require(port, "no port in the log: \(log)")
    let (body, response) = try await URLSession.shared.data(
      from: URL(string: "http://127.0.0.1:\(bound)/healthz")!)
    #expect((response as? HTTPURLResponse)?.statusCode == 200)
    #expect(String(decoding: body, as: UTF8.self).contains("ok"))
    let ready = try await URLSession.shared.data(
      from: URL(string: "http://127.0.0.1:\(bound)/readyz")!)
    #expect([200, 503].contains((ready.1 as? HTTPURLResponse)?.statusCode ?? 0))
    process.terminate()  // SIGTERM
    let stop = ContinuousClock.now + .seconds(10)
    while process.isRunning, ContinuousClock.now < stop {
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(!process.isRunning)
    #expect(process.terminationStatus == 0 && process.terminationReason == .exit, "\(log)")
  }
}
