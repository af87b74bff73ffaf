/// An uploaded video to queue for analysis.
public struct NewVideo: Sendable, Equatable {
  /// When it was uploaded, microseconds since 1970 UTC.
  public var createdAt: Int64
  public var tag: String?
  /// The file name the client gave (for people; never used as a path).
  public var name: String
  /// Size of the upload in bytes.
  public var bytes: Int64
  /// The upload's file name in the upload folder (each process joins it to its own
  /// `--upload-dir`, so workers on other machines may mount the shared folder anywhere).
  public var uploadFile: String
  /// Keep the upload after the job ends (otherwise the worker deletes it).
  public var keepUpload: Bool
  /// Which frames to analyse, as `VideoSampling`'s text (`all` or frames per second).
  public var sampling: String

  public init(
    createdAt: Int64, tag: String?, name: String, bytes: Int64, uploadFile: String,
    keepUpload: Bool, sampling: String
  ) {
    self.createdAt = createdAt
    self.tag = tag
    self.name = name
    self.bytes = bytes
    self.uploadFile = uploadFile
    self.keepUpload = keepUpload
    self.sampling = sampling
  }
}
