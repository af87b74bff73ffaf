import Foundation
import Hummingbird
import HummingbirdTLS
import HummingbirdTesting
import Logging
import Service
import ServiceLifecycle
import TestSupport
import Testing

/// A real server on a loopback port: graceful shutdown, HTTPS, and a PostgreSQL that is down.
@Suite("Live server", .serialized)
struct LiveServerTests {
  /// Runs the service in a ServiceGroup, calls `body` with its port, then shuts it down.
  /// A server over a fresh harness whose configuration `configure` changes; `body` gets its port.
  static func withServer(
    configure: (inout ServiceConfiguration) -> Void, _ body: @Sendable (Int) async throws -> Void
  ) async throws {
    let harness = try Harness(configure: configure)
    defer { harness.directory.cleanup() }
    try await withServer(harness.service) { port, _ in try await body(port) }
  }

  static func withServer(
    _ service: EmoclService,
    _ body: @Sendable (Int, ServiceGroup) async throws -> Void
  ) async throws {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = try service.makeApplication(onServerRunning: { continuation.yield($0) })
    let group = ServiceGroup(
      configuration: .init(services: [app], logger: Harness.logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      var iterator = ports.makeAsyncIterator()
      let port = try #require(await iterator.next())
      // A failing body still lets the server stop by itself before the error leaves the group:
      // leaving the group with the server running cancels it, and NIO traps when a
      // connection's writer is dropped unfinished that way (a failed expectation became a
      // crash of the whole test process).
      var failure: (any Error)?
      do {
        try await body(port, group)
      } catch {
        failure = error
      }
      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
      if let failure { throw failure }
    }
  }

  @Test("graceful shutdown finishes the request in flight")
  func gracefulShutdown() async throws {
    var analyzer = TestAnalyzer()
    analyzer.delay = .milliseconds(800)
    let harness = try Harness(analyzer: analyzer)
    defer { harness.directory.cleanup() }
    try await Self.withServer(harness.service) { port, group in
      try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
        async let response = client.post(
          "/api/v1/analyze", headers: [.contentType: "image/jpeg"],
          body: ByteBuffer(bytes: RouteTests.jpeg))
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        await group.triggerGracefulShutdown()
        let r = try await response
        #expect(r.status == .ok)
        #expect(ContinuousClock.now - started < .seconds(5))
      }
    }
    // The request finished, so its record was written.
    #expect(try await harness.sqlite.list(AnalysisFilter(), before: nil, limit: 5).count == 1)
  }

  @Test("HTTPS with --tls-cert and --tls-key")
  func tls() async throws {
    let harness = try Harness(configure: {
      $0.tlsCertificate = SharedData.fixture("ServiceTests", "test-cert.pem").path
      $0.tlsKey = SharedData.fixture("ServiceTests", "test-key.pem").path
    })
    defer { harness.directory.cleanup() }
    try await Self.withServer(harness.service) { port, _ in
      var tls = TLSConfiguration.makeClientConfiguration()
      tls.trustRoots = .certificates(
        try NIOSSLCertificate.fromPEMFile(SharedData.fixture("ServiceTests", "test-cert.pem").path))
      try await TestClient.withClient(
        host: "localhost", port: port,
        configuration: .init(tlsConfiguration: tls, serverName: "localhost")
      ) { client in
        let r = try await client.get("/healthz")
        #expect(r.status == .ok)
      }
    }
  }

  @Test("PostgreSQL down from the start: readyz names it, /api fails closed with 503")
  func postgresDown() async throws {
    var configuration = ServiceConfiguration()
    configuration.port = 0
    configuration.database = try DatabaseURL.parse(
      "postgres://emocl@127.0.0.1:1/none?sslmode=disable")
    let store = try SQLStore(
      url: configuration.database, logger: Harness.logger, timeout: .seconds(1))
    let service = EmoclService(
      configuration: configuration, analyzer: TestAnalyzer(), store: store,
      storeServices: store.services, logger: Harness.logger)
    try await Self.withServer(service) { port, _ in
      try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
        #expect(try await client.get("/healthz").status == .ok)
        let ready = try await client.get("/readyz")
        #expect(ready.status == .serviceUnavailable)
        let detail = ready.body.map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? ""
        #expect(detail.contains("PostgreSQL 127.0.0.1:1/none"))
        // API keys cannot be read, so /api refuses rather than opening up.
        let analyze = try await client.post(
          "/api/v1/analyze?store=false", headers: [.contentType: "image/jpeg"],
          body: ByteBuffer(bytes: RouteTests.jpeg))
        #expect(analyze.status == .serviceUnavailable)
        #expect(analyze.headers[.retryAfter] != nil)
      }
    }
  }
}
