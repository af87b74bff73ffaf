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
  static func connect(port: Int, timeout: Int = 2) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var limit = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    #expect(connected == 0)
    return fd
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
        let fd = try Self.connect(port: port)
        defer { close(fd) }
        Self.send(fd, Self.head(length: image.count, expect: expect))
        let interim = Self.read(fd) { $0.contains("\r\n\r\n") }
        #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"), "\(interim.prefix(100))")
        Self.send(fd, image)
        let answer = Self.read(fd) { $0.contains("\r\n\r\n") && $0.contains("}") }
        #expect(answer.hasPrefix("HTTP/1.1 200 OK"), "\(answer.prefix(100))")
        // A second request on the same connection gets its own interim answer.
        Self.send(fd, Self.head(length: image.count, expect: expect))
        let again = Self.read(fd) { $0.contains("\r\n\r\n") }
        #expect(again.hasPrefix("HTTP/1.1 100 Continue\r\n"), "\(again.prefix(100))")
        Self.send(fd, image)
        #expect(Self.read(fd) { $0.contains("}") }.hasPrefix("HTTP/1.1 200 OK"))
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
      // Without the expectation, nothing comes before the body.
      let plain = try Self.connect(port: port, timeout: 1)
      defer { close(plain) }
      Self.send(plain, Self.head(length: 500, expect: nil))
      #expect(Self.read(plain) { !$0.isEmpty } == "")
      // A body over every route's limit: the route's 413 at once, no interim answer.
      let large = try Self.connect(port: port)
      defer { close(large) }
      Self.send(large, Self.head(length: 5000, expect: "100-continue"))
      let answer = Self.read(large) { $0.contains("\r\n\r\n") }
      #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(100))")
    }
  }
}
