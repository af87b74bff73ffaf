/// A value handed to worker threads that the caller guarantees is used safely (each worker
/// touches only its own part).
struct Unchecked<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
