import Foundation

/// A fixed set of threads for blocking CPU work (decode, detect, wait for a classifier batch),
/// so that none of it ties up Swift's cooperative thread pool, where the server's own tasks run.
public final class AnalysisThreads: @unchecked Sendable {
  private let condition = NSCondition()
  private var jobs: [@Sendable () -> Void] = []

  /// Starts `count` threads (they live as long as the process).
  public init(count: Int, name: String = "emocl-analysis") {
    for i in 0..<max(1, count) {
      // The thread keeps `self` alive: it waits on `condition` for as long as the process runs.
      let thread = Thread { self.work() }
      thread.name = "\(name)-\(i)"
      thread.start()
    }
  }

  /// Runs `body` on one of the threads and returns its result.
  public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      condition.lock()
      jobs.append { continuation.resume(with: Result { try body() }) }
      condition.signal()
      condition.unlock()
    }
  }

  private func work() {
    while true {
      condition.lock()
      while jobs.isEmpty { condition.wait() }
      let job = jobs.removeFirst()
      condition.unlock()
      job()
    }
  }
}
