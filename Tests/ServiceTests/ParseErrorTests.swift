import Foundation
import Service
import TestSupport
import Testing

/// Requests the HTTP/1 decoder cannot read get a problem+json answer and a closed connection,
/// as every other error does: 431 for a head over the limits, 400 for the rest.
@Suite("Unreadable requests", .serialized)
struct ParseErrorTests {
  /// The status line and the body of the server's answer to `request`.
  static func answer(port: Int, _ request: [UInt8]) async throws -> (
    status: String, body: [String: Any]
  ) {
    let bytes = try await RawHTTP.offPool { try RawHTTP.exchange(port: port, request: request) }
    let text = String(decoding: bytes, as: UTF8.self)
    // ("\r\n" is one Character: split on the string.)
    let status = text.components(separatedBy: "\r\n").first ?? ""
    let parts = text.components(separatedBy: "\r\n\r\n")
    #expect(
      text.lowercased().contains("content-type: application/problem+json"), "\(text.prefix(200))")
    let body = parts.count > 1 ? parts[1] : ""
    let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    return (status, json ?? [:])
  }

  @Test("an unreadable head is answered with problem+json, then the server goes on")
  func unreadableHeads() async throws {
    let harness = try Harness()
    defer { harness.directory.cleanup() }
    try await LiveServerTests.withServer(harness.service) { port, _ in
      let long =
        Array("GET /api/v1/models?tag=".utf8) + [UInt8](repeating: 97, count: 100_000)
        + Array(" HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
      let header =
        Array("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ".utf8)
        + [UInt8](repeating: 98, count: 100_000) + Array("\r\n\r\n".utf8)
      for request in [long, header] {
        let (status, body) = try await Self.answer(port: port, request)
        #expect(status == "HTTP/1.1 431 Request Header Fields Too Large")
        #expect(body["type"] as? String == "/problems/headers-too-large")
        #expect(body["status"] as? Int == 431)
      }
      for request in [
        "GARBAGE\r\n\r\n",
        "POST /api/v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      ] {
        let (status, body) = try await Self.answer(port: port, Array(request.utf8))
        #expect(status == "HTTP/1.1 400 Bad Request", "\(request.debugDescription)")
        #expect(body["type"] as? String == "/problems/bad-request")
      }
      let fine = try await RawHTTP.offPool {
        try RawHTTP.status(port: port, method: "GET", target: "/healthz")
      }
      #expect(fine == 200)
    }
  }
}
