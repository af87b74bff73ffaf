import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A minimal W3C WebDriver client (chromedriver) for the browser test: JSON over HTTP.
struct WebDriver {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  let port: Int
  let session: String

  /// The key of an element reference in WebDriver JSON.
  static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

  /// Sends `body` (or nothing) to `path` on the driver and returns the answer's `value`.
  @discardableResult
  static func call(
    _ method: String, port: Int, _ path: String, _ body: [String: Any]? = nil,
    timeout: Double = 30
  ) throws -> Any? {
    let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
    let answer = try LocalHTTP.request(
      method, port: port, path: path, body: bytes,
      contentType: body == nil ? nil : "application/json", timeout: timeout)
    let json = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
    guard answer.status == 200 else {
      throw Failure(
        description:
          "\(method) \(path): \(String(decoding: answer.body.prefix(600), as: UTF8.self))")
    }
    return json?["value"]
  }

  /// A new headless Chromium session (as root Chromium needs --no-sandbox), with Chromium's
  /// fake camera granted without a prompt.
  static func start(driverPort: Int, chromium: String) async throws -> WebDriver {
    let capabilities: [String: Any] = [
      "capabilities": [
        "alwaysMatch": [
          "browserName": "chrome",
          "goog:chromeOptions": [
            "binary": chromium,
            "args": [
              "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
              "--window-size=1280,1000", "--use-fake-ui-for-media-stream",
              "--use-fake-device-for-media-stream", "--no-first-run",
            ],
          ],
        ]
      ]
    ]
    let value = try call("POST", port: driverPort, "/session", capabilities, timeout: 60)
    guard let id = (value as? [String: Any])?["sessionId"] as? String else {
      throw Failure(description: "no session id in \(String(describing: value))")
    }
    return WebDriver(port: driverPort, session: id)
  }

  /// A call within the session.
  @discardableResult
  func call(_ method: String, _ path: String, _ body: [String: Any]? = nil, timeout: Double = 30)
    throws -> Any?
  {
    try Self.call(method, port: port, "/session/\(session)\(path)", body, timeout: timeout)
  }

  func go(_ url: String) async throws {
    try call("POST", "/url", ["url": url])
  }

  /// The element for a CSS selector.
  func element(_ css: String) async throws -> String {
    let value = try call("POST", "/element", ["using": "css selector", "value": css])
    guard let id = (value as? [String: Any])?[Self.elementKey] as? String else {
      throw Failure(description: "no element \(css)")
    }
    return id
  }

  /// Types `text` into an element (for a file input: the file's path).
  func type(_ css: String, _ text: String) async throws {
    let id = try await element(css)
    try call("POST", "/element/\(id)/value", ["text": text])
  }

  func click(_ css: String) async throws {
    let id = try await element(css)
    try call("POST", "/element/\(id)/click", [:])
  }

  /// Runs `script` (a function body) in the page and returns its result.
  func script(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
    try call("POST", "/execute/sync", ["script": script, "args": arguments])
  }

  /// Polls `script` until it returns true, failing with `what` and the page's status line after
  /// `seconds`.
  func waitUntil(_ what: String, seconds: Double = 15, _ script: String) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
      if try await self.script(script) as? Bool == true { return }
      try await Task.sleep(for: .milliseconds(100))
    }
    let status =
      try await self.script(
        "const s = document.getElementById('status'); return s ? s.textContent : '';") ?? ""
    throw Failure(description: "timed out waiting for \(what); page status: \(status)")
  }

  func quit() async {
    _ = try? call("DELETE", "", timeout: 10)
  }
}

/// A TCP port that was free a moment ago (bound to port 0, read back, closed).
func freePort() throws -> Int {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  guard fd >= 0 else { throw WebDriver.Failure(description: "socket() failed") }
  defer { close(fd) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_port = 0
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  let bound = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
  }
  guard bound == 0 else { throw WebDriver.Failure(description: "bind() failed") }
  let named = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
  }
  guard named == 0 else { throw WebDriver.Failure(description: "getsockname() failed") }
  return Int(UInt16(bigEndian: address.sin_port))
}
