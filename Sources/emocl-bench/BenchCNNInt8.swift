import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import Tensor

/// `emocl-bench cnn-int8`: the emotion CNN in 8 bits (``Int8Network``) against the float
/// network, as served (centre crop, the card's flip): accuracy and agreement on a labelled
/// folder, and images per second on batches of it, the two sides alternating. The int8 ranges
/// are the model card's, or measured here on `--calibrate` training images.
struct BenchCNNInt8: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cnn-int8", abstract: "The 8-bit emotion CNN against the float one.")

  @Option(help: "CNN model file.") var model = "Models/cnn.safetensors"
  @Option(help: "Labelled folder to evaluate on (<class>/<image>).")
  var data = "../shared/datasets/fer2013/val"
  @Option(help: "Measure the ranges on this many images of --train instead of the card's.")
  var calibrate: Int?
  @Option(help: "Training folder for --calibrate.") var train = "../shared/datasets/fer2013/train"
  @Option(help: "Seed choosing the calibration images.") var seed: UInt64 = 1
  @Option(help: "Worker threads.") var workers = 2
  @Option(help: "Images per timed call.") var batch = 64
  @Option(help: "Timed rounds per side (alternating).") var rounds = 6

  func run() throws {
    var file = try ModelFile.read(from: URL(fileURLWithPath: model))
    let float = try CNNClassifier(file: file, maxBatch: batch, workers: workers)
    if let calibrate {
      let images = try LabeledImages.load(directory: URL(fileURLWithPath: train))
      let chosen = try images.split(
        fraction: min(1, Double(calibrate) / Double(images.count)), seed: seed
      ).0
      let start = Date()
      let maxima = try float.int8Maxima(pixels: chosen.pixels, count: chosen.count)
      print(
        String(
          format: "calibrated on %d training images in %.1f s", chosen.count,
          Date().timeIntervalSince(start)))
      file = try CNNClassifier.withInt8(file, maxima: maxima)
    }
    let int8 = try CNNClassifier(file: file, maxBatch: batch, workers: workers, int8: true)
    guard let network = int8.int8Network else {
      throw ValidationError("no int8 network: the card has no int8 ranges or the CPU no VNNI")
    }
    print("int8 stages: \(network.activations.count), flip: \(float.flip)")
    let set = try LabeledImages.load(directory: URL(fileURLWithPath: data))
    let classes = float.card.classes.count
    let a = try float.probabilities(pixels: set.pixels, count: set.count)
    let b = try int8.probabilities(pixels: set.pixels, count: set.count)
    func argmax(_ p: [Float], _ i: Int) -> Int {
      (0..<classes).max { p[i * classes + $0] < p[i * classes + $1] }!
    }
    var (rightA, rightB, same) = (0, 0, 0)
    var largest: Float = 0
    var total: Double = 0
    for i in 0..<set.count {
      let (x, y) = (argmax(a, i), argmax(b, i))
      rightA += x == set.labels[i] ? 1 : 0
      rightB += y == set.labels[i] ? 1 : 0
      same += x == y ? 1 : 0
      for c in 0..<classes {
        let d = abs(a[i * classes + c] - b[i * classes + c])
        largest = max(largest, d)
        total += Double(d)
      }
    }
    let n = Double(set.count)
    print(
      String(
        format:
          "%@: %d images; accuracy float %.2f%%, int8 %.2f%% (%+.2f points); same class %.2f%%",
        data, set.count, 100 * Double(rightA) / n, 100 * Double(rightB) / n,
        100 * Double(rightB - rightA) / n, 100 * Double(same) / n))
    print(
      String(
        format: "probability difference: mean %.4f, max %.3f", total / (n * Double(classes)),
        largest))
    let size = set.width * set.height
    let pixels = Array(set.pixels.prefix(batch * size))
    let count = pixels.count / size
    var times: [[Double]] = [[], []]
    for _ in 0..<rounds {
      for (side, classifier) in [float, int8].enumerated() {
        let start = Date()
        var done = 0
        while Date().timeIntervalSince(start) < 1 {
          _ = try classifier.probabilities(pixels: pixels, count: count)
          done += count
        }
        times[side].append(Double(done) / Date().timeIntervalSince(start))
      }
    }
    let medians = times.map { $0.sorted()[$0.count / 2] }
    print(
      String(
        format:
          "images/s (batch %d, %d workers, flip %@, median of %d): float %.1f, int8 %.1f, ratio %.2f",
        count, workers, float.flip ? "on" : "off", rounds, medians[0], medians[1],
        medians[1] / medians[0]))
  }
}
