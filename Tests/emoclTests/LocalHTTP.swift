import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A blocking HTTP/1.1 client for 127.0.0.1 over a plain socket, for talking to chromedriver:
/// Foundation's URLSession on Linux refuses its headers (`Content-Length:250`, no space).
enum LocalHTTP {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Sends one request with `Connection: close` and returns the status and body; `timeout`
  /// bounds each read and write.
  static func request(
    _ method: String, port: Int, path: String, body: [UInt8] = [], contentType: String? = nil,
    timeout: Double
  ) throws -> (status: Int, body: [UInt8]) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Failure(description: "socket() failed") }
    defer { close(fd) }
    var limit = timeval(
      tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      throw Failure(description: "cannot connect to 127.0.0.1:\(port) (errno \(errno))")
    }
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    head += "Content-Length: \(body.count)\r\n"
    if let contentType { head += "Content-Type: \(contentType)\r\n" }
    let message = Array((head + "\r\n").utf8) + body
    var sent = 0
    while sent < message.count {
      let n = message[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
      guard n > 0 else { throw Failure(description: "send failed (errno \(errno))") }
      sent += n
    }
    // Reads until the headers' Content-Length is satisfied (chromedriver keeps the connection
    // open despite `Connection: close`) or the peer closes.
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    let separator: [UInt8] = [13, 10, 13, 10]
    var headerEnd: Range<Int>?
    var expected: Int?
    while true {
      if headerEnd == nil, let end = response.firstRange(of: separator) {
        headerEnd = end
        for line in String(decoding: response[..<end.lowerBound], as: UTF8.self)
          .split(separator: "\r\n")
        where line.lowercased().hasPrefix("content-length:") {
          expected = Int(
            line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        }
      }
      if let end = headerEnd, let expected, response.count - end.upperBound >= expected { break }
      let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n == 0 { break }
      guard n > 0 else {
        throw Failure(description: "no answer from port \(port) (errno \(errno))")
      }
      response += buffer[0..<n]
    }
    guard let end = headerEnd ?? response.firstRange(of: separator) else {
      throw Failure(description: "malformed HTTP answer from port \(port)")
    }
    let statusLine =
      String(decoding: response[..<end.lowerBound], as: UTF8.self)
      .split(separator: "\r\n").first ?? ""
    let parts = statusLine.split(separator: " ")
    guard parts.count >= 2, let status = Int(parts[1]) else {
      throw Failure(description: "malformed status line '\(statusLine)'")
    }
    return (status, Array(response[end.upperBound...]))
  }
}
