/// A job a worker has taken: what to analyse, and the lease it holds until `leaseUntil`
/// (microseconds since 1970 UTC), which it must renew while it works.
public struct LeasedVideoJob: Sendable, Equatable {
  public var id: Int64
  public var name: String
  /// The upload's file name in the upload folder.
  public var uploadFile: String
  public var keepUpload: Bool
  public var sampling: String
  /// 1 on the first take.
  public var attempts: Int
  /// The worker holding the lease.
  public var owner: String
  public var leaseUntil: Int64
}
