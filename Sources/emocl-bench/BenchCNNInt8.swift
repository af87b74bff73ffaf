import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import Pipeline
import Tensor

/// `emocl-bench cnn-int8`: the emotion CNN in 8 bits (``Int8Network``) against the float
/// network, as served (centre crop, the card's flip): accuracy and agreement on a labelled
/// folder, then images per second on batches of it and the latency of one image, the two sides
/// alternating. Network passes per second (an image with the flip is two) are printed as
/// `float_passes_per_s` and `int8_passes_per_s` for `Scripts/bench/30-cnn.sh` to set beside
/// PyTorch. The int8 ranges are the model card's, or measured here on `--calibrate` training
/// images.
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
  @Option(help: "Images of --data to evaluate (0: none, timing only; default all).")
  var limit: Int?

  func run() throws {
    var file = try ModelFile.read(from: URL(fileURLWithPath: model))
    let float = try CNNClassifier(file: file, maxBatch: batch, workers: workers)
    if let calibrate {
      let images = try LabeledImages.load(directory: URL(fileURLWithPath: train))
      let chosen = try CNNQuantizer.sample(images, count: calibrate, seed: seed)
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
    var set = try LabeledImages.load(directory: URL(fileURLWithPath: data))
    try timing(float, int8, set)
    if let limit { set = set.subset(indices: 0..<min(limit, set.count)) }
    guard set.count > 0 else { return }
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
  }

  /// Images per second on batches of `batch` images of `set`, and one image's latency, the
  /// float and int8 classifiers alternating `rounds` times (medians).
  func timing(_ float: CNNClassifier, _ int8: CNNClassifier, _ set: LabeledImages) throws {
    let size = set.width * set.height
    let pixels = Array(set.pixels.prefix(batch * size))
    let count = pixels.count / size
    let one = Array(pixels.prefix(size))
    var rates: [[Double]] = [[], []]
    var latencies: [[Double]] = [[], []]
    for _ in 0..<rounds {
      for (side, classifier) in [float, int8].enumerated() {
        var start = Date()
        var done = 0
        while Date().timeIntervalSince(start) < 1 {
          _ = try classifier.probabilities(pixels: pixels, count: count)
          done += count
        }
        rates[side].append(Double(done) / Date().timeIntervalSince(start))
        start = Date()
        for _ in 0..<50 { _ = try classifier.probabilities(pixels: one, count: 1) }
        latencies[side].append(Date().timeIntervalSince(start) / 50 * 1000)
      }
    }
    let rate = rates.map { $0.sorted()[$0.count / 2] }
    let latency = latencies.map { $0.sorted()[$0.count / 2] }
    let passes = float.flip ? 2.0 : 1.0
    print(
      String(
        format:
          "images/s (batch %d, %d workers, flip %@, median of %d): float %.1f, int8 %.1f, ratio %.2f",
        count, workers, float.flip ? "on" : "off", rounds, rate[0], rate[1], rate[1] / rate[0]))
    print(
      String(
        format: "one image, ms (median): float %.3f, int8 %.3f, ratio %.2f", latency[0],
        latency[1], latency[0] / latency[1]))
    print(String(format: "float_passes_per_s %.1f", rate[0] * passes))
    print(String(format: "int8_passes_per_s %.1f", rate[1] * passes))
  }
}
