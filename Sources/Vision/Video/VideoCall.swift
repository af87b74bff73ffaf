import CVideo

/// Glue between Swift and the CVideo shim: message buffers and status mapping.
enum VideoCall {
  /// Runs `body` with a message buffer and turns a failing status (other than `CVIDEO_END`,
  /// returned as false) into a `VideoError`.
  @discardableResult
  static func run(path: String, _ body: (UnsafeMutablePointer<CChar>) -> cvideo_status)
    throws(VideoError) -> Bool
  {
    var failure: VideoError?
    var more = true
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(CVIDEO_MESSAGE_SIZE)) { buffer in
      let message = buffer.baseAddress!
      message[0] = 0
      let status = body(message)
      var reason = String(cString: message)
      if reason.isEmpty { reason = "unknown error" }
      switch status {
      case CVIDEO_OK: break
      case CVIDEO_END: more = false
      case CVIDEO_IO: failure = .file(path: path, reason: reason)
      case CVIDEO_NOT_VIDEO: failure = .notVideo(reason)
      case CVIDEO_UNSUPPORTED: failure = .unsupported(reason)
      case CVIDEO_TOO_LARGE: failure = .tooLarge(reason)
      case CVIDEO_FAILED: failure = .codecFailure(reason)
      default: failure = .corrupt(reason)
      }
    }
    if let failure { throw failure }
    return more
  }
}
