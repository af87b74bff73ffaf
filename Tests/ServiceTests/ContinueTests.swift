import Foundation
import Service
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `Expect: 100-continue`: the server answers `100 Continue` to a head announcing a body it
/// may take, before the body is sent, then the request's own answer; a body larger than any
/// route takes gets its 413 without the interim answer.
@Suite("Expect: 100-continue", .serialized)
struct ContinueTests {
  /// A connected loopback socket to `port`, reads timing out after `timeout` seconds.
  static func connect(port: Int, timeout: Int = 5) throws -> Int32 {
    try RawHTTP.connect(port: port, timeout: timeout)
  }

  static func send(_ fd: Int32, _ bytes: [UInt8]) {
    let sent = bytes.withUnsafeBytes {
      Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
    }
    #expect(sent == bytes.count)
  }

  /// What arrives until `done` holds of it, the connection closes, or a read times out.
  static func read(_ fd: Int32, until done: (String) -> Bool) -> String {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !done(String(decoding: received, as: UTF8.self)) {
      let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n <= 0 { break }
      received += buffer[0..<n]
    }
    return String(decoding: received, as: UTF8.self)
  }

  static func head(length: Int, expect: String?) -> [UInt8] {
    var text = "POST /api/v1/analyze?store=false HTTP/1.1\r\nHost: x\r\n"
    text += "Content-Type: image/jpeg\r\nContent-Length: \(length)\r\n"
    if let expect { text += "Expect: \(expect)\r\n" }
    return Array((text + "\r\n").utf8)
  }

  @Test("100 Continue comes before the body is sent, then the answer")
  func continueBeforeTheBody() async throws {
    let harness = try Harness()
    defer { harness.directory.cleanup() }
    try await LiveServerTests.withServer(harness.service) { port, _ in
      let image = TestImages.jpeg(width: 64, height: 64)
      for expect in ["100-continue", "100-Continue"] {
        // What arrived after each step: the head, the body, the second head, its body.
        let steps = try await RawHTTP.offPool {
          let fd = try Self.connect(port: port)
          defer { close(fd) }
          Self.send(fd, Self.head(length: image.count, expect: expect))
          let interim = Self.read(fd) { $0.contains("\r\n\r\n") }
          Self.send(fd, image)
          let answer = Self.read(fd) { $0.contains("\r\n\r\n") && $0.contains("}") }
          // A second request on the same connection gets its own interim answer.
          Self.send(fd, Self.head(length: image.count, expect: expect))
          let again = Self.read(fd) { $0.contains("\r\n\r\n") }
          Self.send(fd, image)
          return [interim, answer, again, Self.read(fd) { $0.contains("}") }]
        }
        for (step, prefix) in zip(
          steps, ["100 Continue\r\n", "200 OK", "100 Continue\r\n", "200 OK"])
        {
          #expect(step.hasPrefix("HTTP/1.1 " + prefix), "\(step.prefix(100))")
        }
      }
    }
  }

  @Test("no 100 Continue without the expectation, nor for a body no route takes")
  func noContinue() async throws {
    let harness = try Harness(configure: {
      $0.maxBodyBytes = 1000
      $0.maxBatchBytes = 1000
      $0.maxVideoBytes = 2000
    })
    defer { harness.directory.cleanup() }
    try await LiveServerTests.withServer(harness.service) { port, _ in
      let (plain, large) = try await RawHTTP.offPool {
        // Without the expectation, nothing comes before the body.
        let plain = try Self.connect(port: port, timeout: 1)
        defer { close(plain) }
        Self.send(plain, Self.head(length: 500, expect: nil))
        // A body over every route's limit: the route's 413 at once, no interim answer.
        let large = try Self.connect(port: port)
        defer { close(large) }
        Self.send(large, Self.head(length: 5000, expect: "100-continue"))
        return (Self.read(plain) { !$0.isEmpty }, Self.read(large) { $0.contains("\r\n\r\n") })
      }
      #expect(plain == "")
      #expect(large.hasPrefix("HTTP/1.1 413"), "\(large.prefix(100))")
    }
  }
}
