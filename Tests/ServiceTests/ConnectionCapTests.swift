import Foundation
import Service
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The server's caps on open connections, in all and per client address: a connection over a
/// cap is answered 503 `too-many-connections` at once and closed; closed connections free
/// their places.
@Suite("Connection caps", .serialized)
struct ConnectionCapTests {
  @Test("the gate counts per address and in all, and frees places on release")
  func gate() {
    let gate = ConnectionGate(maxConnections: 3, maxPerClient: 2)
    #expect(gate.admit("10.0.0.1") == nil && gate.admit("10.0.0.1") == nil)
    #expect(gate.admit("10.0.0.1") == .client)
    #expect(gate.admit("10.0.0.2") == nil)
    #expect(gate.admit("10.0.0.3") == .server)
    #expect(gate.admit(nil) == .server)
    gate.release("10.0.0.1")
    #expect(gate.admit("10.0.0.3") == nil)
    #expect(gate.counts.open == 3 && gate.counts.refused == ["client": 1, "server": 2])
    for client in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] { gate.release(client) }
    #expect(gate.counts.open == 0)
    #expect(gate.admit("10.0.0.1") == nil && gate.admit("10.0.0.1") == nil)
  }

  /// What each of `count` connections opened at once reads within 1 s without sending anything
  /// (the server answers refused ones unasked), then closes them all.
  static func openAtOnce(port: Int, count: Int) throws -> [String] {
    var sockets: [Int32] = []
    defer { for fd in sockets { close(fd) } }
    for _ in 0..<count { sockets.append(try RawHTTP.connect(port: port, timeout: 1)) }
    var answers: [String] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    for fd in sockets {
      var response: [UInt8] = []
      while true {
        // The receive timeout (1 s) ends the wait of an admitted connection.
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        response += buffer[0..<n]
      }
      answers.append(String(decoding: response, as: UTF8.self))
    }
    return answers
  }

  static func withServer(
    maxConnections: Int, perClient: Int, _ body: @Sendable (Int) async throws -> Void
  ) async throws {
    try await LiveServerTests.withServer(
      configure: {
        $0.maxConnections = maxConnections
        $0.maxConnectionsPerClient = perClient
      }, body)
  }

  @Test(
    "connections over a cap get 503 too-many-connections; the others are served",
    arguments: [(total: 100, perClient: 3), (total: 3, perClient: 100)])
  func overCap(limits: (total: Int, perClient: Int)) async throws {
    try await Self.withServer(maxConnections: limits.total, perClient: limits.perClient) {
      port in
      let answers = try await RawHTTP.offPool { try Self.openAtOnce(port: port, count: 5) }
      let refused = answers.filter { $0.hasPrefix("HTTP/1.1 503") }
      let silent = answers.filter(\.isEmpty)
      #expect(refused.count == 2 && silent.count == 3, "\(answers)")
      let answer = try #require(refused.first)
      let expected = limits.total == 3 ? "the server has 3 connections open" : "this address has 3"
      #expect(answer.contains("\"type\":\"/problems/too-many-connections\""))
      #expect(answer.contains(expected), "\(answer)")
      #expect(answer.lowercased().contains("retry-after: 1"))
      #expect(answer.lowercased().contains("connection: close"))
      // Their places are free again once they close: a request is served.
      var status = 0
      for _ in 0..<20 {
        status = try await RawHTTP.offPool {
          try RawHTTP.status(port: port, method: "GET", target: "/healthz")
        }
        if status == 200 { break }
        try await Task.sleep(for: .milliseconds(100))
      }
      #expect(status == 200)
      let metrics = try await RawHTTP.offPool {
        try RawHTTP.exchange(
          port: port,
          request: Array("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
      }
      let reason = limits.total == 3 ? "server" : "client"
      #expect(
        String(decoding: metrics, as: UTF8.self).contains(
          "emocl_connections_refused_total{reason=\"\(reason)\"} 2"))
    }
  }

  @Test("the caps are read from the environment and checked")
  func configuration() throws {
    let c = try ServiceConfiguration.fromEnvironment([
      "EMOCL_MAX_CONNECTIONS": "50", "EMOCL_MAX_CONNECTIONS_PER_CLIENT": "5",
    ])
    #expect(c.maxConnections == 50 && c.maxConnectionsPerClient == 5)
    #expect(ServiceConfiguration().maxConnections == 1024)
    for bad in ["0", "-1", "x", "1000001"] {
      #expect(throws: ConfigurationError.self) {
        try ServiceConfiguration.fromEnvironment(["EMOCL_MAX_CONNECTIONS": bad])
      }
    }
  }
}
