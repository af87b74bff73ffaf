import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Sends one HTTP/1.1 request byte for byte over a loopback TCP socket and reads the status
/// code, so tests can use request targets that URL types would normalise (`//api`, `%61pi`,
/// absolute-form targets) — the spellings an attacker's `curl --path-as-is` sends.
enum RawHTTP {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The response status for `method target` with `headers`, or throws when the server closes
  /// or stalls without a status line (5 s).
  static func status(
    port: Int, method: String, target: String, headers: [(String, String)] = [],
    body: [UInt8] = []
  ) throws -> Int {
    var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) {
      text += "Content-Length: \(body.count)\r\n"
    }
    text += "\r\n"
    // A server that answers before reading the whole body (401) may close with unread bytes,
    // and the reset can discard its answer on our side; such an empty exchange is tried again.
    var line = ""
    for _ in 0..<3 {
      let response = try exchange(port: port, request: Array(text.utf8) + body)
      line = String(decoding: response.prefix(while: { $0 != 13 && $0 != 10 }), as: UTF8.self)
      let parts = line.split(separator: " ")
      if parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]) {
        return code
      }
      guard line.isEmpty else { break }
    }
    throw Failure(description: "no status line for \(method) \(target): \(line.debugDescription)")
  }

  /// Runs `body`, which blocks on sockets, on a thread of its own and waits for it without
  /// blocking: the server under test runs its routes on Swift's cooperative threads (one per
  /// core), which a blocked read would take from it while it waits for the server's answer.
  static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Thread { continuation.resume(with: Result { try body() }) }.start()
    }
  }

  /// A loopback TCP socket connected to `port`, its reads and writes timing out after
  /// `timeout` seconds; the caller closes it.
  static func connect(port: Int, timeout seconds: Int = 10) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
    var timeout = timeval(tv_sec: seconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(fd)
      throw Failure(description: "connect: errno \(errno)")
    }
    return fd
  }

  /// Writes `request` and reads until the server closes the connection.
  static func exchange(port: Int, request: [UInt8]) throws -> [UInt8] {
    let fd = try connect(port: port)
    defer { close(fd) }
    var sent = 0
    while sent < request.count {
      let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
      guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
      sent += n
    }
    var response: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16_384)
    while true {
      let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n <= 0 { break }
      response += chunk[0..<n]
    }
    return response
  }
}
