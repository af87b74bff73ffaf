/// Where a video's analysis job is: waiting, leased by a worker, finished, or given up.
public enum VideoJobState: String, Sendable, Codable, CaseIterable {
  case queued, running, done, failed
}
