/// The time a request body has to arrive in full. Checked as each chunk arrives: a client that
/// trickles bytes has its connection closed at its first chunk past the deadline (the 408 is
/// logged and counted; the client may not see it), and one that stops sending is closed by the
/// idle timeout.
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

  /// Throws 408 `body-timeout` and closes the connection once the deadline has passed.
  func check(_ context: EmoclRequestContext) throws(Problem) {
    guard ContinuousClock.now <= end else {
      context.closeConnection()
      throw Problem(
        .requestTimeout, kind: "body-timeout",
        detail: "\(what) did not arrive within \(timeout.components.seconds) s",
        headers: [.connection: "close"])
    }
  }
}
