import Foundation
import Service
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Clients that connect and send nothing, half a request head, or a body byte by byte cannot
/// hold a connection beyond the idle and body timeouts.
@Suite("Slow clients", .serialized)
struct SlowClientTests {
  static func withServer(
    idle: Duration = .seconds(1), bodyTimeout: Duration = .seconds(2),
    _ body: @Sendable (Int) async throws -> Void
  ) async throws {
    try await LiveServerTests.withServer(
      configure: {
        $0.idleTimeout = idle
        $0.bodyTimeout = bodyTimeout
      }, body)
  }

  /// Connects, sends `bytes` (in `chunks` spaced by `pause`), and returns what the server sent
  /// and how long until it closed the connection.
  static func hold(
    port: Int, chunks: [[UInt8]], pause: Duration
  ) throws -> (response: String, seconds: Double) {
    let fd = try RawHTTP.connect(port: port)
    defer { close(fd) }
    let start = ContinuousClock.now
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    for chunk in chunks {
      // MSG_NOSIGNAL: a write after the server closed must not kill the test process.
      let sent = chunk.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      Thread.sleep(
        forTimeInterval: Double(pause.components.seconds) + Double(pause.components.attoseconds)
          / 1e18)
      // Read what has arrived so far: a reset after the server closes would discard it.
      let n = buffer.withUnsafeMutableBytes {
        recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
      }
      let failed = n < 0 && errno != EAGAIN && errno != EWOULDBLOCK
      if n > 0 { response += buffer[0..<n] }
      // Closed by the server: a failed send, an end of stream, or a reset.
      if sent < 0 || n == 0 || failed { break }
    }
    while true {
      let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n <= 0 { break }
      response += buffer[0..<n]
    }
    let elapsed = ContinuousClock.now - start
    return (
      String(decoding: response, as: UTF8.self),
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    )
  }

  @Test("a connection that sends nothing is closed after the idle timeout")
  func silent() async throws {
    try await Self.withServer { port in
      let (response, seconds) = try await RawHTTP.offPool {
        try Self.hold(port: port, chunks: [], pause: .zero)
      }
      #expect(response.isEmpty)
      #expect(seconds >= 0.8 && seconds < 5, "closed after \(seconds) s")
    }
  }

  @Test("a request head that never completes is closed after the idle timeout")
  func halfHead() async throws {
    try await Self.withServer { port in
      let head = Array("GET /api/v1/models HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8)
      // One byte of the head every 0.3 s for 6 s: the head never completes.
      let chunks = [head] + Array(repeating: Array("a".utf8), count: 20)
      let (_, seconds) = try await RawHTTP.offPool {
        try Self.hold(port: port, chunks: chunks, pause: .milliseconds(300))
      }
      // The sends take 6 s; the server must have closed long before the last one.
      #expect(seconds < 8, "closed after \(seconds) s")
    }
  }

  @Test("a body that trickles in is cut off after the body timeout (408, connection closed)")
  func slowBody() async throws {
    // An idle timeout well above the pause between chunks, so only the body timeout can end it.
    try await Self.withServer(idle: .seconds(5)) { port in
      let head = Array(
        "POST /api/v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n"
          .utf8)
      // 40 chunks of 10 bytes, one every 0.25 s (10 s): each arrives well within the idle
      // timeout, but the whole body never does within the 2 s body timeout.
      let chunks = [head] + Array(repeating: [UInt8](repeating: 0xFF, count: 10), count: 40)
      let (response, seconds) = try await RawHTTP.offPool {
        try Self.hold(port: port, chunks: chunks, pause: .milliseconds(250))
      }
      // The server answers 408 and closes; a close with our bytes still unread may reset the
      // connection before the answer reaches us, so the close itself is what must come early.
      #expect(seconds < 8, "the connection was held for \(seconds) s")
      if !response.isEmpty {
        #expect(response.hasPrefix("HTTP/1.1 408"), "\(response.prefix(200))")
        #expect(response.contains("/problems/body-timeout"))
      }
    }
  }

  @Test("a client still sending when its body is refused reads the 408, not a reset")
  func answerReachesSender() async throws {
    try await Self.withServer(idle: .seconds(5), bodyTimeout: .seconds(1)) { port in
      let response = try await RawHTTP.offPool { () throws -> String in
        let fd = try RawHTTP.connect(port: port)
        defer { close(fd) }
        let head =
          "POST /api/v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n"
          + "Content-Length: 10000000\r\n\r\n"
        var chunks = [Array(head.utf8)]
        // 2 KB every 0.1 s for 2.5 s, reading nothing meanwhile (as a client busy uploading):
        // the body timeout refuses the body after a second, while bytes keep arriving.
        chunks += Array(repeating: [UInt8](repeating: 0xFF, count: 2048), count: 25)
        for chunk in chunks {
          let sent = chunk.withUnsafeBytes {
            send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
          }
          if sent < 0 { break }
          Thread.sleep(forTimeInterval: 0.1)
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
          let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
          if n <= 0 { break }
          response += buffer[0..<n]
        }
        return String(decoding: response, as: UTF8.self)
      }
      #expect(response.hasPrefix("HTTP/1.1 408"), "\(response.prefix(200))")
      #expect(response.contains("/problems/body-timeout"))
    }
  }

  @Test("an answer given before the body is read closes the connection; a session's body times out")
  func earlyAnswerAndSessionBody() async throws {
    try await Self.withServer(idle: .seconds(5)) { port in
      // A method the route does not take (405), with a body trickled after the head: the
      // answer says Connection: close and the connection ends soon after, not when the body
      // does (Hummingbird read the rest first, for as long as it came).
      let early = Array(
        "POST /api/v1/models HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n"
          .utf8)
      let trickle = Array(repeating: [UInt8](repeating: 0xFF, count: 10), count: 30)
      let (refused, refusedSeconds) = try await RawHTTP.offPool {
        try Self.hold(port: port, chunks: [early] + trickle, pause: .milliseconds(250))
      }
      #expect(refused.hasPrefix("HTTP/1.1 405"), "\(refused.prefix(200))")
      #expect(refused.lowercased().contains("connection: close"))
      #expect(refusedSeconds < 5, "the connection was held for \(refusedSeconds) s")
      // A session's JSON body is held to the body timeout (2 s) like an image's.
      let session = Array(
        "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
          .utf8)
      let (timedOut, seconds) = try await RawHTTP.offPool {
        try Self.hold(port: port, chunks: [session] + trickle, pause: .milliseconds(250))
      }
      #expect(timedOut.hasPrefix("HTTP/1.1 408"), "\(timedOut.prefix(200))")
      #expect(seconds < 6, "the connection was held for \(seconds) s")
    }
  }

  @Test("a client that stops sending mid-body gets a 408 when the idle timeout closes it")
  func stalledBody() async throws {
    try await Self.withServer(idle: .seconds(1), bodyTimeout: .seconds(60)) { port in
      let head = Array(
        "POST /api/v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n"
          .utf8)
      // The head and 1 KB of the body, then nothing: only the idle timeout can end it.
      let (response, seconds) = try await RawHTTP.offPool {
        try Self.hold(
          port: port, chunks: [head, [UInt8](repeating: 0xFF, count: 1024)],
          pause: .milliseconds(100))
      }
      #expect(response.hasPrefix("HTTP/1.1 408"), "\(response.prefix(200))")
      #expect(response.contains("/problems/body-timeout"))
      #expect(seconds < 6, "closed after \(seconds) s")
    }
  }

  @Test(
    "a client that leaves mid-body, closing or resetting, is counted as 499, not as a server error",
    arguments: [false, true])
  func clientLeavesMidBody(reset: Bool) async throws {
    try await Self.withServer(idle: .seconds(5), bodyTimeout: .seconds(5)) { port in
      try await RawHTTP.offPool {
        for _ in 0..<3 {
          let head =
            "POST /api/v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n"
            + "Content-Length: 50000\r\n\r\n"
          // Part of the body, then the connection closed at once.
          let fd = try RawHTTP.connect(port: port)
          let bytes = Array(head.utf8) + [UInt8](repeating: 0xFF, count: 2000)
          _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
          if reset {
            // SO_LINGER with a zero timeout: close sends a reset, as a killed client's kernel
            // or a dropped NAT mapping does.
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(
              fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
          }
          close(fd)
        }
      }
      // The server notices each close when it next reads; give it a moment.
      var analyze: [Substring] = []
      let counted = { (lines: [Substring]) in
        lines.contains { $0.contains("status=\"499\"") && $0.hasSuffix(" 3") }
      }
      for _ in 0..<50 {
        let response = try await RawHTTP.offPool {
          try RawHTTP.exchange(
            port: port,
            request: Array("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        }
        analyze = String(decoding: response, as: UTF8.self).split(separator: "\n").filter {
          $0.hasPrefix("emocl_http_requests_total") && $0.contains("route=\"/api/v1/analyze\"")
        }
        if counted(analyze) { break }
        try await Task.sleep(for: .milliseconds(100))
      }
      #expect(counted(analyze), "\(analyze)")
      let serverErrors = analyze.filter { $0.contains("status=\"500\"") }
      #expect(serverErrors.isEmpty, "\(analyze)")
    }
  }

  @Test("a client that sends requests and never reads the answers is closed after the idle timeout")
  func neverReads() async throws {
    try await Self.withServer(idle: .seconds(1)) { port in
      let fd = try RawHTTP.connect(port: port)
      defer { close(fd) }
      // A small receive buffer, and 200 pipelined requests for a 100 KB document: the answers
      // fill both sides' buffers, and the server cannot write; nothing is ever read here.
      var small: Int32 = 4096
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
      let requests = Array(
        String(repeating: "GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n", count: 200).utf8)
      _ = requests.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      // Stalled for the idle timeout (1 s), then the 2 s linger: closed by 4 s.
      var open = ""
      for _ in 0..<60 {
        try await Task.sleep(for: .milliseconds(100))
        let metrics = try await RawHTTP.offPool {
          try RawHTTP.exchange(
            port: port,
            request: Array("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        }
        open =
          String(decoding: metrics, as: UTF8.self).split(separator: "\n").first {
            $0.hasPrefix("emocl_connections_open ")
          }.map(String.init) ?? ""
        // Only the metrics request's own connection.
        if open == "emocl_connections_open 1" { break }
      }
      #expect(open == "emocl_connections_open 1")
    }
  }
}
