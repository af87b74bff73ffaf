import Dispatch
import Synchronization

/// Runs `body(index)` for every index in `0..<count` on up to `workers` threads, each worker
/// taking the next unclaimed index, and returns the results in index order.
///
/// Used to fit independent sub-problems (one-vs-rest classes, one-vs-one pairs) concurrently;
/// callers set BLAS to one thread per worker so the cores are not oversubscribed.
func parallelMap<Result: Sendable>(
  count: Int, workers: Int, _ body: @Sendable (Int) throws -> Result
) throws -> [Result] {
  let next = Atomic<Int>(0)
  let results = Mutex<[Int: Result]>([:])
  let failure = Mutex<(any Error)?>(nil)
  let threads = max(1, min(workers, count))
  @Sendable func work() {
    while true {
      let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
      if index >= count || failure.withLock({ $0 != nil }) { return }
      do {
        let value = try body(index)
        results.withLock { $0[index] = value }
      } catch {
        failure.withLock { $0 = $0 ?? error }
      }
    }
  }
  if threads == 1 {
    work()
  } else {
    DispatchQueue.concurrentPerform(iterations: threads) { _ in work() }
  }
  if let error = failure.withLock({ $0 }) { throw error }
  return results.withLock { stored in (0..<count).map { stored[$0]! } }
}
