import Dispatch
import Tensor

extension MTCNNNetworks {
  /// R-Net (`side` 24) or O-Net (48) in floats on the pixel-major kernels, on the crops that
  /// `recipes` make from `source`; returns the outputs `[rows, recipes.count]` (row-major by
  /// output row), or nil when that network does not run on those kernels here (use
  /// ``refine(_:count:side:workers:int8:generic:)`` on ready crops).
  ///
  /// The crops are cut into chunks (``cropsPerChunk(side:workers:)``) that up to `workers`
  /// threads take in turn: a thread makes a chunk's crops into its own buffer and runs the
  /// network on them at once, while they are in its cache. Taking chunks in turn, rather than a
  /// fixed share each, keeps both threads busy when one is slowed by other work, and making
  /// the crops in the same pass saves a pass over them and a wait for the slowest thread.
  func refine(
    _ recipes: [CropRecipe], side: Int, from source: ResamplingSource, workers: Int
  ) -> [Float]? {
    guard let net = side == 24 ? cropNetsFloat.rnet : cropNetsFloat.onet else { return nil }
    let count = recipes.count
    guard count > 0 else { return [] }
    let perChunk = Self.cropsPerChunk(side: side, workers: workers)
    let chunks = (count + perChunk - 1) / perChunk
    let threads = max(1, min(workers, chunks))
    let helpers = UnsafeSendableScratch(cropMakers.workers(threads, for: net))
    let size = 3 * side * side
    let largest = (count + chunks - 1) / chunks
    var result = [Float](repeating: 0, count: net.outputs * count)
    // With one crop a chunk, the threads keep each crop's features and the dense layers run
    // on all of them at the end, reading their weights once (an O-Net crop's dense layers
    // read 1.2 MB of weights).
    var features = [Float](repeating: 0, count: perChunk == 1 ? count * net.features : 0)
    result.withUnsafeMutableBufferPointer { output in
      features.withUnsafeMutableBufferPointer { features in
        let sink = SendablePointer(output.baseAddress!)
        // (An empty buffer's base address need not be nil.)
        let kept = perChunk == 1 ? SendablePointer(features.baseAddress!) : nil
        let jobs = JobCounter(count: chunks)
        let work: @Sendable (Int) -> Void = { worker in
          let scratch = helpers.items[worker]
          let crops = scratch.crops.reserve(largest * size)
          while let chunk = jobs.next() {
            // Chunk `chunk` of `chunks` even shares of the recipes.
            let range = chunk * count / chunks..<(chunk + 1) * count / chunks
            for (i, k) in range.enumerated() {
              recipes[k].render(
                from: source, into: crops + i * size, wide: &scratch.wide, part: &scratch.part)
            }
            if let kept {
              net.features(
                of: crops, scratch: scratch.network,
                into: kept.pointer + range.lowerBound * net.features)
            } else {
              net.run(
                crops, range: 0..<range.count, scratch: scratch.network,
                into: sink.pointer + range.lowerBound, stride: count)
            }
          }
        }
        if threads == 1 {
          work(0)
        } else {
          DispatchQueue.concurrentPerform(iterations: threads, execute: work)
        }
        if let kept {
          net.dense(
            kept.pointer, count: count, scratch: helpers.items[0].network, into: sink.pointer,
            stride: count)
        }
      }
    }
    return result
  }

  /// Crops per chunk of ``refine(_:side:from:workers:)``: one dense batch
  /// (``CropNetFloat/batch``) of R-Net crops, or half of one for O-Net (whose crops are larger),
  /// on one thread. With more threads, 8 R-Net crops or 1 O-Net crop, so that a thread slowed
  /// by other work hands the rest to the others (an O-Net crop is about a quarter of a
  /// millisecond of work, an R-Net crop about a thirtieth).
  static func cropsPerChunk(side: Int, workers: Int) -> Int {
    switch (side == 24, workers > 1) {
    case (true, false): CropNetFloat.batch
    case (true, true): CropNetFloat.batch / 4
    case (false, false): CropNetFloat.batch / 2
    case (false, true): 1
    }
  }
}
