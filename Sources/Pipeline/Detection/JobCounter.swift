import Foundation

/// Hands out job indices `0 ..< count` to concurrent workers and keeps the first error.
final class JobCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var nextJob = 0
  private let count: Int
  private(set) var error: (any Error)?

  init(count: Int) { self.count = count }

  /// The next job, or nil when all are taken or one failed.
  func next() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard error == nil, nextJob < count else { return nil }
    nextJob += 1
    return nextJob - 1
  }

  func fail(_ error: any Error) {
    lock.lock()
    defer { lock.unlock() }
    if self.error == nil { self.error = error }
  }
}
