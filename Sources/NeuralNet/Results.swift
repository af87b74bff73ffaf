/// One slot per worker for results written concurrently (each worker writes only its slot).
final class Results<T>: @unchecked Sendable {
  private let slots: UnsafeMutablePointer<T>
  let count: Int
  init(count: Int, initial: T) {
    self.count = count
    slots = .allocate(capacity: count)
    slots.initialize(repeating: initial, count: count)
  }
  deinit {
    slots.deinitialize(count: count)
    slots.deallocate()
  }
  var values: [T] { Array(UnsafeBufferPointer(start: slots, count: count)) }
  subscript(i: Int) -> T {
    get { slots[i] }
    set { slots[i] = newValue }
  }
}

extension Results where T == (Double, Int) {
  convenience init(count: Int) { self.init(count: count, initial: (0, 0)) }
}
