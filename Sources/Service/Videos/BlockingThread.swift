import Foundation

/// Runs blocking work (decoding and analysing a whole video) on a thread of its own, so that it
/// never holds one of the few threads of Swift's cooperative pool that serve HTTP requests.
enum BlockingThread {
  /// Runs `body` on a new thread with an 8 MB stack (FFmpeg's decoders use the stack freely)
  /// and returns its result.
  static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread {
        continuation.resume(with: Result { try body() })
      }
      thread.stackSize = 8 << 20
      thread.name = "emocl-video-job"
      thread.start()
    }
  }
}
