import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Service
import TestSupport

/// Builds multipart/form-data bodies.
struct MultipartBody {
  let boundary = "emocl-test-boundary-\(UInt32.random(in: 0...UInt32.max))"
  var bytes: [UInt8] = []

  var contentType: String { "multipart/form-data; boundary=\(boundary)" }

  mutating func add(name: String, filename: String?, contentType: String?, body: [UInt8]) {
    var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\""
    if let filename { head += "; filename=\"\(filename)\"" }
    head += "\r\n"
    if let contentType { head += "Content-Type: \(contentType)\r\n" }
    bytes += Array((head + "\r\n").utf8) + body + Array("\r\n".utf8)
  }

  func finished() -> [UInt8] { bytes + Array("--\(boundary)--\r\n".utf8) }
}

/// A service over a fresh SQLite file (or the given store) with the test analyzer.
struct Harness {
  let directory: TemporaryDirectory
  let sqlite: SQLStore
  let store: FlakyStore
  let service: EmoclService

  init(
    configure: (inout ServiceConfiguration) -> Void = { _ in },
    analyzer: any EmotionAnalyzer = TestAnalyzer(),
    now: @escaping @Sendable () -> Int64 = EmoclService.systemNow
  ) throws {
    directory = try TemporaryDirectory()
    var configuration = ServiceConfiguration()
    configuration.port = 0
    configuration.database = .sqlite(path: directory.url.appendingPathComponent("t.sqlite").path)
    configuration.keyRefreshInterval = .zero
    configure(&configuration)
    sqlite = try SQLStore(url: configuration.database, logger: Self.logger)
    store = FlakyStore(sqlite)
    service = EmoclService(
      configuration: configuration, analyzer: analyzer, store: store, logger: Self.logger, now: now)
  }

  static var logger: Logger {
    var logger = Logger(label: "emocl-test")
    logger.logLevel = .critical
    return logger
  }

  /// Runs `body` against the in-process router, then removes the temporary files.
  func test<T: Sendable>(
    _ framework: TestingSetup = .router,
    _ body: @Sendable (any TestClientProtocol) async throws -> T
  ) async throws -> T {
    defer { directory.cleanup() }
    let app = try service.makeApplication()
    return try await app.test(framework) { client in try await body(client) }
  }
}

extension TestResponse {
  var data: Data { Data(body.readableBytesView) }
  var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }
  var json: Any? { try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) }
  var object: [String: Any] { json as? [String: Any] ?? [:] }
}
