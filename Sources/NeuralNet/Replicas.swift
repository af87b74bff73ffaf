import Foundation
import Tensor

/// Runs a network over batches split between worker threads, one ``Workspace`` each (data
/// parallelism on one machine): worker `w` takes a contiguous slice of the batch, fills its
/// own input buffer (so data preparation is parallel too), runs forward and backward, and the
/// workers' gradients are summed into ``gradients``. Deterministic for a given worker count:
/// slices, masks and the reduction order do not depend on scheduling.
///
/// OpenBLAS should then run single-threaded (the executable applies
/// ``ThreadPolicy/workers(_:)``): each worker's GEMMs already keep one core busy.
public final class Replicas: @unchecked Sendable {
  public let network: Network
  public let workspaces: [Workspace]
  /// The largest whole batch.
  public let maxBatch: Int
  private let inputs: [FloatBuffer]
  private let logitGradients: [FloatBuffer]

  /// `workers` workspaces, each sized for its share of `maxBatch`; `forwardOnly` ones for
  /// inference (see ``Workspace/forwardOnly``: no training step then).
  public init(
    network: Network, workers: Int, maxBatch: Int, columnTarget: Int = 2048,
    forwardOnly: Bool = false
  ) throws {
    guard workers >= 1, workers <= 64 else {
      throw NetworkError.invalidSpec("workers must be in 1...64, got \(workers)")
    }
    guard maxBatch >= 1 else {
      throw NetworkError.invalidSpec("batch must be positive, got \(maxBatch)")
    }
    self.network = network
    self.maxBatch = maxBatch
    let share = (maxBatch + workers - 1) / workers
    workspaces = try (0..<workers).map { _ in
      try Workspace(
        network: network, maxBatch: share, columnTarget: columnTarget, forwardOnly: forwardOnly)
    }
    inputs = (0..<workers).map { _ in FloatBuffer(count: share * network.inputShape.size) }
    logitGradients = (0..<workers).map { _ in FloatBuffer(count: share * network.outputShape.size) }
  }

  /// Number of workers.
  public var workers: Int { workspaces.count }

  /// The summed gradients of the last ``trainStep(batch:labels:loss:seed:fill:)``.
  public var gradients: UnsafeMutablePointer<Float> { workspaces[0].gradients }

  /// The slice of a batch of `batch` images that worker `w` takes.
  public func slice(_ w: Int, of batch: Int) -> Range<Int> {
    let share = (batch + workers - 1) / workers
    let start = min(batch, w * share)
    return start..<min(batch, start + share)
  }

  /// One training step's forward and backward pass over `batch` images: `fill(range, buffer)`
  /// writes images `range` of the batch, NCHW and normalised, into `buffer` (it runs on the
  /// workers' threads, concurrently). Afterwards ``gradients`` holds the gradient of the mean
  /// loss over the batch and the running statistics are updated. Returns the mean loss and
  /// the number of correct predictions.
  public func trainStep(
    batch: Int, labels: [Int], loss: SoftmaxCrossEntropy, seed: UInt64,
    fill: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void
  ) throws -> (loss: Double, correct: Int) {
    guard batch >= 1, batch <= maxBatch, labels.count == batch else {
      throw NetworkError.batchSize(requested: batch, maximum: maxBatch)
    }
    let classes = network.outputShape.size
    if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
      throw NetworkError.labelOutOfRange(label: bad, classes: classes)
    }
    let normalizer = loss.normalizer(labels: labels)
    let results = Results(count: workers)
    let errors = Results<NetworkError?>(count: workers, initial: nil)
    let box = Unchecked(self)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      let me = box.value
      let range = me.slice(w, of: batch)
      let ws = me.workspaces[w]
      ws.zeroGradients()
      guard !range.isEmpty else { return }
      let input = me.inputs[w].pointer
      fill(range, input)
      do throws(NetworkError) {
        let logits = try ws.forward(
          images: input, batch: range.count, training: true, imageOffset: range.lowerBound,
          seed: seed)
        let dLogits = me.logitGradients[w].pointer
        let r = labels[range].withUnsafeBufferPointer {
          loss.evaluate(
            logits: logits, classes: classes, batch: range.count, labels: $0.baseAddress!,
            normalizer: normalizer, gradient: dLogits)
        }
        results[w] = r
        ws.backward(outputGradient: dLogits)
      } catch {
        errors[w] = error
      }
    }
    if let error = errors.values.compactMap({ $0 }).first { throw error }
    // Fixed reduction order: worker 0 += 1, += 2, ...
    let total = gradients
    let count = network.parameters.count
    for w in 1..<workers {
      let g = workspaces[w].gradients
      for i in 0..<count { total[i] += g[i] }
    }
    network.updateRunningStatistics(from: workspaces)
    let sum = results.values.reduce((0.0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
    return sum
  }

  /// Evaluation-mode outputs for `batch` images prepared by `fill` (as in
  /// ``trainStep(batch:labels:loss:seed:fill:)``), written NCHW-by-image into `output`
  /// (`[batch, outputSize]`, e.g. one row of logits per image).
  public func infer(
    batch: Int, into output: UnsafeMutablePointer<Float>,
    fill: @escaping @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void
  ) throws {
    guard batch >= 1, batch <= maxBatch else {
      throw NetworkError.batchSize(requested: batch, maximum: maxBatch)
    }
    let errors = Results<NetworkError?>(count: workers, initial: nil)
    let box = Unchecked(self)
    let out = Unchecked(output)
    // A batch smaller than the workers (a single image) runs in one workspace, each
    // convolution split between the workers' threads instead.
    let active = batch < workers ? 1 : workers
    let run: @Sendable (Int) -> Void = { w in
      let me = box.value
      let range = active == 1 ? 0..<batch : me.slice(w, of: batch)
      guard !range.isEmpty else { return }
      let ws = me.workspaces[w]
      let input = me.inputs[w].pointer
      fill(range, input)
      do throws(NetworkError) {
        let y = try ws.forward(
          images: input, batch: range.count, training: false,
          threads: active == 1 ? me.workers : 1)
        let o = me.network.outputShape
        Workspace.transpose(
          from: y, to: out.value + range.lowerBound * o.size, outer: o.channels,
          inner: range.count, plane: o.planeSize)
      } catch {
        errors[w] = error
      }
    }
    if active == 1 {
      guard batch <= workspaces[0].maxBatch else {
        throw NetworkError.batchSize(requested: batch, maximum: workspaces[0].maxBatch)
      }
      run(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: active) { run($0) }
    }
    if let error = errors.values.compactMap({ $0 }).first { throw error }
  }
}
