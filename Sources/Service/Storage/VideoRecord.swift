/// A stored video: its job's state and, once done, the summary of its analysis. The job id is
/// the video id.
public struct VideoRecord: Sendable, Equatable {
  public var id: Int64
  public var createdAt: Int64
  public var tag: String?
  public var name: String
  public var bytes: Int64
  public var sampling: String
  public var state: VideoJobState
  /// Fraction done, 0…1 (1 when done).
  public var progress: Double
  /// Why the job failed, for people; nil unless `state` is `failed`.
  public var error: String?
  /// How many times a worker has taken the job (more than 1 after a worker stopped mid-job).
  public var attempts: Int
  public var startedAt: Int64?
  public var finishedAt: Int64?
  /// The upload is kept after the job (`keep=true`) and still on disk.
  public var keepUpload: Bool
  /// Set when done.
  public var summary: VideoSummary?

  public init(
    id: Int64, createdAt: Int64, tag: String?, name: String, bytes: Int64, sampling: String,
    state: VideoJobState, progress: Double, error: String?, attempts: Int, startedAt: Int64?,
    finishedAt: Int64?, keepUpload: Bool, summary: VideoSummary?
  ) {
    self.id = id
    self.createdAt = createdAt
    self.tag = tag
    self.name = name
    self.bytes = bytes
    self.sampling = sampling
    self.state = state
    self.progress = progress
    self.error = error
    self.attempts = attempts
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.keepUpload = keepUpload
    self.summary = summary
  }
}
