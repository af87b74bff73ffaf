import Foundation
import NeuralNet

/// P-Net instances by input size (band rows × level width), shared by every thread of every
/// concurrent detection of one detector: a band job checks one out, runs it and gives it back.
///
/// Emocl's networks have a fixed input size, so P-Net needs an instance per band shape (about
/// 20 for a 1-megapixel photo's pyramid, several MB of activations each), and those instances
/// are most of a detection's memory. Held per thread or per buffer set, they multiplied with
/// the threads (a service held 1.2 GB after a minute of photos with two threads a detection);
/// shared, each shape has only as many instances as ever ran at once.
final class PNetInstances: @unchecked Sendable {
  /// Free instances kept at most; past it the free ones are dropped (photo sizes vary, and a
  /// bounded cache keeps a server's memory flat).
  static let limit = 96
  private let spec: NetworkSpec
  private let parameters: [Float]
  private let lock = NSLock()
  private var free: [SIMD2<Int>: [Workspace]] = [:]
  private var freeCount = 0

  /// Instances of the P-Net `spec` (its input size is set per instance) with `parameters`.
  init(spec: NetworkSpec, parameters: [Float]) {
    self.spec = spec
    self.parameters = parameters
  }

  /// An instance for `[3, height, width]` inputs that no other job uses until it is given back:
  /// a free one, or a new one (built outside the lock).
  func checkout(height: Int, width: Int) throws -> Workspace {
    let key = SIMD2(height, width)
    lock.lock()
    if let workspace = free[key]?.popLast() {
      freeCount -= 1
      lock.unlock()
      return workspace
    }
    lock.unlock()
    var spec = self.spec
    spec.inputHeight = height
    spec.inputWidth = width
    let network = try Network(spec: spec, seed: 0)
    try network.parameters.setAll(parameters)
    let workspace = try Workspace(network: network, maxBatch: 1, forwardOnly: true)
    workspace.frozenWeights = true
    return workspace
  }

  /// Returns an instance ``checkout(height:width:)`` gave for that size.
  func giveBack(_ workspace: Workspace, height: Int, width: Int) {
    lock.lock()
    defer { lock.unlock() }
    if freeCount >= Self.limit {
      free.removeAll()
      freeCount = 0
    }
    free[SIMD2(height, width), default: []].append(workspace)
    freeCount += 1
  }
}
