/// The time a request body has to arrive in full. Checked as each chunk arrives: a client that
/// trickles bytes is answered 408 at its first chunk past the deadline, with `Connection:
/// close`, and the connection is closed once the answer is written (`LingeringCloseHandler`,
/// which lets a client still sending read it); one that stops sending is closed by the idle
/// timeout.
struct BodyDeadline {
  let timeout: Duration
  /// What is arriving, for the message ("the request body", "the upload").
  let what: String
  private let end: ContinuousClock.Instant

  init(_ timeout: Duration, for what: String) {
    self.timeout = timeout
    self.what = what
    end = .now + timeout
  }

  /// Throws 408 `body-timeout`, answered with `Connection: close`, once the deadline has passed.
  func check() throws(Problem) {
    guard ContinuousClock.now <= end else {
      throw Problem(
        .requestTimeout, kind: "body-timeout",
        detail: "\(what) did not arrive within \(timeout.components.seconds) s",
        headers: [.connection: "close"])
    }
  }
}
