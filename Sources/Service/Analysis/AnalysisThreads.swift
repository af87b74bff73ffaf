import Foundation

/// A fixed set of threads for blocking CPU work (decode, detect, wait for a classifier batch),
/// so that none of it ties up Swift's cooperative thread pool, where the server's own tasks run.
///
/// The queue in front of them is bounded: when `maxQueued` jobs already wait, `run` throws
/// `Overloaded` at once, so a flood of requests is shed (503) instead of queueing without end.
public final class AnalysisThreads: @unchecked Sendable {
  // @unchecked: `jobs` and `busy` are guarded by `condition`.
  private let condition = NSCondition()
  private var jobs: [@Sendable () -> Void] = []
  private var busy = 0
  /// Threads started.
  public let count: Int
  /// Most jobs waiting for a thread.
  public let maxQueued: Int

  /// Every thread is busy and `maxQueued` jobs already wait.
  public struct Overloaded: Error, CustomStringConvertible {
    public let queued: Int
    public var description: String {
      "the server is busy: \(queued) analyses are already waiting; retry shortly"
    }
  }

  /// Starts `count` threads (they live as long as the process), with at most `maxQueued` jobs
  /// waiting for them.
  public init(count: Int, maxQueued: Int = 256, name: String = "emocl-analysis") {
    self.count = max(1, count)
    self.maxQueued = max(0, maxQueued)
    for i in 0..<self.count {
      // The thread keeps `self` alive: it waits on `condition` for as long as the process runs.
      let thread = Thread { self.work() }
      thread.name = "\(name)-\(i)"
      thread.start()
    }
  }

  /// Runs `body` on one of the threads and returns its result.
  /// - Throws: `Overloaded` without running `body` when the queue is full.
  public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      condition.lock()
      // Jobs beyond the idle threads wait; refuse once `maxQueued` of them already do.
      let waiting = jobs.count + busy - count
      guard waiting < maxQueued else {
        condition.unlock()
        continuation.resume(throwing: Overloaded(queued: max(0, waiting)))
        return
      }
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
      busy += 1
      condition.unlock()
      job()
      condition.lock()
      busy -= 1
      condition.unlock()
    }
  }
}
