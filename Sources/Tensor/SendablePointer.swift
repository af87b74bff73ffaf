/// A pointer shared by concurrent workers that write disjoint parts of its memory (or only read
/// it).
package struct SendablePointer<Pointee>: @unchecked Sendable {
  package let pointer: UnsafeMutablePointer<Pointee>
  package init(_ pointer: UnsafeMutablePointer<Pointee>) { self.pointer = pointer }
}
