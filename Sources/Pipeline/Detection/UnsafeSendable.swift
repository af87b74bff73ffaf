/// A pointer shared by concurrent workers that write disjoint parts of its memory (or only read
/// it).
struct UnsafeSendable<Pointee>: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Pointee>
  init(_ pointer: UnsafeMutablePointer<Pointee>) { self.pointer = pointer }
}
