import Pipeline

/// Where uploaded videos wait as jobs, and where their results go. Any number of `emocl serve`
/// and `emocl worker` processes share one store: a worker *leases* a job for a while and
/// renews the lease as it works; a job whose lease runs out (its worker was killed) is taken
/// again. A result is stored only by the worker that still holds the lease, in one transaction
/// with the job's completion, so no job's results are stored twice.
public protocol VideoJobStore: Sendable {
  /// Queues a video; returns its record (state `queued`).
  func enqueue(_ video: NewVideo) async throws -> VideoRecord
  /// The video with this id, nil if none.
  func video(id: Int64) async throws -> VideoRecord?
  /// Newest first, at most `limit`, only ids below `before` when given.
  func videos(tag: String?, before: Int64?, limit: Int) async throws -> [VideoRecord]
  /// How many jobs are queued or running.
  func pendingVideoCount() async throws -> Int
  /// Takes the oldest job that is queued or whose lease ended before `now`, for `owner` until
  /// `leaseUntil`. A job already taken `maxAttempts` times is marked failed instead. Nil when
  /// there is nothing to do. Safe to call from many processes at once.
  func leaseVideoJob(owner: String, now: Int64, leaseUntil: Int64, maxAttempts: Int) async throws
    -> LeasedVideoJob?
  /// Records progress and extends the lease; false when `owner` no longer holds it (the job
  /// was taken by another worker or deleted), and the worker must stop.
  func renewVideoLease(id: Int64, owner: String, progress: Double, leaseUntil: Int64) async throws
    -> Bool
  /// Stores the analysis and marks the job done, in one transaction, if `owner` still holds the
  /// lease; false (and nothing stored) otherwise.
  func completeVideoJob(id: Int64, owner: String, analysis: VideoAnalysis, now: Int64)
    async throws -> Bool
  /// Hands a job back (its worker is shutting down or lost it): queued again for any worker,
  /// without counting the take. False when `owner` does not hold it.
  func releaseVideoJob(id: Int64, owner: String) async throws -> Bool
  /// Marks the job failed with `error` if `owner` still holds the lease.
  func failVideoJob(id: Int64, owner: String, error: String, now: Int64) async throws -> Bool
  /// The per-second timeline of a done video: overall rows (track nil) and per-track rows,
  /// ordered by second then track. Empty when the video has no analysed frames.
  func timeline(videoID: Int64) async throws -> [VideoTimelineSecond]
  /// The faces of a done video's analysed frames whose indices (0 for the first analysed
  /// frame, in time order) are in `indices`, for drawing boxes over playback.
  func videoFrames(videoID: Int64, indices: Range<Int>) async throws -> [VideoFrameFaces]
  /// The number of faces of each analysed frame whose index is in `indices`, in order.
  func videoFaceCounts(videoID: Int64, indices: Range<Int>) async throws -> [Int]
  /// The per-track summaries of a done video.
  func videoTracks(videoID: Int64) async throws -> [VideoTrackSummary]
  /// Deletes a video, its job and results; returns its upload's file name if it is still
  /// recorded (to delete the file). `deleted` is false when there was no such video.
  func deleteVideo(id: Int64) async throws -> (deleted: Bool, uploadFile: String?)
  /// Ended jobs whose upload is still recorded and not to be kept: (id, file name) pairs for
  /// the worker's clean-up.
  func uploadsToRemove(limit: Int) async throws -> [(id: Int64, file: String)]
  /// Records that a job's upload file is gone.
  func forgetUpload(id: Int64) async throws
}

extension VideoJobStore {
  /// A page of a done video's analysed frames from index `first`: at most `maxFrames` frames,
  /// and no more faces than `maxFaces` in all (but at least one frame, however many faces it
  /// has, when there is one). A frame holds up to 32 faces: pages by frames alone reached
  /// tens of megabytes.
  public func videoFramePage(
    videoID: Int64, first: Int, maxFrames: Int, maxFaces: Int
  ) async throws -> [VideoFrameFaces] {
    let counts = try await videoFaceCounts(videoID: videoID, indices: first..<(first + maxFrames))
    var (end, faces) = (first, 0)
    for count in counts {
      if end > first && faces + count > maxFaces { break }
      faces += count
      end += 1
    }
    return try await videoFrames(videoID: videoID, indices: first..<end)
  }

  /// Every analysed frame of a done video (the whole of ``videoFrames(videoID:indices:)``).
  public func videoFrames(videoID: Int64) async throws -> [VideoFrameFaces] {
    try await videoFrames(videoID: videoID, indices: 0..<Int(Int32.max))
  }
}
