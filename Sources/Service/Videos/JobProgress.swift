import Synchronization

/// Shared between a running analysis (which reports its fraction done and asks whether to go
/// on) and the worker's lease renewal (which reads the fraction and stops the analysis when
/// the lease is lost or the worker shuts down).
final class JobProgress: Sendable {
  private let state = Mutex((fraction: 0.0, stopped: false))

  /// Called by the analysis: records `fraction` and returns whether to continue.
  func report(_ fraction: Double) -> Bool {
    state.withLock {
      $0.fraction = fraction
      return !$0.stopped
    }
  }

  var fraction: Double { state.withLock { $0.fraction } }
  var isStopped: Bool { state.withLock { $0.stopped } }

  /// Asks the analysis to stop at its next report.
  func stop() { state.withLock { $0.stopped = true } }
}
