import Dispatch

/// A job of `count` independent items cut into contiguous slices, one per thread.
struct ParallelSlices {
  let count: Int
  let slices: Int

  /// `count` items on at most `workers` threads, each slice holding at least `minimum` items
  /// (fewer would cost more in hand-over than they save).
  init(count: Int, workers: Int, minimum: Int) {
    self.count = count
    slices = max(1, min(workers, count / max(1, minimum)))
  }

  /// The items of slice `k`.
  func range(_ k: Int) -> Range<Int> { k * count / slices..<(k + 1) * count / slices }

  /// `body` on each slice (its index and its items), the slices on threads of their own
  /// (inline for one).
  func run(_ body: @Sendable (_ slice: Int, _ items: Range<Int>) -> Void) {
    if slices == 1 {
      body(0, 0..<count)
    } else {
      DispatchQueue.concurrentPerform(iterations: slices) { body($0, range($0)) }
    }
  }
}
