import Foundation
import Pipeline
import Vision

/// Batches faces across concurrent requests: each caller's faces wait in a queue, and one worker
/// thread classifies everything queued (up to `maxBatch` faces) in a single call of the wrapped
/// classifier. The CNN serialises its calls anyway, and one batch of n faces costs far less than
/// n calls of one face, so under load throughput approaches the model's batch speed.
///
/// Callers block until their rows are ready, so they must run on threads of their own
/// (`AnalysisThreads`), never on Swift's cooperative pool.
public final class BatchingClassifier: EmotionClassifier, @unchecked Sendable {
  public let inner: any EmotionClassifier
  /// Most faces in one call of `inner` (a single caller's larger request still goes in whole).
  public let maxBatch: Int

  private final class Job {
    let faces: [Image]
    var result: Result<[[Float]], any Error>?
    init(_ faces: [Image]) { self.faces = faces }
  }

  // Guards `queue` and every job's `result`; signalled when work arrives or results are ready.
  private let condition = NSCondition()
  private var queue: [Job] = []

  public var name: String { inner.name }
  public var inputSize: (width: Int, height: Int) { inner.inputSize }

  /// Wraps `inner`, starting its worker thread (which lives as long as the process).
  public init(_ inner: any EmotionClassifier, maxBatch: Int = 64) {
    self.inner = inner
    self.maxBatch = max(1, maxBatch)
    // The thread keeps `self` alive: it waits on `condition` for as long as the process runs.
    let thread = Thread { self.work() }
    thread.name = "emocl-batch-\(inner.name)"
    thread.start()
  }

  public func probabilities(forFaces faces: [Image]) throws -> [[Float]] {
    guard !faces.isEmpty else { return [] }
    let job = Job(faces)
    condition.lock()
    queue.append(job)
    condition.broadcast()
    while job.result == nil { condition.wait() }
    let result = job.result!
    condition.unlock()
    return try result.get()
  }

  /// Takes the queued jobs (at least one, at most `maxBatch` faces unless the first job alone
  /// is larger), classifies them in one call and hands each job its rows.
  private func work() {
    while true {
      condition.lock()
      while queue.isEmpty { condition.wait() }
      var jobs = [queue.removeFirst()]
      var count = jobs[0].faces.count
      while let next = queue.first, count + next.faces.count <= maxBatch {
        jobs.append(queue.removeFirst())
        count += next.faces.count
      }
      condition.unlock()

      let results = classify(jobs)
      condition.lock()
      for (job, result) in zip(jobs, results) { job.result = result }
      condition.broadcast()
      condition.unlock()
    }
  }

  private func classify(_ jobs: [Job]) -> [Result<[[Float]], any Error>] {
    do {
      let rows = try inner.probabilities(forFaces: jobs.flatMap(\.faces))
      guard rows.count == jobs.reduce(0, { $0 + $1.faces.count }) else {
        throw AnalysisError.invalidClassifierOutput("\(rows.count) rows for a batch")
      }
      var start = 0
      return jobs.map { job in
        defer { start += job.faces.count }
        return .success(Array(rows[start..<start + job.faces.count]))
      }
    } catch {
      // One bad job must not fail the others: classify each alone.
      if jobs.count == 1 { return [.failure(error)] }
      return jobs.map { job in Result { try inner.probabilities(forFaces: job.faces) } }
    }
  }
}
