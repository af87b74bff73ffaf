import Foundation
import Tensor

/// Sets of MTCNN buffers (``MTCNNNetworks``) lent to concurrent detections. A call borrows
/// one, made on demand over the first set's read-only parameters, and waits while all
/// `limit` sets are lent: each set costs tens of MB (O-Net's batch and the cached P-Net
/// instances), so the limit bounds a busy server's memory, and more sets than cores would
/// only make the calls take turns on the cores anyway.
final class MTCNNNetworkPool: @unchecked Sendable {
  /// The most sets lent at once.
  let limit: Int
  /// The set new ones share their parameters with (only its networks are read, never its
  /// buffers, so it may be lent meanwhile).
  private let template: MTCNNNetworks
  /// Whether the sets run P-Net in 8 bits when asked (they share the template's ``PNetInt8``).
  var hasInt8PNet: Bool { template.pnetInt8 != nil }
  /// The planar kernels float P-Net bands run on (nil: the generic layers).
  var pnetKernels: PlanarInstructions? { template.pnetPlanar?.instructions }
  /// Whether R- and O-Net can run in 8 bits (both, or the one the card has ranges for).
  var hasInt8CropNets: Bool {
    template.cropNetsInt8.rnet != nil || template.cropNetsInt8.onet != nil
  }
  private let condition = NSCondition()
  /// Returned sets, the most recent last: reusing it first keeps a quiet server on one warm
  /// set (its P-Net instances already built for the usual sizes).
  private var idle: [MTCNNNetworks]
  private var created = 1

  init(first: MTCNNNetworks, limit: Int) {
    self.limit = max(1, limit)
    template = first
    idle = [first]
  }

  /// Runs `body` with a set no other call uses meanwhile, and whether this call is the only
  /// one running (checked when it starts).
  func withNetworks<T>(_ body: (MTCNNNetworks, _ alone: Bool) throws -> T) throws -> T {
    let (networks, alone) = try borrow()
    defer { giveBack(networks) }
    return try body(networks, alone)
  }

  /// Sets lent now (read under the lock).
  private var running: Int { created - idle.count }

  /// A set, and whether it is the only one lent now (read under the lock that lends it).
  private func borrow() throws -> (MTCNNNetworks, alone: Bool) {
    condition.lock()
    while idle.isEmpty && created >= limit { condition.wait() }
    if let networks = idle.popLast() {
      let alone = running == 1
      condition.unlock()
      return (networks, alone)
    }
    created += 1
    let alone = running == 1
    condition.unlock()
    // Built outside the lock: other calls can return and borrow sets meanwhile.
    do {
      return (try MTCNNNetworks(sharingParametersOf: template), alone)
    } catch {
      condition.lock()
      created -= 1
      condition.signal()
      condition.unlock()
      throw error
    }
  }

  private func giveBack(_ networks: MTCNNNetworks) {
    condition.lock()
    idle.append(networks)
    condition.signal()
    condition.unlock()
  }
}
