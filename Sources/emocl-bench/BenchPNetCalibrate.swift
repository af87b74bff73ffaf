import ArgumentParser
import Datasets
import Foundation
import Pipeline
import Tensor
import Vision

/// `emocl-bench pnet-calibrate`: measures, per channel, the range of the two activations the
/// 8-bit P-Net stores as bytes (`MTCNNDetector.quantizedPNet`: the float head's output and
/// conv3's), and of those the 8-bit R- and O-Net store (`quantizedRefinement`: each stage's
/// PReLU output but the last, over the crops they judge), and with `--write` stores them in the
/// MTCNN model card as `architecture.pnetInt8`, `rnetInt8` and `onetInt8` (`minimum`,
/// `maximum`: per activation, one per channel).
///
/// The calibration photos are generated: detection scenes (`DetectorScene`) of FER2013
/// *training* faces, each tinted by random channel gains and with saturated colour blocks
/// pasted in (colour edges drive P-Net hardest; the faces are grey). A channel's
/// range is the smallest to the largest value it gave on any of them, so nothing seen clips.
struct BenchPNetCalibrate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pnet-calibrate",
    abstract: "Measure the int8 MTCNN's activation ranges (and write them into the model card)."
  )

  @Option(help: "FER2013 training folder (<class>/<image>.jpg) for the scenes' faces.")
  var data: String = "../shared/datasets/fer2013/train"
  @Option(help: "MTCNN model file.") var model: String = "Models/mtcnn.safetensors"
  @Option(help: "Calibration scenes.") var scenes: Int = 60
  @Option(help: "Seed of the scenes (the detector benches use 1 and 2).") var seed: UInt64 = 1000
  @Option(help: "Saturated colour blocks pasted into each scene (at most).") var blocks: Int = 5
  @Flag(help: "Write the ranges into --model's card (tensors unchanged, stored as F32).")
  var write = false

  func run() throws {
    let url = URL(fileURLWithPath: model)
    var file = try ModelFile.read(from: url)
    let detector = try MTCNNDetector(file: file, quantizedPNet: false)
    let dataset = try LabeledImages.load(directory: URL(fileURLWithPath: data))
    let crops = DetectorScene.crops(of: dataset)
    var random = SplitMix64(seed: seed)
    var ranges: [ActivationRange]?
    var rnet: [ActivationRange]?
    var onet: [ActivationRange]?
    for n in 0..<max(scenes, 1) {
      let scene = try DetectorScene(
        crops: crops, kind: n % 3, settings: DetectorScene.Settings(), random: &random)
      let image = Self.coloured(scene.image, blocks: blocks, random: &random)
      guard let found = try detector.pnetActivationRanges(in: image) else {
        throw ValidationError("this CPU has no AVX-512 VNNI: the int8 P-Net cannot run here")
      }
      ranges = ActivationRange.widen(ranges, to: found)
      let refinement = try detector.cropNetRanges(in: image)
      if let found = refinement.rnet { rnet = ActivationRange.widen(rnet, to: found) }
      if let found = refinement.onet { onet = ActivationRange.widen(onet, to: found) }
    }
    func rounded(_ layers: [[Float]]) -> JSONValue {
      .array(layers.map { .array($0.map { .number(Double(String(format: "%.5g", $0))!) }) })
    }
    var entries: [(String, [ActivationRange])] = [("pnetInt8", ranges!)]
    if let rnet { entries.append(("rnetInt8", rnet)) }
    if let onet { entries.append(("onetInt8", onet)) }
    for (name, layers) in entries {
      for (k, layer) in layers.enumerated() {
        let text = zip(layer.minimum, layer.maximum).map { String(format: "%.3g…%.3g", $0, $1) }
        print("\(name) layer \(k + 1)\t\(text.joined(separator: " "))")
      }
    }
    guard write else { return }
    var architecture = file.card.architecture
    guard case .object(var fields) = architecture else {
      throw ValidationError("\(model): the card's architecture is not an object")
    }
    let calibration = JSONValue.string(
      "emocl-bench pnet-calibrate --data \(data) --scenes \(scenes) --seed \(seed) "
        + "--blocks \(blocks) --write")
    for (name, layers) in entries {
      fields[name] = .object([
        "minimum": rounded(layers.map(\.minimum)), "maximum": rounded(layers.map(\.maximum)),
        "calibration": calibration,
      ])
    }
    architecture = .object(fields)
    file.card.architecture = architecture
    try file.write(to: url, precision: .float32)
    print("wrote\t\(model)")
  }

  /// `grey` as RGB with channel gains of 0.6–1.2 and 40–100% of `blocks` blocks of saturated
  /// colour.
  static func coloured(_ grey: Image, blocks: Int, random: inout SplitMix64) -> Image {
    var image = grey.rgb()
    let gains = (0..<3).map { _ in 0.6 + 0.6 * DetectorScene.unit(&random) }
    image.pixels.withUnsafeMutableBufferPointer { pixels in
      for i in 0..<pixels.count {
        pixels[i] = UInt8(min(255, (Double(pixels[i]) * gains[i % 3]).rounded()))
      }
    }
    for _ in 0..<(blocks * 2 / 5 + DetectorScene.below(blocks - blocks * 2 / 5 + 1, &random)) {
      let side = 8 + DetectorScene.below(120, &random)
      let colour = Colour(
        red: UInt8(DetectorScene.below(2, &random) * 255),
        green: UInt8(DetectorScene.below(2, &random) * 255),
        blue: UInt8(DetectorScene.below(2, &random) * 255))
      image.fillRectangle(
        x: DetectorScene.below(image.width - side, &random),
        y: DetectorScene.below(image.height - side, &random), width: side, height: side,
        colour: colour)
    }
    return image
  }
}
