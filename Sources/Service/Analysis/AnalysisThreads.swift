import Foundation

/// A fixed set of threads for blocking CPU work (decode, detect, wait for a classifier batch),
/// so that none of it ties up Swift's cooperative thread pool, where the server's own tasks run.
///
/// The queue in front of them is bounded: when `maxQueued` jobs already wait, `run` throws
/// `Overloaded` at once, so a flood of requests is shed (503) instead of queueing without end.
/// A job that waited longer than `maxWait` for a thread is not run but refused the same way
/// when its turn comes: after a flood, its client has most likely given up, and running it
/// would only keep the server busy for nobody (a flood of 1 MP photos left over a hundred
/// seconds of such work).
///
/// Jobs also weigh their pixels (an image's size from its header): the jobs running at once
/// hold at most `maxPixelsInFlight` of them (one job alone may hold more, and a job weighing
/// nothing is never held back by them), and a job that would pass it waits at the head of the
/// queue. A 7000×7000 PNG is 143 KB on the wire and
/// about 390 MB once decoded and detected on; 32 of them at once took gigabytes.
public final class AnalysisThreads: @unchecked Sendable {
  // @unchecked: `jobs`, `busy` and `pixelsInFlight` are guarded by `condition`.
  private let condition = NSCondition()
  /// A waiting job: when it was queued, what runs it, and what refuses it.
  private struct Job {
    let queued: ContinuousClock.Instant
    let pixels: Int
    let run: @Sendable () -> Void
    let refuse: @Sendable (Duration) -> Void
  }
  private var jobs: [Job] = []
  private var busy = 0
  private var pixelsInFlight = 0
  /// Threads started.
  public let count: Int
  /// Most jobs waiting for a thread.
  public let maxQueued: Int
  /// Longest a job may wait for a thread and still be run.
  public let maxWait: Duration
  /// Most pixels the running jobs may weigh together (a job alone may weigh more).
  public let maxPixelsInFlight: Int

  /// Every thread is busy and `maxQueued` jobs already wait, or the job waited past `maxWait`.
  public struct Overloaded: Error, CustomStringConvertible {
    public let queued: Int
    /// How long the job waited before it was refused (nil: refused on arrival).
    public var waited: Duration? = nil
    public var description: String {
      if let waited {
        let seconds =
          Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18
        return String(
          format: "the server is busy: the analysis waited %.1f s for a thread; retry shortly",
          seconds)
      }
      return "the server is busy: \(queued) analyses are already waiting; retry shortly"
    }
  }

  /// Starts `count` threads (they live as long as the process), with at most `maxQueued` jobs
  /// waiting for them, each for at most `maxWait`, and the running jobs weighing at most
  /// `maxPixelsInFlight` pixels (default: two images of the decoders' largest, 100 megapixels,
  /// about 800 MB at their peak).
  public init(
    count: Int, maxQueued: Int = 256, maxWait: Duration = .seconds(10),
    maxPixelsInFlight: Int = 100_000_000, name: String = "emocl-analysis"
  ) {
    self.count = max(1, count)
    self.maxQueued = max(0, maxQueued)
    self.maxWait = maxWait
    self.maxPixelsInFlight = max(1, maxPixelsInFlight)
    for i in 0..<self.count {
      // The thread keeps `self` alive: it waits on `condition` for as long as the process runs.
      let thread = Thread { self.work() }
      thread.name = "\(name)-\(i)"
      thread.start()
    }
  }

  /// Runs `body` on one of the threads and returns its result; `pixels` is what it weighs.
  /// - Throws: `Overloaded` without running `body` when the queue is full, or when it waited
  ///   past `maxWait`.
  public func run<T: Sendable>(pixels: Int = 0, _ body: @escaping @Sendable () throws -> T)
    async throws -> T
  {
    try await withCheckedThrowingContinuation { continuation in
      condition.lock()
      // Jobs beyond the idle threads wait; refuse once `maxQueued` of them already do.
      let waiting = jobs.count + busy - count
      guard waiting < maxQueued else {
        condition.unlock()
        continuation.resume(throwing: Overloaded(queued: max(0, waiting)))
        return
      }
      jobs.append(
        Job(
          queued: .now, pixels: max(0, pixels),
          run: { continuation.resume(with: Result { try body() }) },
          refuse: { continuation.resume(throwing: Overloaded(queued: 0, waited: $0)) }))
      condition.signal()
      condition.unlock()
    }
  }

  private func work() {
    condition.lock()
    while true {
      guard let job = jobs.first else {
        condition.wait()
        continue
      }
      let waited = ContinuousClock.now - job.queued
      guard waited <= maxWait else {
        jobs.removeFirst()
        condition.unlock()
        job.refuse(waited)
        condition.lock()
        continue
      }
      guard
        job.pixels == 0 || pixelsInFlight == 0
          || pixelsInFlight + job.pixels <= maxPixelsInFlight
      else {
        // Heavy jobs are running: wait for one to end (checking the head's wait meanwhile).
        _ = condition.wait(until: Date(timeIntervalSinceNow: 0.1))
        continue
      }
      jobs.removeFirst()
      busy += 1
      pixelsInFlight += job.pixels
      condition.unlock()
      job.run()
      condition.lock()
      busy -= 1
      pixelsInFlight -= job.pixels
      // A job at the head may be waiting for these pixels: one thread looks (a broadcast woke
      // all 32 after every job, which cost 10-15% of the small-face requests/s).
      if job.pixels > 0, !jobs.isEmpty { condition.signal() }
    }
  }
}
