import CCodecs

/// Glue between Swift and the C shims: message buffers, status mapping, pixel buffers.
enum CodecCall {
  /// Runs `body` with a message buffer for the shim and turns a failing status into an error
  /// that names `format`.
  static func run(
    _ format: ImageFormat, _ body: (UnsafeMutablePointer<CChar>) -> ccodecs_status
  ) throws(ImageError) {
    var failure: ImageError?
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(CCODECS_MESSAGE_SIZE)) {
      buffer in
      let message = buffer.baseAddress!
      message[0] = 0
      let status = body(message)
      if status != CCODECS_OK {
        var reason = String(cString: message)
        if reason.isEmpty { reason = "unknown error" }
        let text = "\(format): \(reason)"
        switch status {
        case CCODECS_UNSUPPORTED: failure = .unsupported(text)
        case CCODECS_FAILED: failure = .codecFailure(text)
        default: failure = .corrupt(text)
        }
      }
    }
    if let failure { throw failure }
  }

  /// A new byte array of `count` bytes filled by `body`; if `body` throws, nothing is returned.
  static func fill(
    count: Int, _ body: (UnsafeMutablePointer<UInt8>) throws(ImageError) -> Void
  ) throws(ImageError) -> [UInt8] {
    var failure: ImageError?
    let bytes = [UInt8](unsafeUninitializedCapacity: max(count, 1)) { buffer, initialized in
      do throws(ImageError) {
        try body(buffer.baseAddress!)
      } catch {
        failure = error
      }
      initialized = count
    }
    if let failure { throw failure }
    return bytes
  }

  /// Throws unless `width` x `height` is a non-empty size of at most `limit` pixels. Decoders call
  /// this with the header's size before allocating the pixels.
  static func checkSize(width: Int, height: Int, limit: Int) throws(ImageError) {
    guard width > 0, height > 0 else { throw .invalidSize(width: width, height: height) }
    let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
    if overflow || pixels > limit { throw .tooLarge(width: width, height: height, limit: limit) }
  }
}
