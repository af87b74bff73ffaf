#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`), which caps its connections:
/// each is one descriptor. Debian's shells start with a soft limit of 1024 under a hard limit
/// of thousands or more; a server raises its soft limit itself, as nginx and Go programs do.
public enum OpenFileLimit {
  /// Raises the soft limit to `wanted` descriptors, or to the hard limit if that is lower;
  /// never lowers it. Returns the soft limit after the call (nil: unknown).
  @discardableResult
  public static func raise(to wanted: UInt64) -> UInt64? {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
    let target = min(rlim_t(wanted), limit.rlim_max)
    guard target > limit.rlim_cur else { return UInt64(limit.rlim_cur) }
    var raised = limit
    raised.rlim_cur = target
    guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 else {
      return UInt64(limit.rlim_cur)
    }
    return UInt64(target)
  }
}
