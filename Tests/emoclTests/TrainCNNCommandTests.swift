import Datasets
import Foundation
import NeuralNet
import TestSupport
import Testing
import Vision

@Suite(.serialized) struct TrainCNNCommandTests {
  /// A tiny 7-class folder of 48×48 PNGs (a class-dependent bright square on noise).
  private func makeDataset(at root: URL, perClass: Int) throws {
    let classes = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]
    var state: UInt64 = 1
    for (c, name) in classes.enumerated() {
      let folder = root.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for i in 0..<perClass {
        var pixels = [UInt8](repeating: 0, count: 48 * 48)
        for p in pixels.indices {
          state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
          pixels[p] = UInt8(truncatingIfNeeded: state >> 58)
        }
        for y in (4 + 5 * c)..<(10 + 5 * c) { for x in 10..<38 { pixels[y * 48 + x] = 230 } }
        let png = try Image(width: 48, height: 48, channels: 1, pixels: pixels).pngData()
        try Data(png).write(to: folder.appendingPathComponent("\(i).png"))
      }
    }
  }

  @Test func threadsOutOfRangeAreRefusedBeforeLoading() throws {
    for threads in ["0", "-1", "100000"] {
      let result = try runCLI(["train", "cnn", "--threads", threads, "--data", "/nonexistent"])
      #expect(result.status == 64, "\(threads): \(result.status) \(result.error)")
      #expect(result.error.contains("--threads"), "\(threads): \(result.error)")
    }
  }

  @Test func trainsStopsResumesAndWritesAModel() throws {
    let temporary = try TemporaryDirectory()
    defer { temporary.cleanup() }
    let data = temporary.url.appendingPathComponent("data")
    try makeDataset(at: data, perClass: 4)
    let environment = ["EMOCL_CACHE": temporary.url.appendingPathComponent("cache").path]
    let model = temporary.url.appendingPathComponent("models/cnn.safetensors")
    let arguments = [
      "train", "cnn", "--data", data.path, "--val", data.path, "--epochs", "2", "--batch", "8",
      "--widths", "4,6", "--hidden", "8", "--out", model.path, "--run", "tiny",
    ]
    // 28 images, batch 8: 3 steps per epoch; stop inside the first epoch, then resume.
    let first = try runCLI(arguments + ["--stop-after-steps", "2"], environment: environment)
    #expect(first.status == 0, "\(first.error)")
    #expect(first.error.contains("--resume tiny"))
    #expect(!FileManager.default.fileExists(atPath: model.path))
    let again = try runCLI(arguments, environment: environment)
    #expect(again.status != 0)
    #expect(again.error.contains("already exists"))
    // The run folder records --data, --val and --out: --resume needs nothing else.
    let resumed = try runCLI(["train", "cnn", "--resume", "tiny"], environment: environment)
    #expect(resumed.status == 0, "\(resumed.error)")
    #expect(resumed.error.contains("epoch 2 done"))
    #expect(resumed.error.contains("validation: accuracy"))
    #expect(FileManager.default.fileExists(atPath: model.path))
    // The model comes with its 8-bit form: ranges per convolution channel, and, where this CPU
    // runs it, its evaluation on the validation images.
    let card = try ModelFile.read(from: model).card
    let maxima = card.architecture["int8"]?["maxima"]?.arrayValue?.map { $0.arrayValue?.count }
    #expect(maxima == [4, 4, 6, 6])
    #expect(resumed.error.contains("8-bit form"))
    #expect(
      (card.architecture["int8"]?["evaluation"]?["metrics"] != nil) == Int8Network.isSupported)
    let run = temporary.url.appendingPathComponent("cache/runs/tiny")
    for file in ["checkpoint.bin", "log.csv", "config.json", "loss.svg", "accuracy.svg"] {
      #expect(
        FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), "\(file)")
    }
    let csv = try String(contentsOf: run.appendingPathComponent("log.csv"), encoding: .utf8)
    #expect(csv.split(separator: "\n").count == 3)

    // A damaged checkpoint is a clear error, not a crash.
    let checkpoint = run.appendingPathComponent("checkpoint.bin")
    var bytes = try Data(contentsOf: checkpoint)
    bytes[bytes.count / 2] ^= 1
    try bytes.write(to: checkpoint)
    let damaged = try runCLI(
      [
        "train", "cnn", "--data", data.path, "--out", model.path, "--resume", "tiny",
      ], environment: environment)
    #expect(damaged.status != 0)
    #expect(damaged.error.contains("corrupt checkpoint"))

    // A run that does not exist has no recorded sources: a clear error, not a crash.
    let unknown = try runCLI(["train", "cnn", "--resume", "nope"], environment: environment)
    #expect(unknown.status != 0)
    #expect(unknown.error.contains("missing --data and --out"))
  }
}
