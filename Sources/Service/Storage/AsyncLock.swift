/// A mutual-exclusion lock for async code: waiters resume in arrival order.
actor AsyncLock {
  private var locked = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  func lock() async {
    if !locked {
      locked = true
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  func unlock() {
    if waiters.isEmpty {
      locked = false
    } else {
      waiters.removeFirst().resume()  // ownership passes straight to the next waiter
    }
  }

  /// Runs `body` while holding the lock.
  nonisolated func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows
    -> T
  {
    await lock()
    do {
      let value = try await body()
      await unlock()
      return value
    } catch {
      await unlock()
      throw error
    }
  }
}
