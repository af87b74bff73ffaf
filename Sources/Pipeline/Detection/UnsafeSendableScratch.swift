/// Scratch buffers handed to concurrent workers, one each (each worker touches its own only).
struct UnsafeSendableScratch<Item>: @unchecked Sendable {
  let items: [Item]
  init(_ items: [Item]) { self.items = items }
}
