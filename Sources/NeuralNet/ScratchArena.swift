/// Transient float memory shared by the layers of one workspace, which run one at a time: a
/// layer may use it during a call and finds nothing of its own in it at the next call. Sized
/// while the layers are built (``reserve(_:)``), then allocated once (``allocate()``).
final class ScratchArena {
  private var buffer: FloatBuffer?
  /// The largest size reserved so far.
  private(set) var count = 0

  /// Makes the arena at least `count` floats long (before ``allocate()``).
  func reserve(_ count: Int) {
    precondition(buffer == nil, "reserve before allocate")
    self.count = max(self.count, count)
  }

  /// Allocates the reserved floats; called once, after the layers are built.
  func allocate() { buffer = FloatBuffer(count: count) }

  /// The first float, valid after ``allocate()``.
  var pointer: UnsafeMutablePointer<Float> { buffer!.pointer }
}
