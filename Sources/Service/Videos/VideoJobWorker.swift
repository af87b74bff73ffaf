import Foundation
import Logging
import Pipeline
import ServiceLifecycle

/// Takes video jobs from the store and analyses them, one at a time, until shut down. Run as
/// many as you like, in `emocl serve` (`--workers`) and in `emocl worker` processes on any
/// machine that sees the store and the upload folder.
///
/// A job is leased for `lease` and the lease is renewed every third of it while the analysis
/// runs; the job's `progress` is written every `progressInterval` while it moves, so a client
/// polling the job sees it advance. A worker killed mid-job stops renewing, and once the lease has run out another worker
/// takes the job again from the start. Only the worker holding the lease can store results
/// (see `VideoJobStore.completeVideoJob`), so a job's results are stored once.
public struct VideoJobWorker: Service {
  let store: any VideoJobStore
  let analyzer: any VideoAnalyzing
  /// Where the uploads are (`--upload-dir`).
  let uploads: UploadFolder
  /// This worker's name in the `lease_owner` column: host, process and a random part.
  public let owner: String
  let lease: Duration
  let poll: Duration
  let progressInterval: Duration
  let maxAttempts: Int
  let now: @Sendable () -> Int64
  let logger: Logger

  /// A worker; `owner` defaults to `host:pid:random`. `progressInterval` is at most a third of
  /// `lease` (the renewal writes the progress too).
  public init(
    store: any VideoJobStore, analyzer: any VideoAnalyzing, uploadDirectory: String,
    owner: String? = nil,
    lease: Duration = .seconds(60), poll: Duration = .seconds(1),
    progressInterval: Duration = .seconds(2), maxAttempts: Int = 3,
    now: @escaping @Sendable () -> Int64 = EmoclService.systemNow, logger: Logger
  ) {
    self.store = store
    self.analyzer = analyzer
    uploads = UploadFolder(uploadDirectory)
    self.owner =
      owner
      ?? "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
    self.lease = lease
    self.poll = poll
    self.progressInterval = min(progressInterval, lease / 3)
    self.maxAttempts = maxAttempts
    self.now = now
    self.logger = logger
  }

  /// Microseconds in `duration`.
  static func micros(_ duration: Duration) -> Int64 {
    let c = duration.components
    return c.seconds * 1_000_000 + c.attoseconds / 1_000_000_000_000
  }

  /// Polls for jobs until the service group shuts down (a job in progress is then handed back
  /// for another worker) or the task is cancelled.
  public func run() async throws {
    await cancelWhenGracefulShutdown {
      // Leftover uploads are rare (a worker stopped between ending a job and deleting its file),
      // so an idle worker looks for them once a minute, not at every poll.
      var nextSweep = ContinuousClock.now
      while !Task.isCancelled {
        let worked: Bool
        do {
          worked = try await runOnce()
          if !worked, ContinuousClock.now >= nextSweep {
            await removeEndedUploads()
            nextSweep = ContinuousClock.now + .seconds(60)
          }
        } catch {
          logger.error("video worker: \(error)", metadata: ["owner": "\(owner)"])
          worked = false
        }
        if !worked { try? await Task.sleep(for: poll) }
      }
    }
  }

  /// Takes one job and finishes it (done, failed, or handed back when cancelled); false when
  /// there was no job to take.
  @discardableResult
  public func runOnce() async throws -> Bool {
    let start = now()
    guard
      let job = try await store.leaseVideoJob(
        owner: owner, now: start, leaseUntil: start + Self.micros(lease), maxAttempts: maxAttempts)
    else { return false }
    logger.info(
      "video job taken",
      metadata: ["job": "\(job.id)", "attempt": "\(job.attempts)", "owner": "\(owner)"])
    await process(job)
    return true
  }

  private func process(_ job: LeasedVideoJob) async {
    guard let sampling = VideoSampling(parsing: job.sampling) else {
      await fail(job, "the job's frame sampling '\(job.sampling)' is not valid")
      return
    }
    guard let path = uploads.file(job.uploadFile), FileManager.default.fileExists(atPath: path)
    else {
      await fail(job, "the uploaded file is not in this worker's upload folder (\(uploads.path))")
      return
    }
    let progress = JobProgress()
    let analyzer = self.analyzer
    // The analysis's result, and whether it had been asked to stop before it ended.
    let (outcome, interrupted) = await withTaskGroup(
      of: Result<VideoAnalysis, any Error>?.self
    ) { group -> (Result<VideoAnalysis, any Error>, Bool) in
      group.addTask { await self.renewLease(job, progress: progress) }
      group.addTask {
        // Cancelling the group (shutdown) stops the analysis at its next progress report.
        await withTaskCancellationHandler {
          do {
            return .success(
              try await BlockingThread.run {
                try analyzer.analyzeVideo(
                  atPath: path, name: job.name, sampling: sampling,
                  progress: { progress.report($0) })
              })
          } catch {
            return .failure(error)
          }
        } onCancel: {
          progress.stop()
        }
      }
      var outcome: Result<VideoAnalysis, any Error> = .failure(CancellationError())
      var interrupted = false
      for await result in group {
        guard let result else { continue }
        outcome = result
        interrupted = progress.isStopped
        progress.stop()  // ends the renewal loop
        group.cancelAll()
      }
      return (outcome, interrupted)
    }
    switch outcome {
    case .success(let analysis):
      await complete(job, analysis)
    case .failure(let error) where error is CancellationError || interrupted:
      // Lost the lease (another worker has the job) or shutting down: hand it back.
      do {
        _ = try await store.releaseVideoJob(id: job.id, owner: owner)
      } catch {
        logger.warning("could not hand back video job \(job.id): \(error)")
      }
      logger.info("video job handed back", metadata: ["job": "\(job.id)"])
    case .failure(let error):
      await fail(job, "\(error)")
    }
  }

  /// Writes the progress every `progressInterval` while it moves, and renews the lease with it
  /// (at least every third of the lease's length) until the analysis ends (`progress`
  /// stopped); stops the analysis when the lease is lost or could not be renewed before it ran
  /// out.
  private func renewLease(_ job: LeasedVideoJob, progress: JobProgress) async
    -> Result<VideoAnalysis, any Error>?
  {
    var leaseUntil = job.leaseUntil
    var written = 0.0
    var renewed = ContinuousClock.now
    while !progress.isStopped {
      try? await Task.sleep(for: progressInterval)
      if progress.isStopped || Task.isCancelled { break }
      // A write only when there is news: the fraction moved, or the lease needs renewing.
      let fraction = progress.fraction
      guard fraction != written || ContinuousClock.now - renewed >= lease / 3 else { continue }
      written = fraction
      renewed = ContinuousClock.now
      let next = now() + Self.micros(lease)
      do {
        if try await store.renewVideoLease(
          id: job.id, owner: owner, progress: fraction, leaseUntil: next)
        {
          leaseUntil = next
        } else {
          logger.warning("video job \(job.id): lease lost (deleted or taken); stopping")
          progress.stop()
        }
      } catch {
        logger.warning("video job \(job.id): lease not renewed: \(error)")
        if now() >= leaseUntil { progress.stop() }
      }
    }
    return nil
  }

  /// Stores the result; retried while the database is unreachable and the lease lasts.
  private func complete(_ job: LeasedVideoJob, _ analysis: VideoAnalysis) async {
    let deadline = ContinuousClock.now + lease
    while true {
      do {
        if try await store.completeVideoJob(
          id: job.id, owner: owner, analysis: analysis, now: now())
        {
          logger.info(
            "video job done",
            metadata: ["job": "\(job.id)", "frames": "\(analysis.frames.count)"])
          await removeUpload(job)
        } else {
          logger.warning("video job \(job.id) finished after its lease was lost; not stored")
        }
        return
      } catch {
        logger.warning("video job \(job.id): result not stored yet: \(error)")
        if ContinuousClock.now >= deadline { return }
        try? await Task.sleep(for: .seconds(1))
      }
    }
  }

  private func fail(_ job: LeasedVideoJob, _ message: String) async {
    logger.info("video job failed", metadata: ["job": "\(job.id)", "error": "\(message)"])
    do {
      if try await store.failVideoJob(id: job.id, owner: owner, error: message, now: now()) {
        await removeUpload(job)
      }
    } catch {
      logger.warning("video job \(job.id): failure not recorded: \(error)")
    }
  }

  private func removeUpload(_ job: LeasedVideoJob) async {
    guard !job.keepUpload else { return }
    await remove(id: job.id, file: job.uploadFile)
  }

  private func remove(id: Int64, file: String) async {
    do {
      try uploads.remove(file)
      try await store.forgetUpload(id: id)
    } catch {
      logger.warning("video \(id): upload \(file) not removed: \(error)")
    }
  }

  /// Uploads of ended jobs that are still on disk (the worker that ended them stopped before
  /// deleting them).
  func removeEndedUploads() async {
    guard let pending = try? await store.uploadsToRemove(limit: 20) else { return }
    for (id, file) in pending { await remove(id: id, file: file) }
  }
}
