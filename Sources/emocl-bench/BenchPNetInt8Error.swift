import ArgumentParser
import Datasets
import Foundation
import Pipeline
import Vision

/// `emocl-bench pnet-int8-error`: how far the int8 P-Net's face probabilities are from the
/// float P-Net's on photos: the largest and mean absolute difference over all windows of all
/// levels, and the windows on one side of the proposal threshold (0.6) in one and on the other
/// side in the other. Then the same for the int8 R-Net (every P-Net proposal's crop) and O-Net
/// (every crop the 8-bit R-Net passes) against the float ones, at their threshold 0.7.
struct BenchPNetInt8Error: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pnet-int8-error",
    abstract: "Compare the int8 P-Net's face probabilities with the float P-Net's.")

  @Argument(help: "Photos (any format Emocl decodes).") var photos: [String]
  @Option(help: "MTCNN model file.") var model: String = "Models/mtcnn.safetensors"

  func run() throws {
    let file = try ModelFile.read(from: URL(fileURLWithPath: model))
    let detector = try MTCNNDetector(file: file, quantizedPNet: true, quantizedRefinement: true)
    guard detector.runsQuantizedPNet else {
      throw ValidationError("the int8 P-Net does not run here (no AVX-512 VNNI or no steps)")
    }
    print("photo\twindows\tmax_abs\tmean_abs\tabove_float_only\tabove_int8_only\tabove_both")
    for path in photos {
      let image = try Image(contentsOfFile: path, options: DecodeOptions(colour: .rgb))
      var tally = ProbabilityGaps(threshold: 0.6, inclusive: true)
      tally.add(
        float: try detector.pnetProbabilities(in: image, quantized: false).joined(),
        int8: try detector.pnetProbabilities(in: image, quantized: true).joined())
      print("\(URL(fileURLWithPath: path).lastPathComponent)\t\(tally.row)")
    }
    guard detector.runsQuantizedRefinement else { return }
    print("network\tcrops\tmax_abs\tmean_abs\tabove_float_only\tabove_int8_only\tabove_both")
    for (name, side) in [("rnet", 24), ("onet", 48)] {
      var tally = ProbabilityGaps(threshold: 0.7, inclusive: false)
      for path in photos {
        let image = try Image(contentsOfFile: path, options: DecodeOptions(colour: .rgb))
        tally.add(
          float: try detector.cropNetProbabilities(in: image, side: side, quantized: false),
          int8: try detector.cropNetProbabilities(in: image, side: side, quantized: true))
      }
      print("\(name) (all photos)\t\(tally.row)")
    }
  }
}

/// How far paired face probabilities (float and int8) are apart: count, largest and mean
/// absolute difference, and how many pass `threshold` in one form only or in both (P-Net's
/// proposals pass at ≥ 0.6, R- and O-Net's boxes above 0.7).
struct ProbabilityGaps {
  let threshold: Float
  let inclusive: Bool
  var count = 0
  var largest: Float = 0
  var total = 0.0
  var floatOnly = 0
  var int8Only = 0
  var both = 0

  mutating func add(float: some Sequence<Float>, int8: some Sequence<Float>) {
    func passes(_ p: Float) -> Bool { inclusive ? p >= threshold : p > threshold }
    for (x, y) in zip(float, int8) {
      largest = max(largest, abs(x - y))
      total += Double(abs(x - y))
      count += 1
      switch (passes(x), passes(y)) {
      case (true, false): floatOnly += 1
      case (false, true): int8Only += 1
      case (true, true): both += 1
      default: break
      }
    }
  }

  /// `count  largest  mean  float-only  int8-only  both`, tab-separated.
  var row: String {
    "\(count)\t\(largest)\t" + String(format: "%.5f", total / Double(max(count, 1)))
      + "\t\(floatOnly)\t\(int8Only)\t\(both)"
  }
}
