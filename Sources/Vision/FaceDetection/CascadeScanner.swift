import Dispatch
import Foundation
import Synchronization
import Tensor

/// The multi-scale scan of OpenCV's `CascadeClassifier::detectMultiScaleNoGrouping`: for each
/// pyramid level, shrink the image (bilinear, as OpenCV), build the integral planes, and slide the
/// cascade's window with the level's step, skipping one extra step after a first-stage rejection.
///
/// Levels are independent tasks taken largest first by `threads` workers; each worker owns one
/// buffer sized for the largest level, so memory is `workers x (2 or 3) x 4 bytes x pixels`, with
/// at most one worker per core.
/// Candidates come out in level order, rows top to bottom, whatever the thread count.
enum CascadeScanner {
  /// Raw candidate windows (in `image` coordinates) for the given levels.
  static func candidates(
    _ cascade: HaarCascade, image: Image, levels: [PyramidLevel], threads: Int
  ) -> [FaceBox] {
    guard let largest = levels.first else { return [] }
    let maxWidth = levels.map(\.width).max() ?? largest.width
    let maxHeight = levels.map(\.height).max() ?? largest.height
    let compiled = CompiledCascade(cascade, stride: maxWidth + 1, planeHeight: maxHeight + 1)
    let results = Mutex([[FaceBox]](repeating: [], count: levels.count))
    let nextLevel = Atomic<Int>(0)
    // More workers than cores would only multiply the per-worker buffers.
    let cores = max(ProcessInfo.processInfo.activeProcessorCount, 1)
    let workers = max(1, min(threads, levels.count, cores))
    image.pixels.withUnsafeBufferPointer { pixelBuffer in
      guard let pixels = pixelBuffer.baseAddress else { return }
      let source = SendablePointer(UnsafeMutablePointer(mutating: pixels))
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        let planes = UnsafeMutablePointer<Int32>.allocate(capacity: compiled.bufferCount)
        let shrunk = UnsafeMutablePointer<UInt8>.allocate(capacity: maxWidth * maxHeight)
        defer {
          planes.deallocate()
          shrunk.deallocate()
        }
        while true {
          let index = nextLevel.add(1, ordering: .relaxed).oldValue
          if index >= levels.count { break }
          let level = levels[index]
          LinearResize.resize(
            source.pointer, sourceWidth: image.width, sourceHeight: image.height,
            into: shrunk, width: level.width, height: level.height)
          IntegralPlanes.upright(
            shrunk, width: level.width, height: level.height, sum: planes,
            squares: planes + compiled.squaresOffset, stride: compiled.stride)
          if cascade.hasTiltedFeatures {
            IntegralPlanes.tilted(
              shrunk, width: level.width, height: level.height,
              into: planes + compiled.planeSize, stride: compiled.stride)
          }
          let found = scan(compiled, planes: planes, level: level)
          results.withLock { $0[index] = found }
        }
      }
    }
    return results.withLock { $0.flatMap { $0 } }
  }

  /// Slides the window over one level whose planes are in `planes`.
  static func scan(
    _ compiled: CompiledCascade, planes: UnsafePointer<Int32>, level: PyramidLevel
  ) -> [FaceBox] {
    // Window origins x < (width + 1) - windowWidth, likewise for y (OpenCV's working size).
    let columns = max(level.width + 1 - compiled.windowWidth, 0)
    let rows = max(level.height + 1 - compiled.windowHeight, 0)
    let step = level.step
    var found: [FaceBox] = []
    compiled.stages.withUnsafeBufferPointer { stages in
      compiled.stumps.withUnsafeBufferPointer { stumps in
        compiled.trees.withUnsafeBufferPointer { trees in
          compiled.splits.withUnsafeBufferPointer { splits in
            (compiled.stumpBased ? compiled.stumpLeaves : compiled.leaves).withUnsafeBufferPointer {
              leaves in
              let stagePointer = stages.baseAddress!
              let stumpPointer = stumps.baseAddress ?? UnsafePointer(bitPattern: 8)!
              let treePointer = trees.baseAddress ?? UnsafePointer(bitPattern: 8)!
              let splitPointer = splits.baseAddress ?? UnsafePointer(bitPattern: 8)!
              let leafPointer = leaves.baseAddress ?? UnsafePointer(bitPattern: 8)!
              var y = 0
              while y < rows {
                let row = planes + y * compiled.stride
                var x = 0
                while x < columns {
                  let result = compiled.evaluate(
                    row + x, stages: stagePointer, stumps: stumpPointer, trees: treePointer,
                    splits: splitPointer, leaves: leafPointer)
                  if result > 0 {
                    found.append(
                      FaceBox(
                        x: roundToInt(Float(x) * level.scale),
                        y: roundToInt(Float(y) * level.scale),
                        width: level.boxWidth, height: level.boxHeight))
                  } else if result == 0 {
                    x += step
                  }
                  x += step
                }
                y += step
              }
            }
          }
        }
      }
    }
    return found
  }
}
