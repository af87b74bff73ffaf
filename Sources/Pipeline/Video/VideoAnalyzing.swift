/// Something that turns a video file into a `VideoAnalysis`: the real `VideoAnalyzer`, or a
/// stand-in in tests. The service's job workers call it through this protocol.
public protocol VideoAnalyzing: Sendable {
  /// Analyses the video at `path`, sampling frames as `sampling` says. `progress` is called
  /// from the analysing thread with the fraction done (0…1, by presentation time); it returns
  /// false to cancel, and the call then throws `CancellationError`. Throws a `VideoError` (or
  /// another `CustomStringConvertible` error whose description is shown to users) for a file
  /// that cannot be read.
  func analyzeVideo(
    atPath path: String, name: String, sampling: VideoSampling,
    progress: @Sendable (Double) -> Bool
  ) throws -> VideoAnalysis
}
