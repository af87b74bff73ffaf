import Datasets
import Foundation
import Tensor

/// The 8-bit form of a `cnn` model (``Int8Network``): its activation ranges live in the card as
/// `architecture.int8.maxima` (per convolution, per channel, the largest activation after the
/// ReLU over training images; `emocl quantize` measures them), with how they were measured and,
/// once evaluated, the 8-bit model's own metrics beside them.
extension CNNClassifier {
  /// Key of the 8-bit section in the card's architecture.
  public static let int8Key = "int8"

  /// The card's int8 maxima, nil when it has none; a malformed entry is a
  /// ``ModelFileError`` (a card must be what it says).
  static func int8Maxima(file: ModelFile, spec: NetworkSpec) throws -> [[Float]]? {
    guard let entry = file.card.architecture[int8Key] else { return nil }
    let channels: [Int]
    do { channels = try Int8NetworkPlan(spec).convolutions.map(\.outputs) } catch {
      throw ModelFileError(path: file.path, problem: .invalidCard("architecture.int8: \(error)"))
    }
    let layers = entry["maxima"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) }
    guard let layers, layers.map({ $0?.count }) == channels.map({ $0 }) else {
      throw ModelFileError(
        path: file.path,
        problem: .invalidCard(
          "architecture.int8 needs maxima: per convolution, one number per channel (\(channels))"))
    }
    let maxima = layers.map { $0!.map { Float($0) } }
    guard maxima.joined().allSatisfy({ $0.isFinite && $0 >= 0 && $0 < 1e6 }) else {
      throw ModelFileError(
        path: file.path, problem: .invalidCard("architecture.int8.maxima must be in 0…1e6"))
    }
    return maxima
  }

  /// `file` with `maxima` (``Int8Calibration/maxima(network:images:count:batch:)``) stored as
  /// its card's int8 ranges, with `details` (how they were measured; later the 8-bit metrics)
  /// beside them. The tensors are unchanged.
  public static func withInt8(
    _ file: ModelFile, maxima: [[Float]], details: [String: JSONValue] = [:]
  ) throws -> ModelFile {
    guard case .object(var fields) = file.card.architecture else {
      throw ModelFileError(path: file.path, problem: .invalidCard("architecture is not an object"))
    }
    var entry = details
    entry["maxima"] = .array(maxima.map { .array($0.map { .number(Double($0)) }) })
    fields[int8Key] = .object(entry)
    var copy = file
    copy.card.architecture = .object(fields)
    return copy
  }

  /// Logits of `count` images (`pixels` as in ``probabilities(pixels:count:)``) from the 8-bit
  /// network: each image (and its mirror with ``flip``) is one task, the tasks split between
  /// the workers, each with its own scratch buffers.
  func int8Logits(_ network: Int8Network, pixels: [UInt8], count: Int) -> [Float] {
    let classes = network.classes
    let passes = flip ? 2 : 1
    let (w, h) = (card.input.width, card.input.height)
    let (x0, y0) = ((w - crop) / 2, (h - crop) / 2)
    var all = [Float](repeating: 0, count: count * passes * classes)
    let tasks = count * passes
    let workers = min(int8Scratch.count, tasks)
    let scratch = int8Scratch
    all.withUnsafeMutableBufferPointer { out in
      let output = Unchecked(out.baseAddress!)
      pixels.withUnsafeBufferPointer { src in
        let source = Unchecked(src.baseAddress!)
        let run: @Sendable (Int) -> Void = { worker in
          var task = worker
          while task < tasks {
            network.logits(
              pixels: source.value + (task / passes) * w * h, rowStride: w, x0: x0, y0: y0,
              mirrored: task % passes == 1, scratch: scratch[worker],
              into: output.value + task * classes)
            task += workers
          }
        }
        if workers <= 1 {
          run(0)
        } else {
          DispatchQueue.concurrentPerform(iterations: workers, execute: run)
        }
      }
    }
    guard passes == 2 else { return all }
    var logits = [Float](repeating: 0, count: count * classes)
    for i in 0..<count {
      for c in 0..<classes {
        logits[i * classes + c] = (all[(2 * i) * classes + c] + all[(2 * i + 1) * classes + c]) / 2
      }
    }
    return logits
  }
}

extension CNNClassifier {
  /// Per convolution and channel, the largest activation of this model's float network over
  /// the centre crops of `count` images (`pixels` as in ``probabilities(pixels:count:)``), and
  /// their mirror images when the model flips: the images as served. For
  /// ``withInt8(_:maxima:details:)``; use training images.
  public func int8Maxima(pixels: [UInt8], count: Int) throws -> [[Float]] {
    let (w, h) = (card.input.width, card.input.height)
    guard count >= 1, pixels.count == count * w * h else {
      throw NetworkError.shapeMismatch(expected: [count, h, w], got: [pixels.count])
    }
    let passes = flip ? 2 : 1
    let size = crop * crop
    var inputs = [Float](repeating: 0, count: count * passes * size)
    inputs.withUnsafeMutableBufferPointer { out in
      pixels.withUnsafeBufferPointer { src in
        for i in 0..<count {
          for pass in 0..<passes {
            normalization.centerCrop(
              src.baseAddress! + i * w * h, width: w, height: h, crop: crop,
              into: out.baseAddress! + (i * passes + pass) * size, mirrored: pass == 1)
          }
        }
      }
    }
    return try Int8Calibration.maxima(network: network, images: inputs, count: count * passes)
  }
}
