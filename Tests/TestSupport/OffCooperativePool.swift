import Dispatch

/// `body` run on a Dispatch thread, awaited without holding a thread of Swift's cooperative pool.
///
/// Swift Testing runs the suites of all test targets at once on that pool, which has one thread
/// per core (two here). A test that computes for seconds synchronously (a detector over every
/// shared photo, under each kernel) keeps its thread the whole time, and two such tests leave
/// none for the async tests beside them: a live server's request in flight then waited about 7 s
/// for a thread. Off the pool, the long computation takes turns on the cores with them instead.
public func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T)
  async throws -> T
{
  try await withCheckedThrowingContinuation { continuation in
    DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
  }
}
