/// A read-only pointer handed to worker threads that only read through it while its owner keeps
/// the memory alive (inside `withUnsafeBufferPointer`).
struct SendablePointer: @unchecked Sendable {
  let pointer: UnsafePointer<UInt8>
}
